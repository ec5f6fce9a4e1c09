"""The DPO's page (admin only): find a young person, see what is held, export it, erase it; retention."""

import re
from datetime import date
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import ADMIN, roles
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm
from portal.privacy import queries, services
from portal.privacy.forms import EraseForm
from portal.xlsx_write import xlsx_download

bp = Blueprint("privacy", __name__, url_prefix="/donnees-personnelles")


def _youth_or_404(youth_id: int):
    return queries.get_youth(youth_id) or abort(404)


def register_summary() -> list[dict]:
    """The sections of docs/rgpd.md with their retention line (the register itself stays in the docs)."""
    path = Path(current_app.root_path).parent / "docs" / "rgpd.md"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return []
    sections = []
    for block in re.split(r"^## ", text, flags=re.M)[1:]:
        title, _, body = block.partition("\n")
        match = re.search(r"\*\*Durée de conservation\*\* \| (.+?) \|\s*$", body, flags=re.M)
        sections.append({"title": title.strip(), "retention": re.sub(r"\*\*", "", match.group(1)) if match else None,
                         "body": body.strip()})
    return sections


@bp.get("/")
@roles(ADMIN)
def index():
    term = request.args.get("q", "", type=str)[:80]
    return render_template("portal/privacy/index.html", term=term, found=queries.search(term) if term else None,
                           months=services.retention_months(), files_days=services.import_files_days(),
                           last_run=queries.last_retention_run(), register=register_summary())


@bp.post("/conservation")
@roles(ADMIN)
def run_retention_now():
    """The nightly retention job, run at once by the DPO (same rule, same report, same audit)."""
    if EmptyForm().validate_on_submit():
        report = services.run_retention(date.today())
        db.session.commit()
        flash(f"Durées de conservation appliquées : {report['anonymised']} profil(s) anonymisé(s), "
              f"{report['files']['purged']} fichier(s) d'import supprimé(s).", "success")
    return redirect(url_for(".index"), 303)


@bp.get("/registre")
@roles(ADMIN)
def show_register():
    return render_template("portal/privacy/register.html", sections=register_summary())


def _render_youth(youth, form, status=200):
    found = queries.linked(youth)
    return render_template("portal/privacy/youth.html", youth=youth, found=found, form=form,
                           erased=queries.erasure_event(youth), last_activity=queries.last_activity(found),
                           access_count=sum(1 for e in found.events if e.action == "privacy.access")), status


@bp.get("/jeunes/<int:youth_id>")
@roles(ADMIN)
def show_youth(youth_id: int):
    youth = _youth_or_404(youth_id)
    services.log_access(current_user, youth, "dpo")
    db.session.commit()
    return _render_youth(youth, EraseForm(formdata=None))


@bp.get("/jeunes/<int:youth_id>/export.xlsx")
@roles(ADMIN)
def export_youth(youth_id: int):
    youth = _youth_or_404(youth_id)
    content = services.export_youth(current_user, youth)
    db.session.commit()
    return xlsx_download(f"donnees-jeune-{youth.id}.xlsx", content)


@bp.post("/jeunes/<int:youth_id>/effacer")
@roles(ADMIN)
def erase_youth(youth_id: int):
    youth = _youth_or_404(youth_id)
    form = EraseForm()
    if form.validate_on_submit():
        try:
            services.erase_youth(current_user, youth, reason=form.reason.data)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash("Données effacées : le profil est anonymisé, les indicateurs gardent leurs comptes.", "success")
            return redirect(url_for(".show_youth", youth_id=youth.id), 303)
    return _render_youth(youth, form, 422)
