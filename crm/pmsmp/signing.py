"""Signatures of a convention: personal links by e-mail, signing by link or by an employer account,
clearing after a substantive change, and the e-mails to the parties."""

from datetime import datetime, timedelta

from crm.pmsmp import rules
from crm.pmsmp.convention import Signatory, content_hash, move, signatories
from crm.pmsmp.links import (
    ASSESS,
    SIGN,
    ConventionEnded,
    LinkClaims,
    LinkError,
    make_link_token,
    read_link_token,
)
from crm.pmsmp.models import Placement, PlacementSignature
from crm.pmsmp.queries import get_placement
from portal.access import EMPLOYER
from portal.audit.services import record
from portal.background import public_url
from portal.errors import DomainError
from portal.models import utcnow
from portal.notifications.services import queue
from portal.text import local

RESEND_AFTER = timedelta(hours=24)


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail, also from the reminders command (no request)."""
    return public_url(endpoint, **values)


def missing_signatories(p: Placement) -> list[Signatory]:
    signed = {s.role for s in p.active_signatures}
    return [s for s in signatories(p) if s.role not in signed]


def sign_url(p: Placement, who: Signatory) -> str:
    return external_url("pmsmp.sign_by_link", token=make_link_token(SIGN, p.id, who.role, who.email))


def assessment_url(p: Placement) -> str:
    return external_url("pmsmp.assess_by_link",
                        token=make_link_token(ASSESS, p.id, rules.ASSESSMENT_ROLE, p.tutor_email))


def _queue_sign_link(p: Placement, who: Signatory, *, reason: str, topic: str) -> None:
    sent = dict(p.links_sent or {})
    sent[who.role] = utcnow().isoformat(timespec="seconds")
    p.links_sent = sent
    queue(who.email, f"Convention PMSMP à signer : {p.reference}", "pmsmp_sign_request.txt",
          topic=f"pmsmp:{p.id}:{who.role}:{topic}", placement=p, who=who, reason=reason,
          url=sign_url(p, who), days=30)


def send_for_signature(actor, p: Placement) -> int:
    """Draft → à signer: every signatory receives a personal link. Returns the number of e-mails."""
    move(p, rules.TO_SIGN, actor=actor, note="Envoyée aux signataires")
    stamp = utcnow().strftime("%Y%m%d%H%M%S")
    people = missing_signatories(p)
    for who in people:
        _queue_sign_link(p, who, reason="", topic=f"envoi-{stamp}")
    record(actor, "pmsmp.send", p, summary=f"{p.reference} envoyée à {len(people)} signataire(s)",
           details={"roles": [w.role for w in people]})
    return len(people)


def resend_link(actor, p: Placement, role: str, now: datetime | None = None) -> Signatory:
    """Send a signatory their link again, at most once every 24 hours."""
    now = now or utcnow()
    if p.status not in rules.SIGNING:
        raise DomainError("Les liens de signature ne s'envoient que pour une convention en cours de signature.")
    who = next((s for s in missing_signatories(p) if s.role == role), None)
    if who is None:
        raise DomainError("Ce signataire a déjà signé ou n'existe pas sur cette convention.")
    last = (p.links_sent or {}).get(role)
    if last and now - datetime.fromisoformat(last) < RESEND_AFTER:
        again = datetime.fromisoformat(last) + RESEND_AFTER
        raise DomainError(f"Un lien a déjà été envoyé à {who.name} dans les dernières 24 heures : vous pourrez le "
                          f"renvoyer à partir du {local(again):%d/%m/%Y à %H:%M}.")
    _queue_sign_link(p, who, reason="Nouvel envoi de votre lien personnel.", topic=f"renvoi-{now:%Y%m%d%H%M%S}")
    record(actor, "pmsmp.resend", p, summary=f"{p.reference} : lien renvoyé à {who.role_label}",
           details={"role": role})
    return who


def _add_signature(actor, p: Placement, who: Signatory, *, ip: str | None, user_agent: str | None,
                   user_id: int | None, label: str | None) -> PlacementSignature:
    signature = PlacementSignature(role=who.role, name=who.name, email=who.email, signed_at=utcnow(),
                                   ip_address=(ip or "")[:45] or None, user_agent=(user_agent or "")[:300] or None,
                                   content_hash=content_hash(p), user_id=user_id)
    p.signatures.append(signature)
    record(actor, "pmsmp.sign", p, actor_label=label,
           summary=f"{p.reference} signée par {who.name} ({who.role_label})",
           details={"role": who.role, "hash": signature.content_hash})
    target = rules.signing_status(len(signatories(p)), len(p.active_signatures))
    move(p, target, actor=actor, actor_label=label, note=f"Signature : {who.role_label}")
    if target == rules.TO_VALIDATE:
        queue(p.counsellor.email, f"Convention PMSMP à valider : {p.reference}", "pmsmp_to_validate.txt",
              topic=f"pmsmp:{p.id}:a-valider:{signature.signed_at:%Y%m%d%H%M%S}", placement=p,
              url=external_url("pmsmp.show_placement", placement_id=p.id))
    return signature


def open_link(token: str) -> tuple[Placement, Signatory, PlacementSignature | None]:
    """The convention and signatory of a signing link, with their signature when already given."""
    claims = read_link_token(SIGN, token)
    p = get_placement(claims.placement_id)
    who = _matching_signatory(p, claims)
    _refuse_ended(p)
    return p, who, p.signature_for(who.role)


# Conventions that will never be carried out: their links keep no access to the document and its personal data
ENDED = {rules.CANCELLED: "annulée", rules.REFUSED: "refusée", rules.LAPSED: "caduque"}


def _refuse_ended(p: Placement) -> None:
    word = ENDED.get(p.status)
    if word:
        reason = f" Motif : {p.status_reason}" if p.status_reason else ""
        raise ConventionEnded(f"Convention {word}", f"La convention PMSMP {p.reference} est {word} : elle ne peut "
                                                    f"plus être consultée ni signée par ce lien.{reason}")


def _matching_signatory(p: Placement | None, claims: LinkClaims) -> Signatory:
    if p is None:
        raise LinkError("Cette convention n'existe plus.")
    who = next((s for s in signatories(p) if s.role == claims.role and s.email.lower() == claims.email), None)
    if who is None:
        raise LinkError("Ce lien ne correspond plus à la convention : ses signataires ont changé. Un nouveau "
                        "lien a été envoyé à la bonne adresse.")
    return who


def sign_by_link(token: str, *, ip: str | None, user_agent: str | None) -> tuple[Placement, PlacementSignature]:
    """A signatory signs through their personal link (once)."""
    p, who, already = open_link(token)
    if already is not None:
        raise LinkError(f"Vous avez déjà signé cette convention le {local(already.signed_at):%d/%m/%Y à %H:%M} : "
                        "votre signature est bien enregistrée.")
    if p.status not in rules.SIGNING:
        raise LinkError(f"Cette convention n'est pas à signer (statut : {p.status_label}).")
    label = f"{who.name} (lien personnel)"
    return p, _add_signature(None, p, who, ip=ip, user_agent=user_agent, user_id=None, label=label)


def sign_as_employer(actor, p: Placement, *, ip: str | None, user_agent: str | None) -> PlacementSignature:
    """An employer user of the host company signs for it while logged in."""
    if actor.role != EMPLOYER or actor.company_id != p.company_id:
        raise DomainError("Seul un compte de la structure d'accueil peut signer pour elle.")
    if p.signature_for(rules.HOST) is not None:
        raise DomainError("La structure d'accueil a déjà signé cette convention.")
    if p.status not in rules.SIGNING:
        raise DomainError(f"Cette convention n'est pas à signer (statut : {p.status_label}).")
    who = Signatory(rules.HOST, actor.display_name, actor.email)
    return _add_signature(actor, p, who, ip=ip, user_agent=user_agent, user_id=actor.id, label=None)


def clear_signatures(actor, p: Placement, *, reason: str) -> list[PlacementSignature]:
    """A substantive change voids the signatures: they are kept as cleared, and everyone signs again."""
    cleared = list(p.active_signatures)
    now = utcnow()
    for s in cleared:
        s.cleared_at, s.cleared_reason = now, reason[:300]
    if p.status != rules.TO_SIGN:
        move(p, rules.TO_SIGN, actor=actor, note=reason)
    record(actor, "pmsmp.signatures_cleared", p, summary=f"{p.reference} : {len(cleared)} signature(s) effacée(s)",
           details={"reason": reason, "roles": [s.role for s in cleared]})
    for who in signatories(p):
        _queue_sign_link(p, who, reason=f"La convention a été modifiée ({reason.removeprefix('Modification : ')}) : "
                                         "merci de la relire et de la signer à nouveau.",
                         topic=f"modif-{now:%Y%m%d%H%M%S%f}")
    return cleared


def notify_parties(p: Placement, template: str, subject: str, *, topic: str) -> None:
    """Tell every signatory (and the counsellor) about a status change; the link opens the document."""
    for who in signatories(p):
        queue(who.email, subject, template, topic=f"pmsmp:{p.id}:{who.role}:{topic}", placement=p, who=who,
              url=sign_url(p, who))


def send_assessment_request(p: Placement, *, step: int) -> None:
    """E-mail the tutor the assessment link (step: 0 at the end date, 3 and 10 as reminders)."""
    subject = ("Rappel : " if step else "") + f"Bilan de la PMSMP de {p.youth.first_name} ({p.reference})"
    queue(p.tutor_email, subject, "pmsmp_assessment_request.txt", topic=f"pmsmp:{p.id}:bilan:J{step}",
          placement=p, step=step, url=assessment_url(p))


def open_assessment_link(token: str) -> Placement:
    """The convention of a valid assessment link (tutor's e-mail unchanged)."""
    claims = read_link_token(ASSESS, token)
    p = get_placement(claims.placement_id)
    if p is None or claims.role != rules.ASSESSMENT_ROLE or p.tutor_email.lower() != claims.email:
        raise LinkError("Ce lien ne correspond plus à la convention : le tuteur a changé.")
    _refuse_ended(p)
    if p.assessment is not None:
        raise LinkError(f"Le bilan a déjà été rempli le {p.assessment.filled_at:%d/%m/%Y} par "
                        f"{p.assessment.filled_by_name}. Merci !")
    return p
