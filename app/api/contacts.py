"""API routes on an actor's contacts: the timeline, and logging a call or visit."""

from flask import jsonify

from app.api import bp
from app.api.auth import api_user
from app.api.payload import TEXT, json_object, paging, path_id
from app.api.serialise import contact_json, page_json
from app.extensions import db
from crm.actors import get_actor
from crm.contacts import list_contacts, log_contact

CONTACT_FIELDS = {
    "channel": TEXT,
    "direction": TEXT,
    "outcome": TEXT,
    "occurred_at": TEXT,
    "note": TEXT,
    "follow_up_on": TEXT,
}


@bp.get("/actors/<actor_id>/contacts")
def list_actor_contacts(actor_id: str):
    """The actor's contacts, newest first, one page."""
    ident = path_id(actor_id, "actor")
    page, per_page = paging()
    get_actor(db.session, ident)  # an unknown actor is a 404, not an empty page
    found = list_contacts(db.session, ident, page=page, per_page=per_page)
    return jsonify(page_json(found, contact_json))


@bp.post("/actors/<actor_id>/contacts")
def post_contact(actor_id: str):
    """Log a contact with the actor on behalf of the token's user; 201 with the contact."""
    ident = path_id(actor_id, "actor")
    fields = json_object(CONTACT_FIELDS, required=("channel", "outcome"))
    contact = log_contact(db.session, actor_id=ident, user_id=api_user().id, **fields)
    db.session.commit()
    return jsonify(contact_json(contact)), 201
