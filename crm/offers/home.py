"""Home to-dos of the offers: the employer's needs not yet published and offers about to be closed as idle;
the counsellor's needs to review and idle offers of companies that have no account to answer."""

from datetime import date, datetime, timedelta

from flask import url_for
from sqlalchemy import exists, or_

from crm.offers import rules
from crm.offers.models import Offer
from crm.offers.queries import offers_for
from portal.access import COUNSELLOR, EMPLOYER
from portal.accounts.models import User
from portal.home.widgets import SOON, TODAY, WAITING, Row, from_query, todo
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


def needs_to_review(user):
    """Needs submitted by employers or by the public form (e-mail confirmed), not yet published, that are
    the counsellor's or nobody's yet; oldest first."""
    return (offers_for(user).where(Offer.status == rules.SUBMITTED,
                                   or_(Offer.source != "formulaire_public", Offer.confirmed_at.is_not(None)),
                                   or_(Offer.counsellor_id == user.id, Offer.counsellor_id.is_(None)))
            .order_by(Offer.created_at, Offer.id))


def idle_offers_without_account(user, today: date):
    """Idle open offers of companies with no active employer account (nobody there gets the warning)."""
    account = exists().where(User.company_id == Offer.company_id, User.role == EMPLOYER, User.active.is_(True))
    return idle_offers(user, today).where(~account)


def _closing(o: Offer) -> str:
    return f"sera close le {date_fr(rules.closing_day(o.updated_at.date()))}"


@todo((EMPLOYER,))
def idle_todo(user, today):
    return from_query(
        idle_offers(user, today),
        lambda o: Row(o.title, url_for("offers.show_offer", offer_id=o.id), _closing(o), late=True),
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


@todo((COUNSELLOR,))
def review_todo(user, today):
    return from_query(
        needs_to_review(user),
        lambda o: Row(f"{o.title} ({o.company.name})", url_for("offers.show_offer", offer_id=o.id),
                      ("formulaire public, " if o.source == "formulaire_public" else "")
                      + f"déposé le {date_fr(o.created_at)}"),
        key="besoins-a-publier", title="Besoins déposés à relire et publier", urgency=TODAY,
        empty="Aucun besoin en attente de relecture.")


@todo((COUNSELLOR,))
def idle_without_account_todo(user, today):
    return from_query(
        idle_offers_without_account(user, today),
        lambda o: Row(f"{o.title} ({o.company.name})", url_for("offers.show_offer", offer_id=o.id), _closing(o)),
        key="offres-sans-compte", title="Offres inactives d'entreprises sans compte employeur", urgency=WAITING,
        empty="Aucune offre inactive d'une entreprise sans compte.")
