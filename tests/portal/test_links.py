"""Signed links: one declared kind per purpose, and links already sent keep working."""

from datetime import timedelta

import pytest
from itsdangerous import URLSafeTimedSerializer

from crm.pmsmp import links as pmsmp_links
from portal import links
from portal.accounts import services as accounts
from portal.accounts import tokens

# The salts the portal has signed its links with since they were first sent: changing one would break
# every link of that kind waiting in a mailbox.
SENT_SALTS = {
    "invitation": "maillage-invitation",
    "password-reset": "maillage-password-reset",
    "pmsmp-sign": "maillage-pmsmp-sign",
    "pmsmp-assess": "maillage-pmsmp-assess",
    "followup-answer": "maillage-followup-answer",
    "survey-answer": "maillage-survey-answer",
    "charter-confirmation": "maillage-charter-confirmation",
    "offer-public-confirm": "offer-public-confirm",
}


def _old_way(app, salt: str, payload: dict) -> str:
    """A token made as the services made them before portal/links.py (itsdangerous directly)."""
    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=salt).dumps(payload)


def test_every_kind_keeps_the_salt_its_links_were_sent_with(app):
    assert {purpose: kind.salt for purpose, kind in links.KINDS.items()} == SENT_SALTS


@pytest.mark.parametrize("purpose", sorted(SENT_SALTS))
def test_a_token_made_the_old_way_is_still_read_and_a_new_one_reads_the_old_way(app, purpose):
    kind = links.KINDS[purpose]
    payload = {key: 7 if type_ is int else "x" for key, type_ in kind.fields.items()}
    with app.test_request_context():
        assert kind.read(_old_way(app, SENT_SALTS[purpose], payload)) == payload
        old = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=SENT_SALTS[purpose])
        assert old.loads(kind.sign(payload)) == payload


def test_an_old_password_reset_link_still_opens_its_account(app, make):
    user = make.employer()
    with app.test_request_context():
        token = _old_way(app, "maillage-password-reset", {"u": user.id, "f": tokens.user_fingerprint(user)})
        assert accounts.user_from_token(token, tokens.RESET) == user
        with pytest.raises(tokens.TokenError, match="pas valide"):  # another purpose refuses it
            accounts.user_from_token(token, tokens.INVITATION)


def test_an_old_pmsmp_signing_link_is_still_read(app):
    with app.test_request_context():
        token = _old_way(app, "maillage-pmsmp-sign", {"p": 12, "r": "tuteur", "e": "tuteur@exemple.test"})
        claims = pmsmp_links.read_link_token(pmsmp_links.SIGN, token)
        assert (claims.placement_id, claims.role, claims.email) == (12, "tuteur", "tuteur@exemple.test")
        with pytest.raises(links.LinkError):
            pmsmp_links.read_link_token(pmsmp_links.ASSESS, token)


@pytest.fixture()
def kind():
    made = links.LinkKind("test", "maillage-test", timedelta(days=1), {"n": int}, expired="Expiré.",
                          tampered="Mal copié.", invalid="Pas valide.", max_length=200)
    return made


@pytest.mark.parametrize("token", [None, "", "x" * 201])
def test_an_empty_or_absurdly_long_token_is_refused_before_any_work(app, kind, token):
    with app.test_request_context(), pytest.raises(links.LinkError, match="Pas valide"):
        kind.read(token)


def test_a_tampered_token_is_refused_with_its_message(app, kind):
    with app.test_request_context():
        token = kind.sign({"n": 1})
        with pytest.raises(links.LinkError, match="Mal copié"):
            kind.read(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
        with pytest.raises(links.LinkError, match="Mal copié"):
            kind.read("abc.def.ghi")


def test_an_expired_token_says_so(app):
    expired = links.LinkKind("test", "maillage-test", lambda: timedelta(days=-1), {"n": int}, expired="Expiré.")
    with app.test_request_context(), pytest.raises(links.LinkError, match="Expiré"):
        expired.read(expired.sign({"n": 1}))


@pytest.mark.parametrize("payload", [{}, {"n": "1"}, {"m": 1}])
def test_a_payload_of_the_wrong_shape_is_refused(app, kind, payload):
    with app.test_request_context(), pytest.raises(links.LinkError, match="Pas valide"):
        kind.read(kind.sign(payload))


def test_a_list_signed_with_the_right_salt_is_refused(app, kind):
    with app.test_request_context(), pytest.raises(links.LinkError, match="Pas valide"):
        kind.read(_old_way(app, "maillage-test", [1, 2]))


def test_a_kind_declared_twice_with_another_salt_or_purpose_is_refused(app):
    with pytest.raises(ValueError):
        links.declare("invitation", salt="maillage-autre", max_age=timedelta(days=1), fields={}, expired="")
    with pytest.raises(ValueError):
        links.declare("autre", salt="maillage-invitation", max_age=timedelta(days=1), fields={}, expired="")
    assert links.KINDS["invitation"].salt == "maillage-invitation"


def test_expiry_read_from_the_configuration_at_each_use(app):
    with app.test_request_context():
        assert links.KINDS["invitation"].max_age_seconds() == app.config["INVITATION_MAX_AGE_DAYS"] * 86400
        assert links.KINDS["password-reset"].max_age_seconds() == app.config["RESET_MAX_AGE_HOURS"] * 3600
