"""A check-in's derived « difficulté signalée » flag, kept by `portal.search` on every write: trouble reported on
this check-in (a side answered « plus en poste » or « difficultés ») or another check-in of the same hire
recorded « difficulté ». « Mes suivis » puts flagged check-ins first, reading its order from an index instead
of looking at every open check-in's siblings."""

from sqlalchemy import case, exists, or_, select
from sqlalchemy.orm import aliased

from crm.followup.models import CheckIn
from crm.followup.queries import trouble_reported
from portal import search


def check_in_flags(session, ids: list[int]) -> dict[int, dict]:
    other = aliased(CheckIn)
    earlier_trouble = exists().where(other.hire_id == CheckIn.hire_id, other.situation == "difficulte",
                                     other.id != CheckIn.id)
    flagged = case((or_(trouble_reported(), earlier_trouble), True), else_=False)
    return {ident: {"needs_attention": bool(flag)} for ident, flag in session.execute(
        select(CheckIn.id, flagged).where(search.among(session, CheckIn.id, ids)))}


search.derive(CheckIn, compute=check_in_flags, columns=("needs_attention",),
              reads=("employer_difficulties", "employer_in_post", "youth_difficulties", "youth_in_post"),
              siblings=[(CheckIn.hire_id, ("situation",))])
