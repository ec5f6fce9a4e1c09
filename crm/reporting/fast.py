"""The dashboard's figures in a few queries: the indicators that count the same rows (same tables, same joins,
same filters) are counted together, in one pass over those rows, each by its own conditional aggregates; a
join is made only when a filter or the scope reads the joined table.

`queries.compute` stays the plain reference (one query per indicator, every join): the property test
(tests/crm/reporting/test_fast_property.py) holds the two equal on random facts, edits and erasures.

Distinct counts (young people, companies) are taken in two steps: the rows grouped by the counted column,
with one flag per aggregate, then the flags summed. PostgreSQL hashes the groups once where each
COUNT(DISTINCT …) would sort every row again.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, func, or_, select, true

from crm.reporting import indicators as ind
from crm.reporting.queries import (
    Figure,
    Scope,
    compute,
    fixed_conditions,
    in_period,
    people_conditions,
    period_condition,
    scope_conditions,
)
from crm.reporting.rules import Filters, birth_bounds, rate
from crm.youth.models import YouthProfile
from portal.extensions import db
from portal.referentials.models import Commune


def needs(src: ind.Source, filters: Filters, scope: Scope) -> set[str]:
    """The lazy joins that the filters and the scope read."""
    wanted = set()
    if src.youth and (filters.youth_filters or filters.commune or filters.epci):
        wanted.add(ind.PEOPLE)
    if filters.commune or filters.epci:
        wanted.add(ind.PLACE)
    if scope.company_id is not None:
        wanted.add(ind.COMPANY)
    return wanted


@dataclass
class _Member:
    indicator: ind.Indicator
    src: ind.Source
    periods: tuple
    columns: list[str] = field(default_factory=list)  # labels of its aggregates, in Figure order


@dataclass
class _Family:
    froms: list
    fixed: list
    counted: object = None
    members: list[_Member] = field(default_factory=list)


def figures(indicators: list[ind.Indicator], filters: Filters, scope: Scope, today: date) -> dict[str, Figure]:
    """{key: Figure} of `indicators`, equal to `compute` for each, in one query per family of rows."""
    ctx = ind.Context(today)
    families: dict[tuple, _Family] = {}
    result: dict[str, Figure] = {}
    for indicator in indicators:
        src = indicator.source(ctx)
        if indicator.kind == "median":
            result[indicator.key] = compute(indicator, filters, scope, today)
            continue
        froms = src.narrow(needs(src, filters, scope)).get_final_froms()
        fixed = fixed_conditions(src, filters, scope)
        key = (tuple(str(f) for f in froms), str(and_(true(), *fixed)),
               str(src.counted) if src.counted is not None else None)
        family = families.setdefault(key, _Family(froms, fixed, src.counted))
        periodic = src.on is not None
        family.members.append(_Member(indicator, src, (filters.current, filters.previous) if periodic else (None,)))
    # Row counts join the family of their rows that counts distinct values, when there is one.
    for key, family in list(families.items()):
        if family.counted is None:
            host = next((f for k, f in families.items() if k[:2] == key[:2] and f.counted is not None), None)
            if host is not None:
                host.members.extend(family.members)
                del families[key]
    for family in families.values():
        result.update(_count_family(family, filters))
    return result


def _own(src: ind.Source):
    return src.stmt.whereclause if src.stmt.whereclause is not None else true()


def _count_family(family: _Family, filters: Filters) -> dict[str, Figure]:
    columns, rows_read = [], []
    for m_index, member in enumerate(family.members):
        src = member.src
        own = _own(src)
        if src.on is not None:
            rows_read.append(and_(own, or_(*(in_period(src.on, p) for p in member.periods))))
        else:
            rows_read.append(own)
        for p_index, period in enumerate(member.periods):
            cond = and_(own, period_condition(src, filters, period))
            label = f"m{m_index}_{p_index}"
            if member.indicator.is_rate:
                cond = and_(cond, src.whole)
                columns += [(f"{label}_w", cond, False), (f"{label}_p", and_(cond, src.part), False)]
                member.columns += [f"{label}_w", f"{label}_p"]
            else:
                columns.append((label, cond, src.counted is not None))
                member.columns.append(label)
    values = _run(family, columns, rows_read)
    figures = {}
    for member in family.members:
        applies = member.src.youth or not filters.youth_filters
        periodic = member.src.on is not None
        got = [values[c] for c in member.columns]
        if member.indicator.is_rate:
            whole, part = got[0], got[1]
            prev_whole, prev_part = (got[2], got[3]) if periodic else (None, None)
            figures[member.indicator.key] = Figure(
                member.indicator, rate(part, whole), rate(prev_part, prev_whole), part, whole, prev_part, prev_whole,
                applies=applies, periodic=periodic)
        else:
            figures[member.indicator.key] = Figure(member.indicator, got[0], got[1] if periodic else None,
                                                   applies=applies, periodic=periodic)
    return figures


def _run(family: _Family, columns: list[tuple[str, object, bool]], rows_read: list) -> dict[str, int]:
    where = [*family.fixed, or_(*rows_read)]
    if family.counted is None:
        stmt = select(*(func.count(case((cond, 1))).label(label) for label, cond, _ in columns)) \
            .select_from(*family.froms).where(*where)
        row = db.session.execute(stmt).one()
        return {label: row[i] or 0 for i, (label, _, _) in enumerate(columns)}
    inner = []
    for label, cond, distinct in columns:
        inner.append((func.max(case((cond, 1), else_=0)) if distinct else func.count(case((cond, 1)))).label(label))
    grouped = (select(family.counted.label("counted_key"), *inner).select_from(*family.froms).where(*where)
               .group_by(family.counted).subquery("counted_rows"))
    outer = []
    for label, _, distinct in columns:
        column = grouped.c[label]
        if distinct:  # COUNT(DISTINCT …) leaves out NULL: so does this
            column = case((grouped.c.counted_key.is_not(None), column), else_=0)
        outer.append(func.coalesce(func.sum(column), 0).label(label))
    row = db.session.execute(select(*outer)).one()
    return {label: int(row[i]) for i, (label, _, _) in enumerate(columns)}


def by_person(indicators: list[ind.Indicator], groups: list, filters: Filters, scope: Scope,
              today: date) -> dict[str, dict[tuple, int]]:
    """{key: {(value of each group expression): count}} of young people's indicators over the current period,
    equal to `queries.grouped` with the commune joined: the rows are first counted per young person (the
    indicators over the same rows together), then each person's profile and commune are read once, filtered
    and grouped. Exact, since the groups and the people filters are the person's own."""
    ctx = ind.Context(today)
    families: dict[tuple, tuple] = {}
    for indicator in indicators:
        src = indicator.source(ctx)
        if src.person is None or (src.counted is not None and str(src.counted) != str(src.person)):
            raise ValueError(f"{indicator.key} : pas un indicateur compté par jeune")
        froms = src.narrow({ind.COMPANY} if scope.company_id is not None else set()).get_final_froms()
        key = (tuple(str(f) for f in froms), str(src.person), str(and_(true(), *scope_conditions(src, scope))))
        families.setdefault(key, (froms, src, []))[2].append((indicator, src))
    labelled = [expr.label(f"group_{i}") for i, expr in enumerate(groups)]
    result: dict[str, dict[tuple, int]] = {}
    for froms, first, members in families.values():
        columns, reads = [], []
        for n, (_indicator, src) in enumerate(members):
            cond = and_(_own(src), in_period(src.on, filters.current))
            reads.append(cond)
            flag = func.max(case((cond, 1), else_=0)) if src.counted is not None else func.count(case((cond, 1)))
            columns.append(flag.label(f"m{n}"))
        per_person = (select(first.person.label("person_id"), *columns).select_from(*froms)
                      .where(*scope_conditions(first, scope), or_(*reads)).group_by(first.person)
                      .subquery("per_person"))
        people = people_conditions(first, filters)
        if filters.age:
            earliest, latest = birth_bounds(filters.age, filters.current.end)
            people.append(YouthProfile.birth_date.between(earliest, latest))
        stmt = (select(*labelled, *(func.sum(per_person.c[f"m{n}"]) for n in range(len(members))))
                .select_from(per_person).join(YouthProfile, YouthProfile.id == per_person.c.person_id)
                .join(Commune, Commune.insee_code == YouthProfile.commune_code).where(*people).group_by(*groups))
        counts = [dict() for _ in members]
        for row in db.session.execute(stmt).all():
            for n in range(len(members)):
                if row[len(groups) + n]:
                    counts[n][tuple(row[:len(groups)])] = int(row[len(groups) + n])
        for n, (indicator, _src) in enumerate(members):
            result[indicator.key] = counts[n]
    return result
