"""A real SMTP server for the delivery tests: aiosmtpd on 127.0.0.1, keeping what it accepts."""

from __future__ import annotations

import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller


class Mailbox:
    """An SMTP handler keeping every accepted message; it refuses the addresses in ``refused`` and,
    after ``up_for`` accepted messages, answers 421 and shuts its server down."""

    def __init__(self, refused=(), up_for: int | None = None):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.refused, self.up_for = set(refused), up_for
        self.controller: Controller | None = None

    @property
    def down(self) -> bool:
        return self.up_for is not None and len(self.messages) >= self.up_for

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.down:
            return "421 4.3.2 service shutting down"
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content,
                                                                                 policy=email.policy.default)))
        if self.down:
            threading.Thread(target=self.controller.stop).start()
        return "250 OK"

    def received(self) -> dict[tuple[str, ...], dict[str, bytes]]:
        """Attachments (name -> bytes) by the message's recipients."""
        got = {}
        for rcpt, message in self.messages:
            key = tuple(sorted(rcpt))
            assert key not in got, f"two messages to {key} in one sending"
            got[key] = {a.get_filename(): a.get_payload(decode=True) for a in message.iter_attachments()}
        return got


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(mailbox: Mailbox, port: int) -> Controller:
    mailbox.controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    mailbox.controller.start()
    return mailbox.controller
