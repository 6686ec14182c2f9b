"""Idea pages and the keep-warm list.

Everyone may read ideas and add a status update; `may_manage_ideas` creates and edits ideas and
their owners; the keep-warm CSV is for users who may export (crm.permissions), and is logged.
"""

from types import SimpleNamespace

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.utils import secure_filename

from app.auth import permission_required
from app.events.views import SHORT_WHEN
from app.exports.downloads import attachment
from app.extensions import db
from app.forms import vocabulary_choices
from app.i18n import translate_errors
from app.ideas.forms import IdeaForm, StatusUpdateForm
from app.paging import page_number
from app.transaction import command, conflict_page
from crm import ideas as idea_service
from crm import keep_warm as keep_warm_service
from crm.actors import choices_of_themes
from crm.clock import today_in_city
from crm.messages import Invalid
from crm.permissions import may_export, may_manage_ideas
from crm.vocabulary import IDEA_STATUS_LABELS

bp = Blueprint("ideas", __name__, url_prefix="/ideas")
# A theme can gather thousands of participants: the page shows this many per channel, the CSV
# has everyone.
SHOWN_PER_CHANNEL = 200

LIST_FILTERS = ("status", "theme", "event")


@bp.route("")
def index():
    filters = {name: request.args.get(name, "").strip() for name in LIST_FILTERS}
    page = idea_service.list_ideas(
        db.session,
        status=filters["status"] or None,
        theme=filters["theme"] or None,
        event_id=filters["event"] or None,
        page=page_number(request.args.get("page")),
        per_page=current_app.config["PER_PAGE"],
    )
    return render_template("ideas/index.html", page=page, filters=filters, choices=_choices())


@bp.route("/new", methods=["GET", "POST"])
@permission_required(may_manage_ideas)
def new():
    form = _idea_form()
    if form.validate_on_submit():
        with command(form) as saved:
            idea = idea_service.create_idea(
                db.session, user_id=current_user.id, **form.values(with_status=True)
            )
        if saved:
            flash(_("The idea %(title)s was added.", title=idea.title), "success")
            return redirect(url_for("ideas.detail", idea_id=idea.id))
    return render_template("ideas/form.html", form=form, idea=None), _form_status()


@bp.route("/<idea_id>")
def detail(idea_id):
    idea = idea_service.get_idea(db.session, idea_id)
    return _render_detail(idea, StatusUpdateForm(formdata=None, status=idea.status))


@bp.route("/<idea_id>/edit", methods=["GET", "POST"])
@permission_required(may_manage_ideas)
def edit(idea_id):
    idea = idea_service.get_idea(db.session, idea_id)
    form = _idea_form(obj=_form_data(idea) if request.method == "GET" else None)
    if form.validate_on_submit():
        with command(form, conflict_page=lambda: _conflict(form, idea.id)) as saved:
            idea_service.update_idea(
                db.session,
                idea.id,
                version=form.version.data,
                user_id=current_user.id,
                **form.values(with_status=False),
            )
        if saved:
            flash(_("Your changes were saved."), "success")
            return redirect(url_for("ideas.detail", idea_id=idea.id))
    return render_template("ideas/form.html", form=form, idea=idea), _form_status()


@bp.route("/<idea_id>/updates", methods=["POST"])
def add_update(idea_id):
    idea = idea_service.get_idea(db.session, idea_id)
    form = StatusUpdateForm()
    if form.validate_on_submit():
        with command(form) as saved:
            idea_service.add_status_update(
                db.session, idea.id, user_id=current_user.id, **form.values()
            )
        if saved:
            flash(_("The status update was added."), "success")
            return redirect(url_for("ideas.detail", idea_id=idea.id) + "#updates")
    return _render_detail(idea, form), 422


@bp.route("/keep-warm")
def keep_warm():
    scope = _scope_args()
    if not any(scope.values()):
        return _render_keep_warm(scope, None)
    try:
        rows = keep_warm_service.keep_warm_list(db.session, **scope)
    except Invalid as error:
        return _render_keep_warm(scope, None, error), 400
    return _render_keep_warm(scope, rows)


@bp.route("/keep-warm.csv")
@permission_required(may_export)
def keep_warm_csv():
    scope, dialect = _scope_args(), request.args.get("dialect", "excel-be")
    try:
        chunks = keep_warm_service.export_keep_warm(
            db.session, **scope, dialect=dialect, user_id=current_user.id, translate=_
        )
    except Invalid as error:
        db.session.rollback()
        return _render_keep_warm(scope, None, error), 400
    db.session.commit()
    response = Response(stream_with_context(chunks), mimetype="text/csv")
    return attachment(response, _csv_name(scope))


# --- helpers -------------------------------------------------------------------------------------


def _render_detail(idea, update_form: StatusUpdateForm):
    if not update_form.occurred_on.data:
        update_form.occurred_on.data = today_in_city().isoformat()
    return render_template(
        "ideas/detail.html",
        idea=idea,
        updates=idea_service.list_updates(db.session, idea.id),
        update_form=update_form,
    )


def _idea_form(obj=None) -> IdeaForm:
    return IdeaForm(obj=obj, themes=choices_of_themes(db.session), events=_event_choices())


def _form_data(idea) -> SimpleNamespace:
    """The idea's values as the edit form shows them (owners as "Name (#12)" lines)."""
    return SimpleNamespace(
        title=idea.title,
        description=idea.description,
        theme=idea.theme.name if idea.theme else "",
        event_id=str(idea.event_id or ""),
        owner_ids="\n".join(f"{a.name} (#{a.id})" for a in idea.owners),
        status=idea.status,
        version=idea.version,
    )


def _conflict(form: IdeaForm, idea_id: int) -> str:
    stored = idea_service.get_idea(db.session, idea_id)
    return conflict_page(form, "ideas/form.html", "idea", stored)


def _form_status() -> int:
    """422 when a submitted form was refused, else 200."""
    return 422 if request.method == "POST" else 200


def _event_choices() -> list[tuple[str, str]]:
    return [(str(e.id), _event_choice_text(e)) for e in idea_service.choices_of_events(db.session)]


def _event_choice_text(event) -> str:
    """'Open atelier (di 12 mei 2026, 19:00, Stadhuis)': two events of one name on one day
    still read apart by their hour and place."""
    when = format_datetime(event.starts_at, SHORT_WHEN)
    return f"{event.name} ({when}, {event.place})" if event.place else f"{event.name} ({when})"


def _choices() -> dict:
    return {
        "statuses": vocabulary_choices(IDEA_STATUS_LABELS, blank=_("Any status")),
        "themes": choices_of_themes(db.session),
        "events": _event_choices(),
    }


def _scope_args() -> dict:
    """The keep-warm scope from `?event=<id>` or `?theme=<name>` (empty values: not given)."""
    event, theme = request.args.get("event", "").strip(), request.args.get("theme", "").strip()
    return {"event_id": event or None, "theme": theme or None}


def _render_keep_warm(scope: dict, rows, error: Invalid | None = None):
    return render_template(
        "ideas/keep_warm.html",
        scope=scope,
        rows=rows,
        groups=keep_warm_service.by_channel(rows or []),
        shown_per_channel=SHOWN_PER_CHANNEL,
        errors=translate_errors(error) if error else {},
        choices=_choices(),
    )


def _csv_name(scope: dict) -> str:
    if scope["event_id"]:
        return f"keep-warm-event-{secure_filename(scope['event_id']) or 'x'}.csv"
    return f"keep-warm-{secure_filename(scope['theme'] or '') or 'theme'}.csv"
