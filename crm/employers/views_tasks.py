"""Views of "mes tâches" and events (blueprint `employers`)."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from crm.employers import activity, queries, rules, services
from crm.employers.forms import (
    AssignTaskForm,
    AttendanceForm,
    EventForm,
    ParticipantForm,
    TaskForm,
    YoungParticipantForm,
)
from crm.employers.models import TEAM_QUEUE
from crm.employers.timeline import event_outcomes, subject_links
from crm.employers.views import PER_PAGE, _render_form, bp
from crm.employers.xlsx import EVENTS, TASKS
from portal import concurrency
from portal.access import STAFF, roles
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import EmptyForm, choices_of
from portal.pagination import paginate
from portal.text import is_digits


def _task_or_404(task_id: int):
    return queries.task_for(current_user, task_id) or abort(404)


def _assignee_choices():
    return choices_of([(u.id, u.display_name) for u in queries.staff_users()])


def _whose_tasks() -> tuple[str, int | str | None]:
    """The `pour=` filter: me by default, everyone (`tous`), the team's queue, or one person's id."""
    who = request.args.get("pour", "", type=str)[:10]
    if who == "tous":
        return who, None
    if who == TEAM_QUEUE:
        return who, TEAM_QUEUE
    return who, int(who) if is_digits(who) else current_user.id


@bp.get("/taches")
@roles(*STAFF)
def list_tasks():
    today = date.today()
    who, assignee_id = _whose_tasks()
    scope = "terminees" if request.args.get("vue") == "terminees" else "ouvertes"
    page = paginate(queries.my_open_tasks(current_user, assignee_id, today, scope), per_page=PER_PAGE)
    links = subject_links([(t.subject_type, t.subject_id) for t in page.items])
    groups: dict[str, list] = {}
    for task in page.items:
        groups.setdefault(rules.task_bucket(task.due_on, task.is_done, today), []).append(task)
    order = [rules.OVERDUE, rules.TODAY, rules.THIS_WEEK, rules.LATER, rules.DONE]
    return render_template("crm/employers/tasks.html", page=page, groups=[(b, groups[b]) for b in order if b in groups],
                           labels=rules.BUCKET_LABELS, links=links, who=who, scope=scope,
                           assignees=queries.staff_users(), assign_form=AssignTaskForm(), action_form=EmptyForm(),
                           counts=queries.due_counts(assignee_id, today) if isinstance(assignee_id, int) else None)


@bp.get("/taches/export.xlsx")
@roles(*STAFF)
def export_tasks():
    today = date.today()
    _, assignee_id = _whose_tasks()
    scope = "terminees" if request.args.get("vue") == "terminees" else "ouvertes"
    stmt = queries.my_open_tasks(current_user, assignee_id, today, scope).execution_options(yield_per=500)
    return TASKS.export("taches.xlsx", db.session.scalars(stmt), today)


@bp.route("/taches/nouvelle", methods=["GET", "POST"])
@roles(*STAFF)
def create_task():
    form = TaskForm()
    form.assignee_id.choices = _assignee_choices()
    if request.method == "GET":
        form.assignee_id.data = str(current_user.id)
        form.company_id.data = request.args.get("entreprise", "", type=str)[:12]
    if form.validate_on_submit():
        code = (form.company_id.data or "").strip()
        company = queries.company_for(current_user, int(code)) if is_digits(code) and len(code) < 12 else None
        try:
            if code and company is None:
                raise DomainError("Entreprise inconnue : choisissez-la dans la liste proposée.", field="company_id")
            services.create_task(current_user, title=form.title.data, due_on=form.due_on.data,
                                 assignee=form.assignee_id.data, subject=company, company=company)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash("La tâche a été créée.", "success")
            if company is not None:
                return redirect(url_for(".show_company", company_id=company.id), 303)
            return redirect(url_for(".list_tasks"), 303)
    return _render_form("crm/employers/task_form.html", form)


def _task_action(task_id, action, message):
    task = _task_or_404(task_id)
    if EmptyForm().validate_on_submit():
        try:
            action(current_user, task)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(message.format(title=task.title), "success")
    return redirect(_back(), 303)


def _back() -> str:
    target = request.form.get("retour", "")
    return target if target.startswith("/") and not target.startswith("//") else url_for(".list_tasks")


@bp.post("/taches/<int:task_id>/terminer")
@roles(*STAFF)
def complete_task(task_id):
    return _task_action(task_id, services.complete_task, "Tâche « {title} » terminée.")


@bp.post("/taches/<int:task_id>/rouvrir")
@roles(*STAFF)
def reopen_task(task_id):
    return _task_action(task_id, services.reopen_task, "Tâche « {title} » rouverte.")


@bp.post("/taches/confier")
@roles(*STAFF)
def assign_tasks():
    """The checked open tasks of the list, given to one person: all of them, or none with the reason."""
    form = AssignTaskForm()
    form.assignee_id.choices = _assignee_choices()
    if not form.validate_on_submit():
        flash("Choisissez la personne à qui confier les tâches cochées.", "error")
        return redirect(_back(), 303)
    ids = request.form.getlist("tache")
    tasks = [queries.task_for(current_user, int(i)) if is_digits(i) and len(i) < 12 else None for i in ids[:200]]
    try:
        if None in tasks:
            raise DomainError("Une des tâches cochées n'existe plus : rechargez la page.")
        person = services.assign_tasks(current_user, tasks, form.assignee_id.data)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(f"{len(tasks)} tâche(s) confiée(s) à {person.display_name}.", "success")
    return redirect(_back(), 303)


# --- events --------------------------------------------------------------------------------------


@bp.get("/evenements")
@roles(*STAFF)
def list_events():
    stmt = queries.events_for(current_user).order_by(queries.Event.held_on.desc(), queries.Event.id.desc())
    page = paginate(stmt, per_page=PER_PAGE)
    return render_template("crm/employers/events.html", page=page,
                           counts=queries.participant_counts([e.id for e in page.items]))


@bp.get("/evenements/export.xlsx")
@roles(*STAFF)
def export_events():
    events = db.session.scalars(queries.events_for(current_user).order_by(queries.Event.held_on.desc())).all()
    counts = queries.participant_counts([e.id for e in events])
    return EVENTS.export("evenements.xlsx", events, counts)


@bp.route("/evenements/nouveau", methods=["GET", "POST"])
@roles(*STAFF)
def create_event():
    form = EventForm()
    if form.validate_on_submit():
        try:
            event = activity.create_event(current_user, **form.event_fields())
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash(f"L'événement {event.title} a été créé : ajoutez les entreprises participantes.", "success")
            return redirect(url_for(".show_event", event_id=event.id), 303)
    return _render_form("crm/employers/event_form.html", form, event=None)


@bp.route("/evenements/<int:event_id>/modifier", methods=["GET", "POST"])
@roles(*STAFF)
def edit_event(event_id):
    event = queries.event_for(current_user, event_id) or abort(404)
    form = EventForm(obj=event)
    if request.method == "GET":
        form.version.data = event.version
    if form.validate_on_submit():
        try:
            with concurrency.guard(event, form, "Cet événement a été modifié"):
                activity.update_event(current_user, event, version=form.version.data or None, **form.event_fields())
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash("L'événement a été modifié.", "success")
            return redirect(url_for(".show_event", event_id=event.id), 303)
    return _render_form("crm/employers/event_form.html", form, event=event)


@bp.route("/evenements/<int:event_id>", methods=["GET", "POST"])
@roles(*STAFF)
def show_event(event_id):
    event = queries.event_for(current_user, event_id) or abort(404)
    form = ParticipantForm()
    if form.validate_on_submit():
        code = form.company_id.data.strip()
        company = queries.company_for(current_user, int(code)) if is_digits(code) and len(code) < 12 else None
        try:
            if company is None:
                raise DomainError("Entreprise inconnue : choisissez-la dans la liste proposée.", field="company_id")
            activity.add_participant(current_user, event, company)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash(f"{company.name} participe à l'événement (échange ajouté à sa fiche).", "success")
            return redirect(url_for(".show_event", event_id=event.id), 303)
    return _event_page(event, form=form)


def _event_page(event, *, form=None, youth_form=None):
    """The event page: companies, young participants and what followed for each of them since the event."""
    form, youth_form = form or ParticipantForm(formdata=None), youth_form or YoungParticipantForm(formdata=None)
    young = queries.young_participants(event)
    status = 422 if form.errors or youth_form.errors else 200
    return _render_form("crm/employers/event.html", form, status, event=event, youth_form=youth_form,
                        participants=sorted(event.participants, key=lambda p: p.company.name),
                        young=young, outcomes=event_outcomes([y.youth_id for y in young], event.held_on),
                        attendance_form=AttendanceForm(formdata=None), action_form=EmptyForm())


@bp.post("/evenements/<int:event_id>/jeunes")
@roles(*STAFF)
def add_young_participant(event_id):
    event = queries.event_for(current_user, event_id) or abort(404)
    form = YoungParticipantForm()
    if form.validate_on_submit():
        youth = queries.youth_to_name(current_user, form.youth_id.data.strip())
        try:
            activity.add_young_participant(current_user, event, youth, attendance=form.attendance.data)
        except DomainError as exc:
            db.session.rollback()
            form.add_error(exc.field, exc.message)
        else:
            db.session.commit()
            flash(f"{youth.full_name} fait partie des jeunes de l'événement.", "success")
            return redirect(url_for(".show_event", event_id=event.id) + "#jeunes", 303)
    return _event_page(event, youth_form=form)


def _young_participant_or_404(event_id: int, participant_id: int):
    event = queries.event_for(current_user, event_id) or abort(404)
    return queries.young_participant(event, participant_id) or abort(404)


@bp.post("/evenements/<int:event_id>/jeunes/<int:participant_id>/presence")
@roles(*STAFF)
def set_attendance(event_id, participant_id):
    participant = _young_participant_or_404(event_id, participant_id)
    form = AttendanceForm()
    if form.validate_on_submit():
        activity.set_attendance(current_user, participant, form.attendance.data)
        db.session.commit()
        flash(f"Présence de {participant.youth.full_name} : {participant.attendance_label}.", "success")
    else:
        flash("Choisissez la présence dans la liste.", "error")
    return redirect(url_for(".show_event", event_id=event_id) + "#jeunes", 303)


@bp.post("/evenements/<int:event_id>/jeunes/<int:participant_id>/retirer")
@roles(*STAFF)
def remove_young_participant(event_id, participant_id):
    participant = _young_participant_or_404(event_id, participant_id)
    if EmptyForm().validate_on_submit():
        name = participant.youth.full_name
        activity.remove_young_participant(current_user, participant)
        db.session.commit()
        flash(f"{name} ne fait plus partie des jeunes de l'événement.", "success")
    return redirect(url_for(".show_event", event_id=event_id) + "#jeunes", 303)


@bp.post("/evenements/<int:event_id>/entreprises/<int:participant_id>/retirer")
@roles(*STAFF)
def remove_participant(event_id, participant_id):
    event = queries.event_for(current_user, event_id) or abort(404)
    participant = next((p for p in event.participants if p.id == participant_id), None) or abort(404)
    if EmptyForm().validate_on_submit():
        name = participant.company.name
        activity.remove_participant(current_user, participant)
        db.session.commit()
        flash(f"{name} ne participe plus à l'événement.", "success")
    return redirect(url_for(".show_event", event_id=event.id), 303)
