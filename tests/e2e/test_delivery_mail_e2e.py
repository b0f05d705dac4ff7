"""Delivery by email against a real SMTP server (aiosmtpd on 127.0.0.1, started here): the demo day
with a roster, run through the CLI; each person's message holds exactly their files; a second run
sends only what is new; a refused recipient and a server going down mid-run fail nothing but
those sendings, which ``osb-batch deliver`` then sends, and nothing else."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest

from osb_batch import settings as settings_mod
from osb_batch.demo.demo_data import build
from osb_batch.demo.management_rows import roster_rows, sales_force
from osb_batch.demo.staff_workbook import write_form

from ..conftest import Osb
from ..support.smtp import Mailbox, free_port, serve

DAY = "2026-11-26"
SENDER = "osb@osb-demo.cn"
ADDRESSES = {"财务部": "finance@osb-demo.cn", "仓库": "warehouse@osb-demo.cn"}


def _working_folder(root: Path, port: int) -> tuple[Osb, list[dict]]:
    """The demo day in inbox/, a roster with everyone's address beside it, [mail] pointing at ``port``."""
    osb = Osb(root)
    osb("demo", "--date", DAY)
    rules = osb.home / "rules.toml"
    text = rules.read_text(encoding="utf-8")
    book = ", ".join(f'"{name} <{address}>"' for name, address in ADDRESSES.items())
    for old, new in (('host = ""', 'host = "127.0.0.1"'), ("port = 587", f"port = {port}"),
                     ("starttls = true", "starttls = false"), ('sender = ""', f'sender = "{SENDER}"'),
                     ("addresses = []", f"addresses = [{book}]")):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    rules.write_text(text, encoding="utf-8")
    settings = settings_mod.load(rules)
    force = sales_force(build(settings, dt.date.fromisoformat(DAY)), settings, [])
    roster = roster_rows(force, dt.date(2026, 10, 1), random.Random(7))
    write_form(osb.inbox / "销售人员名册.xlsx", "staff", roster, sheet="销售人员名册")
    return osb, roster


def _addresses(roster: list[dict], person: str) -> tuple[str, ...]:
    """Where a person's message goes: their own address; a group name: ADDRESSES, else the role's."""
    own = [r["email"] for r in roster if r["name"] == person]
    if own:
        return tuple(own)
    if person in ADDRESSES:
        return (ADDRESSES[person],)
    assert person == "秘书组", person
    return tuple(sorted(r["email"] for r in roster if r["role"] == "SSG"))


def _folder_files(run: Path, person: str) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in (run / "收件人" / person).iterdir()}


@pytest.fixture(scope="module")
def mailed(tmp_path_factory):
    port = free_port()
    osb, roster = _working_folder(tmp_path_factory.mktemp("mail") / "work", port)
    first, second = Mailbox(), Mailbox()
    serve(first, port)
    try:
        manifest = osb.run(DAY)
    finally:
        first.controller.stop()
    serve(second, port)
    try:
        again = osb.run(DAY)
    finally:
        second.controller.stop()
    return osb, roster, (manifest, first), (again, second)


def test_each_person_receives_one_message_with_exactly_their_own_files(mailed):
    osb, roster, (manifest, mailbox), _ = mailed
    run = osb.home / "outbox" / DAY / "run-01"
    received = mailbox.received()
    people = {p.name for p in (run / "收件人").iterdir()}
    assert {d["person"] for d in manifest["deliveries"]} == people
    assert all(d["status"] == "sent" for d in manifest["deliveries"]), manifest["deliveries"]
    assert len(received) == len(people)
    for person in people:
        got = received[tuple(sorted(_addresses(roster, person)))]
        assert got == _folder_files(run, person), person
    assert {"总经理", "销售总监", "销售副总监", "秘书组", "财务部"} <= people


def test_nobody_receives_anothers_personal_files(mailed):
    osb, roster, (manifest, mailbox), _ = mailed
    received = mailbox.received()
    personal = [o for o in manifest["outputs"] if o.get("person")]
    assert {o["form"] for o in personal} >= {"approval_requests", "um_notices"}
    for output in personal:
        name = Path(output["file"]).name
        holders = {rcpt for rcpt, files in received.items() if name in files}
        assert holders == {tuple(sorted(_addresses(roster, output["person"])))}, name


def test_the_slt_message_says_by_when_to_approve_and_carries_the_run_summary(mailed):
    osb, roster, (manifest, mailbox), _ = mailed
    deputy = _addresses(roster, "销售副总监")
    [(_, message)] = [(r, m) for r, m in mailbox.messages if tuple(sorted(r)) == deputy]
    assert message["From"] == SENDER and message["Message-ID"]
    body = message.get_body(("plain",)).get_content()
    approval = next(o for o in manifest["outputs"] if o["form"] == "approval_requests" and o["person"] == "销售副总监")
    assert approval["due"] in body and Path(approval["file"]).name in body
    assert any(a.get_filename().startswith("运行摘要-") for a in message.iter_attachments())


def test_every_sending_is_in_the_ledger_with_its_message_id(mailed):
    osb, _, (_, first), (_, second) = mailed
    with osb.ledger() as db:
        rows = db.execute("SELECT person, status, message_id, email, sent_at FROM deliveries").fetchall()
        twice = db.execute("SELECT COUNT(*) FROM (SELECT person, sha256 FROM deliveries GROUP BY person, sha256 "
                           "HAVING COUNT(*) > 1) AS t").fetchone()[0]
    ids = {m["Message-ID"] for _, m in first.messages + second.messages}
    assert rows and twice == 0
    assert {r[1] for r in rows} == {"sent"}
    assert {r[2] for r in rows} == ids, "one message id per message, each recorded"
    assert all(r[3] and r[4] for r in rows)


def test_a_second_run_sends_only_files_not_sent_before(mailed):
    osb, roster, (manifest, first), (again, second) = mailed
    assert again["run"] == 2 and again["inputs"] == []
    before = {(rcpt, sha) for rcpt, files in first.received().items() for sha in map(_sha, files.values())}
    run2 = osb.home / "outbox" / DAY / "run-02"
    for rcpt, files in second.received().items():
        for name, content in files.items():
            assert (rcpt, _sha(content)) not in before, name
            assert (run2 / name).read_bytes() == content, "only this run's files"
    sent = {d["person"]: set(d["files"]) for d in again["deliveries"]}
    skipped = 0
    for d in manifest["deliveries"]:                      # what did not change was not sent again
        before_files = _folder_files(osb.home / "outbox" / DAY / "run-01", d["person"])
        unchanged = {f for f in d["files"] if (run2 / f).exists() and (run2 / f).read_bytes() == before_files[f]}
        assert not unchanged & sent.get(d["person"], set()), d["person"]
        skipped += len(unchanged)
    assert skipped and again["deliveries"], "some files were the same again, some new"


def _sha(content: bytes) -> str:
    import hashlib
    return hashlib.sha256(content).hexdigest()


def test_a_refused_recipient_and_a_server_going_down_fail_only_those_and_deliver_sends_the_rest(tmp_path):
    port = free_port()
    osb, roster = _working_folder(tmp_path / "work", port)
    ssg = [r["email"] for r in roster if r["role"] == "SSG"]
    flaky = Mailbox(refused=ssg, up_for=3)
    serve(flaky, port)
    try:
        printed = osb("run", "--date", DAY).stdout           # exit 0, as for any run
    finally:
        if flaky.controller._thread is not None:
            flaky.controller.stop()
    manifest = json.loads((osb.home / "outbox" / DAY / "run-01" / "manifest.json").read_text(encoding="utf-8"))
    status = {d["person"]: d["status"] for d in manifest["deliveries"]}
    assert status["秘书组"] == "failed" and "550" in _error(manifest, "秘书组")
    assert sum(s == "sent" for s in status.values()) == 3
    failed = {d["person"]: d for d in manifest["deliveries"] if d["status"] == "failed"}
    assert len(failed) == len(status) - 3
    assert printed.count("未能发给") == len(failed), "the run's summary names each failure"

    listed = osb("deliver", "--dry-run").stdout.splitlines()
    assert sorted(line.split("\t")[1].split(" <")[0] for line in listed) == sorted(failed), "what is owed, unsent"
    healthy = Mailbox()
    serve(healthy, port)
    try:
        osb("deliver")
    finally:
        healthy.controller.stop()
    got = healthy.received()
    expected = {tuple(sorted(_addresses(roster, p))): set(d["files"]) for p, d in failed.items()}
    assert {rcpt: set(files) for rcpt, files in got.items()} == expected, "exactly what failed, each to its person"
    assert "没有待发送的文件。" in osb("deliver", "--dry-run").stdout


def _error(manifest: dict, person: str) -> str:
    return next(d["error"] for d in manifest["deliveries"] if d["person"] == person)


def test_reconcile_and_report_send_their_folders_files_too(tmp_path):
    port = free_port()
    osb, roster = _working_folder(tmp_path / "work", port)
    mailbox = Mailbox()
    serve(mailbox, port)
    try:
        osb.run(DAY)
        before = len(mailbox.messages)
        osb("reconcile", "--period", "2026H2", "--date", "2026-12-01")
        after_reconcile = len(mailbox.messages)
        osb("report", "monthly", "--period", "2026-11", "--date", "2026-12-01")
    finally:
        mailbox.controller.stop()
    reconciliation = osb.home / "outbox" / "对账-2026H2"
    manifest = json.loads((reconciliation / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["deliveries"] and {d["status"] for d in manifest["deliveries"]} == {"sent"}
    reconciled = {tuple(sorted(r)): {a.get_filename() for a in m.iter_attachments()}
                  for r, m in mailbox.messages[before:after_reconcile]}
    for d in manifest["deliveries"]:
        assert reconciled[tuple(sorted(_addresses(roster, d["person"])))] == set(d["files"]) \
            == set(_folder_files(reconciliation, d["person"]))
    assert any(n.startswith("对账汇总") for n in reconciled[(ADDRESSES["财务部"],)])
    monthly = json.loads((osb.home / "outbox" / "报表-2026-11" / "manifest.json").read_text(encoding="utf-8"))
    assert monthly["deliveries"] and len(mailbox.messages) - after_reconcile == len(monthly["deliveries"])
