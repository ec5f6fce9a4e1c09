"""The charter: public page, signing, public list, employer's commitment, staff follow-up, new versions."""

from datetime import date

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from charte import queries, rules, services
from charte.certificate import certificate_pdf
from charte.forms import (
    EmployerSignatureForm,
    PublicSignatureForm,
    RenewalForm,
    ReviewForm,
    VersionForm,
    WithdrawalForm,
    set_commitment_choices,
)
from charte.record import records
from charte.rules import DEFAULT_COMMITMENTS, DEFAULT_PREAMBLE, DEFAULT_TITLE
from charte.xlsx import export_signatures_response
from portal import concurrency
from portal.access import ADMIN, EMPLOYER, STAFF, can, public, roles
from portal.errors import DomainError
from portal.extensions import db, limiter
from portal.forms import EmptyForm
from portal.pagination import paginate

bp = Blueprint("charte", __name__)
PER_PAGE = 25
EXTRA_COMMITMENT_ROWS = 3


def _page(stmt):
    return paginate(stmt, page=request.args.get("page", 1, type=int), per_page=PER_PAGE)


def _fail(form, exc: DomainError) -> None:
    db.session.rollback()
    form.add_error(exc.field, exc.message)


# --- public --------------------------------------------------------------------------------------


@bp.get("/charte")
@public
def show_charter():
    return render_template("charte/charter.html", version=queries.current_version())


@bp.route("/charte/signer", methods=["GET", "POST"])
@public
@limiter.limit("20 per hour", methods=["POST"])
def sign_charter():
    if current_user.is_authenticated and current_user.role == EMPLOYER:
        return redirect(url_for(".sign_as_employer"))
    version = queries.current_version()
    form = PublicSignatureForm()
    set_commitment_choices(form, version)
    if version is not None and form.validate_on_submit():
        try:
            signature = services.sign_publicly(
                siret=form.siret.data, company_name=form.company_name.data, commune_code=form.commune_code.data,
                signatory_name=form.signatory_name.data, signatory_role=form.signatory_role.data,
                signatory_email=form.signatory_email.data, commitment_ids=form.commitments.data,
                public_consent=form.public_consent.data, accepted=form.accepted.data)
        except DomainError as exc:
            _fail(form, exc)
        else:
            db.session.commit()
            return redirect(url_for(".signature_sent", email=signature.signatory_email), 303)
    return render_template("charte/sign.html", form=form, version=version), (422 if form.errors else 200)


@bp.get("/charte/signature-envoyee")
@public
def signature_sent():
    email = request.args.get("email", "", type=str)[:254]
    return render_template("charte/sent.html", email=email, days=services.confirmation_days())


@bp.route("/charte/confirmer/<token>", methods=["GET", "POST"])
@public
def confirm_signature(token):
    form = EmptyForm()
    if request.method == "GET" or not form.validate_on_submit():
        # A GET shows a button only: mail scanners that open links must not confirm in the person's place.
        return render_template("charte/confirm.html", form=form)
    try:
        signature = services.confirm_email(token)
    except services.LinkError as exc:
        db.session.rollback()
        return render_template("charte/link_error.html", message=exc.message), 400
    db.session.commit()
    return render_template("charte/confirmed.html", signature=signature)


@bp.get("/charte/signataires")
@public
def list_public_signatories():
    commune = request.args.get("commune", "", type=str)[:5].strip().upper()
    sector = request.args.get("secteur", "", type=str)[:1].strip().upper()
    page = _page(queries.public_signatures(commune=commune, sector=sector))
    communes, sectors = queries.public_filter_choices()
    return render_template("charte/public_list.html", page=page, communes=communes, sectors=sectors,
                           commune=commune, sector=sector)


# --- employer ------------------------------------------------------------------------------------


@bp.get("/charte/mon-engagement")
@roles(EMPLOYER)
def my_commitment():
    signatures = queries.company_signatures(current_user, current_user.company_id)
    current = signatures[0] if signatures else None
    since = current.validated_at.date() if current and current.validated_at else None
    record = records([current_user.company_id], since).get(current_user.company_id, []) if current else []
    return render_template("charte/mine.html", signatures=signatures, current=current, record=record,
                           version=queries.current_version())


@bp.route("/charte/mon-engagement/signer", methods=["GET", "POST"])
@roles(EMPLOYER)
def sign_as_employer():
    version = queries.current_version()
    form = EmployerSignatureForm()
    set_commitment_choices(form, version)
    if request.method == "GET":
        form.signatory_name.data = current_user.full_name
    if version is not None and form.validate_on_submit():
        try:
            services.sign_as_employer(current_user, signatory_name=form.signatory_name.data,
                                      signatory_role=form.signatory_role.data,
                                      commitment_ids=form.commitments.data,
                                      public_consent=form.public_consent.data, accepted=form.accepted.data)
        except DomainError as exc:
            _fail(form, exc)
        else:
            db.session.commit()
            flash("Merci : votre entreprise a signé la charte. Votre attestation est disponible ci-dessous.", "success")
            return redirect(url_for(".my_commitment"), 303)
    return render_template("charte/sign_employer.html", form=form, version=version), (422 if form.errors else 200)


def _signature_or_404(signature_id: int):
    signature = queries.signature_for(current_user, signature_id)
    if signature is None:
        abort(404)
    return signature


def _back(signature) -> str:
    if current_user.role == EMPLOYER:
        return url_for(".my_commitment")
    return url_for(".show_signature", signature_id=signature.id)


@bp.route("/charte/signatures/<int:signature_id>/renouveler", methods=["GET", "POST"])
@roles(*STAFF, EMPLOYER)
def renew_signature(signature_id):
    signature = _signature_or_404(signature_id)
    if not can(current_user, "charter.renew", signature):
        abort(404)
    version = queries.current_version()
    form = RenewalForm()
    set_commitment_choices(form, version)
    if request.method == "GET":
        codes = signature.commitment_codes
        form.commitments.data = [c.id for c in version.commitments if c.code in codes] if version else []
        form.public_consent.data = signature.public_consent
        form.version.data = signature.version
    if form.validate_on_submit():
        try:
            with concurrency.guard(signature, form, services.SIGNATURE_CHANGED):
                services.renew_signature(current_user, signature, commitment_ids=form.commitments.data,
                                         public_consent=form.public_consent.data, version=form.version.data or None)
        except DomainError as exc:
            _fail(form, exc)
        else:
            db.session.commit()
            flash("L'engagement est renouvelé pour un an.", "success")
            return redirect(_back(signature), 303)
    return render_template("charte/renew.html", form=form, signature=signature, version=version), (
        422 if form.errors else 200)


@bp.route("/charte/signatures/<int:signature_id>/retirer", methods=["GET", "POST"])
@roles(*STAFF, EMPLOYER)
def withdraw_signature(signature_id):
    signature = _signature_or_404(signature_id)
    if not can(current_user, "charter.withdraw", signature):
        abort(404)
    form = WithdrawalForm()
    if request.method == "GET":
        form.version.data = signature.version
    if form.validate_on_submit():
        try:
            with concurrency.guard(signature, form, services.SIGNATURE_CHANGED):
                services.withdraw_signature(current_user, signature, reason=form.reason.data,
                                            version=form.version.data or None)
        except DomainError as exc:
            _fail(form, exc)
        else:
            db.session.commit()
            flash("La signature de la charte est retirée.", "success")
            return redirect(_back(signature), 303)
    return render_template("charte/withdraw.html", form=form, signature=signature), (422 if form.errors else 200)


@bp.get("/charte/signatures/<int:signature_id>/attestation.pdf")
@roles(*STAFF, EMPLOYER)
def download_certificate(signature_id):
    signature = _signature_or_404(signature_id)
    if not can(current_user, "charter.certificate", signature):
        abort(404)
    response = make_response(certificate_pdf(signature))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="attestation-charte-{signature.number}.pdf"'
    return response


# --- staff ---------------------------------------------------------------------------------------


def _filter_choices() -> dict:
    return {"statuses": queries.STATUSES, "commitments": queries.commitment_choices(),
            "communes": queries.communes_of_signatories(), "epcis": queries.epci_of_territory(),
            "sectors": queries.naf_sections()}


@bp.get("/charte/signatures")
@roles(*STAFF)
def list_signatures():
    filters = queries.SignatureFilters.from_args(request.args)
    page = _page(queries.filtered_signatures(current_user, filters))
    return render_template("charte/list.html", page=page, filters=filters, today=date.today(),
                           pending=services.pending_signatures_count(), **_filter_choices())


@bp.get("/charte/signatures/export.xlsx")
@roles(*STAFF)
def export_signatures():
    filters = queries.SignatureFilters.from_args(request.args)
    return export_signatures_response(queries.filtered_signatures(current_user, filters))


@bp.get("/charte/signatures/<int:signature_id>")
@roles(*STAFF)
def show_signature(signature_id):
    signature = _signature_or_404(signature_id)
    since = signature.validated_at.date() if signature.validated_at else None
    record = records([signature.company_id], since)[signature.company_id]
    return render_template("charte/detail.html", signature=signature, record=record, form=EmptyForm())


@bp.post("/charte/signatures/<int:signature_id>/valider")
@roles(*STAFF)
def validate_signature(signature_id):
    signature = _signature_or_404(signature_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        user = services.validate_signature(current_user, signature)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash("Signature validée : l'entreprise figure parmi les signataires"
              + (f" et le compte employeur de {user.email} lui est rattaché." if user else
                 ". L'adresse du signataire appartient à un autre compte : aucun compte employeur n'a été créé."),
              "success")
    return redirect(url_for(".show_signature", signature_id=signature.id), 303)


@bp.route("/charte/signatures/<int:signature_id>/bilan", methods=["GET", "POST"])
@roles(*STAFF)
def record_review(signature_id):
    signature = _signature_or_404(signature_id)
    form = ReviewForm()
    if request.method == "GET":
        form.reviewed_on.data = date.today()
    if form.validate_on_submit():
        try:
            services.record_review(current_user, signature, reviewed_on=form.reviewed_on.data,
                                   outcome=form.outcome.data, summary=form.summary.data)
        except DomainError as exc:
            _fail(form, exc)
        else:
            db.session.commit()
            flash("Le bilan annuel est enregistré.", "success")
            return redirect(url_for(".show_signature", signature_id=signature.id), 303)
    return render_template("charte/review.html", form=form, signature=signature), (422 if form.errors else 200)


# --- admin ---------------------------------------------------------------------------------------


@bp.route("/charte/modifier", methods=["GET", "POST"])
@roles(ADMIN)
def edit_charter():
    current = queries.current_version()
    form = VersionForm()
    if request.method == "GET":
        _fill_version_form(form, current)
    if form.validate_on_submit():
        try:
            version = services.publish_version(
                current_user, based_on=form.version.data, title=form.title.data, preamble=form.preamble.data,
                commitments=[(e.form.code.data or None, e.form.label.data) for e in form.commitments.entries])
        except concurrency.StaleEdit:
            db.session.rollback()  # another admin published meanwhile: say who, what and when, keep the text
            current = queries.current_version()
            concurrency.report(current, form, rules.published(current.number))
        except DomainError as exc:
            _fail(form, exc)
        else:
            db.session.commit()
            flash(f"La version {version.number} de la charte est publiée. Les signatures existantes restent "
                  "attachées à la version qu'elles ont signée.", "success")
            return redirect(url_for(".show_charter"), 303)
    return render_template("charte/edit.html", form=form, current=current, versions=queries.versions(),
                           counts=queries.signature_counts_by_version()), (422 if form.errors else 200)


def _fill_version_form(form: VersionForm, current) -> None:
    form.version.data = current.number if current else 0
    form.title.data = current.title if current else DEFAULT_TITLE
    form.preamble.data = current.preamble if current else DEFAULT_PREAMBLE
    items = [(c.code, c.label) for c in current.commitments] if current else list(DEFAULT_COMMITMENTS)
    form.commitments.entries = []
    for code, label in items + [("", "")] * EXTRA_COMMITMENT_ROWS:
        form.commitments.append_entry({"code": code, "label": label})
