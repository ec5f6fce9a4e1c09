"""Object rules of the charter (`can(user, "charter.…", signature)`)."""

from datetime import date

from charte import rules
from charte.models import ACTIVE, PENDING, TO_RENEW, WITHDRAWN
from portal.access import ADMIN, EMPLOYER, STAFF, rule


def _own(user, signature) -> bool:
    return user.role == EMPLOYER and signature is not None and signature.company_id == user.company_id


@rule("charter.edit")
def _edit(user, obj):
    return user.role == ADMIN


@rule("charter.validate")
def _validate(user, signature):
    return (user.role in STAFF and signature is not None and signature.status == PENDING
            and signature.email_confirmed_at is not None)


@rule("charter.review")
def _review(user, signature):
    return user.role in STAFF and signature is not None and signature.status in (ACTIVE, TO_RENEW)


@rule("charter.withdraw")
def _withdraw(user, signature):
    if signature is None or signature.status == WITHDRAWN:
        return False
    return user.role in STAFF or _own(user, signature)


@rule("charter.renew")
def _renew(user, signature):
    if signature is None or not rules.renewal_open(signature.status, signature.period_start, date.today()):
        return False
    return user.role in STAFF or _own(user, signature)


@rule("charter.certificate")
def _certificate(user, signature):
    if signature is None or signature.status not in (ACTIVE, TO_RENEW) or not signature.number:
        return False
    return user.role in STAFF or _own(user, signature)
