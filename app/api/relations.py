"""API routes on relations between actors: add and remove."""

from app.api import bp
from app.api.payload import json_object, path_id
from app.api.schemas.relations import Relation, RelationCreate
from app.extensions import db
from crm.relations import add_relation, remove_relation


@bp.post("/relations")
def post_relation():
    """Link two actors; 201 with the relation."""
    relation = add_relation(db.session, **json_object(RelationCreate))
    db.session.commit()
    return Relation.of(relation).response(201)


@bp.delete("/relations/<relation_id>")
def delete_relation(relation_id: str):
    """Remove one relation."""
    remove_relation(db.session, path_id(relation_id, "relation"))
    db.session.commit()
    return "", 204
