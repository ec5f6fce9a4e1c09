"""Home to-dos of the offers: the employer's needs not yet published and offers about to be closed as idle.
(The counsellor's needs to publish and idle offers of companies without an account are tasks.)"""

from datetime import date, datetime, timedelta

from flask import url_for

from crm.offers import rules
from crm.offers.models import Offer
from crm.offers.queries import offers_for
from portal.access import EMPLOYER
from portal.home.widgets import SOON, TODAY, Row, from_query, todo
from portal.text import date_fr


def _idle_since(today: date) -> datetime:
    return datetime.combine(today - timedelta(days=rules.STALE_WARNING_DAYS), datetime.max.time())


def idle_offers(user, today: date):
    """Open offers the user may see without an update for 45 days: the reminder job closes them at 60."""
    return (offers_for(user).where(Offer.status.in_((rules.SUBMITTED, rules.PUBLISHED)),
                                   Offer.updated_at <= _idle_since(today))
            .order_by(Offer.updated_at, Offer.id))


def unpublished_needs(user):
    """The employer's needs not published yet (draft, or submitted and still editable), oldest first."""
    return (offers_for(user).where(Offer.status.in_((rules.DRAFT, rules.SUBMITTED)))
            .order_by(Offer.created_at, Offer.id))


def _closing(o: Offer, today: date) -> str:
    warned = o.stale_warned_at.date() if o.stale_warned_at else today  # not warned yet: it will be today
    return f"sera close le {date_fr(rules.closing_day(o.updated_at.date(), warned))}"


@todo((EMPLOYER,))
def idle_todo(user, today):
    return from_query(
        idle_offers(user, today),
        lambda o: Row(o.title, url_for("offers.show_offer", offer_id=o.id), _closing(o, today), late=True),
        key="offres-inactives", title="Offres bientôt closes faute de mise à jour", urgency=TODAY,
        link=("Voir mes offres", url_for("offers.my_offers")),
        empty="Vos offres sont à jour.")


@todo((EMPLOYER,))
def drafts_todo(user, today):
    def row(o: Offer) -> Row:
        editable = o.status == rules.SUBMITTED
        return Row(o.title, url_for("offers.edit_my_need" if editable else "offers.show_offer", offer_id=o.id),
                   "en relecture à la Mission Locale, encore modifiable" if editable else "brouillon")

    return from_query(unpublished_needs(user), row, key="besoins", title="Besoins pas encore publiés",
                      urgency=SOON, link=("Voir mes offres", url_for("offers.my_offers")),
                      empty="Un nouveau recrutement ?", empty_link=("Déposer un besoin", url_for("offers.new_offer")))
