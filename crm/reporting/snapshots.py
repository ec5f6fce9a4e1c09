"""The indicators, counted once and then read for a few minutes, always with the time they were counted.

Counting a section of the dashboard reads every fact of the period (at 50,000 young people, 100,000
positionings and 20,000 hires: about 0.2 s). The same figures asked again (same scope, filters, day and
section) within `INDICATORS_MAX_AGE_MINUTES` (10 by default; 0 counts on every request) are read from the
worker's memory. The page always says when its figures were counted (« Chiffres calculés le 5 déc. 2026 à
9 h 12 »), so nothing older than the facts is shown without its age, and « Recalculer » counts again at once.

The figures are those of `dashboard` itself, kept as they were computed: a kept snapshot is never merged
with newer facts. The key holds the scope (a company's or a partner's view is kept apart from the staff's),
the filters as checked, the day (the periods move at midnight) and the section.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app

from crm.reporting.dashboard import Dashboard, dashboard
from crm.reporting.queries import scope_for
from crm.reporting.rules import Filters
from portal.models import utcnow
from portal.text import is_digits

MAX_KEPT = 256  # snapshots per worker: the least recently read go first
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Snapshot:
    board: Dashboard
    computed_at: datetime  # UTC
    kept: bool  # read from memory (True) or counted for this request (False)


def max_age() -> timedelta:
    text = str(current_app.config.get("INDICATORS_MAX_AGE_MINUTES", "10")).strip()
    return timedelta(minutes=int(text)) if is_digits(text) else timedelta(0)


def _store() -> OrderedDict:
    """This application's snapshots (a test's app does not read another's)."""
    return current_app.extensions.setdefault("indicator_snapshots", OrderedDict())


def board_for(user, filters: Filters, today: date, section: str | None, *, recount: bool = False) -> Snapshot:
    """The dashboard section for the user: kept if counted less than `max_age` ago, else counted now."""
    age = max_age()
    key = (scope_for(user), repr(filters), today, section)
    now = utcnow()
    if age and not recount:
        with _LOCK:
            found = _store().get(key)
            if found is not None and now - found.computed_at < age:
                _store().move_to_end(key)
                return Snapshot(found.board, found.computed_at, kept=True)
    snapshot = Snapshot(dashboard(user, filters, today, section=section), now, kept=False)
    if age:
        with _LOCK:
            store = _store()
            store[key] = snapshot
            store.move_to_end(key)
            while len(store) > MAX_KEPT:
                store.popitem(last=False)
    return snapshot
