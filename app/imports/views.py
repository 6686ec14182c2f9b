"""Import pages (issue 12): upload a list, map its columns, read the dry run row by row, import
it all or nothing, read what it did and undo it. Coordinators and administrators only.

The dry run and the import run as jobs (app.jobs): the request records the job and answers with
its progress page, which opens the result page when the job is done. The dry run only reads (a
reading session, off SQLite's write lock); the import is one transaction of its own.
"""

from dataclasses import asdict

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import Session

from app.analysis import reading_session
from app.auth import permission_required
from app.extensions import db
from app.forms import put_errors_on_form
from app.imports.forms import (
    AnswersForm,
    ButtonForm,
    ColumnsForm,
    ConfirmForm,
    UploadForm,
)
from app.jobs import register_result_page, start_job
from app.paging import page_number
from app.transaction import command
from crm import jobs
from crm.imports import records
from crm.imports.files import MAX_UPLOAD_BYTES, refuse_too_large
from crm.imports.plan import ACTIONS
from crm.imports.serial import plan_from_data, plan_to_data
from crm.messages import Invalid, NotFound
from crm.permissions import may_import

bp = Blueprint("imports", __name__, url_prefix="/imports")

CHECK_JOB, RUN_JOB = "import_check", "import_run"
# The request may carry the file plus the form around it; read_table names the limit itself
# when the file alone is over it.
UPLOAD_REQUEST_LIMIT = MAX_UPLOAD_BYTES + 512 * 1024
ROWS_PER_PAGE = 50
IMPORTS_PER_PAGE = 25

register_result_page(
    CHECK_JOB, lambda job: url_for("imports.check", import_id=job.import_id, job=job.id)
)
register_result_page(RUN_JOB, lambda job: url_for("imports.detail", import_id=job.import_id))


@bp.url_value_preprocessor
def allow_large_uploads(endpoint, values) -> None:
    """The upload may be up to the import limit, other forms keep the app's 2 MB.

    Set here, before any before_request function (CSRF protection reads the form)."""
    if endpoint == "imports.index" and request.method == "POST":
        request.max_content_length = UPLOAD_REQUEST_LIMIT


@bp.errorhandler(413)
def upload_too_large(error):
    form = UploadForm(formdata=None)  # the body is never read
    try:
        refuse_too_large(request.content_length or UPLOAD_REQUEST_LIMIT, MAX_UPLOAD_BYTES)
    except Invalid as refusal:
        put_errors_on_form(form, refusal)
    return _index_page(form), 413


@bp.route("", methods=["GET", "POST"])
@permission_required(may_import)
def index():
    form = _upload_form()
    if form.validate_on_submit():
        with command(form, fields={"name": "mapping"}) as saved:
            record = _start_draft(form)
        if saved:
            return redirect(url_for("imports.columns", import_id=record.id))
    return _index_page(form)


@bp.route("/<import_id>/columns", methods=["GET", "POST"])
@permission_required(may_import)
def columns(import_id):
    record = records.get_import(db.session, import_id)
    if record.status != records.DRAFT:
        return redirect(url_for("imports.detail", import_id=record.id))
    table = records.draft_table(record)
    form = ColumnsForm()
    form.fill(table.headers, records.mapping_of(record))
    if form.validate_on_submit():
        with command(form) as saved:
            records.set_mapping(db.session, record.id, form.mapping(table.headers))
            _save_mapping(form.save_as.data, form.mapping(table.headers))
            job = _new_job(CHECK_JOB, record.id)
        if saved:
            return _run(job, _check_work(record.id))
    return render_template("imports/columns.html", form=form, record=record, table=table)


@bp.route("/<import_id>/check")
@permission_required(may_import)
def check(import_id):
    record = records.get_import(db.session, import_id)
    if record.status != records.DRAFT:
        return redirect(url_for("imports.detail", import_id=record.id))
    job = _check_job(record, request.args.get("job"))
    if job is None:
        return redirect(url_for("imports.columns", import_id=record.id))
    if jobs.job_state(job) != jobs.DONE:
        return redirect(url_for("jobs.show", job_id=job.id))
    plan = plan_from_data(jobs.job_result(job))
    show = request.args.get("show") if request.args.get("show") in ACTIONS else None
    rows = records.planned_rows_page(
        plan, action=show, page=page_number(request.args.get("page")), per_page=ROWS_PER_PAGE
    )
    shown = ",".join(str(row.number) for row in rows.items)
    return render_template(
        "imports/check.html",
        record=record,
        job=job,
        plan=plan,
        rows=rows,
        show=show,
        answers=records.answers_of(record),
        answers_form=AnswersForm(formdata=None, shown=shown),
        confirm_form=ConfirmForm(formdata=None, job=job.id),
    )


@bp.route("/<import_id>/answers", methods=["POST"])
@permission_required(may_import)
def answer(import_id):
    record = records.get_import(db.session, import_id)
    form = AnswersForm()
    if form.validate_on_submit():
        with command() as saved:
            answers = form.answers(request.form, records.answers_of(record))
            records.set_answers(db.session, record.id, answers)
            job = _new_job(CHECK_JOB, record.id)
        if saved:
            return _run(job, _check_work(record.id))
    return redirect(url_for("imports.check", import_id=record.id))


@bp.route("/<import_id>/import", methods=["POST"])
@permission_required(may_import)
def run(import_id):
    record = records.get_import(db.session, import_id)
    form = ConfirmForm()
    checked = _check_job(record, form.job.data) if record.status == records.DRAFT else None
    if not form.validate_on_submit() or checked is None or checked.state != jobs.DONE:
        return redirect(url_for("imports.detail", import_id=record.id))
    with command():
        job = _new_job(RUN_JOB, record.id)
    plan = jobs.job_result(checked)
    return _run(job, _import_work(record.id, plan, bool(form.skip_invalid.data)))


@bp.route("/<import_id>")
@permission_required(may_import)
def detail(import_id):
    record = records.get_import(db.session, import_id)
    if record.status == records.DRAFT:
        return redirect(url_for("imports.check", import_id=record.id))
    left_out, error_pages = records.rows_left_out_page(
        record, page=page_number(request.args.get("page")), per_page=ROWS_PER_PAGE
    )
    return render_template(
        "imports/detail.html",
        record=record,
        left_out=left_out,
        error_pages=error_pages,
        undo_form=ButtonForm(),
    )


@bp.route("/<import_id>/undo", methods=["GET", "POST"])
@permission_required(may_import)
def undo(import_id):
    record = records.get_import(db.session, import_id)
    form = ButtonForm()
    if form.validate_on_submit():
        with command() as saved:
            records.undo_import(db.session, record.id, user_id=current_user.id)
        if saved:
            flash(_("The import of %(file)s was undone.", file=record.file_name), "success")
        return redirect(url_for("imports.detail", import_id=record.id))
    return render_template("imports/undo.html", record=record, form=form)


# --- helpers -------------------------------------------------------------------------------


def _upload_form() -> UploadForm:
    form = UploadForm()
    form.mapping.choices = [("", _("Guess from the column names"))] + [
        (str(saved.id), saved.name) for saved in records.saved_mappings(db.session)
    ]
    return form


def _index_page(form: UploadForm):
    if not form.mapping.choices:
        form.mapping.choices = [("", _("Guess from the column names"))]
    page = records.imports_page(
        db.session, page=page_number(request.args.get("page")), per_page=IMPORTS_PER_PAGE
    )
    return render_template("imports/index.html", form=form, page=page)


def _start_draft(form: UploadForm):
    """The uploaded file as a draft, read with the saved mapping when one was chosen."""
    upload = form.file.data
    record, table = records.start_import(
        db.session,
        data=upload.read(),
        file_name=upload.filename or "",
        created_by_id=current_user.id,
    )
    if form.mapping.data:
        saved = records.get_mapping(db.session, form.mapping.data)
        records.set_mapping(
            db.session, record.id, records.mapping_for_headers(saved, table.headers)
        )
    return record


def _save_mapping(name: str | None, mapping: dict) -> None:
    """Save the mapping under `name` when one was given (its refusal on the name's field)."""
    if not (name or "").strip():
        return
    try:
        records.save_mapping(db.session, name=name, columns=mapping, created_by_id=current_user.id)
    except Invalid as refusal:
        raise Invalid({"save_as": [m for ms in refusal.errors.values() for m in ms]}) from None


def _new_job(kind: str, import_id: int):
    return jobs.create_job(
        db.session, kind=kind, created_by_id=current_user.id, import_id=import_id
    )


def _check_job(record, job_id):
    """The dry run job of this import: the one asked for, or the latest."""
    if not job_id:
        return jobs.latest_job(db.session, kind=CHECK_JOB, import_id=record.id)
    job = jobs.get_job(db.session, job_id)
    if job.kind != CHECK_JOB or job.import_id != record.id:
        raise NotFound("job", job_id)
    return job


def _run(job, work):
    """Start the committed job and show its progress page."""
    job_id = job.id
    # End the request's transaction (reading the id began one): on SQLite it would hold the
    # write lock that the job's progress and an inline job's work wait for.
    db.session.rollback()
    start_job(job_id, work)
    return redirect(url_for("jobs.show", job_id=job_id))


def _check_work(import_id: int):
    def work(progress) -> dict:
        with reading_session() as session:
            return plan_to_data(records.check_draft(session, import_id, progress=progress))

    return work


def _import_work(import_id: int, checked: dict, skip_invalid: bool):
    user_id = current_user.id

    def work(progress) -> dict:
        plan = plan_from_data(checked)
        # Before the write transaction: on SQLite the progress write would wait for its lock.
        progress(records.SAVE_STEP, 0, len(plan.rows))
        with Session(db.engine) as session:
            outcome = records.import_draft(
                session, import_id, user_id=user_id, skip_invalid=skip_invalid, checked=plan
            )
            session.commit()
        return asdict(outcome)

    return work
