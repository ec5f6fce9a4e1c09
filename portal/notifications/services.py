"""Queue messages in the outbox and flush it through SMTP (or the log in development)."""

import logging
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import click
from flask import current_app, render_template
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.models import utcnow
from portal.notifications.models import FAILED, LOGGED, PENDING, SENT, OutboxMessage

log = logging.getLogger("maillage.notifications")
MAX_ATTEMPTS = 5


def queue(recipient: str, subject: str, template: str, *, topic: str | None = None, **context) -> OutboxMessage:
    """Render a text e-mail template and add it to the outbox (flushes, does not commit)."""
    context.setdefault("organisation", current_app.config["ORGANISATION_NAME"])
    body = render_template(f"emails/{template}", **context)
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, topic=topic)
    db.session.add(message)
    db.session.flush()
    if current_app.config.get("MAIL_CONSOLE") and not db.session.info.get(_QUIET):
        db.session.info.setdefault(_CONSOLE, []).append(_console_text(message))
    return message


# --- development: every e-mail on the console, once its transaction is committed ------------------------

_CONSOLE = "maillage_console_outbox"
_QUIET = "maillage_console_quiet"


@contextmanager
def quiet_console() -> Iterator[None]:
    """Bulk work (the demo data: over a hundred messages) keeps the console readable: its messages wait in
    the outbox and on the « Courriels envoyés » page without being printed one by one."""
    db.session.info[_QUIET] = True
    try:
        yield
    finally:
        db.session.info.pop(_QUIET, None)


def _console_text(message: OutboxMessage) -> str:
    rule = "-" * 72
    return (f"{rule}\nCourriel à {message.recipient} — {message.subject}\n"
            f"(aussi sur la page « Courriels envoyés » : /admin/courriels)\n{rule}\n{message.body}\n{rule}")


@event.listens_for(Session, "after_commit")
def _print_committed(session: Session) -> None:
    for text in session.info.pop(_CONSOLE, []):
        click.echo(text, err=True)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(_CONSOLE, None)


def already_queued(topic: str) -> bool:
    """True when a message on this topic is already in the outbox (reminders are sent once)."""
    return db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.topic == topic).limit(1)) is not None


def send_pending(limit: int = 500) -> dict[str, int]:
    """Send (or log) pending messages; each is committed on its own so one failure stops nothing."""
    config = current_app.config
    counts = {"sent": 0, "logged": 0, "failed": 0}
    ids = db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.status.in_([PENDING, FAILED]), OutboxMessage.attempts < MAX_ATTEMPTS)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    smtp = None
    try:
        for message_id in ids:
            message = db.session.get(OutboxMessage, message_id)
            message.attempts += 1
            if not config.get("MAIL_SERVER"):
                log.info("Courriel (non envoyé, pas de SMTP) à %s : %s\n%s", message.recipient,
                         message.subject, message.body)
                message.status, message.sent_at = LOGGED, utcnow()
                counts["logged"] += 1
            else:
                try:
                    smtp = smtp or _connect(config)
                    smtp.send_message(_build(message, config["MAIL_SENDER"]))
                    message.status, message.sent_at, message.last_error = SENT, utcnow(), None
                    counts["sent"] += 1
                except smtplib.SMTPRecipientsRefused as exc:
                    # this address only: the connection stays usable for the next messages
                    message.status, message.last_error = FAILED, _describe(exc)
                    counts["failed"] += 1
                except (smtplib.SMTPException, OSError) as exc:
                    message.status, message.last_error = FAILED, _describe(exc)
                    counts["failed"] += 1
                    _close(smtp)
                    smtp = None
            db.session.commit()
    finally:
        _close(smtp)
    return counts


def _describe(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{rcpt} : {code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
                         for rcpt, (code, msg) in exc.recipients.items())[:500]
    return f"{type(exc).__name__} : {exc}"[:500]


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _connect(config) -> smtplib.SMTP:
    smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30)
    if config.get("MAIL_USE_TLS"):
        smtp.starttls()
    if config.get("MAIL_USERNAME"):
        smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    return smtp


def _build(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=True)
    email["Message-ID"] = make_msgid(domain="maillage")
    email.set_content(message.body)
    return email
