"""Demo partners of the Bassin Thiernois, their conventions and 60 directory services (deterministic)."""

from datetime import date, timedelta

from sqlalchemy import select

from crm.directory import rules
from crm.directory.models import DirectoryService
from crm.partners.models import Convention, PartnerOrganisation
from portal.access import COUNSELLOR
from portal.demo import DemoContext, make_siret, seeder
from portal.extensions import db

THIERS, CTDM, CEDA, DEPT = "63430", "200070712", "246301097", "63"

# name, kind, commune, thematiques (category or sub-theme codes), reception
PARTNERS = [
    ("France Travail Thiers", "institution_publique", "63430", ["trouver-un-emploi", "preparer-sa-candidature"]),
    ("CFA de Thiers – métiers de l'industrie", "emploi_formation", "63430", ["se-former", "choisir-un-metier"]),
    ("CFA BTP Puy-de-Dôme", "emploi_formation", "63430", ["se-former"]),
    ("GRETA Auvergne – antenne de Thiers", "emploi_formation", "63430", ["se-former", "lecture-ecriture-calcul"]),
    ("AFPA Clermont-Ferrand", "emploi_formation", "63113", ["se-former", "choisir-un-metier"]),
    ("École de la 2e chance Auvergne", "emploi_formation", "63113", ["remobilisation", "se-former"]),
    ("Cap Emploi 63", "institution_publique", "63113", ["trouver-un-emploi"]),
    ("CIO de Thiers", "institution_publique", "63430", ["choisir-un-metier"]),
    ("Point Accueil Écoute Jeunes Thiers", "sante", "63430", ["sante", "remobilisation"]),
    ("CMP Adolescents – Centre hospitalier de Thiers", "sante", "63430", ["sante"]),
    ("CPAM du Puy-de-Dôme – accueil de Thiers", "institution_publique", "63430", ["sante", "difficultes-administratives-ou-juridiques"]),
    ("Maison des adolescents du Puy-de-Dôme", "sante", "63113", ["sante", "famille"]),
    ("Foyer de jeunes travailleurs de Thiers", "logement", "63430", ["logement-hebergement"]),
    ("Action Logement – Auvergne", "logement", "63113", ["logement-hebergement", "difficultes-financieres"]),
    ("ADIL 63", "logement", "63113", ["logement-hebergement", "difficultes-administratives-ou-juridiques"]),
    ("Mobilité Solidaire Livradois-Forez", "mobilite", "63430", ["mobilite"]),
    ("Auto-école sociale Dore et Allier", "mobilite", "63195", ["mobilite"]),
    ("Garage solidaire de Lezoux", "mobilite", "63195", ["mobilite"]),
    ("Secours populaire – Thiers", "social_associatif", "63430", ["equipement-et-alimentation", "difficultes-financieres"]),
    ("Restos du cœur – Thiers", "social_associatif", "63430", ["equipement-et-alimentation"]),
    ("Centre social de Lezoux", "social_associatif", "63195", ["numerique", "famille", "lecture-ecriture-calcul"]),
    ("CCAS de Thiers", "institution_publique", "63430", ["difficultes-financieres", "difficultes-administratives-ou-juridiques"]),
    ("Espace France Services Courpière", "institution_publique", "63125", ["numerique", "difficultes-administratives-ou-juridiques"]),
    ("Réseau des entreprises du Bassin Thiernois", "reseau", "63430", ["trouver-un-emploi", "creer-une-entreprise"]),
    ("BGE Auvergne – création d'entreprise", "reseau", "63113", ["creer-une-entreprise"]),
]

CONVENTIONS = [
    (0, "Partenariat renforcé France Travail – Mission Locale", "cadre", True),
    (1, "Accueil des jeunes en apprentissage industriel", "partenariat", False),
    (3, "Remise à niveau savoirs de base", "prestation", False),
    (5, "Orientation vers l'École de la 2e chance", "partenariat", True),
    (8, "Permanences du PAEJ à la Mission Locale", "mise_a_disposition", True),
    (9, "Parcours santé mentale des 16-25 ans", "partenariat", False),
    (10, "Accès aux droits santé (bilans de santé)", "partenariat", True),
    (12, "Réservation de logements FJT", "partenariat", False),
    (13, "Aides au logement des alternants", "financement", False),
    (15, "Location de scooters et vélos électriques", "prestation", False),
    (16, "Permis solidaire", "financement", False),
    (19, "Aide alimentaire d'urgence", "partenariat", True),
    (20, "Ateliers numériques", "prestation", False),
    (22, "Permanences Espace France Services", "mise_a_disposition", True),
    (23, "Job dating et visites d'entreprises", "cadre", False),
]


def _sub_themes(code: str) -> list[str]:
    if code in rules.CATEGORIES:
        return [t for t in rules.THEMATIQUES if t.startswith(code + "--")]
    return [code]


def _partners(ctx: DemoContext, referent) -> list[PartnerOrganisation]:
    rows = []
    for index, (name, kind, commune, _) in enumerate(PARTNERS):
        if ctx.partner is not None and name == ctx.partner.name:
            rows.append(ctx.partner)
            continue
        partner = PartnerOrganisation(name=name, kind=kind, commune_code=commune, referent_id=referent.id,
                                      siret=make_siret(5000 + index) if index % 3 == 0 else None,
                                      phone=f"04 73 80 {10 + index:02d} {20 + index:02d}",
                                      email=f"contact{index}@partenaire-thiernois.test")
        db.session.add(partner)
        rows.append(partner)
    db.session.flush()
    return rows


def _conventions(partners, referent, today: date) -> None:
    for index, (p, title, kind, tacit) in enumerate(CONVENTIONS):
        start = today - timedelta(days=400 - 20 * index)
        end = today + timedelta(days=25) if index == 9 else start + timedelta(days=730)
        status = "brouillon" if index == 14 else "active"
        db.session.add(Convention(partner_id=partners[p].id, title=title, kind=kind, start_on=start, end_on=end,
                                  tacit_renewal=tacit, status=status, referent_id=referent.id,
                                  object=f"{title} entre la Mission Locale et {partners[p].name}.",
                                  objectives="Orienter et accompagner les jeunes du Bassin Thiernois."))


def _services(partners, ctx: DemoContext, today: date) -> None:
    kinds = list(rules.TYPES)
    for index in range(60):
        owner_index = index % (len(PARTNERS) + 1)
        partner = partners[owner_index] if owner_index < len(PARTNERS) else None
        categories = PARTNERS[owner_index][3] if partner else ["trouver-un-emploi", "choisir-un-metier"]
        themes = _sub_themes(categories[index % len(categories)])
        chosen = [themes[index % len(themes)], themes[(index + 1) % len(themes)]]
        remote = index % 7 == 0
        zone = [CTDM, CEDA] if index % 3 else [DEPT]
        updated = today - timedelta(days=(index * 11) % 240)
        status = "brouillon" if index % 20 == 19 else "publie"
        label = rules.THEMATIQUES[chosen[0]]
        service = DirectoryService(
            partner=partner, name=f"{label} – {partner.name if partner else 'Mission Locale'}"[:150],
            description=f"{label} : accueil, information et accompagnement des jeunes du territoire "
                        f"({'à distance et ' if remote else ''}sur rendez-vous).",
            thematiques_codes=rules.join_codes(chosen),
            publics_codes=rules.join_codes(["jeunes"] if index % 4 else ["tous-publics"]),
            service_type=kinds[index % len(kinds)], fees="gratuit" if index % 5 else "payant",
            reception_codes=rules.join_codes(["en-presentiel", "a-distance"] if remote else ["en-presentiel"]),
            zone_codes=rules.join_codes(zone), commune_code=partner.commune_code if partner else THIERS,
            phone=partner.phone if partner else "04 73 80 00 00",
            mobilisation_codes=rules.join_codes(["telephoner", "se-presenter"]),
            mobilisable_by_codes=rules.join_codes(["usagers", "professionnels"]),
            opening_hours="Du lundi au vendredi, 9 h – 12 h et 14 h – 17 h",
            update_frequency="trimestrielle" if index % 2 else "semestrielle",
            updated_on=updated, status=status, created_by_id=ctx.users[COUNSELLOR].id,
            review_state="a_valider" if index == 39 else None)
        service.stale_on = rules.stale_on(updated, service.update_frequency)
        db.session.add(service)


@seeder(40)
def seed_partners_and_directory(ctx: DemoContext) -> None:
    """About 25 partners, 15 conventions (one ending in 25 days) and 60 services across the thematiques."""
    today = date.today()
    referent = ctx.users[COUNSELLOR]
    partners = _partners(ctx, referent)
    _conventions(partners, referent, today)
    _services(partners, ctx, today)
    db.session.flush()
    _returned_service(ctx)


def _returned_service(ctx: DemoContext) -> None:
    """One of the demo partner's services sent back by moderation with a note (a to-do on its home)."""
    if ctx.partner is None:
        return
    service = db.session.scalar(select(DirectoryService).where(DirectoryService.partner_id == ctx.partner.id,
                                                               DirectoryService.review_state.is_(None))
                                .order_by(DirectoryService.status, DirectoryService.id))
    if service is not None:
        service.review_note = "Précisez les horaires d'accueil et le public concerné avant publication."
