"""Pure rules of the satisfaction survey: who answers, the questions, what a valid answer is, the
results' arithmetic. No database, no Flask."""

import re
from collections.abc import Iterable
from datetime import date

from portal.text import fold

# kinds of respondent, in the order of the results
CHARTER, ACTIVITY, PARTNER = "signataire", "entreprise", "partenaire"
KINDS = {
    CHARTER: "Entreprises signataires de la charte",
    ACTIVITY: "Entreprises avec une embauche ou une PMSMP",
    PARTNER: "Partenaires",
}

QUESTIONS = ("satisfaction", "recommend", "improve", "comment")
DEFAULT_QUESTIONS = {
    "satisfaction": "Dans l'ensemble, quelle est votre satisfaction de la relation avec la Mission Locale ?",
    "recommend": "Recommanderiez-vous la Mission Locale à une autre entreprise ou structure ?",
    "improve": "Que pourrions-nous améliorer ?",
    "comment": "Un commentaire libre",
}
MAX_QUESTION = 300
MAX_TEXT = 2000

SCORES = {
    1: "1 – Pas du tout satisfait·e",
    2: "2 – Peu satisfait·e",
    3: "3 – Moyennement satisfait·e",
    4: "4 – Satisfait·e",
    5: "5 – Très satisfait·e",
}
MIN_SCORE, MAX_SCORE = 1, 5

REMINDER_AFTER_DAYS = 7  # one reminder, a week after the invitation, while the survey is open
MAX_PERIOD_DAYS = 120
# the link's signature outlives any survey period; the survey's closing date is the real expiry
LINK_MAX_AGE_DAYS = MAX_PERIOD_DAYS + 30


def questions(overrides: dict | None) -> dict[str, str]:
    """The wording of each question: the admin's where set, the default otherwise."""
    overrides = overrides or {}
    return {key: (overrides.get(key) or "").strip() or DEFAULT_QUESTIONS[key] for key in QUESTIONS}


def period_problems(year: int | None, opens_on: date | None, closes_on: date | None) -> list[tuple[str, str]]:
    """What is wrong with a survey's year and answering period, field by field."""
    problems = []
    if year is None or not 2000 <= year <= 2100:
        problems.append(("year", "Indiquez une année entre 2000 et 2100."))
    if opens_on is None:
        problems.append(("opens_on", "Indiquez la date d'ouverture."))
    if closes_on is None:
        problems.append(("closes_on", "Indiquez la date de clôture."))
    if opens_on and closes_on:
        if closes_on < opens_on:
            problems.append(("closes_on", "La clôture doit suivre l'ouverture."))
        elif (closes_on - opens_on).days > MAX_PERIOD_DAYS:
            problems.append(("closes_on", f"L'enquête reste ouverte {MAX_PERIOD_DAYS} jours au plus."))
    if year and opens_on and not year <= opens_on.year <= year + 1:
        problems.append(("opens_on", f"L'enquête {year} s'ouvre en {year} ou au début de {year + 1}."))
    return problems


def is_open(opens_on: date, closes_on: date, today: date) -> bool:
    return opens_on <= today <= closes_on


def score_problem(value) -> str | None:
    """None for a whole score from 1 to 5, else the French message."""
    if value in (None, ""):
        return "Choisissez une note de 1 à 5."
    try:
        score = int(str(value).strip())
    except ValueError:
        return "La note va de 1 à 5."
    if str(score) != str(value).strip() or not MIN_SCORE <= score <= MAX_SCORE:
        return "La note va de 1 à 5."
    return None


_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """The folded words of a text (accents and case ignored)."""
    return _WORD.findall(fold(text or ""))


def mentioned_names(text: str, people: Iterable[tuple[str, str]]) -> list[str]:
    """The people (first name, last name) whose first and last names both stand in the text, side by side
    in either order: an answer must never name a young person."""
    seen = words(text)
    pairs = set(zip(seen, seen[1:], strict=False))
    found = []
    for first, last in people:
        first_words, last_words = words(first), words(last)
        if not first_words or not last_words:
            continue
        if (first_words[-1], last_words[0]) in pairs or (last_words[-1], first_words[0]) in pairs:
            found.append(f"{first} {last}")
    return found


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def average(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None
