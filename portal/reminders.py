"""The one reminders command (`flask reminders run`, meant for cron): every capability registers its
jobs here (due tasks, check-ins, signatures, expiring conventions, stale services, charter renewals)."""

from collections.abc import Callable
from datetime import date

from flask import current_app

from portal.background import request_context
from portal.capabilities import installed
from portal.extensions import db

_JOBS: list[tuple[str, Callable[[date], str]]] = []


def job(name: str) -> Callable:
    """Register a reminder job: a function of today's date returning a one-line French report."""

    def decorator(fn: Callable[[date], str]) -> Callable[[date], str]:
        if all(n != name for n, _ in _JOBS):
            _JOBS.append((name, fn))
        return fn

    return decorator


def run_all(today: date) -> list[tuple[str, str]]:
    """Run every job in its own transaction; a failing job is reported and does not stop the others."""
    report = []
    for name, fn in _JOBS:
        if not installed(fn):
            continue
        try:
            with request_context():
                summary = fn(today)
            db.session.commit()
        except Exception as exc:  # noqa: BLE001 - one broken job must not block the others
            db.session.rollback()
            current_app.logger.exception("Rappel %s en échec", name)
            summary = f"ÉCHEC : {exc}"
        report.append((name, summary))
    return report
