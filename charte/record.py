"""The living record of each signatory, computed from the CRM.

Other capabilities register counters at import time of their registration module:

    from charte.record import register_counter
    register_counter("pmsmp_hosted", "Jeunes accueillis en PMSMP", count_hosted, commitments=("accueillir_pmsmp",))

A counter is `fn(company_ids, since) -> {company_id: count}` (one query for all the companies, `since`
None for all time); `commitments` lists the commitment codes it documents, so that the record is shown
beside the commitment the company chose. Registering the same key again replaces the counter, so the
capability that owns the data can take over a default one.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from portal.capabilities import installed

CounterFn = Callable[[list[int], date | None], dict[int, int]]

# The record the charter shows, in this order; a key with no counter registered is shown as not available.
EXPECTED = (
    ("pmsmp_hosted", "PMSMP accueillies"),
    ("offers_posted", "Offres transmises"),
    ("hires", "Recrutements"),
    ("events_attended", "Forums et job datings"),
    ("apprentices", "Apprentis accueillis"),
)


@dataclass(frozen=True)
class Counter:
    key: str
    label: str
    fn: CounterFn
    commitments: tuple[str, ...] = ()
    source: str | None = None  # the capability holding the data; None: the one registering it


@dataclass(frozen=True)
class RecordLine:
    key: str
    label: str
    value: int | None  # None: the capability that holds this figure is not available
    commitments: tuple[str, ...] = ()

    @property
    def available(self) -> bool:
        return self.value is not None


_COUNTERS: dict[str, Counter] = {}


def register_counter(key: str, label: str, fn: CounterFn, commitments: tuple[str, ...] = (),
                     source: str | None = None) -> None:
    """Add (or replace) a figure of the living record, read from the capability `source` (by default the
    one `fn` belongs to)."""
    _COUNTERS[key] = Counter(key, label, fn, tuple(commitments), source)


def counters() -> dict[str, Counter]:
    """The counters of the capabilities the app is built with."""
    return {key: c for key, c in _COUNTERS.items() if installed(c.source or c.fn)}


def records(company_ids: list[int], since: date | None = None) -> dict[int, list[RecordLine]]:
    """Each company's record: one query per registered counter, whatever the number of companies."""
    ids = sorted(set(company_ids))
    registered = counters()
    values = {key: (counter.fn(ids, since) if ids else {}) for key, counter in registered.items()}
    expected_keys = [key for key, _ in EXPECTED]
    extra = [key for key in registered if key not in expected_keys]
    result: dict[int, list[RecordLine]] = {}
    for company_id in ids:
        lines = []
        for key, label in list(EXPECTED) + [(k, registered[k].label) for k in extra]:
            counter = registered.get(key)
            if counter is None:
                lines.append(RecordLine(key, label, None))
            else:
                lines.append(RecordLine(key, counter.label, values[key].get(company_id, 0), counter.commitments))
        result[company_id] = lines
    return result
