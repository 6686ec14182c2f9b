"""The possible duplicates page (a search over the stored actors, run as a job) and the merge
screen: two records side by side, a choice per differing field, then one merge (crm.merges)."""

from dataclasses import asdict

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import Session

from app.auth import permission_required
from app.duplicates.forms import MergeForm, SearchForm
from app.extensions import db
from app.jobs import register_result_page, start_job
from app.paging import page_number
from app.transaction import command, show_errors
from crm import jobs
from crm.duplicates import pairs_among, stored_facts
from crm.merges import (
    DUPLICATES_JOB,
    compare_actors,
    latest_duplicates_search,
    latest_merges,
    merge_actors,
    merge_details,
    pairs_still_present,
)
from crm.messages import Invalid
from crm.paging import page_of
from crm.permissions import may_import

bp = Blueprint("duplicates", __name__)

MAX_PAIRS = 1000  # the best pairs kept of one search: more than anyone works through at once

register_result_page(DUPLICATES_JOB, lambda job: url_for("duplicates.index"))


@bp.route("/duplicates")
@permission_required(may_import)
def index():
    search = latest_duplicates_search(db.session)
    pairs = pairs_still_present(db.session, jobs.job_result(search)["pairs"]) if search else []
    newest = jobs.latest_job(db.session, kind=DUPLICATES_JOB)
    running = newest if newest and jobs.job_state(newest) in (jobs.QUEUED, jobs.RUNNING) else None
    return render_template(
        "duplicates/index.html",
        search=search,
        running=running,
        page=page_of(pairs, page_number(request.args.get("page")), current_app.config["PER_PAGE"]),
        merges=[(m, merge_details(m)) for m in latest_merges(db.session)],
        form=SearchForm(),
    )


@bp.route("/duplicates/search", methods=["POST"])
@permission_required(may_import)
def search():
    if SearchForm().validate_on_submit():
        with command():
            job = jobs.create_job(db.session, kind=DUPLICATES_JOB, created_by_id=current_user.id)
            # Read now: reading it after the commit starts a transaction that (BEGIN IMMEDIATE
            # on SQLite) would hold the write lock the job's progress needs.
            job_id = job.id
        start_job(job_id, _find_pairs)
        return redirect(url_for("jobs.show", job_id=job_id))
    return redirect(url_for("duplicates.index"))


def _find_pairs(progress) -> dict:
    """The job's work: the possible duplicates among the stored actors, best first."""
    with Session(db.engine) as session:
        facts = stored_facts(session)
    # The read transaction has ended: on SQLite it would keep the progress from being written.
    progress("comparing", 0, len(facts))
    pairs = pairs_among(
        facts, limit=MAX_PAIRS, progress=lambda done, total: progress("comparing", done, total)
    )
    return {"pairs": [asdict(pair) for pair in pairs]}


@bp.route("/actors/merge", methods=["GET", "POST"])
@permission_required(may_import)
def merge():
    ids = (request.args.get("first"), request.args.get("second"))
    try:
        comparison = compare_actors(db.session, *ids)
    except Invalid as refusal:
        show_errors(None, refusal)
        return redirect(url_for("duplicates.index"))
    form = _merge_form(comparison)
    if form.validate_on_submit():
        kept, removed = _sides(comparison, form.kept.data)
        kept_version, removed_version = form.versions()
        with command(form, conflict_page=lambda: _conflict(form, ids)) as saved:
            record = merge_actors(
                db.session,
                kept.id,
                removed.id,
                take=form.take(),
                kept_version=kept_version,
                removed_version=removed_version,
                user_id=current_user.id,
            )
        if saved:
            flash(_merged_message(record), "success")
            return redirect(url_for("actors.detail", actor_id=record.kept_id))
    return render_template("duplicates/merge.html", form=form, comparison=comparison)


def _merge_form(comparison) -> MergeForm:
    """The form as first shown: the suggested record stays, each differing field keeps its value
    unless only the other record has one (themes: both records' together)."""
    if request.method == "POST":
        return MergeForm()
    picks = {f"take_{name}": side for name, side in comparison.suggested_take.items()}
    picks["take_themes"] = "both"
    return MergeForm(
        kept=comparison.suggested_kept,
        first_version=comparison.first.version,
        second_version=comparison.second.version,
        **picks,
    )


def _sides(comparison, kept: str):
    first, second = comparison.first, comparison.second
    return (second, first) if kept == "second" else (first, second)


def _conflict(form: MergeForm, ids) -> str:
    """The merge screen again with what is stored now (and its versions)."""
    comparison = compare_actors(db.session, *ids)
    form.first_version.data = comparison.first.version
    form.second_version.data = comparison.second.version
    return render_template("duplicates/merge.html", form=form, comparison=comparison)


def _merged_message(record) -> str:
    return _(
        "Merged: %(removed)s went into %(kept)s (contacts: %(contacts)d, relations: "
        "%(relations)d, invitations: %(invitations)d, ideas: %(ideas)d moved over).",
        removed=record.removed_name,
        kept=record.kept_name,
        contacts=record.contacts_moved,
        relations=record.relations_moved,
        invitations=record.invitations_moved,
        ideas=record.ideas_moved,
    )
