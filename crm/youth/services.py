"""Young people's profiles: create, edit, consent, archive. Every change audited, no free text kept."""

import re
from datetime import date
from typing import Any

from crm.youth import rules
from crm.youth.models import YouthProfile, YouthTarget
from crm.youth.queries import find_duplicate
from portal import concurrency
from portal.audit.services import record, record_many
from portal.bulk import bulk_insert
from portal.errors import DomainError
from portal.extensions import db
from portal.models import utcnow
from portal.referentials import queries as referentials
from portal.referentials.vocabulary import CONTRACT_TYPES

FIELDS = ("first_name", "last_name", "birth_date", "sex", "commune_code", "phone", "email", "education_level",
          "has_licence", "has_vehicle", "mobility_mode", "max_commute_km", "available_from", "wanted_contracts",
          "programme", "qpv", "zrr", "imilo_id")
_ROME = re.compile(r"^[A-Z]\d{4}$")


def resolve_target(code: str) -> tuple[str, str | None] | None:
    """(ROME code, appellation code or None) for a typed ROME or appellation code, or None if unknown."""
    code = (code or "").strip().upper()
    if _ROME.match(code):
        return (code, None) if referentials.get_rome(code) else None
    appellation = referentials.get_appellation(code)
    return (appellation.rome_code, appellation.code) if appellation else None


def validate_profile(values: dict[str, Any], *, today: date, exclude_id: int | None = None,
                     check_duplicate: bool = True, require_target: bool = True) -> tuple[dict, list]:
    """The one validator of a profile, for the form and the import: (clean fields, targets) or DomainError.
    The import checks duplicates itself, a chunk at a time (`check_duplicate=False`), and takes profiles
    without a target job (`require_target=False`: an i-milo extract usually has none)."""
    data = {k: values.get(k) for k in FIELDS}
    for key in ("first_name", "last_name"):
        data[key] = (data[key] or "").strip()
        if not data[key]:
            raise DomainError("Information obligatoire.", field=key)
    if data["birth_date"] is None:
        raise DomainError("Information obligatoire.", field="birth_date")
    problem = rules.birth_date_problem(data["birth_date"], today)
    if problem:
        raise DomainError(problem, field="birth_date")
    if referentials.get_commune(data["commune_code"] or "") is None:
        raise DomainError("Commune inconnue : choisissez-la dans la liste proposée.", field="commune_code")
    if data["sex"] not in rules.SEXES:
        data["sex"] = "non_renseigne"
    if data["education_level"] and data["education_level"] not in rules.EDUCATION_LEVELS:
        raise DomainError("Niveau de formation inconnu.", field="education_level")
    if data["mobility_mode"] not in rules.MOBILITY_MODES:
        raise DomainError("Mode de déplacement inconnu.", field="mobility_mode")
    if data["programme"] not in rules.PROGRAMMES:
        data["programme"] = "aucun"
    km = data["max_commute_km"]
    if km is None or not 0 <= int(km) <= rules.MAX_COMMUTE_KM:
        raise DomainError(f"Le trajet maximum doit être compris entre 0 et {rules.MAX_COMMUTE_KM} km.",
                          field="max_commute_km")
    wanted = [c for c in (data["wanted_contracts"] or []) if c]
    if any(c not in CONTRACT_TYPES for c in wanted):
        raise DomainError("Type de contrat inconnu.", field="wanted_contracts")
    data["wanted_contracts"] = wanted
    if data["has_vehicle"] and data["mobility_mode"] in rules.WITHOUT_TRANSPORT_LIMIT_KM:
        pass  # a vehicle may exist without being the usual way to travel
    for key in ("has_licence", "has_vehicle", "qpv", "zrr"):
        data[key] = bool(data[key])
    data["imilo_id"] = (data["imilo_id"] or "").strip() or None
    data["phone"] = data["phone"] or None
    data["email"] = data["email"] or None
    data["education_level"] = data["education_level"] or None
    targets = []
    for index, code in enumerate(values.get("targets") or [], start=1):
        if not code:
            continue
        resolved = resolve_target(code)
        if resolved is None:
            raise DomainError("Code ROME ou métier inconnu : choisissez-le dans la liste proposée.",
                              field=f"target_{index}")
        if resolved[0] not in [t[0] for t in targets]:
            targets.append(resolved)
    if not targets and require_target:
        raise DomainError("Indiquez au moins un métier visé.", field="target_1")
    if len(targets) > rules.MAX_TARGETS:
        raise DomainError("Trois métiers visés au plus.", field="target_1")
    if not check_duplicate:
        return data, targets
    duplicate = find_duplicate(imilo_id=data["imilo_id"], first_name=data["first_name"],
                               last_name=data["last_name"], birth_date=data["birth_date"], exclude_id=exclude_id)
    if duplicate is not None:
        field = "imilo_id" if data["imilo_id"] and duplicate.imilo_id == data["imilo_id"] else "last_name"
        raise DomainError(f"Ce profil existe déjà : {duplicate.full_name}, né·e le "
                          f"{duplicate.birth_date.strftime('%d/%m/%Y')}.", field=field)
    return data, targets


def _clean(values: dict[str, Any], today: date, exclude_id: int | None = None) -> tuple[dict, list]:
    return validate_profile(values, today=today, exclude_id=exclude_id)


def _set_place(youth: YouthProfile) -> None:
    """Keep the commune's coordinates on the profile (the matching prefilter reads them from an index)."""
    commune = referentials.get_commune(youth.commune_code)
    youth.latitude = commune.latitude if commune else None
    youth.longitude = commune.longitude if commune else None


def _set_targets(youth: YouthProfile, targets: list[tuple[str, str | None]]) -> None:
    current = [(t.rome_code, t.appellation_code) for t in youth.targets]
    if current == targets:
        return
    youth.targets.clear()
    db.session.flush()
    for position, (rome, appellation) in enumerate(targets, start=1):
        youth.targets.append(YouthTarget(position=position, rome_code=rome, rome_family=rome[:3],
                                         appellation_code=appellation))


def create_youth(actor, *, today: date | None = None, **values) -> YouthProfile:
    """A new profile, followed by the actor unless another referent is given."""
    data, targets = _clean(values, today or date.today())
    youth = YouthProfile(referent_id=values.get("referent_id") or actor.id, **data)
    _set_place(youth)
    db.session.add(youth)
    _set_targets(youth, targets)
    db.session.flush()
    record(actor, "youth.create", youth, summary=f"Profil créé : {youth.full_name}")
    return youth


def import_profiles(actor, profiles: list[tuple[dict, list]]) -> list[int]:
    """Profiles checked by `validate_profile`, followed by the actor, inserted in bulk (a few statements for
    thousands of rows) with their targets and one audit event each, as `create_youth` writes them; flush only.
    Returns their ids, in order."""
    if not profiles:
        return []
    communes = referentials.communes_by_codes({data["commune_code"] for data, _ in profiles})
    now = utcnow()
    rows = []
    for data, _ in profiles:
        commune = communes[data["commune_code"]]
        rows.append({**data, "referent_id": actor.id, "latitude": commune.latitude, "longitude": commune.longitude,
                     "version": 1, "created_at": now, "updated_at": now})
    ids = bulk_insert(YouthProfile.__table__, rows, ids=True)
    targets = [{"youth_id": youth_id, "position": position, "rome_code": rome, "rome_family": rome[:3],
                "appellation_code": appellation}
               for youth_id, (_, chosen) in zip(ids, profiles, strict=True)
               for position, (rome, appellation) in enumerate(chosen, start=1)]
    bulk_insert(YouthTarget.__table__, targets)
    record_many(actor, "youth.create", [("YouthProfile", youth_id, f"Profil créé : {data['first_name']} "
                                         f"{data['last_name']}") for youth_id, (data, _) in zip(ids, profiles, strict=True)])
    return ids


def update_youth(actor, youth: YouthProfile, *, version: int | str | None = None, today: date | None = None,
                 **values) -> YouthProfile:
    """Edit a profile; a stale `version` means someone saved in between."""
    concurrency.check_version(youth, version, "Ce profil a été modifié")
    data, targets = _clean(values, today or date.today(), exclude_id=youth.id)
    changed = [k for k, v in data.items() if getattr(youth, k) != v]
    for key in changed:
        setattr(youth, key, data[key])
    if [(t.rome_code, t.appellation_code) for t in youth.targets] != targets:
        changed.append("targets")
        _set_targets(youth, targets)
    _set_place(youth)
    youth.updated_at = utcnow()
    db.session.flush()
    record(actor, "youth.update", youth, summary=f"Profil modifié : {youth.full_name}", details={"fields": changed})
    return youth


def record_consent(actor, youth: YouthProfile, *, on: date | None, scope: str, today: date | None = None) -> None:
    """Record the young person's consent to share their profile with employers (date, scope, who)."""
    today = today or date.today()
    if on is None:
        raise DomainError("Information obligatoire.", field="consent_on")
    if on > today:
        raise DomainError("La date du consentement ne peut pas être dans le futur.", field="consent_on")
    if on < youth.birth_date:
        raise DomainError("La date du consentement précède la date de naissance.", field="consent_on")
    if scope not in rules.CONSENT_SCOPES:
        raise DomainError("Choisissez ce que la personne accepte de transmettre.", field="consent_scope")
    youth.consent_on, youth.consent_scope = on, scope
    youth.consent_recorded_by_id, youth.consent_withdrawn_at = actor.id, None
    db.session.flush()
    record(actor, "youth.consent", youth, summary=f"Consentement enregistré : {youth.full_name}",
           details={"on": on.isoformat(), "scope": scope, "minor": youth.is_minor})


def withdraw_consent(actor, youth: YouthProfile) -> None:
    """Withdraw consent: employers stop seeing the profile at once, proposals stop."""
    if not youth.has_consent:
        raise DomainError("Aucun consentement en cours pour ce profil.")
    youth.consent_withdrawn_at = utcnow()
    db.session.flush()
    record(actor, "youth.consent_withdrawn", youth, summary=f"Consentement retiré : {youth.full_name}")


def archive_youth(actor, youth: YouthProfile) -> None:
    """Archive: the profile leaves lists, rankings and employers' views; its history stays."""
    if youth.archived_at is not None:
        raise DomainError("Ce profil est déjà archivé.")
    youth.archived_at = utcnow()
    db.session.flush()
    record(actor, "youth.archive", youth, summary=f"Profil archivé : {youth.full_name}")


def restore_youth(actor, youth: YouthProfile) -> None:
    """Bring an archived profile back."""
    if youth.archived_at is None:
        raise DomainError("Ce profil n'est pas archivé.")
    youth.archived_at = None
    db.session.flush()
    record(actor, "youth.restore", youth, summary=f"Profil restauré : {youth.full_name}")


def record_export(actor, *, filters: dict, count: int) -> None:
    """Audit an export of young people's data (personal data, often of minors): who, when, which filters."""
    record(actor, "youth.export", object_type="YouthProfile",
           summary=f"Export de la liste des jeunes ({count} profil(s))", details={"filters": filters, "count": count})


def record_import(actor, *, filename: str, written: int) -> None:
    """Audit an import of young people (each profile is audited too, by `create_youth`)."""
    record(actor, "youth.import", object_type="YouthProfile",
           summary=f"Import de jeunes : {written} profil(s) depuis « {filename} »",
           details={"filename": filename, "written": written})
