"""Saved filters: named selections of actors for the invitation list builder."""

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.builder import Criteria
from crm.clock import utcnow
from crm.messages import N_, Invalid
from crm.models import LABEL_MAX, SavedFilter
from crm.rows import get_row
from crm.validation import clean_text


def save_filter(
    session: Session,
    name,
    criteria: Criteria,
    user_id: int | None = None,
    *,
    now: datetime | None = None,
) -> SavedFilter:
    """Store `criteria` under `name`; a filter of the same name gets the new criteria."""
    clean_name = clean_text(name, field="name", max_length=LABEL_MAX, required=True)
    values = criteria.as_dict()
    if not values:
        raise Invalid.on("name", N_("Choose at least one criterion before saving a filter."))
    saved = session.scalar(select(SavedFilter).where(SavedFilter.name == clean_name))
    if saved is None:
        saved = SavedFilter(name=clean_name, created_by_id=user_id, created_at=now or utcnow())
        session.add(saved)
    saved.criteria = json.dumps(values, ensure_ascii=False, sort_keys=True)
    session.flush()
    return saved


def list_filters(session: Session) -> list[SavedFilter]:
    """Every saved filter, by name."""
    return list(session.scalars(select(SavedFilter).order_by(SavedFilter.name)))


def get_filter(session: Session, filter_id) -> SavedFilter:
    """The saved filter with this id."""
    return get_row(session, SavedFilter, filter_id, what="saved filter")


def filter_criteria(saved: SavedFilter) -> Criteria:
    """The criteria stored in a saved filter (values no longer known are dropped)."""
    try:
        raw = json.loads(saved.criteria or "{}")
    except ValueError:
        return Criteria()
    if not isinstance(raw, dict):
        return Criteria()
    try:
        return Criteria.parse(raw)
    except Invalid as error:  # a vocabulary value renamed since: keep the rest
        return Criteria.parse({k: v for k, v in raw.items() if k not in error.errors})
