"""Sections that one capability adds to another's page.

A young person's page shows their positionings, PMSMP conventions and hires; an offer's page its
candidates; a partner's page its services in the directory. The page's own capability knows nothing of
those: each higher capability registers a `Section` for the page (from a module listed in its
`capability.py`), and the page's view asks `contributions(page, user, obj)` for the templates to include
and the variables they read. A capability left out of the app contributes nothing (`installed`).

    # crm/pmsmp/pages.py
    @pages.section("youth.detail", "crm/pmsmp/_youth_placements.html", order=20)
    def youth_placements(user, youth):
        return {"youth_placements": queries.placements_of_youth(youth.id, user)}

    # crm/youth/views.py
    templates, context = pages.contributions("youth.detail", current_user, youth)
    render_template("crm/youth/detail.html", youth=youth, sections=templates, **context)

    {# templates/crm/youth/detail.html #}
    {% for section in sections %}{% include section %}{% endfor %}
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from portal.capabilities import installed


@dataclass(frozen=True)
class Section:
    page: str  # "youth.detail": the page's blueprint and view, by convention
    template: str  # included by the page, with the page's variables and those `context` returns
    context: Callable[[Any, Any], dict | None]  # (user, the page's object) -> the template's variables, or
    # None when this user is not shown the section
    order: int = 100  # sections are shown by increasing order


_SECTIONS: list[Section] = []


def section(page: str, template: str, order: int = 100):
    """Register the decorated `(user, obj) -> dict | None` as a section of `page` (None: not for this user)."""
    def register(fn: Callable[[Any, Any], dict | None]):
        if not any(s.page == page and s.template == template for s in _SECTIONS):
            _SECTIONS.append(Section(page, template, fn, order))
        return fn
    return register


def contributions(page: str, user, obj) -> tuple[list[str], dict]:
    """The templates of the sections of `page` from the app's capabilities, in order, and their variables."""
    templates, context = [], {}
    for s in sorted((s for s in _SECTIONS if s.page == page and installed(s.context)), key=lambda s: s.order):
        variables = s.context(user, obj)
        if variables is not None:
            templates.append(s.template)
            context.update(variables)
    return templates, context
