"""Concurrent edits without loss: the edit form carries the version it was loaded with (a hidden field);
a save on a stale version is refused with a French message that shows what the other person saved.

Every edited model counts its versions with SQLAlchemy's `version_id_col`. Two guards, one message
(`conflict_message`, the only conflict wording of the portal):
- `check(obj, form)` before the service: the posted version is behind the row's (the other person's save
  is already committed); a service called with the version its caller loaded uses `check_version`;
- `StaleDataError` at flush: both saves passed the check at the same moment, on two workers; the second
  UPDATE finds no row with its version.

A view wraps its service call in `with concurrency.guard(obj, form):` and handles the `StaleEdit` it may
raise like any `DomainError`: the form is shown again with what the person typed, the message lists each
field whose saved value differs from it, and the hidden version moves on: saving again, knowingly, keeps
their values.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from portal.audit.models import AuditEvent
from portal.errors import DomainError
from portal.extensions import db
from portal.text import is_digits, local

SKIPPED_FIELDS = {"csrf_token", "version", "submit", "confirm_duplicate"}
RECORD = "Cette fiche a été modifiée"


class StaleEdit(DomainError):
    """Someone else saved this record since the form was loaded."""


def posted_version(form) -> int | None:
    """The version the form was loaded with, or None when the form did not carry one."""
    return _number(str(form.version.data or "").strip())


def _number(text: str) -> int | None:
    """A version written in ASCII digits, else None: `isdigit` alone lets « ² » through to a crashing int()."""
    return int(text) if text.isascii() and is_digits(text) else None


def check(obj: Any, form) -> None:
    """Raise StaleEdit when the form was loaded on an older version; the view then calls `report`."""
    version = posted_version(form)
    if version is not None and version != obj.version:
        raise StaleEdit(f"{RECORD} entre-temps.")


def check_version(obj: Any, version: Any, what: str = RECORD, *, required: bool = False) -> None:
    """For a service given the version its caller loaded: raise StaleEdit with the conflict message when it
    is not the row's. No version (None, "") is not checked unless `required`; a version that is not a
    number was not sent by our forms: it is stale, never a crash. `what`: « Cette offre a été modifiée »."""
    text = str(version if version is not None else "").strip()
    if not text and not required:
        return
    if _number(text) != obj.version:
        raise StaleEdit(conflict_message(obj, what=what))


@contextmanager
def guard(obj: Any, form, what: str = RECORD) -> Iterator[None]:
    """Around the service call saving `obj` edited through `form`: a stale posted version, or a concurrent
    save found at flush (StaleDataError), rolls the session back and raises StaleEdit carrying the conflict
    message; the form keeps what was typed and now carries the current version. Any other DomainError
    passes through."""
    try:
        check(obj, form)
        yield
        db.session.flush()
    except (StaleEdit, StaleDataError) as exc:
        db.session.rollback()
        db.session.refresh(obj)
        raise StaleEdit(conflict_message(obj, form, what=what)) from exc


def report(obj: Any, form, what: str = RECORD) -> None:
    """After StaleEdit or StaleDataError and a rollback: reload the row, put the message on the form."""
    db.session.refresh(obj)
    form.add_error(None, conflict_message(obj, form, what=what))
    form.version.data = obj.version


def conflict_message(obj: Any, form=None, what: str = RECORD) -> str:
    """« Modifié entre-temps par X le … : champ (enregistré : « … » ; votre saisie : « … ») ». Without a
    form (a service given a stale version), the person is asked to reload the page instead."""
    who = last_change(obj)
    head = f"{what} entre-temps"
    if who:
        head += f" par {who[0]} le {local(who[1]):%d/%m/%Y à %H:%M}"  # Paris time
    if form is None:
        return f"{head}. Rien n'a été enregistré : rechargez la page pour partir de la version actuelle."
    form.version.data = obj.version  # the next save, made knowingly, goes through
    differences = []
    for field in form:
        if field.name in SKIPPED_FIELDS or field.type in ("HiddenField", "CSRFTokenField", "SubmitField") \
                or not hasattr(obj, field.name):
            continue
        saved = getattr(obj, field.name)
        if isinstance(field.data, (list, dict)) or isinstance(saved, (list, dict)):
            continue  # multi-valued (check boxes; a zone typed as names, stored as codes): not compared
        saved, typed = _text(saved, field), _text(field.data, field)
        if saved != typed:
            differences.append(f"{field.label.text} (enregistré : « {saved or 'vide'} » ; "
                               f"votre saisie : « {typed or 'vide'} »)")
    if differences:
        return (f"{head}. Ses valeurs diffèrent des vôtres pour : " + " ; ".join(differences)
                + ". Rien n'a été enregistré : vérifiez, puis enregistrez de nouveau pour garder vos valeurs.")
    return f"{head}. Rien n'a été enregistré : vérifiez la fiche, puis enregistrez de nouveau."


def last_change(obj: Any) -> tuple[str, datetime] | None:
    """Who last changed this record and when, from the audit log."""
    row = db.session.execute(
        select(AuditEvent.actor_label, AuditEvent.at)
        .where(AuditEvent.object_type == type(obj).__name__, AuditEvent.object_id == str(obj.id))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(1)).first()
    return (row[0] or "quelqu'un", row[1]) if row else None


def _text(value: Any, field=None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return f"{local(value):%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    text = str(value).strip()
    if not text:
        return ""  # a select's empty option (« Aucun ») is the empty value saved as None
    choices = getattr(field, "choices", None)
    if choices and not isinstance(value, (list, tuple)):
        try:
            labels = {str(c[0]): c[1] for c in choices}
        except (TypeError, IndexError):
            labels = {}
        text = str(labels.get(text, text))
    return text
