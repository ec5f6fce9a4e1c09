"""Who may do what on a convention (`can(user, "pmsmp.…", placement)`), navigation entry."""

from datetime import date

from crm.pmsmp import rules
from portal import navigation
from portal.access import ADMIN, COUNSELLOR, EMPLOYER, STAFF, rule


def _own(user, p) -> bool:
    return user.role == EMPLOYER and p is not None and user.company_id == p.company_id


@rule("pmsmp.read")
def _read(user, p):
    return user.role in STAFF or _own(user, p)


@rule("pmsmp.create")
def _create(user, obj):
    return user.role in STAFF


@rule("pmsmp.edit")
def _edit(user, p):
    return user.role in STAFF and p is not None and p.status in rules.EDITABLE


@rule("pmsmp.send")
def _send(user, p):
    return user.role in STAFF and p is not None and p.status == rules.DRAFT


@rule("pmsmp.resend")
def _resend(user, p):
    return user.role in STAFF and p is not None and p.status in rules.SIGNING


@rule("pmsmp.sign")
def _sign(user, p):
    return _own(user, p) and p.status in rules.SIGNING and p.signature_for(rules.HOST) is None


@rule("pmsmp.validate")
def _validate(user, p):
    return user.role in STAFF and p is not None and p.status == rules.TO_VALIDATE


@rule("pmsmp.refuse")
def _refuse(user, p):
    return user.role in STAFF and p is not None and rules.can_transition(p.status, rules.REFUSED)


@rule("pmsmp.cancel")
def _cancel(user, p):
    return user.role in STAFF and p is not None and p.status == rules.VALIDATED and p.assessment is None


@rule("pmsmp.renew")
def _renew(user, p):
    return (user.role in STAFF and p is not None and p.status in (rules.VALIDATED, rules.FINISHED)
            and not p.is_renewal)


@rule("pmsmp.assess")
def _assess(user, p):
    return ((user.role in STAFF or _own(user, p)) and p is not None and p.status == rules.VALIDATED
            and p.assessment is None and p.start_date <= date.today())


navigation.add("PMSMP", "pmsmp.list_placements", (ADMIN, COUNSELLOR, EMPLOYER), order=40)
