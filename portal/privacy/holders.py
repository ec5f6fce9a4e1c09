"""What each capability holds about a young person, registered from its capability.py: the DPO's page, the
subject access export, the erasure and the retention go through what is registered here and import no
capability. The capability holding the profiles registers the `Person`; each capability holding rows about
them registers a `Holder`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from portal.capabilities import installed

Sheet = tuple[str, list, type]  # (sheet title, rows, model): one sheet of the export


class Found:
    """Everything held about one young person, loaded once (export, erasure, the DPO's page). Each holder
    puts its rows on it under its own names (`found.positionings`, `found.placements`...); `events` are the
    audit events about the person and their objects."""

    def __init__(self, youth):
        self.youth = youth
        self.events: list = []
        self.task_ids: list[int] = []  # tasks about the person that do not name them as their subject

    def subjects(self) -> list[tuple[str, list[int]]]:
        """(object type, ids) of every object about the young person (audit events and tasks point at them)."""
        found = [(type(self.youth).__name__, [self.youth.id])]
        for holder in holders():
            if holder.subjects is not None:
                found += holder.subjects(self)
        return found


@dataclass(frozen=True)
class Person:
    """The profiles: their model (with `id`, `updated_at`), and the DPO's search."""

    model: type
    search: Callable[[str, int], list]  # (term, limit) -> profiles


@dataclass(frozen=True)
class Holder:
    """One capability's rows about a young person. Holders run in `order` to load and to export, in the
    reverse order to erase (the rows pointing at the person before the person)."""

    name: str
    order: int
    load: Callable[[Found], None] | None = None  # put its rows on `found`
    subjects: Callable[[Found], list[tuple[str, list[int]]]] | None = None  # its objects about the person
    load_linked: Callable[[Found], None] | None = None  # rows found through every holder's subjects (tasks)
    counts: Callable[[Found], dict[str, int]] | None = None  # how many rows, for the erasure's audit event
    sheets: Callable[[Found], list[Sheet]] | None = None  # its sheets of the subject access export
    identifiers: Callable[[Found], tuple[Iterable[str], Iterable[str]]] | None = None  # (texts naming them, e-mails)
    erase: Callable[[Found, list[str]], None] | None = None  # anonymise its rows; the texts naming the person
    recent: Callable[[datetime], Any] | None = None  # SQL condition: activity since (on the profile's id)
    stamps: Callable[[Found], Iterable[datetime | None]] | None = None  # dates of its rows' last activity


_PERSON: list[Person] = []
_HOLDERS: dict[str, Holder] = {}


def register_person(person: Person) -> None:
    """Declare the profiles the privacy tools are about."""
    _PERSON[:] = [person]


def person() -> Person:
    """The registered profiles (a capability of every app: the privacy room needs it)."""
    return _PERSON[0]


def register(holder: Holder) -> None:
    """Add (or replace) a capability's holder."""
    _HOLDERS[holder.name] = holder


def holders() -> list[Holder]:
    """The holders of the app's capabilities, in their order."""
    return sorted((h for h in _HOLDERS.values() if installed(h.name)), key=lambda h: h.order)
