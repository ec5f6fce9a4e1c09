"""The indicators of the Mission Locale, each defined once, here, with the French definition shown beside it
on the dashboard and in the report.

An indicator names the rows it counts (`Source`): a statement with its joins, the date that places a row in
a period, what is counted (rows, or distinct young people / companies), the commune that places it on the
territory, and the columns that scope it to an employer's company or a partner's organisation. The counting
is done in the database: by `crm.reporting.fast` for the pages (the indicators over the same rows together),
with `crm.reporting.queries.compute` (one query per indicator) as the plain reference it is tested against.
"""

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import Select, and_, literal, or_, select, union_all

from charte.models import ACTIVE as CHARTER_ACTIVE
from charte.models import TO_RENEW as CHARTER_TO_RENEW
from charte.models import CharterReview, CharterSignature
from crm.directory.models import DirectoryService
from crm.employers.models import Company, Interaction
from crm.followup.models import Hire
from crm.followup.rules import RETENTION_HORIZONS
from crm.matching.models import Positioning
from crm.offers.models import Offer
from crm.offers.rules import DRAFT as OFFER_DRAFT
from crm.offers.rules import FILLED as OFFER_FILLED
from crm.partners.models import Convention, PartnerOrganisation
from crm.pmsmp.models import Assessment, Placement
from crm.pmsmp.rules import FINISHED as PMSMP_FINISHED
from crm.pmsmp.rules import VALIDATED as PMSMP_VALIDATED
from crm.reporting.source import (  # noqa: F401 - the registry's names, read as ind.* by the counting modules
    COMPANY,
    PEOPLE,
    PLACE,
    REGISTRY,
    STAFF,
    Context,
    Indicator,
    Source,
    for_role,
    indicator,
)
from crm.reporting.sql import day_of, days_between
from crm.youth.models import YouthProfile
from portal.access import EMPLOYER, PARTNER

STAFF_EMPLOYER = STAFF | {EMPLOYER}
STAFF_PARTNER = STAFF | {PARTNER}

# Contract types (crm.followup.rules.CONTRACT_TYPES) counted as each kind of positive exit.
EMPLOYMENT_CONTRACTS = ("cdi", "cdd", "interim", "saisonnier", "contrat_aide")
WORK_STUDY_CONTRACTS = ("apprentissage", "professionnalisation")
PMSMP_STARTED = (PMSMP_VALIDATED, PMSMP_FINISHED)
AREAS = {
    "jeunes": "Jeunes et mises en relation",
    "contrats": "Contrats et sorties positives",
    "pmsmp": "Immersions (PMSMP)",
    "offres": "Offres d'emploi",
    "entreprises": "Entreprises",
    "charte": "Charte d'engagement",
    "maintien": "Maintien dans l'emploi",
    "partenaires": "Partenaires et annuaire",
}


# --- young people and positionings ---------------------------------------------------------------


_POSITIONING_JOINS = ((YouthProfile, YouthProfile.id == Positioning.youth_id, PEOPLE),
                      (Offer, Offer.id == Positioning.offer_id, COMPANY))


def _positionings() -> Select:
    return select(Positioning.id)


@indicator("jeunes_positionnes", "jeunes", "Jeunes positionnés",
           "Nombre de jeunes (chacun compté une fois) ayant au moins une mise en relation créée dans la période, "
           "quel que soit son devenir.")
def _youth_positioned(ctx: Context) -> Source:
    return Source(_positionings(), on=Positioning.created_at, counted=Positioning.youth_id,
                  place=YouthProfile.commune_code, youth=True, company=Offer.company_id, person=Positioning.youth_id,
                  joins=_POSITIONING_JOINS)


@indicator("jeunes_proposes", "jeunes", "Jeunes proposés à un employeur",
           "Nombre de jeunes (chacun compté une fois) dont la candidature a été proposée à un employeur dans "
           "la période (date de proposition).", audiences=STAFF_EMPLOYER)
def _youth_proposed(ctx: Context) -> Source:
    return Source(_positionings().where(Positioning.proposed_at.is_not(None)), on=Positioning.proposed_at,
                  counted=Positioning.youth_id, place=YouthProfile.commune_code, youth=True,
                  company=Offer.company_id, person=Positioning.youth_id,
                  joins=_POSITIONING_JOINS)


def _hires() -> Select:
    return select(Hire.id)


_HIRE_JOINS = ((YouthProfile, YouthProfile.id == Hire.youth_id, PEOPLE),)


def _hire_source(stmt: Select, *, counted=None, on=None) -> Source:
    return Source(stmt, on=on if on is not None else Hire.start_on, counted=counted,
                  place=YouthProfile.commune_code, youth=True, company=Hire.company_id, person=Hire.youth_id,
                  joins=_HIRE_JOINS)


@indicator("jeunes_embauches", "jeunes", "Jeunes embauchés",
           "Nombre de jeunes (chacun compté une fois) ayant une embauche enregistrée qui commence dans la "
           "période, quel que soit le contrat.", audiences=STAFF_EMPLOYER)
def _youth_hired(ctx: Context) -> Source:
    return _hire_source(_hires(), counted=Hire.youth_id)


# --- contracts and positive exits ----------------------------------------------------------------


@indicator("contrats_signes", "contrats", "Contrats signés",
           "Nombre d'embauches enregistrées dont le contrat commence dans la période (un jeune embauché deux "
           "fois compte deux contrats). Le détail par type de contrat figure dans le tableau.",
           audiences=STAFF_EMPLOYER)
def _contracts(ctx: Context) -> Source:
    return _hire_source(_hires())


@indicator("sorties_emploi", "contrats", "Sorties positives : emploi",
           "Nombre de jeunes (chacun compté une fois) entrés dans la période en CDI, CDD, intérim, contrat "
           "saisonnier ou contrat aidé.")
def _exits_employment(ctx: Context) -> Source:
    return _hire_source(_hires().where(Hire.contract_type.in_(EMPLOYMENT_CONTRACTS)), counted=Hire.youth_id)


@indicator("sorties_alternance", "contrats", "Sorties positives : alternance",
           "Nombre de jeunes (chacun compté une fois) entrés dans la période en contrat d'apprentissage ou de "
           "professionnalisation.")
def _exits_work_study(ctx: Context) -> Source:
    return _hire_source(_hires().where(Hire.contract_type.in_(WORK_STUDY_CONTRACTS)), counted=Hire.youth_id)


@indicator("sorties_positives", "contrats", "Sorties positives (emploi ou alternance)",
           "Nombre de jeunes (chacun compté une fois) entrés dans la période en emploi ou en alternance. "
           "Les entrées en formation ne sont pas enregistrées dans Maillage (elles le sont dans i-milo) et "
           "ne sont donc pas comptées ici.")
def _exits(ctx: Context) -> Source:
    return _hire_source(_hires().where(Hire.contract_type.in_(EMPLOYMENT_CONTRACTS + WORK_STUDY_CONTRACTS)),
                        counted=Hire.youth_id)


# --- PMSMP ---------------------------------------------------------------------------------------


def _placements() -> Select:
    return select(Placement.id)


def _placement_source(stmt: Select, on) -> Source:
    return Source(stmt, on=on, place=YouthProfile.commune_code, youth=True, company=Placement.company_id,
                  person=Placement.youth_id, joins=((YouthProfile, YouthProfile.id == Placement.youth_id, PEOPLE),))


@indicator("pmsmp_commencees", "pmsmp", "PMSMP commencées",
           "Nombre de conventions PMSMP validées (ou terminées) dont le premier jour tombe dans la période.",
           audiences=STAFF_EMPLOYER)
def _pmsmp_started(ctx: Context) -> Source:
    return _placement_source(_placements().where(Placement.status.in_(PMSMP_STARTED)), Placement.start_date)


@indicator("pmsmp_terminees", "pmsmp", "PMSMP terminées",
           "Nombre de conventions PMSMP terminées dont le dernier jour prévu tombe dans la période.",
           audiences=STAFF_EMPLOYER)
def _pmsmp_finished(ctx: Context) -> Source:
    return _placement_source(_placements().where(Placement.status == PMSMP_FINISHED), Placement.end_date)


@indicator("pmsmp_emploi", "pmsmp", "PMSMP débouchant sur un emploi",
           "Nombre de conventions PMSMP dont le dernier jour prévu tombe dans la période et dont le bilan "
           "indique une embauche à la suite de l'immersion.", audiences=STAFF_EMPLOYER)
def _pmsmp_job(ctx: Context) -> Source:
    stmt = (_placements().join(Assessment, Assessment.placement_id == Placement.id)
            .where(Assessment.ended_with_job.is_(True)))
    return _placement_source(stmt, Placement.end_date)


# --- offers --------------------------------------------------------------------------------------


def _offer_source(stmt: Select, on, **kw) -> Source:
    return Source(stmt, on=on, place=Offer.work_commune_code, company=Offer.company_id, **kw)


@indicator("offres_recues", "offres", "Offres reçues",
           "Nombre d'offres enregistrées dans la période (date de création), hors brouillons non transmis.",
           audiences=STAFF_EMPLOYER)
def _offers_received(ctx: Context) -> Source:
    return _offer_source(select(Offer.id).where(Offer.status != OFFER_DRAFT), Offer.created_at)


@indicator("offres_publiees", "offres", "Offres publiées",
           "Nombre d'offres dont la dernière publication a eu lieu dans la période.", audiences=STAFF_EMPLOYER)
def _offers_published(ctx: Context) -> Source:
    return _offer_source(select(Offer.id).where(Offer.published_at.is_not(None)), Offer.published_at)


def _filled() -> Select:
    return select(Offer.id).where(Offer.status == OFFER_FILLED, Offer.closed_at.is_not(None))


@indicator("offres_pourvues", "offres", "Offres pourvues",
           "Nombre d'offres marquées « pourvue » dans la période.", audiences=STAFF_EMPLOYER)
def _offers_filled(ctx: Context) -> Source:
    return _offer_source(_filled(), Offer.closed_at)


@indicator("delai_median_pourvoi", "offres", "Délai médian pour pourvoir une offre",
           "Pour les offres pourvues dans la période, médiane du nombre de jours entre la publication et le "
           "passage à « pourvue ». Moitié des offres sont pourvues plus vite, moitié moins vite.",
           kind="median", audiences=STAFF_EMPLOYER, unit="jours")
def _time_to_fill(ctx: Context) -> Source:
    return _offer_source(_filled().where(Offer.published_at.is_not(None)), Offer.closed_at,
                         value=days_between(Offer.closed_at, Offer.published_at))


# --- companies -----------------------------------------------------------------------------------


@indicator("entreprises_prospectees", "entreprises", "Entreprises prospectées",
           "Nombre d'entreprises (chacune comptée une fois) ayant eu au moins un échange enregistré dans la "
           "période (visite, appel, courriel, rendez-vous, forum...).")
def _companies_prospected(ctx: Context) -> Source:
    # the company is joined for its commune only: without the join, interactions with no company (a partner's)
    # still count nothing, as COUNT(DISTINCT) leaves NULL out
    return Source(select(Interaction.id), on=Interaction.occurred_on, counted=Interaction.company_id,
                  place=Company.commune_code, joins=((Company, Company.id == Interaction.company_id, PLACE),))


@indicator("entreprises_actives", "entreprises", "Entreprises actives",
           "Nombre d'entreprises (chacune comptée une fois) ayant, dans la période, déposé une offre, "
           "embauché un jeune ou commencé une PMSMP.")
def _companies_active(ctx: Context) -> Source:
    activity = union_all(
        select(Offer.company_id.label("company_id"), day_of(Offer.created_at).label("on"))
        .where(Offer.status != OFFER_DRAFT),
        select(Hire.company_id, Hire.start_on),
        select(Placement.company_id, Placement.start_date).where(Placement.status.in_(PMSMP_STARTED)),
    ).subquery("activity")
    return Source(select(literal(1)).select_from(activity), on=activity.c.on, counted=activity.c.company_id,
                  place=Company.commune_code, joins=((Company, Company.id == activity.c.company_id, PLACE),))


@indicator("entreprises_nouvelles", "entreprises", "Nouvelles entreprises",
           "Nombre d'entreprises enregistrées dans Maillage pendant la période.")
def _companies_new(ctx: Context) -> Source:
    return Source(select(Company.id), on=Company.created_at, place=Company.commune_code)


# --- charter -------------------------------------------------------------------------------------


@indicator("charte_nouveaux_signataires", "charte", "Nouveaux signataires de la charte",
           "Nombre de signatures de la charte validées par la Mission Locale dans la période.", capability="charte")
def _charter_new(ctx: Context) -> Source:
    stmt = (select(CharterSignature.id).join(Company, Company.id == CharterSignature.company_id)
            .where(CharterSignature.validated_at.is_not(None)))
    return Source(stmt, on=CharterSignature.validated_at, place=Company.commune_code)


@indicator("charte_signataires_actifs", "charte", "Signataires actifs de la charte",
           "Nombre d'entreprises dont la signature est, au jour de l'édition, active ou à renouveler "
           "(validée et non retirée). Photographie du jour : la période n'y change rien.", capability="charte")
def _charter_active(ctx: Context) -> Source:
    stmt = (select(CharterSignature.id).join(Company, Company.id == CharterSignature.company_id)
            .where(CharterSignature.status.in_((CHARTER_ACTIVE, CHARTER_TO_RENEW))))
    return Source(stmt, place=Company.commune_code)


@indicator("charte_engagements_tenus", "charte", "Engagements de la charte tenus",
           "Parmi les bilans annuels de signature enregistrés dans la période, part de ceux qui concluent "
           "« engagements tenus ».", kind="rate", capability="charte")
def _charter_honoured(ctx: Context) -> Source:
    stmt = (select(CharterReview.id).join(CharterSignature, CharterSignature.id == CharterReview.signature_id)
            .join(Company, Company.id == CharterSignature.company_id))
    return Source(stmt, on=CharterReview.reviewed_on, place=Company.commune_code,
                  whole=CharterReview.id.is_not(None), part=CharterReview.outcome == "tenus")


# --- retention after hire ------------------------------------------------------------------------


def _retention(days: int) -> Callable[[Context], Source]:
    def build(ctx: Context) -> Source:
        broke_before = and_(Hire.ended_on.is_not(None), days_between(Hire.ended_on, Hire.start_on) < days)
        reached = Hire.start_on <= ctx.today - timedelta(days=days)
        # A rupture before the horizon counts as soon as it happens; a hire
        # still running counts once the horizon is reached; a contract ended at its planned term is kept.
        return Source(
            _hires(), on=Hire.start_on, place=YouthProfile.commune_code, youth=True, company=Hire.company_id,
            whole=or_(broke_before, reached), part=and_(reached, ~broke_before), person=Hire.youth_id,
            joins=_HIRE_JOINS)

    return build


for _key, _label, _text in (
    ("j30", "En poste à J+30", "30 jours"),
    ("j90", "En poste à J+90", "90 jours"),
    ("m6", "En poste à 6 mois", "6 mois (182 jours)"),
):
    indicator(f"maintien_{_key}", "maintien", _label,
              f"Parmi les embauches commencées dans la période dont l'échéance de {_text} est atteinte (ou "
              f"rompues avant), part de celles qui n'ont pas été rompues avant {_text}. Un contrat arrivé à "
              "son terme prévu compte comme maintenu.", kind="rate", audiences=STAFF_EMPLOYER)(
        _retention(RETENTION_HORIZONS[_key]))


@indicator("ruptures", "maintien", "Ruptures de contrat",
           "Nombre d'embauches rompues avant leur terme dont la date de rupture tombe dans la période. Le "
           "détail par motif figure dans le tableau.", audiences=STAFF_EMPLOYER)
def _ruptures(ctx: Context) -> Source:
    return _hire_source(_hires().where(Hire.ended_on.is_not(None)), on=Hire.ended_on)


# --- partners and directory ----------------------------------------------------------------------


def _conventions() -> Select:
    return (select(Convention.id).join(PartnerOrganisation, PartnerOrganisation.id == Convention.partner_id)
            .where(Convention.status == "active"))


@indicator("conventions_actives", "partenaires", "Conventions partenaires actives",
           "Nombre de conventions au statut « active » dont la durée recouvre au moins un jour de la période.",
           audiences=STAFF_PARTNER)
def _conventions_active(ctx: Context) -> Source:
    # Overlap with the period: handled by queries.overlap (start_on <= period end, end_on >= period start).
    return Source(_conventions(), on=(Convention.start_on, Convention.end_on), place=PartnerOrganisation.commune_code,
                  partner=Convention.partner_id)


@indicator("conventions_echeance", "partenaires", "Conventions arrivant à échéance",
           "Nombre de conventions au statut « active » dont la date de fin tombe dans la période.",
           audiences=STAFF_PARTNER)
def _conventions_expiring(ctx: Context) -> Source:
    return Source(_conventions(), on=Convention.end_on, place=PartnerOrganisation.commune_code,
                  partner=Convention.partner_id)


@indicator("services_publies", "partenaires", "Services publiés dans l'annuaire",
           "Nombre de services de l'annuaire au statut « publié » au jour de l'édition. Photographie du jour : "
           "la période n'y change rien.", audiences=STAFF_PARTNER)
def _services_published(ctx: Context) -> Source:
    return Source(select(DirectoryService.id).where(DirectoryService.status == "publie"),
                  place=DirectoryService.commune_code, partner=DirectoryService.partner_id)


@indicator("services_a_actualiser", "partenaires", "Services publiés à actualiser",
           "Nombre de services publiés dont la date de prochaine mise à jour est dépassée au jour de l'édition.",
           audiences=STAFF_PARTNER)
def _services_stale(ctx: Context) -> Source:
    stmt = select(DirectoryService.id).where(DirectoryService.status == "publie",
                                             DirectoryService.stale_on < ctx.today)
    return Source(stmt, place=DirectoryService.commune_code, partner=DirectoryService.partner_id)


