"""The subject access export (RGPD article 15): one workbook, one sheet per kind of record, every column
of every linked row. Columns are read from the tables themselves, so a field added later is exported too."""

import json
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from portal.audit.models import AuditEvent
from portal.privacy.holders import Found, Sheet, holders
from portal.xlsx_write import safe_cell

# French headers for the columns; a column missing here keeps its technical name (still exported).
LABELS = {
    "id": "Identifiant", "created_at": "Créé le", "updated_at": "Modifié le", "version": "Version",
    "first_name": "Prénom", "last_name": "Nom", "search_text": "Texte de recherche",
    "birth_date": "Date de naissance", "sex": "Sexe", "commune_code": "Commune (code INSEE)",
    "phone": "Téléphone", "email": "Courriel", "education_level": "Niveau de formation",
    "has_licence": "Permis", "has_vehicle": "Véhicule", "mobility_mode": "Mode de déplacement",
    "max_commute_km": "Trajet maximum (km)", "available_from": "Disponible à partir du",
    "wanted_contracts": "Contrats recherchés", "programme": "Dispositif", "qpv": "Résidence en QPV",
    "zrr": "Résidence en ZRR", "referent_id": "Conseiller référent (compte)", "imilo_id": "Identifiant i-milo",
    "consent_on": "Consentement donné le", "consent_scope": "Portée du consentement",
    "consent_recorded_by_id": "Consentement enregistré par (compte)",
    "consent_withdrawn_at": "Consentement retiré le", "archived_at": "Archivé le",
    "youth_id": "Jeune", "position": "Rang", "rome_code": "Code ROME", "rome_family": "Famille ROME",
    "appellation_code": "Appellation ROME", "offer_id": "Offre", "score": "Score", "breakdown": "Détail du score",
    "status": "Statut", "counsellor_note": "Note du conseiller", "created_by_id": "Créé par (compte)",
    "proposed_at": "Proposé le", "employer_answer": "Réponse de l'employeur",
    "employer_reason": "Motif de l'employeur", "employer_answered_at": "Réponse de l'employeur le",
    "interview_on": "Entretien le", "positioning_id": "Mise en relation", "from_status": "Statut de départ",
    "to_status": "Nouveau statut", "actor_id": "Auteur (compte)", "actor_label": "Auteur", "at": "Date",
    "note": "Note", "youth_email": "Courriel du jeune", "youth_phone": "Téléphone du jeune",
    "minor_at_start": "Mineur au début", "company_id": "Entreprise", "tutor_name": "Tuteur",
    "tutor_job": "Fonction du tuteur", "tutor_email": "Courriel du tuteur", "tutor_phone": "Téléphone du tuteur",
    "counsellor_id": "Conseiller (compte)", "objective": "Objectif", "activities": "Activités",
    "skills": "Compétences", "start_date": "Début", "end_date": "Fin", "place_address": "Adresse du lieu",
    "place_commune_code": "Commune du lieu", "work_conditions": "Conditions de travail",
    "protection": "Protections", "insurer": "Assureur", "insurance_policy": "Contrat d'assurance",
    "accident_declarer": "Déclarant des accidents", "renewal_of_id": "Renouvellement de",
    "renewal_reason": "Motif du renouvellement", "status_reason": "Motif (refus, annulation)",
    "validated_at": "Validée le", "validated_by_id": "Validée par (compte)",
    "validated_hash": "Empreinte validée", "links_sent": "Liens envoyés", "placement_id": "Convention",
    "rank": "Rang", "name": "Nom", "link": "Lien", "weekday": "Jour (0 = lundi)", "starts_at": "Début",
    "ends_at": "Fin", "role": "Rôle", "signed_at": "Signée le", "ip_address": "Adresse IP",
    "user_agent": "Navigateur", "content_hash": "Empreinte", "user_id": "Compte", "cleared_at": "Annulée le",
    "cleared_reason": "Motif d'annulation", "outcome": "Issue", "last_day": "Dernier jour",
    "missed_hours": "Heures manquées", "no_show_reason": "Motif d'absence", "cancelled_by": "Annulée par",
    "hours_done": "Heures effectuées", "skills_observed": "Compétences observées",
    "employer_feedback": "Avis de l'employeur", "ended_with_job": "Débouche sur un emploi",
    "contract_type": "Type de contrat", "job_start_on": "Début de l'emploi", "job_end_on": "Fin de l'emploi",
    "youth_agrees": "Accord du jeune", "youth_comment": "Commentaire du jeune",
    "filled_by_role": "Rempli par (rôle)", "filled_by_name": "Rempli par", "filled_by_id": "Rempli par (compte)",
    "filled_at": "Rempli le", "hire_id": "Embauche", "source": "Origine", "start_on": "Début", "end_on": "Fin",
    "trial_end_on": "Fin de période d'essai", "hours_per_week": "Heures par semaine", "job_title": "Poste",
    "ended_on": "Rupture le", "rupture_initiative": "Initiative de la rupture",
    "rupture_reason": "Motif de la rupture", "rupture_note": "Note sur la rupture",
    "reopen_positioning": "Mise en relation rouverte", "due_on": "Échéance", "label": "Libellé",
    "done_at": "Fait le", "done_by_id": "Fait par (compte)", "channel": "Canal", "situation": "Situation",
    "summary": "Résumé", "next_step": "Suite", "employer_link_sent_at": "Lien employeur envoyé le",
    "employer_reminded_at": "Employeur relancé le", "employer_answered_by": "Réponse employeur par",
    "employer_in_post": "En poste (employeur)", "employer_satisfaction": "Satisfaction (employeur)",
    "employer_difficulties": "Difficultés (employeur)", "employer_comment": "Commentaire de l'employeur",
    "youth_link_sent_at": "Lien jeune envoyé le", "youth_reminded_at": "Jeune relancé le",
    "youth_answered_at": "Réponse du jeune le", "youth_in_post": "En poste (jeune)",
    "youth_satisfaction": "Satisfaction (jeune)", "youth_difficulties": "Difficultés (jeune)",
    "mediation_task_id": "Tâche de médiation", "cancelled_at": "Annulé le",
    "cancel_reason": "Motif de l'annulation", "check_in_id": "Point de suivi", "kind": "Nature",
    "occurred_on": "Date", "title": "Titre", "assignee_id": "Assignée à (compte)",
    "subject_type": "Objet lié (type)", "subject_id": "Objet lié (identifiant)", "interaction_id": "Échange",
    "action": "Action", "object_type": "Objet (type)", "object_id": "Objet (identifiant)",
    "details": "Détails", "event_id": "Événement", "attendance": "Présence", "added_by_id": "Ajouté par (compte)",
}


def _cell(value):
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters would make openpyxl refuse the cell
    return safe_cell(value)


def _sheet(book: Workbook, title: str, rows: list, model=None) -> None:
    """One sheet: a header per column of the table, one line per row (a header line only when none)."""
    sheet = book.create_sheet(title)
    table = (model or (type(rows[0]) if rows else None)).__table__
    columns = [c for c in table.columns]
    sheet.append([LABELS.get(c.name, c.name) for c in columns])
    for row in rows:
        sheet.append([_cell(getattr(row, c.key)) for c in columns])


def sheets(found: Found) -> list[Sheet]:
    """(sheet title, rows, model) in the order of the workbook: each holder's, then the audit log."""
    result: list[Sheet] = []
    for holder in holders():
        if holder.sheets is not None:
            result += holder.sheets(found)
    return result + [("Journal d'audit", found.events, AuditEvent)]


def workbook(found: Found) -> bytes:
    """The workbook of everything held about one young person."""
    book = Workbook()
    book.remove(book.active)
    for title, rows, model in sheets(found):
        _sheet(book, title, rows, model)
    stream = BytesIO()
    book.save(stream)
    return stream.getvalue()
