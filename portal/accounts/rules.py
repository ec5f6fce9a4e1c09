"""Pure rules about accounts: no database, no Flask."""

import hashlib
import re
import string
from urllib.parse import unquote

MIN_PASSWORD_LENGTH = 12

# C0 controls and DEL: browsers drop tab, CR and LF anywhere in a URL (and trim the others at its ends),
# so "/\t/evil.example" reaches them as "//evil.example"; Werkzeug refuses CR and LF in a header (a 500).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_NEXT_LENGTH = 2000


def password_problem(password: str, *, email: str = "") -> str | None:
    """French explanation of why a password is too weak, or None (CNIL recommendation: 12 characters
    mixing upper case, lower case, digits and special characters)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Le mot de passe doit contenir au moins {MIN_PASSWORD_LENGTH} caractères."
    if len(password) > 200:
        return "Le mot de passe ne doit pas dépasser 200 caractères."
    classes = [
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(c in string.punctuation or c.isspace() or not c.isalnum() for c in password),
    ]
    if not all(classes):
        return "Le mot de passe doit mêler majuscules, minuscules, chiffres et caractères spéciaux."
    local = email.split("@")[0].lower()
    if len(local) >= 4 and local in password.lower():
        return "Le mot de passe ne doit pas contenir votre adresse électronique."
    return None


def local_path(target: str | None) -> str | None:
    """`target` when it can only be a path of this site, else None (then go home).

    Read as a browser would: a backslash is a slash, and the target is also read percent-decoded (as
    often as it stays encoded, within reason) so that no encoded form hides a control character, a
    second slash or a scheme. Anything holding a control character is refused rather than cleaned.
    """
    if not target or len(target) > MAX_NEXT_LENGTH:
        return None
    path = target.replace("\\", "/")
    readings = [path]
    for _ in range(3):
        decoded = unquote(readings[-1], errors="replace").replace("\\", "/")
        if decoded == readings[-1]:
            break
        readings.append(decoded)
    for reading in readings:
        if _CONTROL.search(reading) or not reading.startswith("/") or reading.startswith("//"):
            return None
    return path


def fingerprint(*parts: object) -> str:
    """Short digest of an account's state: a token bound to it dies when the state changes."""
    raw = "|".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(raw.encode()).hexdigest()[:20]
