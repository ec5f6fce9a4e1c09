"""Extension points of the company page, task links and company merge.

Later capabilities (offers, PMSMP, hires, charter...) register, at import time of their registration
module (listed in their capability.py):

- `register_timeline(provider)`: `provider(company, viewer) -> list[TimelineItem]`, run once per page
  (one or two queries each, never one per row);
- `register_figures(provider)`: `provider(company) -> list[Figure]`, key figures of the company page;
- `register_task_subject(subject_type, resolver)`: `resolver(ids) -> {id: SubjectLink}` so that
  "mes tâches" can show and link the object a task is about, in one query per type;
- `register_event_outcomes(provider)`: `provider(youth_ids, since) -> list[EventOutcome]`, what followed
  an event for its young participants (positionings, conventions, hires dated on or after `since`), run
  once per event page (one query each);
- `register_merge(handler)`: `handler(source, target, actor)` run when two companies are merged,
  before every remaining column referencing `company.id` is moved generically (use it for rows whose
  unique constraints need care, e.g. one signature per company).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from portal.capabilities import installed


@dataclass(frozen=True)
class TimelineItem:
    on: date
    kind: str  # French label shown as a badge: "Visite", "Offre", "PMSMP"...
    title: str
    detail: str | None = None
    url: str | None = None
    tone: str = "neutral"  # badge tone: neutral, info, success, warning, danger


@dataclass(frozen=True)
class Figure:
    label: str
    value: int | str
    url: str | None = None


@dataclass(frozen=True)
class SubjectLink:
    label: str
    url: str | None = None


@dataclass(frozen=True)
class EventOutcome:
    """Something that followed an event for one of its young participants."""

    youth_id: int
    on: date
    kind: str  # French label shown as a badge: "Mise en relation", "PMSMP", "Embauche"
    title: str
    url: str | None = None
    tone: str = "neutral"


_TIMELINE: list[Callable[[Any, Any], list[TimelineItem]]] = []
_FIGURES: list[Callable[[Any], list[Figure]]] = []
_SUBJECTS: dict[str, Callable[[list[int]], dict[int, SubjectLink]]] = {}
_MERGE: list[Callable[[Any, Any, Any], None]] = []
_EVENT_OUTCOMES: list[Callable[[list[int], date], list[EventOutcome]]] = []


def day_of(value: datetime | date | None) -> date:
    """The day a timeline item is shown on: a moment's date, a day as is, today when unknown."""
    return value.date() if isinstance(value, datetime) else (value or date.today())


def _installed(registry: list) -> list:
    """The providers of the capabilities the app is built with (portal/capabilities.py)."""
    return [fn for fn in registry if installed(fn)]


def _add(registry: list, fn: Callable) -> Callable:
    if all(f is not fn for f in registry):
        registry.append(fn)
    return fn


def register_timeline(provider: Callable[[Any, Any], list[TimelineItem]]) -> Callable:
    """Add items to every company's timeline (usable as a decorator)."""
    return _add(_TIMELINE, provider)


def register_figures(provider: Callable[[Any], list[Figure]]) -> Callable:
    """Add key figures to every company page (usable as a decorator)."""
    return _add(_FIGURES, provider)


def register_task_subject(subject_type: str, resolver: Callable[[list[int]], dict[int, SubjectLink]]) -> None:
    """Tell "mes tâches" how to name and link tasks whose subject_type is `subject_type`."""
    _SUBJECTS[subject_type] = resolver


def register_merge(handler: Callable[[Any, Any, Any], None]) -> Callable:
    """Run `handler(source, target, actor)` when `source` is merged into `target` (usable as a decorator)."""
    return _add(_MERGE, handler)


def register_event_outcomes(provider: Callable[[list[int], date], list[EventOutcome]]) -> Callable:
    """Tell the event page what followed for its young participants (usable as a decorator)."""
    return _add(_EVENT_OUTCOMES, provider)


def event_outcomes(youth_ids: list[int], since: date) -> dict[int, list[EventOutcome]]:
    """Every provider's outcomes for these young people since `since`, by young person, oldest first."""
    by_youth: dict[int, list[EventOutcome]] = {i: [] for i in youth_ids}
    if youth_ids:
        for provider in _installed(_EVENT_OUTCOMES):
            for outcome in provider(youth_ids, since):
                by_youth.setdefault(outcome.youth_id, []).append(outcome)
    for outcomes in by_youth.values():
        outcomes.sort(key=lambda o: o.on)
    return by_youth


def timeline_items(company, viewer) -> list[TimelineItem]:
    """Every provider's items, most recent first."""
    items: list[TimelineItem] = []
    for provider in _installed(_TIMELINE):
        items.extend(provider(company, viewer))
    return sorted(items, key=lambda i: i.on, reverse=True)


def figures(company) -> list[Figure]:
    result: list[Figure] = []
    for provider in _installed(_FIGURES):
        result.extend(provider(company))
    return result


def subject_links(pairs: list[tuple[str | None, int | None]]) -> dict[tuple[str, int], SubjectLink]:
    """Resolve (subject_type, subject_id) pairs into labels and links, one resolver call per type."""
    by_type: dict[str, set[int]] = {}
    for subject_type, subject_id in pairs:
        if subject_type and subject_id is not None:
            by_type.setdefault(subject_type, set()).add(subject_id)
    links: dict[tuple[str, int], SubjectLink] = {}
    for subject_type, ids in by_type.items():
        resolver = _SUBJECTS.get(subject_type)
        if resolver is None or not installed(resolver):
            continue
        for subject_id, link in resolver(sorted(ids)).items():
            links[(subject_type, subject_id)] = link
    return links


def merge_handlers() -> list[Callable[[Any, Any, Any], None]]:
    return _installed(_MERGE)


@dataclass(frozen=True)
class CompanyFlag:
    """A yes/no filter of the company list provided by another capability."""

    label: str
    clause: Callable[[], Any]  # () -> SQL condition on Company, e.g. Company.id.in_(select(...))


_FLAGS: dict[str, CompanyFlag] = {}


def register_company_flag(key: str, label: str, clause: Callable[[], Any]) -> None:
    """Add a yes/no filter to the company list; e.g. the charter registers
    `register_company_flag("charte", "Signataire de la charte", lambda: Company.id.in_(...))`.
    The filter is shown only once registered."""
    _FLAGS[key] = CompanyFlag(label, clause)


def company_flags() -> dict[str, CompanyFlag]:
    return {key: flag for key, flag in _FLAGS.items() if installed(flag.clause)}
