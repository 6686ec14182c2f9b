"""Event pages: the list of events, create and edit, the invitation list, the list builder,
check-in and the representation report.

Everyone logged in may view events, change an invitation's status and channel (an override
within the invite rules; one at a time or several at once), check people in and read the
report; creating and editing events, building the list and removing invitations needs
`may_manage_events`, exporting the list `may_export`."""

from types import SimpleNamespace

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime, format_percent, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from app.analysis import reading_session
from app.auth import permission_required
from app.contacts.forms import moment_for_input
from app.events.forms import (
    BuilderForm,
    BulkInvitationForm,
    ButtonForm,
    CheckInForm,
    EventForm,
    InvitationForm,
    WalkInForm,
)
from app.extensions import db
from app.forms import vocabulary_choices
from app.i18n import translate_message
from app.paging import page_number
from app.transaction import command, conflict_page
from crm import actors as actor_service
from crm import builder as list_builder
from crm import events as event_service
from crm import invitations as invitation_service
from crm import saved_filters
from crm.exports import count_invitation_export
from crm.messages import Invalid, NotFound
from crm.permissions import may_export, may_manage_events
from crm.representation import representation as representation_of
from crm.vocabulary import (
    EVENT_TYPE_LABELS,
    INVITATION_STATUS_LABELS,
    INVITE_CHANNEL_LABELS,
    KIND_LABELS,
    QUADRANT_LABELS,
    REACH_STATUS_LABELS,
    ExportKind,
)

bp = Blueprint("events", __name__, url_prefix="/events")

LONG_WHEN = "EEEE d MMMM y, HH:mm"  # CLDR patterns: the same order reads well in nl and en
SHORT_WHEN = "EEE d MMM y, HH:mm"


@bp.context_processor
def event_helpers() -> dict:
    """Formatting helpers of the event templates."""
    return {"event_when": _event_when, "percent": lambda share: format_percent(share)}


@bp.route("")
def index():
    per_page = current_app.config["PER_PAGE"]
    past = event_service.list_events(
        db.session, upcoming=False, page=page_number(request.args.get("page")), per_page=per_page
    )
    upcoming = event_service.list_events(
        db.session, upcoming=True, per_page=current_app.config["MAX_PER_PAGE"]
    )
    return render_template("events/index.html", upcoming=upcoming, past=past)


@bp.route("/new", methods=["GET", "POST"])
@permission_required(may_manage_events)
def new():
    form = _event_form()
    if form.validate_on_submit():
        with command(form) as saved:
            event = event_service.create_event(db.session, user_id=current_user.id, **form.values())
        if saved:
            flash(_("%(name)s was added.", name=event.name), "success")
            return redirect(url_for("events.detail", event_id=event.id))
    return render_template("events/form.html", form=form, event=None)


@bp.route("/<event_id>/edit", methods=["GET", "POST"])
@permission_required(may_manage_events)
def edit(event_id):
    event = event_service.get_event(db.session, event_id)
    form = _event_form(obj=_form_data(event) if request.method == "GET" else None)
    if form.validate_on_submit():
        with command(form, conflict_page=lambda: _conflict(form, event.id)) as saved:
            event_service.update_event(
                db.session, event.id, version=form.version.data, **form.values()
            )
        if saved:
            flash(_("Your changes were saved."), "success")
            _warn_when_over_capacity(event)
            return redirect(url_for("events.detail", event_id=event.id))
    return render_template("events/form.html", form=form, event=event)


@bp.route("/<event_id>")
def detail(event_id):
    event = event_service.get_event(db.session, event_id)
    invitations = invitation_service.list_invitations(
        db.session,
        event.id,
        page=page_number(request.args.get("page")),
        per_page=current_app.config["PER_PAGE"],
    )
    return render_template(
        "events/detail.html",
        event=event,
        invitations=invitations,
        counts=invitation_service.invitation_counts(db.session, event.id).items(),
        left_out=export_left_out(event.id) if may_export(current_user) else {},
        statuses=vocabulary_choices(INVITATION_STATUS_LABELS),
        channels=vocabulary_choices(INVITE_CHANNEL_LABELS),
        bulk_form=_bulk_form(),
    )


@bp.route("/<event_id>/invitations/<invitation_id>", methods=["POST"])
def change_invitation(event_id, invitation_id):
    invitation = invitation_service.get_invitation(db.session, invitation_id, event_id=event_id)
    form = InvitationForm()
    if form.validate_on_submit():
        channel = form.channel.data if form.channel.data != invitation.channel else None
        with command() as saved:
            invitation_service.update_invitation(
                db.session,
                invitation.id,
                status=form.status.data or None,
                channel=channel or None,
                user_id=current_user.id,
            )
        if saved:
            flash(_("%(name)s: saved.", name=invitation.actor.name), "success")
    return redirect(url_for("events.detail", event_id=event_id) + f"#invitation-{invitation_id}")


@bp.route("/<event_id>/bulk-change", methods=["POST"])
def change_invitations(event_id):
    event = event_service.get_event(db.session, event_id)
    form = _bulk_form()
    if form.validate_on_submit():
        with command() as saved:
            changed = invitation_service.change_invitations(
                db.session,
                event.id,
                form.invitation.data,
                status=form.status.data or None,
                channel=form.channel.data or None,
                seen=form.seen_values(),
                user_id=current_user.id,
            )
        if saved:
            message = ngettext(
                "%(num)d invitation changed.", "%(num)d invitations changed.", len(changed)
            )
            flash(message, "success")
    back = url_for("events.detail", event_id=event.id, page=page_number(form.page.data))
    return redirect(back + "#invitations")


@bp.route("/<event_id>/invitations/<invitation_id>/remove", methods=["POST"])
@permission_required(may_manage_events)
def remove_invitation(event_id, invitation_id):
    invitation = invitation_service.get_invitation(db.session, invitation_id, event_id=event_id)
    name = invitation.actor.name
    if ButtonForm().validate_on_submit():
        with command() as saved:
            invitation_service.remove_invitation(db.session, invitation.id)
        if saved:
            flash(_("%(name)s was taken off the list.", name=name), "success")
    return redirect(url_for("events.detail", event_id=event_id) + "#invitations")


@bp.route("/<event_id>/builder", methods=["GET", "POST"])
@permission_required(may_manage_events)
def builder(event_id):
    event = event_service.get_event(db.session, event_id)
    form = _builder_form()
    proposal = None
    if form.validate_on_submit():
        try:
            criteria = list_builder.Criteria.parse(form.criteria_values())
            targets = list_builder.parse_targets(form.target_values())
            action = request.form.get("action", "preview")
            if action == "save":
                return _save_list(event, criteria, targets)
            if action == "save_filter":
                _save_filter(form.save_as.data, criteria)
            proposal = _propose(event, criteria, targets)
        except Invalid as error:
            db.session.rollback()
            form.show_errors(error)
    return render_template(
        "events/builder.html", event=event, form=form, proposal=proposal, filters=_filters()
    )


@bp.route("/<event_id>/check-in", methods=["GET", "POST"])
def check_in(event_id):
    event = event_service.get_event(db.session, event_id)
    form = CheckInForm()
    if form.validate_on_submit():
        invitation = invitation_service.get_invitation(
            db.session, form.invitation.data, event_id=event.id
        )
        with command():
            _check_in_or_undo(invitation, undo=bool(form.undo.data))
        back = url_for("events.check_in", event_id=event.id, q=form.q.data or None)
        return redirect(back + f"#invitation-{invitation.id}")
    q = request.args.get("q", "")
    invitees = invitation_service.list_invitations(
        db.session,
        event.id,
        q=q,
        page=page_number(request.args.get("page")),
        per_page=current_app.config["PER_PAGE"],
    )
    return render_template(
        "events/check_in.html",
        event=event,
        invitees=invitees,
        walk_ins=invitation_service.not_on_the_list(db.session, event.id, q),
        q=q,
        form=form,
        walk_in_form=WalkInForm(),
    )


@bp.route("/<event_id>/walk-in", methods=["POST"])
def walk_in(event_id):
    event = event_service.get_event(db.session, event_id)
    form = WalkInForm()
    if form.validate_on_submit():
        with command() as saved:
            invitation = invitation_service.check_in_walk_in(
                db.session, event.id, form.actor.data, user_id=current_user.id
            )
        if saved:
            flash(_("%(name)s is checked in.", name=invitation.actor.name), "success")
    return redirect(url_for("events.check_in", event_id=event.id, q=form.q.data or None))


@bp.route("/<event_id>/representation")
def representation(event_id):
    event = event_service.get_event(db.session, event_id)
    report = representation_of(db.session, event.id)
    return render_template("events/representation.html", event=event, report=report)


# --- helpers ---------------------------------------------------------------------------------


def _warn_when_over_capacity(event) -> None:
    listed = sum(invitation_service.invitation_counts(db.session, event.id).values())
    if listed > event.capacity:
        flash(
            _(
                "%(listed)d actors are on the list, more than the capacity of %(capacity)d.",
                listed=listed,
                capacity=event.capacity,
            ),
            "warning",
        )


def export_left_out(event_id: int) -> dict[str, int]:
    """Invitees an export would leave out now, per reason (a blocked channel, archived)."""
    export = count_invitation_export(db.session, event_id, kind=ExportKind.INVITATIONS_CSV)
    return export.left_out


def _event_when(moment, short: bool = False) -> str:
    """When an event starts, in Brussels time and the user's language, without seconds."""
    return format_datetime(moment, SHORT_WHEN if short else LONG_WHEN) if moment else ""


def _event_form(obj=None) -> EventForm:
    form = EventForm(obj=obj)
    form.type.choices = vocabulary_choices(EVENT_TYPE_LABELS, blank=_("(choose a type)"))
    form.themes.choices = [(n, n) for n in actor_service.choices_of_themes(db.session)]
    return form


def _bulk_form() -> BulkInvitationForm:
    form = BulkInvitationForm()
    form.status.choices = vocabulary_choices(INVITATION_STATUS_LABELS, blank=_("(unchanged)"))
    form.channel.choices = vocabulary_choices(INVITE_CHANNEL_LABELS, blank=_("(unchanged)"))
    return form


def _form_data(event) -> SimpleNamespace:
    """The event's values as the edit form shows them (the date in Brussels time)."""
    return SimpleNamespace(
        name=event.name,
        type=event.type,
        starts_at=moment_for_input(event.starts_at),
        place=event.place,
        capacity=str(event.capacity),
        themes=[t.name for t in event.themes],
        description=event.description,
        version=event.version,
    )


def _conflict(form: EventForm, event_id: int) -> str:
    stored = event_service.get_event(db.session, event_id)
    return conflict_page(form, "events/form.html", "event", stored)


def _builder_form() -> BuilderForm:
    """The builder form; `?filter=<id>` starts it with a saved filter's criteria."""
    data = None
    if request.method == "GET" and request.args.get("filter"):
        try:
            saved = saved_filters.get_filter(db.session, request.args["filter"])
        except NotFound:
            flash(_("This saved filter does not exist (any more)."), "warning")
        else:
            data = saved_filters.filter_criteria(saved).as_dict()
    form = BuilderForm(data=data)
    form.kind.choices = vocabulary_choices(KIND_LABELS)
    form.district.choices = [(n, n) for n in actor_service.choices_of_districts(db.session)]
    form.theme.choices = [(n, n) for n in actor_service.choices_of_themes(db.session)]
    form.quadrant.choices = vocabulary_choices(QUADRANT_LABELS)
    form.status.choices = vocabulary_choices(REACH_STATUS_LABELS)
    return form


def _filters() -> list:
    return saved_filters.list_filters(db.session)


def _propose(event, criteria, targets):
    # A preview only reads: off SQLite's write lock (it walks every matching actor).
    with reading_session() as session:
        return list_builder.propose_invitations(
            session,
            event.id,
            criteria=criteria,
            targets=targets,
            window_days=current_app.config["REACH_WINDOW_DAYS"],
        )


def _save_list(event, criteria, targets):
    """Build the proposed list, store it and go to the event page."""
    proposal, added = list_builder.build_invitations(
        db.session,
        event.id,
        criteria=criteria,
        targets=targets,
        window_days=current_app.config["REACH_WINDOW_DAYS"],
        user_id=current_user.id,
    )
    db.session.commit()
    message = ngettext("%(num)d actor added.", "%(num)d actors added.", len(added))
    flash(message, "success" if added else "warning")
    for warning in proposal.warnings:
        flash(translate_message(warning), "warning")
    return redirect(url_for("events.detail", event_id=event.id) + "#invitations")


def _save_filter(name, criteria) -> None:
    """Save the criteria under `name` (errors on the name field of the form)."""
    try:
        saved = saved_filters.save_filter(db.session, name, criteria, current_user.id)
    except Invalid as error:
        raise Invalid({"save_as": error.errors.get("name", [])}) from None
    db.session.commit()
    flash(_("The criteria were saved as '%(name)s'.", name=saved.name), "success")


def _check_in_or_undo(invitation, *, undo: bool) -> None:
    if undo:
        invitation_service.undo_attendance(db.session, invitation.id, user_id=current_user.id)
        flash(_("%(name)s is no longer checked in.", name=invitation.actor.name), "success")
    else:
        invitation_service.mark_attendance(db.session, invitation.id, user_id=current_user.id)
        flash(_("%(name)s is checked in.", name=invitation.actor.name), "success")
