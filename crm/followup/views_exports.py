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
from portal.privacy.services import log_list_export
from portal.xlsx_tables import Table


class _Seen:
    """Notes the young person of each hire or check-in as the rows are written, for the access log: the
    logged people are exactly the exported ones, and the stream is not held in memory."""

    def __init__(self, items, youth_id):
        self.items, self.youth_id, self.ids, self.count = items, youth_id, set(), 0

    def __iter__(self):
        for item in self.items:
            self.ids.add(self.youth_id(item))
            self.count += 1
            yield item


def _stream(table: Table, seen: _Seen, kind: str, filters: dict[str, str], **export):
    response = table.export(f"{table.title}.xlsx", seen, **export)  # written (spooled) before it returns
    services.record_export(current_user, kind, rows=seen.count, filters=filters)
    log_list_export(current_user, sorted(seen.ids), f"export_{table.title}")  # RGPD: one access per young person
    db.session.commit()
    return response


@bp.get("/suivis/export.xlsx")
@roles(*STAFF)
def export_follow_ups():
    mine = request.args.get("tous") != "1"
    today = date.today()
    stmt = (queries.follow_up_queue(current_user, today=today, mine=mine)
            .options(selectinload(CheckIn.hire).joinedload(Hire.counsellor)).execution_options(yield_per=500))
    seen = _Seen(db.session.scalars(stmt), lambda check_in: check_in.hire.youth_id)
    return _stream(xlsx.QUEUE, seen, "queue", {"tous": not mine}, per_batch=xlsx.queue_context(today))


@bp.get("/suivis/embauches/export.xlsx")
@roles(*STAFF)
def export_hires():
    state = request.args.get("etat", "")[:20]
    contract = request.args.get("contrat", "")[:30]
    stmt = queries.list_hires(current_user, state=state, contract_type=contract,
                              today=date.today()).execution_options(yield_per=500)
    seen = _Seen(db.session.scalars(stmt), lambda hire: hire.youth_id)
    return _stream(xlsx.HIRES, seen, "hires", {"etat": state, "contrat": contract})
