"""API routes on actors: list and search, create, read, change, archive, delete."""

from flask import current_app, request, url_for

from app.api import bp
from app.api.auth import require
from app.api.payload import json_object, paging, path_id
from app.api.schemas.actors import Actor, ActorCreate, ActorPage, ActorPatch
from app.extensions import db
from crm.actors import (
    create_actor,
    delete_actor,
    get_actor,
    search_actors,
    set_archived,
    update_actor,
)
from crm.models import EMAIL_MAX, LABEL_MAX
from crm.permissions import may_archive_actors, may_delete_for_good
from crm.validation import clean_text, collect_errors, parse_choice
from crm.vocabulary import Kind


@bp.get("/actors")
def list_actors():
    """Actors matching `q` (name, phone or e-mail) and the filters, one page."""
    filters = _actor_filters()
    page, per_page = paging()
    found = search_actors(
        db.session,
        **filters,
        page=page,
        per_page=per_page,
        window_days=current_app.config["REACH_WINDOW_DAYS"],
    )
    return ActorPage.of(found).response()


@bp.post("/actors")
def post_actor():
    """Create an actor; 201 with the actor."""
    actor = create_actor(db.session, **json_object(ActorCreate))
    db.session.commit()
    response = Actor.of(actor).response(201)
    response.headers["Location"] = url_for("api.get_actor_by_id", actor_id=actor.id)
    return response


@bp.get("/actors/<actor_id>")
def get_actor_by_id(actor_id: str):
    """One actor, archived or not."""
    actor = get_actor(db.session, path_id(actor_id, "actor"))
    return Actor.of(actor).response()


@bp.patch("/actors/<actor_id>")
def patch_actor(actor_id: str):
    """Change fields and/or archive: only when `version` is the stored one, else 409."""
    ident = path_id(actor_id, "actor")
    changes = json_object(ActorPatch)
    version = changes.pop("version")
    archived = changes.pop("archived", None)
    if archived is not None:
        require(may_archive_actors)
    # Both in one transaction: a refused archive also undoes the field changes. A restore comes
    # first and an archive last: an archived actor is read-only (crm.actors.refuse_when_archived).
    if archived is False:
        actor = set_archived(db.session, ident, archived, version=version)
        version = actor.version
    if changes or archived is None:
        actor = update_actor(db.session, ident, version=version, **changes)
        version = actor.version
    if archived is True:
        actor = set_archived(db.session, ident, archived, version=version)
    db.session.commit()
    return Actor.of(actor).response()


@bp.delete("/actors/<actor_id>")
def delete_actor_by_id(actor_id: str):
    """Remove an actor with its contacts and relations for good (administrators only)."""
    require(may_delete_for_good)
    delete_actor(db.session, path_id(actor_id, "actor"))
    db.session.commit()
    return "", 204


def _actor_filters() -> dict:
    """The search filters of the query string, checked so that no database sees bad text."""
    args = request.args
    q, kind, district, theme = collect_errors(
        lambda: clean_text(args.get("q"), field="q", max_length=EMAIL_MAX),
        lambda: parse_choice(args.get("kind"), Kind, field="kind", required=False),
        lambda: clean_text(args.get("district"), field="district", max_length=LABEL_MAX),
        lambda: clean_text(args.get("theme"), field="theme", max_length=LABEL_MAX),
    )
    return {"q": q, "kind": kind, "district": district, "theme": theme}
