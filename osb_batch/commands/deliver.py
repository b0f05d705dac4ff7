"""``osb-batch deliver``: send each person what is still owed to them, or list it (--dry-run).

What is owed: the files of run, report and reconciliation folders made while ``[mail]`` was
configured that were never sent to their person, or whose sending failed (a server down, a
recipient refused). ``--test-to`` sends one short message to an address, to try the settings.
"""

from __future__ import annotations

import datetime as dt
import os
from email.message import EmailMessage

from osb_batch.delivery.sending import PASSWORD_ENV, Postman, send_owed
from osb_batch.ledger import session
from osb_batch.settings import Settings
from osb_batch.workspace import Home

STATUS = {"zh": {"sent": "已发送", "failed": "失败", "no_address": "无邮箱", "owed": "待发送"},
          "en": {"sent": "sent", "failed": "failed", "no_address": "no address", "owed": "owed"}}


def deliver(home: Home, settings: Settings, *, dry_run: bool, today: dt.date) -> list[dict]:
    """Send (or list, ``dry_run``) what is owed, holding the run lock; the ``deliveries`` entries.

    Raises workspace.RunBusy when another run holds the lock.
    """
    with session.locked(home, settings, f"pid {os.getpid()}, deliver") as ledger:
        return send_owed(home, ledger, settings, today, dry_run=dry_run)


def configuration(settings: Settings, lang: str) -> str:
    """The mail settings as they will be used (the password only as set or not)."""
    mail, has_password = settings.mail, bool(os.environ.get(PASSWORD_ENV))
    if not mail.host:
        return ("rules.toml [mail] host is empty: people get their folders only, no email" if lang == "en"
                else "rules.toml [mail] 的 host 为空：只建收件人文件夹，不发邮件")
    login = mail.username or ("-" if lang == "en" else "不登录")
    password = ("set" if has_password else "NOT set") if lang == "en" else ("已设置" if has_password else "未设置")
    return (f"SMTP {mail.host}:{mail.port}  STARTTLS {'on' if mail.starttls else 'off'}  login {login}  "
            f"sender {mail.sender}  {PASSWORD_ENV} {password}")


def listing(deliveries: list[dict], lang: str) -> str:
    """One line per person: status, name, address, files (and the error of a failure)."""
    words = STATUS["en" if lang == "en" else "zh"]
    if not deliveries:
        return "Nothing is owed." if lang == "en" else "没有待发送的文件。"
    lines = []
    for d in deliveries:
        error = f"  ({d['error']})" if d["error"] else ""
        lines.append(f"{words[d['status']]}\t{d['person']} <{d['email'] or '-'}>\t{'、'.join(d['files'])}{error}")
    return "\n".join(lines)


def send_test(settings: Settings, address: str) -> str:
    """Send one short message to ``address`` with the configured settings; its Message-ID.

    Raises smtplib.SMTPException or OSError when it is not accepted.
    """
    from email.utils import make_msgid
    message = EmailMessage()
    message["From"], message["To"] = settings.mail.sender, address
    message["Subject"] = "osb-batch 邮件设置测试 / mail settings test"
    message["Message-ID"] = make_msgid(domain=settings.mail.sender.rpartition("@")[2] or None)
    message.set_content("这是 osb-batch deliver --test-to 发送的测试邮件：邮件设置可用。\n"
                        "A test message from osb-batch deliver --test-to: the mail settings work.\n")
    postman = Postman(settings.mail, os.environ.get(PASSWORD_ENV, ""))
    try:
        postman.send(message)
    finally:
        postman.close()
    return message["Message-ID"]
