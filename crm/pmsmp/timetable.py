"""The weekly timetable (emploi du temps) of a PMSMP convention as pure functions: no database, no Flask.

Periods of presence, hours by day and week, and the schedule's legal checks (48 hours a week, a minor's
limits, night and rest; Sundays and public holidays over the convention's dates).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from crm.pmsmp.rules import WEEKDAYS, Problem, days_between
from portal.dates import holiday_name

DAY_MINUTES = 24 * 60
NIGHT_ENDS, NIGHT_STARTS = 6 * 60, 22 * 60
MAX_OVERNIGHT_MINUTES = 12 * 60


@dataclass(frozen=True)
class Period:
    """One period of presence starting on a weekday (0 = Monday) of the weekly schedule. A period that ends
    at or before its start time runs overnight and ends the next day (22:00–06:00)."""

    weekday: int
    starts: time
    ends: time

    @property
    def overnight(self) -> bool:
        return _minutes(self.ends) < _minutes(self.starts)

    @property
    def minutes(self) -> int:
        return (_minutes(self.ends) - _minutes(self.starts)) % DAY_MINUTES

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def label(self) -> str:
        return f"{self.starts:%H:%M}–{self.ends:%H:%M}" + (" (le lendemain)" if self.overnight else "")

    def segments(self) -> list[tuple[int, int, int]]:
        """(weekday, start minute, end minute) of the period on each calendar day it covers."""
        start = _minutes(self.starts)
        if not self.overnight:
            return [(self.weekday, start, start + self.minutes)]
        after = _minutes(self.ends)
        return [(self.weekday, start, DAY_MINUTES)] + ([((self.weekday + 1) % 7, 0, after)] if after else [])


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def segments_by_day(periods: Sequence[Period]) -> dict[int, list[tuple[int, int, Period]]]:
    """Each calendar weekday's (start minute, end minute, period) presences, in order: an overnight period is
    split at midnight between its two days."""
    days: dict[int, list[tuple[int, int, Period]]] = {d: [] for d in range(7)}
    for p in periods:
        for day, start, end in p.segments():
            days[day].append((start, end, p))
    for d in days:
        days[d].sort(key=lambda seg: (seg[0], seg[1]))
    return days


def _hours_fr(value: float) -> str:
    whole, minutes = int(value), round((value - int(value)) * 60)
    return f"{whole} h {minutes:02d}" if minutes else f"{whole} h"


def by_day(periods: Sequence[Period]) -> dict[int, list[Period]]:
    days: dict[int, list[Period]] = {d: [] for d in range(7)}
    for p in periods:
        days[p.weekday].append(p)
    for d in days:
        days[d].sort(key=lambda p: p.starts)
    return days


def daily_hours(periods: Sequence[Period]) -> dict[int, float]:
    """Hours of presence on each calendar weekday (an overnight period counts on both of its days)."""
    return {d: sum(end - start for start, end, _ in segs) / 60 for d, segs in segments_by_day(periods).items()}


def weekly_hours(periods: Sequence[Period]) -> float:
    return sum(p.hours for p in periods)


def check_periods(periods: Sequence[Period]) -> list[Problem]:
    """Each period lasts (one ending before it starts runs overnight); periods do not overlap, an overnight one
    included on the next morning."""
    problems = []
    for p in periods:
        if p.minutes == 0:
            problems.append(Problem("plages", f"{WEEKDAYS[p.weekday]} : la plage {p.label} commence et se termine "
                                              "à la même heure.", "schedule"))
        elif p.overnight and p.minutes > MAX_OVERNIGHT_MINUTES:
            # most likely typed the wrong way round (17:00–09:00 for 09:00–17:00)
            problems.append(Problem("plages", f"{WEEKDAYS[p.weekday]} : la plage {p.label} passe minuit et dure "
                                              f"{_hours_fr(p.hours)} ; une plage de nuit dure 12 h au plus : "
                                              "vérifiez le début et la fin.", "schedule"))
    for day, segs in segments_by_day([p for p in periods if p.minutes]).items():
        for (_, first_end, first), (second_start, _, second) in zip(segs, segs[1:], strict=False):
            if second_start < first_end:
                problems.append(Problem("plages", f"{WEEKDAYS[day]} : les plages {first.label} et {second.label} "
                                                  "se chevauchent.", "schedule"))
    return problems


def check_weekly_limit(periods: Sequence[Period]) -> list[Problem]:
    total = weekly_hours(periods)
    if total > 48:
        return [Problem("hebdo_48h", f"L'emploi du temps totalise {_hours_fr(total)} par semaine : 48 h au plus "
                                     "(art. L. 3121-20).", "schedule")]
    return []


def check_minor_schedule(periods: Sequence[Period]) -> list[Problem]:
    """Daily and weekly limits, night work and rest for a young person under 18 at the start."""
    problems = []
    for day, hours in daily_hours(periods).items():
        if hours > 8:
            problems.append(Problem("mineur_duree", f"{WEEKDAYS[day]} : {_hours_fr(hours)} de présence, un mineur "
                                                    "est limité à 8 h par jour (art. L. 3162-1).", "schedule"))
    total = weekly_hours(periods)
    if total > 35:
        problems.append(Problem("mineur_duree", f"L'emploi du temps totalise {_hours_fr(total)} par semaine, un "
                                                "mineur est limité à 35 h (art. L. 3162-1).", "schedule"))
    for p in periods:
        if any(start < NIGHT_ENDS or end > NIGHT_STARTS for _, start, end in p.segments()):
            problems.append(Problem("mineur_nuit", f"{WEEKDAYS[p.weekday]} : la plage {p.label} empiète sur la nuit ; "
                                                   "un mineur ne peut être présent entre 22 h et 6 h "
                                                   "(art. L. 3163-1).", "schedule"))
    problems.extend(_minor_daily_rest(periods))
    days = segments_by_day(periods)
    worked = [bool(days[d]) for d in range(7)]
    if not any(not worked[d] and not worked[(d + 1) % 7] for d in range(7)):
        problems.append(Problem("mineur_repos_hebdo", "Un mineur doit avoir deux jours consécutifs sans présence "
                                                      "chaque semaine (art. L. 3164-2).", "schedule"))
    return problems


def _minor_daily_rest(periods: Sequence[Period]) -> list[Problem]:
    problems = []
    days = segments_by_day(periods)
    for day in range(7):
        if not days[day]:
            continue
        first, last = days[day][0][0], max(end for _, end, _ in days[day])
        if last - first > 12 * 60:
            problems.append(Problem("mineur_repos_quotidien", f"{WEEKDAYS[day]} : la journée s'étend sur plus de "
                                    "12 heures ; un mineur a droit à 12 heures consécutives de repos "
                                    "(art. L. 3164-1).", "schedule"))
            continue
        nxt = days[(day + 1) % 7]
        if nxt:
            rest = DAY_MINUTES - last + nxt[0][0]
            if rest < 12 * 60:
                problems.append(Problem("mineur_repos_quotidien",
                                        f"Entre {WEEKDAYS[day].lower()} et {WEEKDAYS[(day + 1) % 7].lower()}, "
                                        f"{_hours_fr(rest / 60)} de repos seulement : 12 heures consécutives au "
                                        "moins pour un mineur (art. L. 3164-1).", "schedule"))
    return problems


def worked_dates(start: date, end: date, periods: Sequence[Period]) -> list[date]:
    """Dates of the convention on which the weekly schedule has a presence (the morning after an overnight
    period included)."""
    weekdays = {day for p in periods for day, _, _ in p.segments()}
    return [start + timedelta(days=i) for i in range(days_between(start, end)) if
            (start + timedelta(days=i)).weekday() in weekdays]


def planned_hours(start: date, end: date, periods: Sequence[Period]) -> float:
    """Hours the schedule plans over the whole convention."""
    per_day = daily_hours(periods)
    return sum(per_day[d.weekday()] for d in worked_dates(start, end, periods))


def check_sundays_and_holidays(start: date, end: date, periods: Sequence[Period], minor: bool) -> list[Problem]:
    """Warning listing the Sundays and public holidays with a presence."""
    flagged = []
    for d in worked_dates(start, end, periods):
        name = holiday_name(d)
        if name:
            flagged.append(f"{d:%d/%m/%Y} ({name})")
        elif d.weekday() == 6:
            flagged.append(f"{d:%d/%m/%Y} (dimanche)")
    if not flagged:
        return []
    extra = " Pour un mineur, c'est interdit sauf dérogation du secteur." if minor else ""
    return [Problem("dimanche_ferie", "Présence prévue un dimanche ou un jour férié : " + ", ".join(flagged) + "."
                    + extra, "schedule")]
