"""Text helpers shared by every capability: accent-free search keys and French formatting."""

import re
import unicodedata
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

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


LOCALE = "fr_FR"
# Every time a person reads is in the territory's time zone; the database stores naive UTC.
TIMEZONE = ZoneInfo("Europe/Paris")


def local(value: datetime) -> datetime:
    """The Europe/Paris time of a stored (naive UTC, or aware) timestamp."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(TIMEZONE)


def _parsed(value: date | datetime | str) -> date | datetime:
    # Some JSON columns keep timestamps as ISO strings (e.g. when a signing link was sent).
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def local_day(value: date | datetime | str) -> date:
    """The Paris day of a stored timestamp (a date stays as it is)."""
    value = _parsed(value)
    return local(value).date() if isinstance(value, datetime) else value


def date_fr(value: date | datetime | str | None) -> str:
    """04/12/2026 (a timestamp is read on its Paris day)."""
    if not value:
        return ""
    return format_date(local_day(value), "dd/MM/y", locale=LOCALE)


def date_long_fr(value: date | datetime | str | None) -> str:
    """4 déc. 2026."""
    if not value:
        return ""
    return format_date(local_day(value), "d MMM y", locale=LOCALE)


def datetime_fr(value: datetime | str | None) -> str:
    """4 déc. 2026 à 15 h 02, in Paris time."""
    if not value:
        return ""
    return format_datetime(local(_parsed(value)), "d MMM y 'à' H 'h' mm", locale=LOCALE)


def number_fr(value: int | float | Decimal | None, decimals: int = 0) -> str:
    """1 234,5 with a narrow no-break space as thousands separator."""
    if value is None:
        return ""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def is_digits(text: str) -> bool:
    """Only the digits 0 to 9: `str.isdigit` also says yes to « ² » (which `int` refuses: a 500) and to « ١ »
    (which it reads as 1). Every « is this a number, an id, a code » check of the portal goes through here."""
    return text.isascii() and text.isdigit()
