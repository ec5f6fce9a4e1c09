"""The counsellors' working views of the companies: the prospection board (a company moved from one stage
to another, the stages themselves) and the saved filters of the lists. Flush and audit; the view commits."""

from typing import Any

from sqlalchemy import func, select

from crm.employers import queries
from crm.employers.models import STAGES, Company, PipelineStage, SavedFilter
from crm.employers.rules import name_key
from portal.accounts.models import User
from portal.audit.services import record
from portal.errors import DomainError
from portal.extensions import db


def move_stage(actor: User, company: Company, stage: str) -> None:
    """Move a company to another stage of the prospection board (audited)."""
    labels = queries.stage_labels()
    if stage not in labels:
        raise DomainError("Étape du tableau de prospection inconnue.", field="stage")
    if company.stage == stage:
        return
    previous = company.stage
    company.stage = stage
    db.session.flush()
    record(actor, "company.stage", company,
           summary=f"{company.name} : {labels.get(previous, previous)} → {labels[stage]}",
           details={"avant": previous, "apres": stage})


def ensure_default_stages() -> None:
    """Write the default stages (DESIGN.md §3) when the table is empty."""
    if db.session.scalar(select(func.count()).select_from(PipelineStage)):
        return
    for position, (code, label) in enumerate(STAGES.items()):
        db.session.add(PipelineStage(code=code, label=label, position=position, active=True))
    db.session.flush()


def save_stages(actor: User, rows: list[dict[str, Any]]) -> None:
    """Rename, reorder, (de)activate and add stages. A stage still holding companies stays active."""
    ensure_default_stages()
    existing = {s.code: s for s in db.session.scalars(select(PipelineStage))}
    for row in rows:
        label = (row.get("label") or "").strip()
        if not label:
            raise DomainError("Chaque étape doit avoir un libellé.", field="stages")
        stage = existing.get(row.get("code") or "")
        if stage is None:
            code = name_key(label).replace(" ", "_")[:40] or "etape"
            if code in existing:
                raise DomainError(f"L'étape « {label} » existe déjà.", field="stages")
            stage = PipelineStage(code=code, label=label, position=int(row.get("position") or 99), active=True)
            db.session.add(stage)
            existing[code] = stage
            continue
        active = bool(row.get("active"))
        if not active and stage.active:
            used = db.session.scalar(select(func.count()).select_from(Company).where(
                Company.stage == stage.code, Company.archived_at.is_(None)))
            if used:
                raise DomainError(f"L'étape « {stage.label} » contient encore {used} entreprise(s) : "
                                  "déplacez-les avant de la désactiver.", field="stages")
        stage.label, stage.position, stage.active = label[:100], int(row.get("position") or 0), active
    if not any(s.active for s in existing.values()):
        raise DomainError("Gardez au moins une étape active.", field="stages")
    db.session.flush()
    record(actor, "pipeline.update", None, object_type="PipelineStage", summary="Étapes du tableau de prospection modifiées")


def save_filter(actor: User, *, scope: str, name: str, query: str) -> SavedFilter:
    """Keep the current list filters under a name (same name: replaced)."""
    name = (name or "").strip()
    if not name:
        raise DomainError("Donnez un nom à cette recherche.", field="name")
    if len(name) > 100:
        raise DomainError("100 caractères au maximum.", field="name")
    saved = db.session.scalar(select(SavedFilter).where(SavedFilter.user_id == actor.id, SavedFilter.scope == scope,
                                                        SavedFilter.name == name))
    if saved is None:
        saved = SavedFilter(user_id=actor.id, scope=scope, name=name)
        db.session.add(saved)
    saved.query = query[:2000]
    db.session.flush()
    record(actor, "saved_filter.save", saved, summary=f"Recherche enregistrée « {name} »")
    return saved


def delete_filter(actor: User, saved: SavedFilter) -> None:
    db.session.delete(saved)
    db.session.flush()
    record(actor, "saved_filter.delete", None, object_type="SavedFilter", object_id=saved.id,
           summary=f"Recherche « {saved.name} » supprimée")
