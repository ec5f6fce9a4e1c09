"""Text helpers shared by every capability: accent-free search keys and French formatting."""

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(value: str | None) -> str:
    """Lower-case, accent-free, punctuation-free form used for search: "Saint-Rémy" -> "saint remy"."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    return _NON_ALNUM.sub(" ", stripped.lower()).strip()


def search_key(*parts: str | None) -> str:
    """Searchable column value: folded words with a leading space so that `LIKE '% word%'` finds
    any word by its beginning."""
    words = " ".join(fold(p) for p in parts if p)
    return " " + words if words else ""


def like_word_prefix(term: str) -> str:
    """LIKE pattern matching a word that starts with the folded term (wildcards escaped)."""
    return "% " + escape_like(fold(term)) + "%"


def escape_like(term: str) -> str:
    """Escape LIKE wildcards; use with `escape='\\\\'`."""
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def date_fr(value: date | datetime | None) -> str:
    """26/11/2026."""
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y")


def datetime_fr(value: datetime | None) -> str:
    """26/11/2026 à 14:05."""
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y à %H:%M")


def number_fr(value: int | float | Decimal | None, decimals: int = 0) -> str:
    """1 234,5 with a narrow no-break space as thousands separator."""
    if value is None:
        return ""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",")
