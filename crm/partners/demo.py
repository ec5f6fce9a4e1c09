"""Demo data: the organisation of the demo partner account (the other partners come with the directory's
demo data, crm/directory/demo.py)."""

from crm.partners.models import PartnerOrganisation
from portal.access import COUNSELLOR
from portal.demo import DemoContext, seeder
from portal.extensions import db


@seeder(-10)
def seed_demo_partner(ctx: DemoContext) -> None:
    """The organisation of the demo partner account."""
    ctx.partner = PartnerOrganisation(
        name="Mobilité Solidaire Livradois-Forez", kind="mobilite", address="5 place de la Gare",
        postal_code="63300", commune_code="63430", phone="04 73 51 00 00", email="contact@mobilite-lf.test",
    )
    db.session.add(ctx.partner)


@seeder(0)
def seed_demo_partner_referent(ctx: DemoContext) -> None:
    """The demo counsellor is the demo partner's referent."""
    ctx.partner.referent_id = ctx.users[COUNSELLOR].id
