"""Object rules for offers (`can(user, "offers.…", offer)`)."""

from crm.offers.rules import SUBMITTED
from portal.access import EMPLOYER, STAFF, rule


@rule("offers.create")
def _create(user, obj):
    return user.role in STAFF or (user.role == EMPLOYER and bool(user.company_id))


@rule("offers.manage")
def _manage(user, offer):
    # edit, publish, close, mark filled, cancel: the Mission Locale's people
    return user.role in STAFF


@rule("offers.see_candidates")
def _candidates(user, offer):
    if user.role in STAFF:
        return True
    return user.role == EMPLOYER and offer is not None and offer.company_id == user.company_id


@rule("offers.edit_need")
def _edit_need(user, offer):
    # an employer corrects its own need until the Mission Locale publishes it
    return (user.role == EMPLOYER and offer is not None and offer.company_id == user.company_id
            and offer.status == SUBMITTED)
