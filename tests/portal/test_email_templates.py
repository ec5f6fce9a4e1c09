"""Every e-mail template, rendered with the sample data its service gives it, reads right (issue 18 §7):
no « de le » or « à le », no double dot after an initial (« Hugo R.. »), one wording for young people
(« le ou la jeune », « du ou de la jeune », « au ou à la jeune », « ce ou cette jeune »), no ISO date, and
every variable it uses given (a strict render)."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import render_template
from jinja2 import StrictUndefined

from crm.pmsmp import corrections
from crm.pmsmp.content import Changes
from crm.pmsmp.convention import signatories
from crm.surveys.models import Survey, SurveyInvitation

EMAILS = Path(__file__).resolve().parents[2] / "templates" / "emails"
TEMPLATES = sorted(p.name for p in EMAILS.glob("*.txt"))
TODAY = date(2026, 12, 4)
LINK = "http://127.0.0.1:5000/lien/abc"

SLIPS = {
    r"\b[dD]e le\b": "« de le » au lieu de « du »",
    r"\b[àÀ] le\b": "« à le » au lieu de « au »",
    r"\b[dD]e les\b": "« de les » au lieu de « des »",
    r"\b[àÀ] les\b": "« à les » au lieu de « aux »",
    r"\b[A-ZÀ-Ý]\.\.": "double point après une initiale",
    r"\d{4}-\d{2}-\d{2}": "date ISO",
    r"\bNone\b": "valeur vide affichée « None »",
}
# the one form for a young person whose gender the text does not know (« aucun jeune », a negation, names nobody)
YOUNG_PERSON = re.compile(r"(le ou la|du ou de la|au ou à la|ce ou cette|aucun) jeune$", re.IGNORECASE)


def _world(make) -> dict:
    counsellor = make.counsellor(full_name="Nadia Vidal")
    company = make.company(name="Coutellerie Dumas & Fils", email="rh@dumas.test")
    employer = make.employer(full_name="Marc Dumas", company_id=company.id)
    offer = make.offer(company_obj=company, title="Forgeron·ne en coutellerie", contact_name="Marc Dumas",
                       contact_email="marc@dumas.test")
    youth = make.youth(first_name="Hugo", last_name="Roux")
    positioning = make.positioning(offer, youth, employer_answer="non_retenu", employer_reason="experience")
    hire = make.hire(youth=make.followup_youth(first_name="Hugo", last_name="Roux"), company=company,
                     start_on=TODAY - timedelta(days=10))
    placement = make.placement(actor=counsellor, youth=make.pmsmp_youth(first_name="Hugo", last_name="Roux"),
                               company=company)
    task = make.task(assignee=counsellor, title="Appeler la tutrice de Hugo Roux", company_id=company.id)
    signature = make.charter_signature(company=company, signatory_name="Marc Dumas")
    survey = Survey(year=2026, opens_on=TODAY, closes_on=TODAY + timedelta(days=30))
    survey_invitation = SurveyInvitation(survey=survey, company=company, company_id=company.id)
    return {"counsellor": counsellor, "company": company, "employer": employer, "offer": offer,
            "positioning": positioning, "hire": hire, "check_in": hire.check_ins[0], "placement": placement,
            "who": signatories(placement)[0], "task": task, "signature": signature,
            "convention": make.convention(), "service": make.directory_service(), "survey": survey,
            "survey_invitation": survey_invitation}


def _samples(w: dict) -> dict[str, list[dict]]:
    """Each template's contexts, as its services build them (one per variant)."""
    p, hire = w["placement"], w["hire"]
    modified = Changes(substantive=("youth_id", "start_date", "schedule"), cosmetic=()).labels()
    return {
        "charter_confirm.txt": [{"signature": w["signature"], "company": w["company"], "link": LINK, "days": 7}],
        "charter_renewal.txt": [{"signature": w["signature"], "company": w["company"]}],
        "charter_validated.txt": [{"signature": w["signature"], "company": w["company"], "has_account": account}
                                  for account in (True, False)],
        "convention_expiry.txt": [{"person": w["counsellor"], "convention": w["convention"], "days": 30}],
        "directory_review.txt": [{"service": w["service"]}],
        "directory_stale.txt": [{"service": w["service"]}],
        "employers_due_tasks.txt": [{"user": w["counsellor"], "tasks": [w["task"]], "today": TODAY}],
        "followup_answer.txt": [{"who": who, "check_in": w["check_in"], "hire": hire, "url": LINK}
                                for who in ("l'employeur", "le ou la jeune")],
        "followup_difficulty.txt": [{"task": w["task"], "reported_by": who, "hire": hire, "url": LINK}
                                    for who in ("la conseillère ou le conseiller", "l'employeur", "le ou la jeune")],
        "followup_due.txt": [{"counsellor": w["counsellor"], "check_ins": hire.check_ins[:n], "url": LINK}
                             for n in (1, 2)],
        "followup_link.txt": [{"side": side, "hire": hire, "reminder": reminder, "url": LINK, "max_days": 30}
                              for side in ("employeur", "jeune") for reminder in (False, True)],
        "invitation.txt": [{"user": w["employer"], "inviter": inviter, "link": LINK, "days": 7}
                           for inviter in ("Nadia Vidal", None)],
        "matching_answer.txt": [{"positioning": w["positioning"], "comment": "Profil intéressant pour plus tard."}],
        "matching_proposed.txt": [{"positioning": w["positioning"]}],
        "offer_confirm.txt": [{"offer": w["offer"], "link": LINK}],
        "offer_idle.txt": [{"offer": w["offer"], "closing_on": TODAY + timedelta(days=15)}],
        "offer_new_need.txt": [{"offer": w["offer"]}],
        "offer_status.txt": [{"offer": w["offer"], "reason": reason} for reason in (None, "Poste pourvu en interne")],
        "password_reset.txt": [{"user": w["employer"], "link": LINK, "hours": 2}],
        "pmsmp_assessment_request.txt": [{"placement": p, "step": step, "url": LINK} for step in (0, 3)],
        "pmsmp_closed.txt": [{"who": w["who"], "placement": p}],
        "pmsmp_sign_request.txt": [
            {"who": w["who"], "placement": p, "url": LINK, "days": 30, "reason": reason}
            for reason in ("", corrections.CORRECTED, "La convention a été modifiée (" + Changes(
                (), ("youth_email", "youth_phone", "representatives_links")).labels("cosmetic") + ").",
                           f"La convention a été modifiée ({modified}) : merci de la relire et de la signer à nouveau.")],
        "pmsmp_signature_reminder.txt": [{"placement": p, "missing": signatories(p), "url": LINK}],
        "pmsmp_to_validate.txt": [{"placement": p, "url": LINK}],
        "pmsmp_validated.txt": [{"who": w["who"], "placement": p, "url": LINK}],
        "survey_invitation.txt": [{"survey": w["survey"], "invitation": w["survey_invitation"], "url": LINK,
                                   "reminder": reminder} for reminder in (False, True)],
        "privacy_retention.txt": [{"today": TODAY, "count": 3, "months": 24, "cutoff": TODAY - timedelta(days=730),
                                   "files": 2, "files_days": 30}],
    }


def problems_in(text: str) -> list[str]:
    """The French slips of a rendered e-mail, each with the words around it."""
    found = [f"{why} : « {text[max(m.start() - 20, 0):m.end() + 20]} »"
             for pattern, why in SLIPS.items() for m in re.finditer(pattern, text)]
    for m in re.finditer(r"\bjeune\b", text, re.IGNORECASE):
        before = text[max(m.start() - 12, 0):m.end()]
        if not YOUNG_PERSON.search(before):
            found.append(f"formulation « jeune » hors de la forme retenue : « {text[max(m.start() - 25, 0):m.end()]} »")
    return found


def test_the_checks_catch_the_slips_they_name():
    found = problems_in("Bonjour Hugo R.. Le suivi de le jeune")
    assert [p.split(" : « ")[0] for p in found] == ["« de le » au lieu de « du »", "double point après une initiale",
                                                   "formulation « jeune » hors de la forme retenue"]
    assert problems_in("Le ou la jeune a répondu ; la réponse du ou de la jeune ; les jeunes") == []


def test_every_template_has_its_samples(app, make):
    assert sorted(_samples(_world(make))) == TEMPLATES


@pytest.mark.parametrize("template", TEMPLATES)
def test_each_email_reads_right(app, make, monkeypatch, template):
    monkeypatch.setattr(app.jinja_env, "undefined", StrictUndefined)
    app.jinja_env.cache.clear()  # templates compiled with the lenient undefined are compiled again
    world = _world(make)
    with app.test_request_context("/"):
        for context in _samples(world)[template]:
            text = render_template(f"emails/{template}", organisation="Mission Locale Bassin Thiernois",
                                   base_url="http://127.0.0.1:5000", **context)
            assert problems_in(text) == [], f"{template} avec {sorted(context)}"
    app.jinja_env.cache.clear()
