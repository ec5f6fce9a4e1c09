"""The dashboard's tables: the people indicators broken down by EPCI, sex, age group, programme, QPV and ZRR,
an indicator by a coded column, and the territorial equity per commune. Counted in the database, grouped."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, distinct, func, select, union

from crm.followup.models import Hire
from crm.matching.models import Positioning
from crm.pmsmp.models import Placement
from crm.reporting import fast
from crm.reporting import indicators as ind
from crm.reporting.queries import Scope, fixed_conditions, grouped, in_period, period_condition
from crm.reporting.rules import AGE_GROUPS, Filters, Period, birth_bounds, rate
from crm.youth.models import YouthProfile
from crm.youth.rules import PROGRAMMES, SEXES
from portal.extensions import db
from portal.referentials.models import Commune, Epci, TerritoryCommune

NOT_GIVEN = "Non renseigné"


# --- breakdowns ----------------------------------------------------------------------------------


@dataclass
class Table:
    """A breakdown: shown as a chart with its data table, and as a sheet block in the report."""

    key: str
    title: str
    definition: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    chart: str = "bar"  # bar | none
    percent_columns: tuple[int, ...] = ()


BREAKDOWN_INDICATORS = ("jeunes_positionnes", "jeunes_proposes", "jeunes_embauches", "sorties_positives",
                        "pmsmp_commencees")


def _age_case(period: Period):
    whens = []
    for key in AGE_GROUPS:
        earliest, latest = birth_bounds(key, period.end)
        whens.append((YouthProfile.birth_date.between(earliest, latest), key))
    return case(*whens, else_="autre")


def _first_upper(text: str) -> str:
    """« La résidence en quartier prioritaire (QPV) »: str.capitalize would lower the acronym."""
    return text[:1].upper() + text[1:]


def _dimensions(filters: Filters) -> list[tuple[str, str, object, dict, bool]]:
    """(key, French title, SQL expression, labels, needs the commune join) of each people breakdown."""
    epci_labels = dict(db.session.execute(select(Epci.siren, Epci.name)).all())
    return [
        ("epci", "par intercommunalité de résidence", Commune.epci_siren, epci_labels, True),
        ("sexe", "par sexe", YouthProfile.sex, SEXES, False),
        ("age", "par tranche d'âge (âge au dernier jour de la période)", _age_case(filters.current),
         {**AGE_GROUPS, "autre": "Plus de 25 ans"}, False),
        ("programme", "par programme d'accompagnement", YouthProfile.programme, PROGRAMMES, False),
        ("qpv", "selon la résidence en quartier prioritaire (QPV)", YouthProfile.qpv,
         {True: "En QPV", False: "Hors QPV"}, False),
        ("zrr", "selon la résidence en zone de revitalisation rurale (ZRR)", YouthProfile.zrr,
         {True: "En ZRR", False: "Hors ZRR"}, False),
    ]


def people_breakdowns(filters: Filters, scope: Scope, today: date) -> list[Table]:
    """The main young-people indicators broken down by EPCI, sex, age group, programme, QPV and ZRR.

    Counted per young person, grouped by all the dimensions at once, then summed per dimension: exact for
    counts of distinct young people too, since a young person has one value of each dimension (the age group
    is reckoned at the period's last day) and so falls in exactly one group.
    """
    chosen = [ind.REGISTRY[k] for k in BREAKDOWN_INDICATORS if scope.role in ind.REGISTRY[k].audiences]
    dimensions = _dimensions(filters)
    counted = fast.by_person(chosen, [expr for _, _, expr, _, _ in dimensions], filters, scope, today)
    combined = [counted[i.key] for i in chosen]
    tables = []
    for position, (key, title, _, labels, _) in enumerate(dimensions):
        counts = []
        for by_group in combined:
            summed: dict = {}
            for group, n in by_group.items():
                summed[group[position]] = summed.get(group[position], 0) + n
            counts.append(summed)
        keys = [k for k in labels if any(k in c for c in counts)]
        keys += sorted({k for c in counts for k in c if k not in labels}, key=lambda k: (k is None, str(k)))
        rows = [[labels.get(k, NOT_GIVEN if k in (None, "") else str(k)), *(c.get(k, 0) for c in counts)]
                for k in keys]
        tables.append(Table(f"jeunes_{key}", f"Jeunes {title}",
                            "Mêmes définitions que les indicateurs correspondants, période affichée.",
                            [_first_upper(title.split(" ", 1)[1]), *(i.label for i in chosen)], rows))
    return tables


def labelled_breakdown(key: str, indicator_key: str, group, labels: dict, title: str, filters: Filters,
                       scope: Scope, today: date) -> Table:
    """One indicator by a coded column (contract type, rupture reason), in the order of the labels."""
    indicator = ind.REGISTRY[indicator_key]
    counts = {code: n for (code,), n in grouped(indicator, [group], filters, scope, today).items()}
    rows = [[label, counts[code]] for code, label in labels.items() if counts.get(code)]
    rows += [[NOT_GIVEN if code in (None, "") else str(code), n] for code, n in counts.items()
             if code not in labels]
    return Table(key, title, indicator.definition, ["Catégorie", indicator.label], rows)


# --- territorial equity --------------------------------------------------------------------------


def equity_by_commune(filters: Filters, today: date) -> Table:
    """Per commune of the territory: population, young people followed, reached in the period, and rates."""
    period = filters.current
    reached = union(
        select(Positioning.youth_id.label("youth_id")).where(in_period(Positioning.created_at, period)),
        select(Hire.youth_id).where(in_period(Hire.start_on, period)),
        select(Placement.youth_id).where(Placement.status.in_(ind.PMSMP_STARTED),
                                         in_period(Placement.start_date, period)),
    ).subquery("reached")
    src = ind.Source(select(YouthProfile.id), place=YouthProfile.commune_code, youth=True)
    people = fixed_conditions(src, filters, Scope("admin")) + [period_condition(src, filters, period)]
    reached_by = dict(db.session.execute(
        select(YouthProfile.commune_code, func.count(distinct(YouthProfile.id)))
        .join(reached, reached.c.youth_id == YouthProfile.id).where(*people)
        .group_by(YouthProfile.commune_code)).all())
    followed_by = dict(db.session.execute(
        select(YouthProfile.commune_code, func.count(YouthProfile.id))
        .where(YouthProfile.archived_at.is_(None), *people).group_by(YouthProfile.commune_code)).all())
    stmt = (select(Commune.insee_code, Commune.name, Epci.name, Commune.population)
            .join(TerritoryCommune, TerritoryCommune.insee_code == Commune.insee_code)
            .outerjoin(Epci, Epci.siren == Commune.epci_siren).order_by(Commune.name))
    if filters.commune:
        stmt = stmt.where(Commune.insee_code == filters.commune)
    elif filters.epci:
        stmt = stmt.where(Commune.epci_siren == filters.epci)
    rows = []
    for code, name, epci_name, population in db.session.execute(stmt).all():
        n_reached, n_followed = reached_by.get(code, 0), followed_by.get(code, 0)
        per_thousand = rate(n_reached * 1000, population)
        rows.append([name, epci_name or "", population, n_followed, n_reached,
                     round(per_thousand, 1) if per_thousand is not None else None,
                     rate(n_reached, n_followed)])
    return Table("equite_communes", "Équité territoriale : jeunes touchés par commune",
                 "Jeunes touchés : jeunes (chacun compté une fois) ayant, dans la période, une mise en relation "
                 "créée, une embauche qui commence ou une PMSMP validée qui commence. Taux pour 1 000 habitants : "
                 "jeunes touchés rapportés à la population municipale de la commune. Part des jeunes suivis : "
                 "jeunes touchés rapportés aux profils de jeunes non archivés domiciliés dans la commune.",
                 ["Commune", "Intercommunalité", "Population", "Jeunes suivis", "Jeunes touchés",
                  "Touchés pour 1 000 habitants", "Part des jeunes suivis touchés"], rows, chart="none",
                 percent_columns=(6,))
