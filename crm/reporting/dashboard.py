"""The whole dashboard, or the one section shown: the figures of the areas the user may read (counted by
`crm.reporting.fast`), the areas' tables, and for the staff the territorial equity."""

from dataclasses import dataclass, field
from datetime import date

from crm.followup.models import Hire
from crm.followup.rules import CONTRACT_TYPES as HIRE_CONTRACT_TYPES
from crm.followup.rules import RUPTURE_REASONS
from crm.reporting import fast
from crm.reporting import indicators as ind
from crm.reporting.queries import Figure, Scope, scope_for
from crm.reporting.rules import Filters
from crm.reporting.tables import Table, equity_by_commune, labelled_breakdown, people_breakdowns

# --- the whole dashboard -------------------------------------------------------------------------


@dataclass
class Area:
    key: str
    title: str
    figures: list[Figure]
    tables: list[Table] = field(default_factory=list)

    @property
    def comparison(self) -> Table | None:
        """The area's counts, period against previous period (the area's chart)."""
        rows = [[f.indicator.label, f.value, f.previous] for f in self.figures
                if f.indicator.kind == "count" and f.previous is not None]
        if not rows:
            return None
        return Table(f"{self.key}_comparaison", f"{self.title} : période et période précédente",
                     "Indicateurs de la rubrique, comptés sur la période affichée et sur la période précédente.",
                     ["Indicateur", "Période", "Période précédente"], rows)


@dataclass
class Dashboard:
    filters: Filters
    scope: Scope
    today: date
    areas: list[Area]
    equity: Table | None = None

    @property
    def figures(self) -> dict[str, Figure]:
        return {f.indicator.key: f for a in self.areas for f in a.figures}


EVERYTHING = None  # the report: every figure and every table
SUMMARY, EQUITY = "synthese", "equite"


def dashboard(user, filters: Filters, today: date, section: str | None = EVERYTHING) -> Dashboard:
    """The indicators the user may read, grouped in areas: all of them with every table (the report), or
    only what one section of the page shows (the summary: every figure; an area: its figures and tables;
    the equity: its table). The areas are always listed, for the menu."""
    scope = scope_for(user)
    if not scope.is_staff:
        # An employer's or a partner's view counts few people: no territory or people filters, so that no
        # figure can single out a young person.
        filters = filters.without_people_filters()
    areas: dict[str, Area] = {}
    chosen = []
    for indicator in ind.for_role(scope.role):
        areas.setdefault(indicator.area, Area(indicator.area, ind.AREAS[indicator.area], []))
        if section in (EVERYTHING, SUMMARY, indicator.area):
            chosen.append(indicator)
    counted = fast.figures(chosen, filters, scope, today)
    for indicator in chosen:
        areas[indicator.area].figures.append(counted[indicator.key])

    def wanted(key: str) -> bool:
        return key in areas and section in (EVERYTHING, key)

    if wanted("contrats"):
        areas["contrats"].tables.append(labelled_breakdown(
            "contrats_type", "contrats_signes", Hire.contract_type, HIRE_CONTRACT_TYPES,
            "Contrats signés par type de contrat", filters, scope, today))
    if wanted("maintien"):
        areas["maintien"].tables.append(labelled_breakdown(
            "ruptures_motif", "ruptures", Hire.rupture_reason, RUPTURE_REASONS, "Ruptures par motif", filters,
            scope, today))
    equity = None
    if scope.is_staff:
        if wanted("jeunes"):
            areas["jeunes"].tables.extend(people_breakdowns(filters, scope, today))
        if section in (EVERYTHING, EQUITY):
            equity = equity_by_commune(filters, today)
    return Dashboard(filters, scope, today, list(areas.values()), equity)
