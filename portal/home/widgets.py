"""Figures on a role's home page, contributed by the capabilities (the shell knows none of them).

A provider is `fn(user, today) -> Widget | None`; the home page shows the widgets of the user's role.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask import current_app


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


_PROVIDERS: list[tuple[tuple[str, ...], Callable]] = []


def register(roles: tuple[str, ...]) -> Callable:
    """Register a home widget provider for these roles."""

    def decorator(fn: Callable) -> Callable:
        if all(f is not fn for _, f in _PROVIDERS):
            _PROVIDERS.append((roles, fn))
        return fn

    return decorator


def widgets_for(user, today: date) -> list[Widget]:
    """The widgets of the user's role; a failing provider is logged and left out, never a broken home."""
    result = []
    for roles, fn in _PROVIDERS:
        if user.role not in roles:
            continue
        try:
            widget = fn(user, today)
        except Exception:  # noqa: BLE001 - the home page must open whatever one capability does
            current_app.logger.exception("Widget d'accueil en échec : %s", fn.__qualname__)
            continue
        if widget is not None:
            result.append(widget)
    return sorted(result, key=lambda w: w.order)
