"""API routes on an actor's contacts: the timeline, and logging a call or visit."""

from flask import request

from app.api import bp
from app.api.auth import api_user
from app.api.payload import json_object, paging, path_id
from app.api.schemas.contacts import Contact, ContactCreate, ContactPage
from app.extensions import db
from crm.actors import get_actor
from crm.contacts import list_contacts, log_contact, log_contact_once

IDEMPOTENCY_KEY = "Idempotency-Key"


@bp.get("/actors/<actor_id>/contacts")
def list_actor_contacts(actor_id: str):
    """The actor's contacts, newest first, one page."""
    ident = path_id(actor_id, "actor")
    page, per_page = paging()
    get_actor(db.session, ident)  # an unknown actor is a 404, not an empty page
    found = list_contacts(db.session, ident, page=page, per_page=per_page)
    return ContactPage.of(found).response()


@bp.post("/actors/<actor_id>/contacts")
def post_contact(actor_id: str):
    """Log a contact with the actor on behalf of the token's user; 201 with the contact.

    With an Idempotency-Key header (the IETF HTTP draft's), a repeat of the same key and body
    answers 201 with the contact the first one logged, and stores nothing."""
    ident = path_id(actor_id, "actor")
    fields = json_object(ContactCreate)
    key = request.headers.get(IDEMPOTENCY_KEY)
    if key is None:
        contact = log_contact(db.session, actor_id=ident, user_id=api_user().id, **fields)
    else:
        contact = log_contact_once(
            db.session, key=key, actor_id=ident, user_id=api_user().id, **fields
        ).contact
    db.session.commit()
    return Contact.of(contact).response(201)
