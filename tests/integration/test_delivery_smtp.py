"""The SMTP adapter (delivery.sending.Postman) against a real server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

import pytest

from osb_batch.delivery.sending import Postman
from osb_batch.settings.sections import Mail

from ..support.smtp import Mailbox, free_port, serve


def _message(*to: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "osb@example.com", ", ".join(to), "t"
    message.set_content("x")
    return message


@pytest.fixture()
def server():
    handler = Mailbox(refused={"gone@example.com"})
    controller = serve(handler, free_port())
    yield handler, Mail(host="127.0.0.1", port=controller.port, starttls=False, sender="osb@example.com")
    controller.stop()


def test_a_group_message_reaches_the_addresses_accepted_and_names_the_refused_one(server):
    handler, mail = server
    postman = Postman(mail, "")
    refused = postman.send(_message("a@example.com", "gone@example.com"))
    postman.close()
    assert list(refused) == ["gone@example.com"] and refused["gone@example.com"][0] == 550
    assert [rcpt for rcpt, _ in handler.messages] == [["a@example.com"]]


def test_a_message_whose_only_address_is_refused_raises_and_the_connection_serves_the_next(server):
    handler, mail = server
    postman = Postman(mail, "")
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        postman.send(_message("gone@example.com"))
    assert postman.send(_message("b@example.com")) == {}
    postman.close()
    assert [rcpt for rcpt, _ in handler.messages] == [["b@example.com"]]


def test_no_server_raises_an_os_error_for_the_caller_to_record_and_is_not_tried_again():
    port = free_port()
    postman = Postman(Mail(host="127.0.0.1", port=port, starttls=False, sender="osb@example.com"), "")
    with pytest.raises(OSError):
        postman.send(_message("a@example.com"))
    handler = Mailbox()
    controller = serve(handler, port)                 # back, but this sending has given up on it
    try:
        with pytest.raises(OSError):
            postman.send(_message("b@example.com"))
    finally:
        controller.stop()
    assert handler.messages == []


def test_starttls_on_a_server_without_it_sends_in_clear_only_when_there_is_no_login(server):
    handler, mail = server
    relay = Postman(Mail(host=mail.host, port=mail.port, starttls=True, sender=mail.sender), "")
    assert relay.send(_message("a@example.com")) == {}
    relay.close()
    login = Postman(Mail(host=mail.host, port=mail.port, starttls=True, username="osb", sender=mail.sender), "secret")
    with pytest.raises(smtplib.SMTPNotSupportedError, match="offers no STARTTLS"):
        login.send(_message("b@example.com"))
    assert [rcpt for rcpt, _ in handler.messages] == [["a@example.com"]]
