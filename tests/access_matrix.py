"""DESIGN.md §4 as data: the most each room gives to each audience. A view may give less, never more.

`public` stands for a visitor without an account. The URL-map test (tests/portal/test_access.py) fails
when an endpoint declares an audience outside its room's line, or declares nothing.
"""

from portal.access import ADMIN, COUNSELLOR, EMPLOYER, PARTNER

PUBLIC = "public"
ALL_ROLES = {ADMIN, COUNSELLOR, EMPLOYER, PARTNER}
STAFF = {ADMIN, COUNSELLOR}

# endpoint prefix (blueprint or blueprint.view) -> audiences allowed at most; longest prefix wins
MAX_ACCESS = {
    "home": ALL_ROLES | {PUBLIC},
    "accounts": ALL_ROLES | {PUBLIC},
    "accounts.list_users": STAFF,
    "accounts.invite_user": STAFF,
    "accounts.deactivate_user": STAFF,
    "accounts.reactivate_user": STAFF,
    "accounts.resend_invitation": STAFF,
    "accounts.logout_user_everywhere": {ADMIN},
    "referentials": ALL_ROLES | {PUBLIC},
    "referentials.show_territory": {ADMIN},
    "referentials.add_territory_commune": {ADMIN},
    "referentials.remove_territory_commune": {ADMIN},
    "referentials.add_territory_epci": {ADMIN},
    "referentials.remove_territory_epci": {ADMIN},
    "audit": {ADMIN},
    "notifications": {ADMIN},
    "employers": STAFF | {EMPLOYER},
    "partners": STAFF | {PARTNER},
    # hires and check-ins: staff all; employers answer their own company's check-ins; both sides by link
    "followup": STAFF,
    "followup.edit_schedule_defaults": {ADMIN},
    "followup.list_employer_check_ins": {EMPLOYER},
    "followup.answer_employer_check_in": {EMPLOYER},
    "followup.answer_by_link": {PUBLIC},
    "directory": ALL_ROLES,
    "api": ALL_ROLES | {PUBLIC},
    "api.my_services": {PARTNER},
    "api.list_tokens": {PARTNER},
    "api.revoke_token": {PARTNER},
    "offers": STAFF | {EMPLOYER, PARTNER},
    "offers.list_offers": STAFF,
    "offers.my_offers": {EMPLOYER},
    "offers.published_offers": {PARTNER},
    "offers.new_offer": STAFF | {EMPLOYER},
    "offers.edit_offer": STAFF,
    "offers.change_offer_status": STAFF,
    # the issue's « Déposer un besoin de recrutement » page, for employers without an account
    "offers.submit_need": {PUBLIC},
    "offers.confirm_need": {PUBLIC},
    "youth": STAFF,
    "matching": STAFF,
    "matching.show_candidate": STAFF | {EMPLOYER},
    "charte": ALL_ROLES | {PUBLIC},
    "charte.my_commitment": {EMPLOYER},
    "charte.sign_as_employer": {EMPLOYER},
    "charte.renew_signature": STAFF | {EMPLOYER},
    "charte.withdraw_signature": STAFF | {EMPLOYER},
    "charte.download_certificate": STAFF | {EMPLOYER},
    "charte.list_signatures": STAFF,
    "charte.export_signatures": STAFF,
    "charte.show_signature": STAFF,
    "charte.validate_signature": STAFF,
    "charte.record_review": STAFF,
    "charte.edit_charter": {ADMIN},
    "pmsmp": STAFF | {EMPLOYER},
    "pmsmp.sign_by_link": {PUBLIC},
    "pmsmp.pdf_by_link": {PUBLIC},
    "pmsmp.assess_by_link": {PUBLIC},
    # indicators: staff all; an employer its own company's figures, a partner its own organisation's
    "reporting": ALL_ROLES,
    # satisfaction survey (issue 18 §9): the direction sets it up and sends it, the team reads the figures,
    # respondents answer by personal link
    "surveys": STAFF,
    "surveys.new_survey": {ADMIN},
    "surveys.edit_survey": {ADMIN},
    "surveys.launch_survey": {ADMIN},
    "surveys.answer_by_link": {PUBLIC},
    # personal data (RGPD): the DPO's page
    "privacy": {ADMIN},
}


def max_access(endpoint: str) -> set[str]:
    """The audiences DESIGN.md §4 allows at most for an endpoint."""
    best = None
    for prefix in MAX_ACCESS:
        covers = endpoint == prefix or endpoint.startswith(prefix + ".")
        if covers and (best is None or len(prefix) > len(best)):
            best = prefix
    if best is None:
        raise AssertionError(f"{endpoint} : aucune ligne de DESIGN.md §4 ne couvre cette salle (tests/access_matrix.py)")
    return MAX_ACCESS[best]
