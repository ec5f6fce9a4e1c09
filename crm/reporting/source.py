"""What an indicator is: the rows it counts (`Source`), its French label and definition, who may read it,
and the registry that `crm.reporting.indicators` fills, one decorated function per indicator."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select

from portal.access import ADMIN, COUNSELLOR
from portal.capabilities import installed

STAFF = frozenset({ADMIN, COUNSELLOR})
# the lazy joins: the young person's profile, the employer scope, the table holding the commune of the row
PEOPLE, COMPANY, PLACE = "people", "company", "place"


@dataclass(frozen=True)
class Context:
    """What a computation needs beside the filters: today's date (snapshots, retention horizons)."""

    today: date


@dataclass(frozen=True)
class Source:
    """The rows an indicator counts.

    - `stmt`: a select with its joins and fixed conditions (its columns are replaced);
    - `on`: the date or timestamp that places a row in a period; None for a snapshot taken today;
    - `counted`: the column counted once per distinct value (young person, company); None counts rows;
    - `place`: the INSEE code of the commune that places the row on the territory (EPCI and commune filters);
    - `youth`: the young person's profile is joined, so that sex, age, programme, QPV and ZRR filters apply;
    - `company` / `partner`: the columns that scope the rows to an employer / a partner organisation;
    - `whole` / `part`: for a rate, the condition of the denominator and of the numerator (within `whole`);
    - `value`: for a median, the number of which the median is taken;
    - `person`: for the young people's indicators, the young person's id (the breakdowns count per person,
      then read each person's commune and characteristics once);
    - `joins`: (table, on clause, what needs it) joined after `stmt`; `full` always joins them (the plain
      reference count), `narrow` only when a filter or the scope reads that table ("people": the young
      person's commune and characteristics; "company": the employer scope; "place": the row's commune).
    """

    stmt: Select
    on: Any = None
    counted: Any = None
    place: Any = None
    youth: bool = False
    company: Any = None
    partner: Any = None
    whole: Any = None
    part: Any = None
    value: Any = None
    person: Any = None
    joins: tuple = ()

    @property
    def full(self) -> Select:
        """The rows with every join: the statement the reference count reads."""
        return self.narrow({need for _target, _on, need in self.joins})

    def narrow(self, needs: set[str]) -> Select:
        """The rows with the joins that `needs` asks for only (each join follows a non-null foreign key, so
        leaving it out changes no count)."""
        stmt = self.stmt
        for target, onclause, need in self.joins:
            if need in needs:
                stmt = stmt.join(target, onclause)
        return stmt


@dataclass(frozen=True)
class Indicator:
    key: str
    area: str
    label: str
    definition: str
    source: Callable[[Context], Source]
    kind: str = "count"  # count | rate | median
    audiences: frozenset = STAFF
    unit: str = ""
    capability: str | None = None  # the capability whose rows it counts, when not always there (the charter)

    @property
    def is_rate(self) -> bool:
        return self.kind == "rate"


REGISTRY: dict[str, Indicator] = {}


def indicator(key: str, area: str, label: str, definition: str, *, kind: str = "count",
              audiences: frozenset = STAFF, unit: str = "", capability: str | None = None) -> Callable:
    """Register the function that returns an indicator's `Source`; an app built without `capability` leaves
    the indicator out."""

    def decorator(fn: Callable[[Context], Source]) -> Callable[[Context], Source]:
        if key in REGISTRY:
            raise ValueError(f"indicateur déjà déclaré : {key}")
        REGISTRY[key] = Indicator(key, area, label, definition, fn, kind, audiences, unit, capability)
        return fn

    return decorator


def for_role(role: str) -> list[Indicator]:
    """The indicators a role may read, in the order of the registry (those of the app's capabilities)."""
    return [i for i in REGISTRY.values() if role in i.audiences and installed(i.capability or i.source)]
