"""The one conflict message and its two entry points: `check_version` (services) and `guard` (views)."""

from datetime import datetime

import pytest
from sqlalchemy import update
from wtforms import HiddenField, StringField

from crm.employers.models import Company
from portal import concurrency
from portal.audit.models import AuditEvent
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import Form


class CompanyLike(Form):
    name = StringField("Raison sociale")
    version = HiddenField()


@pytest.mark.parametrize("version", [None, ""])
def test_no_version_is_not_checked_unless_required(make, version):
    company = make.company()
    concurrency.check_version(company, version)
    with pytest.raises(concurrency.StaleEdit, match="Cette embauche a été modifiée entre-temps"):
        concurrency.check_version(company, version, "Cette embauche a été modifiée", required=True)


@pytest.mark.parametrize("version", [0, "0", "999", "abc", "1.0", -1, "  ", "²", "١"])  # int("²") fails, int("١") is 1
def test_a_stale_or_foreign_version_is_refused_with_the_one_message(make, version):
    company = make.company()
    assert company.version == 1
    with pytest.raises(concurrency.StaleEdit) as refused:
        concurrency.check_version(company, version, "Cette offre a été modifiée", required=True)
    assert refused.value.message.startswith("Cette offre a été modifiée entre-temps")
    assert refused.value.message.endswith("Rien n'a été enregistré : rechargez la page pour partir de la version "
                                          "actuelle.")
    assert isinstance(refused.value, DomainError)  # views show it like any business error


@pytest.mark.parametrize("version", [1, "1", " 1 "])
def test_the_current_version_goes_through(make, version):
    concurrency.check_version(make.company(), version, required=True)


def test_guard_turns_a_concurrent_save_found_at_flush_into_the_conflict_message(app, make):
    company = make.company(name="Forges de la Durolle")
    db.session.commit()
    data = {"name": "Forges Durolle", "version": str(company.version)}
    with app.test_request_context(method="POST", data=data):
        form = CompanyLike(meta={"csrf": False})
        # another worker saved in between, after the check passed: only the UPDATE can tell
        db.session.execute(update(Company).where(Company.id == company.id)
                           .values(name="Forges de Thiers", version=Company.version + 1)
                           .execution_options(synchronize_session=False))
        with pytest.raises(concurrency.StaleEdit) as refused, concurrency.guard(company, form):
            company.name = form.name.data
    message = refused.value.message
    assert message.startswith("Cette fiche a été modifiée entre-temps")
    # (the other worker's UPDATE shares this test's transaction: the rollback undid it too)
    assert f"Raison sociale (enregistré : « {company.name} » ; votre saisie : « Forges Durolle »)" in message
    assert form.version.data == company.version  # saving again, knowingly, goes through
    assert form.name.data == "Forges Durolle"  # nothing typed is lost


def test_guard_refuses_a_stale_posted_version_before_the_service_runs(app, make):
    company = make.company()
    db.session.commit()
    ran = []
    with app.test_request_context(method="POST", data={"name": "X", "version": "0"}):
        form = CompanyLike(meta={"csrf": False})
        with pytest.raises(concurrency.StaleEdit, match="Cet événement a été modifié entre-temps"), \
                concurrency.guard(company, form, "Cet événement a été modifié"):
            ran.append(True)
    assert not ran


def test_guard_lets_other_business_errors_through(app, make):
    company = make.company()
    with app.test_request_context(method="POST", data={"version": str(company.version)}):
        form = CompanyLike(meta={"csrf": False})
        with pytest.raises(DomainError, match="^Autre règle$") as refused, concurrency.guard(company, form):
            raise DomainError("Autre règle", field="name")
    assert not isinstance(refused.value, concurrency.StaleEdit) and refused.value.field == "name"


def test_the_message_lists_only_real_differences(app, make):
    from wtforms import SelectField

    from portal.forms import choices_of

    class PartnerLike(Form):
        name = StringField("Nom")
        referent_id = SelectField("Référent", choices=choices_of([("", "Aucun"), ("7", "Alice Martin")]))
        zone = StringField("Zone")  # typed as names, stored as a list of codes
        version = HiddenField()

    class Saved:
        id, version, name, referent_id, zone = 1, 2, "Brayauds", None, ["63430"]

    with app.test_request_context(method="POST", data={"name": "Roues Libres", "referent_id": "", "zone": "Thiers",
                                                       "version": "1"}):
        message = concurrency.conflict_message(Saved(), PartnerLike(meta={"csrf": False}))
    assert "Nom (enregistré : « Brayauds » ; votre saisie : « Roues Libres »)" in message
    assert "Référent" not in message and "Zone" not in message


@pytest.mark.parametrize("at, shown", [(datetime(2026, 12, 5, 7, 28), "05/12/2026 à 08:28"),  # winter: UTC+1
                                       (datetime(2026, 7, 14, 22, 30), "15/07/2026 à 00:30")])  # summer: UTC+2
def test_the_message_says_when_in_paris_time(make, at, shown):
    company = make.company()
    db.session.add(AuditEvent(actor_label="Claire Vidal", action="company.update", object_type="Company",
                              object_id=str(company.id), at=at, summary="Modification"))
    db.session.flush()
    with pytest.raises(concurrency.StaleEdit) as refused:
        concurrency.check_version(company, "0", "Cette entreprise a été modifiée", required=True)
    assert f"entre-temps par Claire Vidal le {shown}." in refused.value.message
