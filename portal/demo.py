"""Demo data for the Bassin Thiernois: accounts first, then each capability's rows.

Capabilities register a seeder with `@seeder(order)`; `seed()` runs once (a second run adds nothing).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select
from stdnum import luhn

from crm.employers.models import Company
from crm.partners.models import PartnerOrganisation
from portal.access import ADMIN, COUNSELLOR, EMPLOYER, PARTNER
from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.background import request_context
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
    company: Company | None = None
    partner: PartnerOrganisation | None = None


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
    ctx.company = Company(
        name="Coutellerie Dumas & Fils", siret=make_siret(1), naf_code="25.71Z", headcount_bracket="10-49",
        address="12 rue de la Coutellerie", postal_code="63300", commune_code="63430",
        phone="04 73 80 12 34", email="contact@coutellerie-dumas.test", stage="partenaire_actif",
        in_tension=True, accepts_pmsmp=True, accepts_apprentices=True, source="Salon de la coutellerie",
        description="Fabrication de couteaux de table et de poche depuis 1952, à Thiers.",
    )
    ctx.partner = PartnerOrganisation(
        name="Mobilité Solidaire Livradois-Forez", kind="mobilite", address="5 place de la Gare",
        postal_code="63300", commune_code="63430", phone="04 73 51 00 00", email="contact@mobilite-lf.test",
    )
    db.session.add_all([ctx.company, ctx.partner])
    db.session.flush()
    password = current_app.config["DEMO_PASSWORD"]
    for email, role, name in DEMO_ACCOUNTS:
        ctx.users[role] = accounts.create_user(
            email=email, password=password, role=role, full_name=name,
            company_id=ctx.company.id if role == EMPLOYER else None,
            partner_id=ctx.partner.id if role == PARTNER else None)
    ctx.company.owner_id = ctx.users[COUNSELLOR].id
    ctx.partner.referent_id = ctx.users[COUNSELLOR].id
    db.session.flush()
    for _, _, fn in sorted(_SEEDERS, key=lambda s: (s[0], s[1])):
        fn(ctx)
        db.session.flush()
    db.session.commit()
