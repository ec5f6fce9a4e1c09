"""SQL helpers shared by the indicators: whole days between two dates, the same on PostgreSQL and SQLite."""

from sqlalchemy import Date, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class days_between(FunctionElement):  # noqa: N801 - reads as a SQL function
    """Whole days from `start` to `end` (dates or timestamps, the time of day ignored)."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between_default(element, compiler, **kw):
    end, start = list(element.clauses)
    return f"(CAST({compiler.process(end, **kw)} AS DATE) - CAST({compiler.process(start, **kw)} AS DATE))"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    end, start = list(element.clauses)
    return (f"CAST(julianday(date({compiler.process(end, **kw)})) - "
            f"julianday(date({compiler.process(start, **kw)})) AS INTEGER)")


class day_of(FunctionElement):  # noqa: N801 - reads as a SQL function
    """The day of a timestamp, as a date (so that dates and timestamps can share a UNION column)."""

    type = Date()
    inherit_cache = True
    name = "day_of"


@compiles(day_of)
def _day_of_default(element, compiler, **kw):
    (value,) = list(element.clauses)
    return f"CAST({compiler.process(value, **kw)} AS DATE)"


@compiles(day_of, "sqlite")
def _day_of_sqlite(element, compiler, **kw):
    (value,) = list(element.clauses)
    return f"date({compiler.process(value, **kw)})"
