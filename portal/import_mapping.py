"""Which column of an uploaded file feeds which field of an import (portal/xlsx.py), and remembering it.

A header is recognised by the field's known names (accents, case, spaces and punctuation ignored); a header
that is not, or that repeats one already recognised, is left for a person to choose: a field or « ignorer ».
The choice is remembered for the whole team, for the next file of the same import with the same headers.
"""

import hashlib
from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from portal.extensions import db
from portal.forms import Form
from portal.models import utcnow
from portal.xlsx_tables import Column, header_key

IGNORE = "ignorer"
CHOOSE = "Choisissez le champ de cette colonne, ou « Ignorer cette colonne »."


class ImportMapping(db.Model):
    """A mapping chosen by a person for the files of one import that carry these headers."""

    __tablename__ = "import_mapping"

    id: Mapped[int] = mapped_column(primary_key=True)
    spec: Mapped[str] = mapped_column(String(40), nullable=False)
    signature: Mapped[str] = mapped_column(String(64), nullable=False)  # sha256 of the headers' keys
    headers: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    mapping: Mapped[dict[str, str]] = mapped_column(JSON, nullable=False)  # column index -> field or IGNORE
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("spec", "signature"),)


def signature(headers: list[str]) -> str:
    """The same for two files whose headers read the same once accents, case and punctuation are ignored."""
    return hashlib.sha256("\x1f".join(header_key(h) for h in headers).encode()).hexdigest()


def remembered(spec: str, headers: list[str]) -> dict[int, str] | None:
    """The mapping a person chose for these headers in this import, if any."""
    found = db.session.scalar(select(ImportMapping).where(ImportMapping.spec == spec,
                                                          ImportMapping.signature == signature(headers)))
    return {int(k): v for k, v in found.mapping.items()} if found else None


def remember(actor, spec: str, headers: list[str], choice: dict[int, str]) -> None:
    """Keep `choice` (every header's field or IGNORE) for the next file with the same headers (flush only)."""
    sig = signature(headers)
    found = db.session.scalar(select(ImportMapping).where(ImportMapping.spec == spec, ImportMapping.signature == sig))
    if found is None:
        found = ImportMapping(spec=spec, signature=sig)
        db.session.add(found)
    found.headers, found.mapping = list(headers), {str(k): v for k, v in choice.items()}
    found.updated_by_id = getattr(actor, "id", None)
    db.session.flush()


def propose(headers: list[str], columns: list[Column], known: dict[int, str] | None = None) -> dict[int, str]:
    """Column index -> field key or IGNORE, for the headers recognised (or all of them from a remembered
    mapping); a header missing from the result is for a person to choose. Blank headers are ignored."""
    if known is not None:
        return {i: k for i, k in known.items() if i < len(headers)}
    proposal: dict[int, str] = {}
    used: set[str] = set()
    for index, header in enumerate(headers):
        if not header.strip():
            proposal[index] = IGNORE
            continue
        key = header_key(header)
        column = next((c for c in columns if key in c.names()), None)
        if column is not None and column.key not in used:
            proposal[index] = column.key
            used.add(column.key)
    return proposal


def repeated(headers: list[str]) -> set[int]:
    """The columns whose header repeats an earlier one (accents, case and punctuation ignored)."""
    seen: set[str] = set()
    found = set()
    for index, header in enumerate(headers):
        key = header_key(header)
        if key and key in seen:
            found.add(index)
        seen.add(key)
    return found


def problems(headers: list[str], choice: dict[int, str], columns: list[Column]) -> tuple[dict[int, str], list[str]]:
    """What stops a mapping: per column index (no choice, a field chosen twice), and for the whole file
    (a required field without a column, nothing to import), in French."""
    by_index: dict[int, str] = {}
    taken: dict[str, int] = {}
    labels = {c.key: c.header for c in columns}
    for index in range(len(headers)):
        key = choice.get(index)
        if not key:
            by_index[index] = CHOOSE
        elif key != IGNORE:
            if key in taken:
                by_index[index] = (f"« {labels[key]} » est déjà le champ de la colonne « {headers[taken[key]]} » : "
                                   "choisissez un autre champ, ou ignorez l'une des deux.")
            else:
                taken[key] = index
    overall = [f"Aucune colonne n'est associée au champ obligatoire « {c.header} »."
               for c in columns if c.required and c.key not in taken]
    if not taken:
        overall.append("Associez au moins une colonne à un champ.")
    return by_index, overall


def fields_of(choice: dict[int, str]) -> dict[int, str]:
    """The mapping an import job uses: the columns that feed a field."""
    return {i: k for i, k in choice.items() if k and k != IGNORE}


def mapping_form(headers: list[str], columns: list[Column], proposal: dict[int, str]) -> Form:
    """One select per header of the file (« col_<index> »), its field or « ignorer »."""
    choices = [SelectChoice("", "— À choisir —"), SelectChoice(IGNORE, "Ignorer cette colonne")] + [
        SelectChoice(c.key, c.header + (" (obligatoire)" if c.required else "")) for c in columns]

    class MappingForm(Form):
        pass

    for index, header in enumerate(headers):
        if header.strip():
            setattr(MappingForm, f"col_{index}", SelectField(
                f"« {header[:80]} »", choices=choices, default=proposal.get(index, ""), validate_choice=True))
    return MappingForm()


def choice_of(form: Form, headers: list[str]) -> dict[int, str]:
    """The mapping as chosen on the form (blank headers ignored)."""
    return {i: (form[f"col_{i}"].data or "") if header.strip() else IGNORE for i, header in enumerate(headers)}
