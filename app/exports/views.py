"""Export pages: the invitation list as CSV and XLSX, the printable call sheet / visit list and
the export log. Only staff who may export get a list; every export is logged (who, when, what,
the rows and how many were left out) and committed before the file is sent."""

from flask import Blueprint, render_template, request
from flask_login import current_user

from app.auth import permission_required
from app.exports.downloads import call_sheet_of, csv_download, xlsx_download
from app.extensions import db
from app.i18n import translate_errors
from app.paging import page_number
from crm.exports import InvitationExport, list_exports, start_invitation_export
from crm.messages import Invalid
from crm.permissions import may_export, may_read_export_log
from crm.vocabulary import ExportKind

bp = Blueprint("exports", __name__)

LOG_PER_PAGE = 25


@bp.route("/events/<event_id>/invitations.csv")
@permission_required(may_export)
def invitations_csv(event_id):
    try:
        export = _start(event_id, ExportKind.INVITATIONS_CSV, dialect=request.args.get("dialect"))
    except Invalid as error:  # an unknown ?dialect=
        message = " ".join(m for ms in translate_errors(error).values() for m in ms)
        return render_template("error.html", code=400, message=message), 400
    return csv_download(export)


@bp.route("/events/<event_id>/invitations.xlsx")
@permission_required(may_export)
def invitations_xlsx(event_id):
    return xlsx_download(_start(event_id, ExportKind.INVITATIONS_XLSX))


@bp.route("/events/<event_id>/call-sheet")
@permission_required(may_export)
def call_sheet(event_id):
    sheet = call_sheet_of(_start(event_id, ExportKind.CALL_SHEET))
    return render_template("exports/call_sheet.html", sheet=sheet)


@bp.route("/exports")
@permission_required(may_read_export_log)
def log():
    page = list_exports(
        db.session, page=page_number(request.args.get("page")), per_page=LOG_PER_PAGE
    )
    return render_template("exports/log.html", page=page)


def _start(event_id, kind: ExportKind, *, dialect: str | None = None) -> InvitationExport:
    """Log the export of the event's list and commit it: 404 for an unknown event; `Invalid`
    (nothing logged) for a bad dialect."""
    try:
        export = start_invitation_export(
            db.session, event_id, kind=kind, dialect=dialect, user_id=current_user.id
        )
    except Invalid:
        db.session.rollback()
        raise
    db.session.commit()
    return export
