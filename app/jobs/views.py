"""A job's page: its progress bar while it runs (any worker shows it, also after a reload), then
its result page; and the same as JSON for the page's script."""

from flask import Blueprint, jsonify, redirect, render_template
from flask_login import current_user

from app.extensions import db
from app.i18n import translate_message
from app.jobs import RESULT_PAGES
from crm import jobs
from crm.permissions import Refused, may_import

bp = Blueprint("jobs", __name__)


@bp.route("/jobs/<job_id>")
def show(job_id):
    job = _job_of_user(job_id)
    state = jobs.job_state(job)
    if state == jobs.DONE and job.kind in RESULT_PAGES:
        return redirect(RESULT_PAGES[job.kind](job))
    errors = [translate_message(m) for m in jobs.job_errors(job)]
    return render_template("jobs/progress.html", job=job, state=state, errors=errors)


@bp.route("/jobs/<job_id>.json")
def progress(job_id):
    job = _job_of_user(job_id)
    state = jobs.job_state(job)
    done = state == jobs.DONE and job.kind in RESULT_PAGES
    return jsonify(
        state=state,
        step=job.step,
        done=job.done,
        total=job.total,
        result_url=RESULT_PAGES[job.kind](job) if done else None,
    )


def _job_of_user(job_id):
    """The job, for its own starter and for those who may import (all jobs are imports' now)."""
    job = jobs.get_job(db.session, job_id)
    if job.created_by_id != current_user.id and not may_import(current_user):
        raise Refused(may_import)
    return job
