"""The outbox: messages queued by services, sent by `flask notifications send` through SMTP or logged."""

import email
import socket
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from portal.extensions import db
from portal.notifications.models import FAILED, LOGGED, PENDING, SENT, OutboxMessage
from portal.notifications.services import already_queued, queue, send_pending


class Inbox:
    """aiosmtpd handler keeping what it receives; refuses the recipients it is told to."""

    def __init__(self, refuse=()):
        self.messages = []
        self.refuse = set(refuse)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 Boîte inconnue"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=default_policy)))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def smtp(app, monkeypatch):
    """A real SMTP server on loopback, and the app configured to use it."""
    inbox = Inbox(refuse={"refuse@exemple.test"})
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    yield inbox
    controller.stop()


def _messages():
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_invitation_is_delivered_by_the_cli_to_a_real_smtp_server(app, client, auth, make, smtp):
    from tests.conftest import csrf_token

    auth.login(make.admin())
    token = csrf_token(client, "/comptes/inviter")
    client.post("/comptes/inviter", data={"csrf_token": token, "email": "recue@exemple.test",
                                          "full_name": "Nina Reçue", "role": "counsellor"})
    assert [m.status for m in _messages()] == [PENDING]
    result = app.test_cli_runner().invoke(args=["notifications", "send"])
    assert result.exit_code == 0, result.output
    assert "1 envoyé(s), 0 journalisé(s), 0 en échec." in result.output
    assert len(smtp.messages) == 1
    recipients, received = smtp.messages[0]
    assert recipients == ["recue@exemple.test"]
    assert received["To"] == "recue@exemple.test"
    assert received["Subject"] == "Votre accès à Maillage"
    assert "Maillage" in received["From"]
    body = received.get_content()
    assert "http://127.0.0.1:5000/invitation/" in body
    assert "Nina Reçue" in body or "Bonjour" in body
    message = _messages()[0]
    assert message.status == SENT and message.sent_at is not None and message.attempts == 1
    # nothing is sent twice
    assert "0 envoyé(s)" in app.test_cli_runner().invoke(args=["notifications", "send"]).output
    assert len(smtp.messages) == 1


def test_a_refused_message_is_marked_failed_and_the_others_are_sent(app, smtp):
    with app.test_request_context():
        for recipient in ("un@exemple.test", "refuse@exemple.test", "deux@exemple.test"):
            queue(recipient, "Essai", "password_reset.txt", user=None, link="http://x/lien", hours=2)
    counts = send_pending()
    assert counts == {"sent": 2, "logged": 0, "failed": 1}
    statuses = {m.recipient: m.status for m in _messages()}
    assert statuses == {"un@exemple.test": SENT, "refuse@exemple.test": FAILED, "deux@exemple.test": SENT}
    failed = next(m for m in _messages() if m.status == FAILED)
    assert "550" in failed.last_error
    assert [r for r, _ in smtp.messages] == [["un@exemple.test"], ["deux@exemple.test"]]


def test_unreachable_server_marks_every_message_failed_and_retries_later(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", _free_port())
    with app.test_request_context():
        queue("a@exemple.test", "Essai", "password_reset.txt", user=None, link="http://x", hours=2)
        queue("b@exemple.test", "Essai", "password_reset.txt", user=None, link="http://x", hours=2)
    assert send_pending() == {"sent": 0, "logged": 0, "failed": 2}
    assert all(m.status == FAILED and m.attempts == 1 and m.last_error for m in _messages())
    send_pending()
    assert all(m.attempts == 2 for m in _messages())
    for m in _messages():
        m.attempts = 5
    db.session.flush()
    assert send_pending() == {"sent": 0, "logged": 0, "failed": 0}  # given up after five attempts


def test_without_smtp_messages_are_logged(app, caplog):
    assert not app.config["MAIL_SERVER"]
    with app.test_request_context():
        queue("journal@exemple.test", "Rappel", "password_reset.txt", topic="essai:1", user=None,
              link="http://127.0.0.1:5000/lien-journal", hours=2)
    with caplog.at_level("INFO", logger="maillage.notifications"):
        result = app.test_cli_runner().invoke(args=["notifications", "send"])
    assert "0 envoyé(s), 1 journalisé(s), 0 en échec." in result.output
    message = _messages()[0]
    assert message.status == LOGGED and message.sent_at is not None
    assert "journal@exemple.test" in caplog.text and "lien-journal" in caplog.text


def test_already_queued_prevents_duplicate_reminders(app):
    with app.test_request_context():
        assert not already_queued("checkin:12:due")
        queue("x@exemple.test", "Rappel", "password_reset.txt", topic="checkin:12:due", user=None, link="l", hours=1)
        assert already_queued("checkin:12:due")
        assert not already_queued("checkin:13:due")


def test_reset_email_goes_through_the_outbox(client, make):
    from tests.conftest import csrf_token

    user = make.partner_user(full_name="Paul Lien")
    token = csrf_token(client, "/mot-de-passe-oublie")
    client.post("/mot-de-passe-oublie", data={"csrf_token": token, "email": user.email})
    message = _messages()[0]
    assert message.recipient == user.email
    assert message.subject == "Réinitialisation de votre mot de passe Maillage"
    assert "/reinitialiser/" in message.body
    assert message.status == PENDING
