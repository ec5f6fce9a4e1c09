"""The convention and its assessment as French PDF documents (portal.pdf, fpdf2)."""

from flask import current_app

from crm.pmsmp import rules, timetable
from crm.pmsmp.convention import content_hash, signatories
from crm.pmsmp.models import Placement
from portal.pdf import FrenchDocument
from portal.text import date_fr, datetime_fr, number_fr


def _hours(value) -> str:
    return number_fr(float(value), 2 if float(value) % 1 else 0) + " h"


def schedule_rows(p: Placement) -> list[tuple[str, str]]:
    """One line per weekday with its periods and hours."""
    per_day = timetable.by_day(p.schedule)
    rows = []
    for day, periods in per_day.items():
        if periods:
            hours = sum(x.hours for x in periods)
            rows.append((rules.WEEKDAYS[day], " et ".join(x.label for x in periods) + f" ({_hours(hours)})"))
    rows.append(("Total hebdomadaire", _hours(p.weekly_hours)))
    return rows


def signature_rows(p: Placement) -> list[tuple[str, str]]:
    rows = []
    for who in signatories(p):
        s = p.signature_for(who.role)
        state = (f"signé le {datetime_fr(s.signed_at)} par {s.name}, empreinte {s.content_hash[:16]}…"
                 if s else "en attente de signature")
        rows.append((who.role_label, f"{who.name} <{who.email}> : {state}"))
    validation = (f"validé le {datetime_fr(p.validated_at)} par {p.validated_by.display_name}"
                  if p.validated_at and p.validated_by else "en attente de validation")
    rows.append(("Prescripteur", f"{current_app.config['ORGANISATION_NAME']}, {p.counsellor.display_name} : "
                                 f"{validation}"))
    return rows


def convention_pdf(p: Placement) -> bytes:
    """The convention: parties, objective, schedule table, rules, signature block."""
    org = current_app.config["ORGANISATION_NAME"]
    doc = FrenchDocument(title=f"Convention PMSMP {p.reference}", author=org,
                         footer=f"{org} · Convention PMSMP {p.reference}")
    doc.heading("Convention de période de mise en situation en milieu professionnel")
    doc.paragraph(f"{p.reference} · statut : {p.status_label} · Code du travail, art. L. 5135-1 et suivants, "
                  "D. 5135-1 à D. 5135-8.", size=9, align="L")
    doc.subheading("Bénéficiaire")
    youth = p.youth
    doc.key_values([("Nom", youth.full_name), ("Date de naissance", date_fr(youth.birth_date)),
                    ("Mineur au premier jour", "Oui" if p.minor_at_start else "Non"),
                    ("Courriel", p.youth_email), ("Téléphone", p.youth_phone or "—")])
    for rep in p.representatives:
        doc.key_values([("Représentant légal", f"{rep.name} ({rep.link})"), ("Courriel", rep.email),
                        ("Téléphone", rep.phone or "—")])
    doc.subheading("Structure d'accueil")
    doc.key_values([("Raison sociale", p.company.name), ("SIRET", p.company.siret or "—"),
                    ("Tuteur", f"{p.tutor_name}, {p.tutor_job}"), ("Contact du tuteur",
                                                                    f"{p.tutor_email} · {p.tutor_phone or '—'}"),
                    ("Lieu", f"{p.place_address}, {p.place_commune.name}")])
    doc.subheading("Prescripteur")
    doc.key_values([("Organisme", org), ("Conseiller·ère", f"{p.counsellor.display_name} ({p.counsellor.email})")])
    doc.subheading("Objet de la période")
    rows = [("Objectif", p.objective_label), ("Métier", f"{p.appellation.label} ({p.appellation.rome_code})"),
            ("Dates", f"du {date_fr(p.start_date)} au {date_fr(p.end_date)} ({p.duration_days} jours calendaires)")]
    if p.is_renewal:
        rows.append(("Renouvellement de", f"PMSMP-{p.renewal_of_id:05d} : {p.renewal_reason or ''}"))
    doc.key_values(rows)
    doc.paragraph(f"Activités confiées : {p.activities}")
    if p.skills:
        doc.paragraph(f"Compétences à observer : {p.skills}")
    doc.subheading("Emploi du temps hebdomadaire")
    doc.key_values(schedule_rows(p))
    doc.subheading("Conditions, prévention et assurance")
    doc.key_values([("Conditions de travail", p.work_conditions or "—"),
                    ("Protection et prévention", p.protection or "—"),
                    ("Assurance de l'accueil", f"{p.insurer}{' n° ' + p.insurance_policy if p.insurance_policy else ''}"),
                    ("Accident du travail déclaré par", p.accident_declarer_label)])
    doc.subheading("Règles applicables")
    doc.bullets([f"{r.title} ({r.reference})" for r in rules.LEGAL_RULES.values() if r.blocking
                 and (p.minor_at_start or not r.code.startswith("mineur"))])
    doc.subheading("Signatures")
    doc.key_values(signature_rows(p))
    doc.paragraph(f"Empreinte SHA-256 du contenu actuel : {content_hash(p)}", size=8, align="L")
    return doc.to_bytes()


def assessment_pdf(p: Placement) -> bytes:
    """The bilan of a convention."""
    a = p.assessment
    org = current_app.config["ORGANISATION_NAME"]
    doc = FrenchDocument(title=f"Bilan PMSMP {p.reference}", author=org, footer=f"{org} · Bilan {p.reference}")
    doc.heading("Bilan de la période de mise en situation")
    doc.key_values([("Convention", p.reference), ("Bénéficiaire", p.youth.full_name),
                    ("Structure d'accueil", p.company.name), ("Métier", p.appellation.label),
                    ("Période", f"du {date_fr(p.start_date)} au {date_fr(p.end_date)}")])
    rows = [("Déroulement", a.outcome_label), ("Heures prévues", _hours(p.planned_hours)),
            ("Heures effectuées", _hours(a.hours_done))]
    if a.last_day:
        rows.append(("Dernier jour de présence", date_fr(a.last_day)))
    if a.missed_hours is not None:
        rows.append(("Heures manquées", _hours(a.missed_hours)))
    if a.outcome == "absence":
        rows += [("Raison de l'absence", a.no_show_reason or "—"), ("Annulé par", a.cancelled_by_label or "—")]
    doc.key_values(rows)
    doc.subheading("Compétences observées")
    doc.paragraph(a.skills_observed or "—")
    doc.subheading("Avis de la structure d'accueil")
    doc.paragraph(a.employer_feedback or "—")
    doc.subheading("Suite")
    job = (f"Oui : {a.contract_label}, à partir du {date_fr(a.job_start_on)}"
           + (f" jusqu'au {date_fr(a.job_end_on)}" if a.job_end_on else "")) if a.ended_with_job else "Non"
    doc.key_values([("Embauche", job), ("Accord du jeune", "Oui" if a.youth_agrees else "Non"),
                    ("Commentaire du jeune", a.youth_comment or "—"),
                    ("Rempli par", f"{a.filled_by_name} ({rules.FILLED_BY.get(a.filled_by_role, a.filled_by_role)}) "
                                   f"le {datetime_fr(a.filled_at)}")])
    doc.paragraph(f"Empreinte SHA-256 du bilan : {a.content_hash}", size=8, align="L")
    return doc.to_bytes()
