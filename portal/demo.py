"""Demo data for the Bassin Thiernois: accounts first, then each capability's rows.

Capabilities register a seeder with `@seeder(order)`; `seed()` runs once (a second run adds nothing). A
seeder of negative order runs before the demo accounts exist: it creates what they belong to (`ctx.company`
for the employer account, `ctx.partner` for the partner account).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import select
from stdnum import luhn

from portal.access import ADMIN, COUNSELLOR, EMPLOYER, PARTNER
from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.background import request_context
from portal.capabilities import installed
from portal.extensions import db
from portal.notifications.services import quiet_console
from portal.referentials.services import ensure_default_territory

DEMO_ACCOUNTS = (
    ("admin@maillage.test", ADMIN, "Claire Vidal (direction)"),
    ("conseiller@maillage.test", COUNSELLOR, "Karim Benali"),
    ("employeur@maillage.test", EMPLOYER, "Sophie Dumas"),
    ("partenaire@maillage.test", PARTNER, "Julien Roche"),
)


@dataclass
class DemoContext:
    users: dict[str, User] = field(default_factory=dict)
    company: Any = None  # the employer account's company (crm.employers)
    partner: Any = None  # the partner account's organisation (crm.partners)


_SEEDERS: list[tuple[int, str, Callable[[DemoContext], None]]] = []


def seeder(order: int) -> Callable:
    """Register a capability's demo seeder; lower orders run first."""

    def decorator(fn: Callable[[DemoContext], None]) -> Callable[[DemoContext], None]:
        if all(f is not fn for _, _, f in _SEEDERS):
            _SEEDERS.append((order, fn.__module__, fn))
        return fn

    return decorator


def make_siret(seed: int, prefix: str = "9") -> str:
    """A valid SIRET (Luhn on the SIREN and on the SIRET, as python-stdnum checks) for demo and test
    rows; the leading 9 keeps clear of real companies' SIREN on purpose."""
    siren_body = f"{prefix}{seed // 1000:07d}"[-8:]
    siren = siren_body + luhn.calc_check_digit(siren_body)
    body = f"{siren}{seed % 1000:03d}1"
    return body + luhn.calc_check_digit(body)


def already_seeded() -> bool:
    return db.session.scalar(select(User.id).where(User.email == DEMO_ACCOUNTS[0][0])) is not None


def seed() -> bool:
    """Create the demo data once; returns False when it was already there. Commits."""
    if not current_app.config.get("ALLOW_DEMO_SEED"):
        raise RuntimeError("Les données de démonstration sont interdites en production.")
    if already_seeded():
        return False
    with request_context(), quiet_console():  # 130-odd e-mails: on the « Courriels envoyés » page, not the console
        _seed()
    return True


def _seed() -> None:
    ensure_default_territory()
    ctx = DemoContext()
    seeders = sorted((s for s in _SEEDERS if installed(s[2])), key=lambda s: (s[0], s[1]))
    for _, _, fn in (s for s in seeders if s[0] < 0):
        fn(ctx)
    db.session.flush()
    password = current_app.config["DEMO_PASSWORD"]
    for email, role, name in DEMO_ACCOUNTS:
        ctx.users[role] = accounts.create_user(
            email=email, password=password, role=role, full_name=name,
            company_id=ctx.company.id if role == EMPLOYER else None,
            partner_id=ctx.partner.id if role == PARTNER else None)
    for _, _, fn in (s for s in seeders if s[0] >= 0):
        fn(ctx)
        db.session.flush()
    db.session.commit()
