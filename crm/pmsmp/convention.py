"""A PMSMP convention as data and as rules: what its signatories agree to (content, hash, who signs), the
checks its values must pass, and its status history (a status moved through the transition table, a line
of history). `crm.pmsmp.services`, `signing` and `corrections` build on it."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from crm.pmsmp import content, queries, rules, timetable
from crm.pmsmp.models import Placement, PlacementStatusChange
from portal.audit.services import record
from portal.errors import DomainError
from portal.extensions import db


@dataclass(frozen=True)
class Signatory:
    role: str
    name: str
    email: str

    @property
    def role_label(self) -> str:
        return rules.SIGNATORY_ROLES[self.role]


# --- reading a convention as data --------------------------------------------------------------


def content_of(p: Placement) -> dict[str, Any]:
    """Everything a signatory agrees to, as plain data (hashed, compared, printed)."""
    reps = sorted(p.representatives, key=lambda r: r.rank)
    return {
        "youth_id": p.youth_id, "youth_email": p.youth_email, "youth_phone": p.youth_phone,
        "company_id": p.company_id, "counsellor_id": p.counsellor_id,
        "tutor_name": p.tutor_name, "tutor_job": p.tutor_job, "tutor_email": p.tutor_email,
        "tutor_phone": p.tutor_phone,
        "representatives_names": [r.name for r in reps], "representatives_emails": [r.email for r in reps],
        "representatives_phones": [r.phone for r in reps], "representatives_links": [r.link for r in reps],
        "objective": p.objective, "appellation_code": p.appellation_code, "activities": p.activities,
        "skills": p.skills, "start_date": p.start_date, "end_date": p.end_date,
        "schedule": sorted([p_.weekday, p_.starts_at.strftime("%H:%M"), p_.ends_at.strftime("%H:%M")]
                           for p_ in p.periods),
        "place_address": p.place_address, "place_commune_code": p.place_commune_code,
        "work_conditions": p.work_conditions, "protection": p.protection, "insurer": p.insurer,
        "insurance_policy": p.insurance_policy, "accident_declarer": p.accident_declarer,
        "renewal_of_id": p.renewal_of_id,
    }


def content_hash(p: Placement) -> str:
    """SHA-256 of the convention's content (what a signature commits to)."""
    return content.content_hash(content_of(p))


def signatories(p: Placement) -> list[Signatory]:
    """Who signs: the young person, the legal representatives of a minor, the host (tutor)."""
    people = [Signatory(rules.YOUTH, p.youth.full_name, p.youth_email)]
    if p.minor_at_start:
        people += [Signatory(r.role, r.name, r.email) for r in sorted(p.representatives, key=lambda r: r.rank)]
    people.append(Signatory(rules.HOST, p.tutor_name, p.tutor_email))
    return people


# --- checks -----------------------------------------------------------------------------------

CONVENTION_FIELDS = (
    "youth_email", "youth_phone", "company_id", "counsellor_id", "tutor_name", "tutor_job", "tutor_email",
    "tutor_phone", "objective", "appellation_code", "activities", "skills", "start_date", "end_date",
    "place_address", "place_commune_code", "work_conditions", "protection", "insurer", "insurance_policy",
    "accident_declarer", "renewal_of_id", "renewal_reason",
)


def check_convention(values: dict[str, Any], *, youth, placement: Placement | None, today: date) -> list[rules.Problem]:
    """Every rule (rules, timetable) on the values of a convention; blocking problems and warnings together."""
    start, end, periods = values["start_date"], values["end_date"], values["periods"]
    problems = rules.check_dates(start, end, today=today, is_new=placement is None)
    problems += rules.check_age(youth.birth_date, start)
    minor = rules.is_minor_at(youth.birth_date, start)
    if not periods:
        problems.append(rules.Problem("plages", "Indiquez au moins une plage horaire dans l'emploi du temps.",
                                      "schedule"))
    problems += timetable.check_periods(periods) + timetable.check_weekly_limit(periods)
    if minor:
        problems += timetable.check_minor_schedule(periods)
        if not values["representatives"]:
            problems.append(rules.Problem("representant_legal", "Le ou la jeune sera mineur·e au premier jour : indiquez "
                                          "au moins un représentant légal.", "rep1_name"))
    emails = {rules.YOUTH: values["youth_email"], rules.HOST: values["tutor_email"]}
    if minor:
        for rank, rep in enumerate(values["representatives"], start=1):
            emails[rules.LEGAL_REP_1 if rank == 1 else rules.LEGAL_REP_2] = rep["email"]
    problems += rules.check_distinct_emails(emails)
    exclude = placement.id if placement else None
    if end >= start:
        others = queries.overlapping_for_youth_company(youth.id, values["company_id"], exclude)
        problems += rules.check_duplicate([(o.reference, o.start_date, o.end_date) for o in others], start, end)
        problems += timetable.check_sundays_and_holidays(start, end, periods, minor)
        problems += rules.check_rolling_total(queries.periods_of_youth(youth.id, end, exclude), start, end)
    if values.get("renewal_of_id"):
        problems += _check_renewal(values, youth, exclude)
    return problems


def _check_renewal(values: dict[str, Any], youth, exclude: int | None) -> list[rules.Problem]:
    original = queries.get_placement(values["renewal_of_id"])
    if original is None or original.youth_id != youth.id or original.company_id != values["company_id"]:
        return [rules.Problem("renouvellement", "Un renouvellement prolonge une convention du même jeune dans la "
                                                "même structure d'accueil.", "renewal_of")]
    if original.status not in (rules.VALIDATED, rules.FINISHED):
        return [rules.Problem("renouvellement", "Seule une convention validée peut être renouvelée.", "renewal_of")]
    facts = rules.Renewed(objective=original.objective, is_renewal=original.is_renewal, end=original.end_date,
                          already_renewed=queries.has_renewal(original.id, exclude))
    return rules.check_renewal(facts, objective=values["objective"], justification=values.get("renewal_reason"),
                               start=values["start_date"])


def current_warnings(p: Placement, today: date) -> list[rules.Problem]:
    """The non-blocking rules that apply to a saved convention (shown on its page)."""
    values = {name: getattr(p, name) for name in CONVENTION_FIELDS}
    values["periods"] = p.schedule
    values["representatives"] = [{"email": r.email} for r in p.representatives]
    return [x for x in rules.warnings(check_convention(values, youth=p.youth, placement=p, today=today))
            if x.rule != "dates"]


# --- status history ---------------------------------------------------------------------------


def log_line(p: Placement, old: str | None, new: str, actor, actor_label: str | None,
             note: str | None) -> None:
    """One line of the convention's history (a status change, or an edit when `old == new`)."""
    label = actor_label or getattr(actor, "display_name", None) or "système"
    db.session.add(PlacementStatusChange(placement_id=p.id, from_status=old, to_status=new, actor_label=label[:200],
                                         actor_id=getattr(actor, "id", None), note=note))


def move(p: Placement, target: str, *, actor, actor_label: str | None = None, note: str | None = None) -> None:
    """Change status through the transition table, with its log line and audit event."""
    if p.status == target:
        return
    if not rules.can_transition(p.status, target):
        raise DomainError(f"Impossible de passer une convention « {p.status_label} » au statut "
                          f"« {rules.STATUSES.get(target, target)} ».")
    old = p.status
    p.status = target
    log_line(p, old, target, actor, actor_label, note)
    record(actor, "pmsmp.status", p, actor_label=actor_label,
           summary=f"{p.reference} : {rules.STATUSES[old]} → {rules.STATUSES[target]}",
           details={"from": old, "to": target, "note": note})
