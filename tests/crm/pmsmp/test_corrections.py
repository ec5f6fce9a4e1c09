"""Contact corrections keep signatures (issue 18 §4): a corrected e-mail or phone of the young person, a
legal representative or the tutor keeps every signature given; only that party's pending link goes to the
new address and the old one stops working; a substantive change still clears them all; the history shows
both kinds of change."""

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select

from crm.pmsmp import rules, services, signing
from crm.pmsmp.links import LinkError
from crm.pmsmp.models import PlacementStatusChange
from portal.extensions import db
from tests.crm.pmsmp.test_services import _edit, minor, outbox, token_in
from tests.portal.test_notifications import smtp  # noqa: F401 - the loopback SMTP server fixture

NEW_TUTOR = "nouveau.tuteur@exemple.test"


def _history(p) -> list[str]:
    return list(db.session.scalars(select(PlacementStatusChange.note).where(
        PlacementStatusChange.placement_id == p.id).order_by(PlacementStatusChange.id)))


def _sent_youth_signed(make):
    """A convention sent for signature, signed by the young person only."""
    counsellor = make.counsellor()
    p = make.placement(actor=counsellor)
    signing.send_for_signature(counsellor, p)
    signing.sign_by_link(token_in(outbox(p.youth_email)[0]), ip="192.0.2.1", user_agent="Firefox")
    return counsellor, p


def test_tutor_email_fix_keeps_signatures_and_sends_only_their_new_link(make):
    counsellor, p = _sent_youth_signed(make)
    old_token = token_in(outbox(p.tutor_email)[0])
    youth_mails = len(outbox(p.youth_email))
    changes, _ = _edit(p, counsellor, tutor_email=NEW_TUTOR, tutor_phone="04 73 80 99 99")
    assert changes.substantive == () and set(changes.cosmetic) == {"tutor_email", "tutor_phone"}
    assert [s.role for s in p.active_signatures] == [rules.YOUTH] and p.status == "signee_partiellement"
    [mail] = outbox(NEW_TUTOR)
    assert "Votre adresse électronique a été corrigée" in mail.body
    assert len(outbox(p.youth_email)) == youth_mails  # nobody else is asked again
    with pytest.raises(LinkError, match="ne correspond plus"):
        signing.open_link(old_token)
    signing.sign_by_link(token_in(mail), ip=None, user_agent=None)
    assert p.status == "a_valider" and {s.email for s in p.active_signatures} == {p.youth_email, NEW_TUTOR}
    assert _history(p)[-2] == ("Correction de forme (courriel du tuteur, téléphone du tuteur) : les signatures sont "
                               "conservées ; nouveau lien envoyé à la nouvelle adresse de Jean Dumas (structure "
                               "d'accueil (tuteur))")


def test_a_signed_party_keeps_the_address_used_when_signing(client, auth, make):
    counsellor, p = _sent_youth_signed(make)
    signed_with = p.youth_email
    _edit(p, counsellor, youth_email="lea.corrigee@exemple.test", youth_phone="06 12 34 56 78")
    [signature] = p.active_signatures
    assert (signature.email, signature.ip_address) == (signed_with, "192.0.2.1")
    assert outbox("lea.corrigee@exemple.test") == []  # already signed: nothing to send
    auth.login(counsellor)
    page = unescape(client.get(f"/pmsmp/{p.id}").get_data(as_text=True))
    assert f"adresse utilisée pour signer : {signed_with}" in page
    assert "les signatures sont conservées" in page  # the history


def test_legal_representative_email_fix_resends_to_them_only(make):
    counsellor = make.counsellor()
    p = make.placement(actor=counsellor, youth=minor(make), representatives=[
        {"name": "Nadia Morel", "link": "Mère", "email": "nadia@exemple.test", "phone": None}])
    signing.send_for_signature(counsellor, p)
    signing.sign_by_link(token_in(outbox(p.tutor_email)[0]), ip=None, user_agent=None)
    reps = [{"name": "Nadia Morel", "link": "Mère", "email": "nadia.morel@exemple.test", "phone": "06 00 00 00 01"}]
    _edit(p, counsellor, representatives=reps)
    assert [s.role for s in p.active_signatures] == [rules.HOST]
    assert len(outbox("nadia.morel@exemple.test")) == 1 and len(outbox(p.youth_email)) == 1


def test_a_substantive_change_still_clears_every_signature_and_says_so(make):
    counsellor, p = _sent_youth_signed(make)
    _edit(p, counsellor, end_date=p.end_date - timedelta(days=1))
    assert p.active_signatures == [] and p.status == "a_signer"
    assert ("Modification de fond (date de fin) : les signatures sont effacées, chaque signataire signe à nouveau"
            in _history(p))


def test_a_corrected_address_already_used_by_another_party_is_refused(make):
    counsellor, p = _sent_youth_signed(make)
    with pytest.raises(services.ConventionRefused):
        _edit(p, counsellor, tutor_email=p.youth_email)
    db.session.rollback()


def test_the_resent_link_arrives_by_smtp_and_signs_while_the_other_signature_remains(app, client, make, smtp):  # noqa: F811
    counsellor, p = _sent_youth_signed(make)
    _edit(p, counsellor, tutor_email=NEW_TUTOR)
    result = app.test_cli_runner().invoke(args=["notifications", "send"])
    assert result.exit_code == 0, result.output
    [(recipients, message)] = [m for m in smtp.messages if m[0] == [NEW_TUTOR]]
    body = message.get_content()
    assert "Votre adresse électronique a été corrigée" in body
    path = re.search(r"https?://[^/\s]+(/pmsmp/signature/\S+)", body).group(1)
    page = client.get(path)
    assert page.status_code == 200
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"',
                      page.get_data(as_text=True))
    response = client.post(path, data={"csrf_token": token.group(1) or token.group(2), "consent": "y"})
    assert response.status_code == 303
    assert sorted(s.role for s in p.active_signatures) == sorted([rules.YOUTH, rules.HOST])
    assert p.signature_for(rules.YOUTH).email == p.youth_email and p.status == "a_valider"
