"""Personal links of a convention that will not be carried out (cancelled, refused, lapsed) show a French page
saying so, and never the document with the young person's data (issue 20 §5, §6)."""

from datetime import timedelta

import pytest

from crm.pmsmp import convention, links, services, signing
from crm.pmsmp.models import PlacementSignature
from portal.extensions import db
from tests.crm.pmsmp.test_services import sign_all


def _link(p, role="beneficiaire"):
    who = next(s for s in convention.signatories(p) if s.role == role)
    return f"/pmsmp/signature/{links.make_link_token(links.SIGN, p.id, who.role, who.email)}"


def _sent(make):
    counsellor = make.counsellor()
    p = make.placement(actor=counsellor)
    signing.send_for_signature(counsellor, p)
    return counsellor, p


def _validated(make):
    counsellor, p = _sent(make)
    sign_all(p)
    services.validate_placement(counsellor, p)
    return counsellor, p


def _cancelled(make):
    counsellor, p = _validated(make)
    services.cancel_placement(counsellor, p, reason="Le stage n'a plus d'objet")
    return p


def _refused(make):
    counsellor, p = _sent(make)
    services.refuse_placement(counsellor, p, reason="Poste inadapté")
    return p


def _lapsed(make):
    _, p = _sent(make)
    assert services.lapse_placement(p, p.end_date + timedelta(days=30))
    return p


@pytest.mark.parametrize(("build", "title", "said"), [
    (_cancelled, "Convention annulée", "est annulée : elle ne peut plus être consultée ni signée par ce lien. "
                                       "Motif : Le stage n&#39;a plus d&#39;objet"),
    (_refused, "Convention refusée", "est refusée : elle ne peut plus être consultée ni signée par ce lien. "
                                     "Motif : Poste inadapté"),
    (_lapsed, "Convention caduque", "est caduque : elle ne peut plus être consultée ni signée par ce lien. "
                                    "Motif : Non validée 30 jours après la date de fin."),
])
def test_the_links_of_an_ended_convention_say_so_and_give_no_document(client, make, build, title, said):
    p = build(make)
    db.session.commit()
    url = _link(p)
    for answer in (client.get(url), client.get(f"{url}/convention.pdf")):
        page = answer.get_data(as_text=True)
        assert answer.status_code == 410 and answer.mimetype == "text/html"
        assert f"<h1>{title}</h1>" in page and f"La convention PMSMP {p.reference} {said}" in page
        assert "no-store" in answer.headers["Cache-Control"]
        assert "convention.pdf" not in page and not answer.data.startswith(b"%PDF")
        assert p.youth.last_name not in page and p.youth.first_name not in page and p.youth_email not in page


def test_a_lapsed_convention_cannot_be_signed_by_its_link(client, make, csrf):
    p = _lapsed(make)
    db.session.commit()
    url = _link(p)
    response = client.post(url, data={"csrf_token": csrf("/connexion"), "consent": "y"})
    assert response.status_code == 410 and "Convention caduque" in response.get_data(as_text=True)
    assert db.session.query(PlacementSignature).filter_by(placement_id=p.id).count() == 0


def test_the_assessment_link_of_a_cancelled_convention_says_so(client, make):
    p = _cancelled(make)
    db.session.commit()
    token = links.make_link_token(links.ASSESS, p.id, "bilan", p.tutor_email)
    response = client.get(f"/pmsmp/bilan/{token}")
    assert response.status_code == 410 and "<h1>Convention annulée</h1>" in response.get_data(as_text=True)


def test_the_links_of_a_validated_convention_still_give_the_document(client, make):
    _, p = _validated(make)
    db.session.commit()
    url = _link(p)
    assert p.youth.last_name in client.get(url).get_data(as_text=True)
    pdf = client.get(f"{url}/convention.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and "no-store" in pdf.headers["Cache-Control"]
