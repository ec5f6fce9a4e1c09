"""What a role's home page shows, contributed by the capabilities (the shell knows none of them).

Two kinds of contribution:

- a **to-do** (`@todo(roles)`, `fn(user, today) -> Todo | None`): something the person has to do, counted,
  with its first rows each linking to where it is done. `from_query` builds one from a scoped `Select`, so
  that the count and the rows come from the same query as the list the to-do opens (one source);
- a **widget** (`@register(roles)`, `fn(user, today) -> Widget | None`): figures to read (the month's
  indicators, the last retention report).

The home lists the to-dos that have something to do, most urgent first, then the ones that are done,
each with what to do next.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import Select, func

from portal.capabilities import installed
from portal.extensions import db

# urgency of a to-do, most urgent first
OVERDUE, TODAY, WAITING, SOON, LATER = 0, 10, 20, 30, 40
ROWS_SHOWN = 5


@dataclass
class Figure:
    value: int
    label: str
    url: str | None = None
    tone: str = "neutral"  # "danger" draws attention (overdue), shown with words, never colour alone


@dataclass
class Widget:
    title: str
    figures: list[Figure] = field(default_factory=list)
    link: tuple[str, str] | None = None  # (label, url)
    order: int = 100
    lines: list[str] = field(default_factory=list)


@dataclass
class Row:
    """One thing to do, linking to the page where it is done."""

    label: str
    url: str
    detail: str = ""
    late: bool = False


@dataclass
class Todo:
    """A to-do of the home: `count` things to do, the first `rows`, and what to do when there is none."""

    key: str
    title: str
    count: int
    rows: list[Row] = field(default_factory=list)
    urgency: int = LATER
    link: tuple[str, str] | None = None  # (label, url) of the whole list
    empty: str = ""  # what to do next when there is nothing to do
    empty_link: tuple[str, str] | None = None

    @property
    def more(self) -> int:
        return max(self.count - len(self.rows), 0)


def first_and_count(stmt: Select, limit: int = ROWS_SHOWN) -> tuple[list, int]:
    """The first `limit` objects of a list's query, in its order, and the number of all its rows, in one
    round trip: each row carries the count of the whole result (a window computed before the LIMIT). The
    query must not be DISTINCT (the window would count the rows before DISTINCT drops any)."""
    results = db.session.execute(stmt.add_columns(func.count().over()).limit(limit)).all()
    return [result[0] for result in results], (results[0][-1] if results else 0)


def from_query(stmt: Select, row: Callable[..., Row], **todo) -> Todo:
    """A to-do counted and listed from the same scoped query (its first rows, in the query's order)."""
    objects, count = first_and_count(stmt)
    return Todo(count=count, rows=[row(obj) for obj in objects], **todo)


_PROVIDERS: list[tuple[tuple[str, ...], Callable]] = []
_TODOS: list[tuple[tuple[str, ...], Callable]] = []


def _add(registry: list, roles: tuple[str, ...]) -> Callable:
    def decorator(fn: Callable) -> Callable:
        if all(f.__qualname__ != fn.__qualname__ or f.__module__ != fn.__module__ for _, f in registry):
            registry.append((roles, fn))
        return fn

    return decorator


def register(roles: tuple[str, ...]) -> Callable:
    """Register a home widget provider for these roles."""
    return _add(_PROVIDERS, roles)


def todo(roles: tuple[str, ...]) -> Callable:
    """Register a home to-do provider for these roles."""
    return _add(_TODOS, roles)


def _collect(registry, user, today: date) -> list:
    """What the user's role gets; a failing provider is logged and left out, never a broken home."""
    result = []
    for roles, fn in registry:
        if user.role not in roles or not installed(fn):
            continue
        try:
            with db.session.begin_nested():  # a failed query must not abort the page's transaction
                item = fn(user, today)
        except Exception:  # noqa: BLE001 - the home page must open whatever one capability does
            current_app.logger.exception("Élément d'accueil en échec : %s", fn.__qualname__)
            continue
        if item is not None:
            result.append(item)
    return result


def widgets_for(user, today: date) -> list[Widget]:
    """The widgets of the user's role, in their order."""
    return sorted(_collect(_PROVIDERS, user, today), key=lambda w: w.order)


def todos_for(user, today: date) -> tuple[list[Todo], list[Todo]]:
    """(to do, most urgent first then the largest; done, with what to do next) for the user's role."""
    todos = _collect(_TODOS, user, today)
    pending = sorted((t for t in todos if t.count), key=lambda t: (t.urgency, -t.count, t.title))
    done = sorted((t for t in todos if not t.count), key=lambda t: (t.urgency, t.title))
    return pending, done
