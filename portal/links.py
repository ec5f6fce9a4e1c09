"""Signed, expiring links sent by e-mail: one declared kind per purpose.

Every link the portal mails to a person (invitation, password reset, PMSMP signature and assessment,
check-in answers, survey answers, charter and public need confirmations) is a `LinkKind`: its salt says
what the link is for, so a token made for one purpose is refused by every other; its expiry and its
French messages travel with it. A kind declares itself once, in the package that sends the link, and
`KINDS` lists them all.

A salt is never changed: links already sent would stop working (tests/portal/test_links.py keeps a
token made the old way readable).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

INVALID = "Ce lien n'est pas valide."
MISCOPIED = "Ce lien n'est pas valide : il a peut-être été mal copié."


class LinkError(Exception):
    """The link is expired, tampered with or no longer valid; `message` is French."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class LinkKind:
    """One kind of signed link.

    `max_age` is a duration or a function returning one (read at each use, for durations set in the
    configuration); `fields` names the keys the payload must carry and their types; `expired`,
    `tampered` (bad signature) and `invalid` (too long, or a payload of the wrong shape) are the French
    messages of a refused link; `max_length` (None: no limit) refuses absurd tokens before any work.
    """

    purpose: str
    salt: str
    max_age: timedelta | Callable[[], timedelta]
    fields: Mapping[str, type]
    expired: str
    tampered: str = MISCOPIED
    invalid: str = INVALID
    max_length: int | None = 500

    def _serializer(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=self.salt)

    def max_age_seconds(self) -> int:
        """How long a link of this kind lives, in seconds."""
        age = self.max_age() if callable(self.max_age) else self.max_age
        return int(age.total_seconds())

    def sign(self, payload: Mapping[str, Any]) -> str:
        """A token carrying `payload` (JSON-serialisable), signed for this kind's purpose."""
        return self._serializer().dumps(dict(payload))

    def read(self, token: str | None) -> dict[str, Any]:
        """The payload of a genuine, unexpired token of this kind, or LinkError with a French message."""
        if not token or (self.max_length is not None and len(token) > self.max_length):
            raise LinkError(self.invalid)
        try:
            data = self._serializer().loads(token, max_age=self.max_age_seconds())
        except SignatureExpired as exc:
            raise LinkError(self.expired) from exc
        except BadSignature as exc:
            raise LinkError(self.tampered) from exc
        if not isinstance(data, dict) or not all(isinstance(data.get(key), kind)
                                                 for key, kind in self.fields.items()):
            raise LinkError(self.invalid)
        return data


KINDS: dict[str, LinkKind] = {}


def declare(purpose: str, *, salt: str, max_age: timedelta | Callable[[], timedelta],
            fields: Mapping[str, type], expired: str, tampered: str = MISCOPIED, invalid: str = INVALID,
            max_length: int | None = 500) -> LinkKind:
    """Declare a kind of link once; two kinds may share neither a purpose nor a salt (declaring the same
    pair again, as a reloaded module does, replaces it)."""
    if any((k.purpose == purpose) != (k.salt == salt) for k in KINDS.values()):
        raise ValueError(f"link kind {purpose!r} or salt {salt!r} already declared for another kind")
    kind = LinkKind(purpose, salt, max_age, dict(fields), expired, tampered, invalid, max_length)
    KINDS[purpose] = kind
    return kind


def config_days(key: str, default: int | None = None) -> Callable[[], timedelta]:
    """An expiry read from the configuration at each use, in days."""
    def age() -> timedelta:
        value = current_app.config[key] if default is None else current_app.config.get(key, default)
        return timedelta(days=int(value))
    return age


def config_hours(key: str) -> Callable[[], timedelta]:
    """An expiry read from the configuration at each use, in hours."""
    return lambda: timedelta(hours=int(current_app.config[key]))
