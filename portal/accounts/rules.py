"""Pure rules about accounts: no database, no Flask."""

import hashlib
import string

MIN_PASSWORD_LENGTH = 12


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


def fingerprint(*parts: object) -> str:
    """Short digest of an account's state: a token bound to it dies when the state changes."""
    raw = "|".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(raw.encode()).hexdigest()[:20]
