"""Actor pages: list, detail, create, edit, archive, delete, relations."""

from types import SimpleNamespace

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.actors.forms import ActorForm, ConfirmForm, RelationForm
from app.analysis import current_analysis
from app.auth import permission_required
from app.contacts.forms import NewContactForm
from app.extensions import db
from app.forms import vocabulary_choices
from app.outreach.forms import ClaimForm
from app.paging import page_number
from app.transaction import command, conflict_page, show_errors
from crm import actors as actor_service
from crm import relations as relation_service
from crm.claims import claim_of_actor
from crm.contacts import latest_contacts, list_contacts
from crm.messages import N_, Invalid, NotFound
from crm.permissions import may_archive_actors, may_delete_for_good
from crm.validation import display_phone, parse_id
from crm.vocabulary import (
    CHANNEL_LABELS,
    KIND_LABELS,
    LANGUAGE_LABELS,
    REACH_STATUS_LABELS,
    RELATION_TYPE_LABELS,
)
from mapping.plan import actor_outreach, contact_channel

bp = Blueprint("actors", __name__)

LIST_FILTERS = ("q", "kind", "district", "theme", "status", "sort")


@bp.route("/")
def index():
    filters = {name: request.args.get(name, "").strip() for name in LIST_FILTERS}
    page = actor_service.search_actors(
        db.session,
        **{k: v for k, v in filters.items() if k != "sort" and v},
        sort=filters["sort"] or "name",
        page=page_number(request.args.get("page")),
        per_page=current_app.config["PER_PAGE"],
        window_days=current_app.config["REACH_WINDOW_DAYS"],
    )
    return render_template(
        "actors/index.html", page=page, filters=filters, choices=_filter_choices()
    )


@bp.route("/actors/new", methods=["GET", "POST"])
def create():
    form = _actor_form()
    duplicates = []
    if form.validate_on_submit():
        values = form.values()
        if not request.form.get("save_anyway"):
            duplicates = actor_service.find_possible_duplicates(db.session, **_identity(values))
        if not duplicates:
            with command(form) as saved:
                actor = actor_service.create_actor(db.session, **values)
            if saved:
                flash(_("%(name)s was added.", name=actor.name), "success")
                return redirect(url_for("actors.detail", actor_id=actor.id))
    return render_template("actors/form.html", form=form, actor=None, duplicates=duplicates)


@bp.route("/actors/<actor_id>")
def detail(actor_id):
    return render_actor_page(actor_service.get_actor(db.session, actor_id))


@bp.route("/actors/<actor_id>/edit", methods=["GET", "POST"])
def edit(actor_id):
    actor = actor_service.get_actor(db.session, actor_id)
    if actor.archived:  # read-only until restored: the rule's message, not the form
        show_errors(None, Invalid.on("actor", actor_service.ARCHIVED_MESSAGE, name=actor.name))
        return redirect(url_for("actors.detail", actor_id=actor.id))
    form = _actor_form(obj=_form_data(actor) if request.method == "GET" else None)
    if form.validate_on_submit():
        with command(form, conflict_page=lambda: _conflict(form, actor.id)) as saved:
            actor_service.update_actor(
                db.session, actor.id, version=form.version.data, **form.values()
            )
        if saved:
            flash(_("Your changes were saved."), "success")
            return redirect(url_for("actors.detail", actor_id=actor.id))
    return render_template("actors/form.html", form=form, actor=actor, duplicates=[])


@bp.route("/actors/<actor_id>/archive", methods=["POST"])
@permission_required(may_archive_actors)
def archive(actor_id):
    return _set_archived(actor_id, True, _("%(name)s was archived."))


@bp.route("/actors/<actor_id>/restore", methods=["POST"])
@permission_required(may_archive_actors)
def restore(actor_id):
    return _set_archived(actor_id, False, _("%(name)s was restored."))


@bp.route("/actors/<actor_id>/delete", methods=["GET", "POST"])
@permission_required(may_delete_for_good)
def delete(actor_id):
    actor = actor_service.get_actor(db.session, actor_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        with command() as saved:
            actor_service.delete_actor(db.session, actor.id)
        if saved:
            flash(_("%(name)s was deleted for good.", name=actor.name), "success")
            return redirect(url_for("actors.index"))
    return render_template("actors/delete.html", actor=actor, form=form)


@bp.route("/actors/<actor_id>/relations", methods=["POST"])
def add_relation(actor_id):
    actor = actor_service.get_actor(db.session, actor_id)
    form = _relation_form()
    if form.validate_on_submit():
        with command(form, fields={"target_id": "other"}) as saved:
            relation_service.add_relation(
                db.session,
                source_id=actor.id,
                target_id=_resolve_other(form.other.data),
                type=form.type.data,
                strength=form.strength.data,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
            )
        if not saved:
            return render_actor_page(actor, relation_form=form), 422
        flash(_("The relation was added."), "success")
    return redirect(url_for("actors.detail", actor_id=actor.id) + "#relations")


@bp.route("/relations/<relation_id>/delete", methods=["POST"])
def remove_relation(relation_id):
    form = ConfirmForm()
    back = request.form.get("back_to", "")
    if form.validate_on_submit():
        with command() as saved:
            relation_service.remove_relation(db.session, relation_id)
        if saved:
            flash(_("The relation was removed."), "success")
    target = url_for("actors.detail", actor_id=back) if back.isdigit() else url_for("actors.index")
    return redirect(target + "#relations")


def render_actor_page(actor, *, contact_form=None, relation_form=None):
    """The actor page: the call link and the latest contacts, the quick contact form, facts,
    next action, relations and the timeline.

    `?channel=visit` (a recommended action or a channel) starts the quick form on that channel.
    """
    contacts = list_contacts(
        db.session,
        actor.id,
        page=page_number(request.args.get("page")),
        per_page=current_app.config["PER_PAGE"],
    )
    analysis = None if actor.archived else current_analysis()  # archived: nothing to do
    return render_template(
        "actors/detail.html",
        actor=actor,
        relations=relation_service.relations_of(db.session, actor.id),
        contacts=contacts,
        latest_contacts=latest_contacts(db.session, actor.id, limit=3),
        contact_form=contact_form or _quick_contact_form(actor.id),
        relation_form=relation_form or _relation_form(formdata=None),
        confirm_form=ConfirmForm(),
        outreach=actor_outreach(analysis, actor.id, claim_of_actor(db.session, actor.id)),
        claim_form=ClaimForm(),
    )


def _quick_contact_form(actor_id: int) -> NewContactForm:
    """The quick form as a link from the outreach plan starts it: `?channel=visit` on that
    channel; `?introduce=ID` (this actor is asked to introduce the team to another) on a call
    with a note naming whom, and no outcome chosen: nothing has happened yet. It carries a
    fresh one-time token (one tap is one contact)."""
    channel = contact_channel(request.args.get("channel"))
    start = {"channel": channel} if channel else {}
    introduced = _actor_or_none(request.args.get("introduce"))
    if introduced is not None:
        note = _("Asked for an introduction to %(name)s.", name=introduced.name)
        start.update(outcome="", note=note)
    return NewContactForm.rendered(user_id=current_user.id, actor_id=actor_id, **start)


def _actor_or_none(actor_id):
    try:
        return actor_service.get_actor(db.session, actor_id) if actor_id else None
    except NotFound:
        return None


def _actor_form(obj=None) -> ActorForm:
    form = ActorForm(obj=obj)
    form.kind.choices = vocabulary_choices(KIND_LABELS)
    form.district.choices = [("", _("(unknown)"))] + [
        (n, n) for n in actor_service.choices_of_districts(db.session)
    ]
    form.themes.choices = [(n, n) for n in actor_service.choices_of_themes(db.session)]
    form.preferred_channel.choices = vocabulary_choices(CHANNEL_LABELS, blank=_("(no preference)"))
    form.preferred_language.choices = vocabulary_choices(LANGUAGE_LABELS, blank=_("(unknown)"))
    return form


def _relation_form(**kwargs) -> RelationForm:
    form = RelationForm(**kwargs)
    form.type.choices = vocabulary_choices(RELATION_TYPE_LABELS)
    return form


def _form_data(actor) -> SimpleNamespace:
    """The actor's values as the edit form shows them."""
    values = {name: getattr(actor, name) for name in actor_service.WRITABLE_FIELDS}
    values.update(
        district=actor.district.name if actor.district else "",
        themes=[t.name for t in actor.themes],
        phone=display_phone(actor.phone),
        influence=str(actor.influence),
        interest=str(actor.interest),
        preferred_channel=actor.preferred_channel or "",
        preferred_language=actor.preferred_language or "",
        version=actor.version,
    )
    return SimpleNamespace(**values)


def _identity(values: dict) -> dict:
    return {k: values.get(k) for k in ("name", "kind", "phone", "email")}


def _conflict(form: ActorForm, actor_id: int) -> str:
    stored = actor_service.get_actor(db.session, actor_id)
    return conflict_page(form, "actors/form.html", "actor", stored, duplicates=[])


def _set_archived(actor_id, archived: bool, message: str):
    actor = actor_service.get_actor(db.session, actor_id)
    if ConfirmForm().validate_on_submit():
        with command() as saved:
            actor_service.set_archived(db.session, actor.id, archived)
        if saved:
            flash(message % {"name": actor.name}, "success")
    return redirect(url_for("actors.detail", actor_id=actor.id))


def _resolve_other(text: str | None) -> int:
    """The id of the actor meant by a number or a (part of a) name typed in the relation form."""
    text = (text or "").strip()
    if text.isascii() and text.isdigit():
        return parse_id(text, field="target_id")
    matches = actor_service.search_actors(db.session, q=text, per_page=6).items if text else []
    if len(matches) == 1:
        return matches[0].id
    names = ", ".join(f"{a.name} (#{a.id})" for a in matches[:5])
    if not matches:
        raise Invalid.on("target_id", N_("No actor matches '%(value)s'."), value=text[:60])
    raise Invalid.on(
        "target_id", N_("Several actors match: %(names)s. Type the number."), names=names
    )


def _filter_choices() -> dict:
    return {
        "kinds": vocabulary_choices(KIND_LABELS, blank=_("All kinds")),
        "districts": actor_service.choices_of_districts(db.session),
        "themes": actor_service.choices_of_themes(db.session),
        "statuses": vocabulary_choices(REACH_STATUS_LABELS, blank=_("Any reach status")),
        "sorts": [
            ("name", _("Name A-Z")),
            ("-name", _("Name Z-A")),
            ("kind", _("Kind")),
            ("district", _("District")),
            ("last_contact", _("Last contact")),
            ("-created", _("Newest first")),
        ],
    }
