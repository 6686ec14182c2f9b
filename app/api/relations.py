"""API routes on relations between actors: add and remove."""

from flask import jsonify

from app.api import bp
from app.api.payload import INTEGER, TEXT, json_object, path_id
from app.api.serialise import relation_json
from app.extensions import db
from crm.relations import add_relation, remove_relation

RELATION_FIELDS = {
    "source_id": INTEGER,
    "target_id": INTEGER,
    "type": TEXT,
    "strength": INTEGER,
    "starts_on": TEXT,
    "ends_on": TEXT,
}


@bp.post("/relations")
def post_relation():
    """Link two actors; 201 with the relation."""
    fields = json_object(RELATION_FIELDS, required=("source_id", "target_id", "type"))
    relation = add_relation(db.session, **fields)
    db.session.commit()
    return jsonify(relation_json(relation)), 201


@bp.delete("/relations/<relation_id>")
def delete_relation(relation_id: str):
    """Remove one relation."""
    remove_relation(db.session, path_id(relation_id, "relation"))
    db.session.commit()
    return "", 204
