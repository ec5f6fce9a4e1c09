"""Spreadsheet exports of « mes suivis » and of the list of hires (same blueprint, same filters as the pages)."""

from datetime import date

from flask import request
from flask_login import current_user
from sqlalchemy.orm import selectinload

from crm.followup import queries, services, xlsx
from crm.followup.models import CheckIn, Hire
from crm.followup.views import bp
from portal.access import STAFF, roles
from portal.extensions import db
from portal.xlsx import export_response


class _Counter:
    """Counts the rows as the engine consumes them, for the audit event."""

    def __init__(self, rows):
        self.rows, self.count = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


def _stream(filename: str, headers: list[str], rows, kind: str, filters: dict[str, str]):
    counted = _Counter(rows)
    response = export_response(filename, headers, counted, sheet_title=filename.removesuffix(".xlsx"))
    services.record_export(current_user, kind, rows=counted.count, filters=filters)
    db.session.commit()
    return response


@bp.get("/suivis/export.xlsx")
@roles(*STAFF)
def export_follow_ups():
    mine = request.args.get("tous") != "1"
    today = date.today()
    stmt = (queries.follow_up_queue(current_user, today=today, mine=mine)
            .options(selectinload(CheckIn.hire).joinedload(Hire.counsellor)).execution_options(yield_per=500))
    return _stream("suivis.xlsx", xlsx.QUEUE_HEADERS, xlsx.queue_rows(db.session.scalars(stmt), today), "queue",
                   {"tous": not mine})


@bp.get("/suivis/embauches/export.xlsx")
@roles(*STAFF)
def export_hires():
    state = request.args.get("etat", "")[:20]
    contract = request.args.get("contrat", "")[:30]
    stmt = queries.list_hires(current_user, state=state, contract_type=contract,
                              today=date.today()).execution_options(yield_per=500)
    return _stream("embauches.xlsx", xlsx.HIRE_HEADERS, xlsx.hire_rows(db.session.scalars(stmt)), "hires",
                   {"etat": state, "contrat": contract})
