"""The demo seeder of partners, conventions and services."""

from datetime import date, timedelta

from sqlalchemy import func, select

from crm.directory.demo import seed_partners_and_directory
from crm.directory.models import DirectoryService
from crm.partners.models import Convention, PartnerOrganisation
from portal.access import COUNSELLOR
from portal.demo import DemoContext
from portal.extensions import db


def test_demo_seeds_partners_conventions_and_services(make):
    ctx = DemoContext(users={COUNSELLOR: make.counsellor()})
    seed_partners_and_directory(ctx)
    assert db.session.scalar(select(func.count(PartnerOrganisation.id))) >= 25
    assert db.session.scalar(select(func.count(Convention.id))) == 15
    soon = date.today() + timedelta(days=60)
    assert db.session.scalar(select(func.count(Convention.id)).where(Convention.status == "active",
                                                                    Convention.end_on <= soon)) >= 1
    services = list(db.session.scalars(select(DirectoryService)))
    assert len(services) == 60
    categories = {t.split("--")[0] for s in services for t in s.thematiques}
    assert len(categories) >= 12
    assert any(s.is_stale(date.today()) for s in services)
