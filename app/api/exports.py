"""API routes of the invitation list exports: CSV and XLSX (issue 5), logged like the pages."""

from flask import request

from app.api import bp
from app.api.auth import api_user, require
from app.api.payload import path_id
from app.exports.downloads import csv_download, xlsx_download
from app.extensions import db
from crm.exports import InvitationExport, start_invitation_export
from crm.permissions import may_export
from crm.vocabulary import ExportKind


@bp.get("/events/<event_id>/invitations.csv")
def get_invitations_csv(event_id: str):
    """The event's invitation list as CSV (`?dialect=excel-be`, the default, or `plain`)."""
    export = _start(event_id, ExportKind.INVITATIONS_CSV, dialect=request.args.get("dialect"))
    return csv_download(export)


@bp.get("/events/<event_id>/invitations.xlsx")
def get_invitations_xlsx(event_id: str):
    """The event's invitation list as an XLSX workbook."""
    return xlsx_download(_start(event_id, ExportKind.INVITATIONS_XLSX))


def _start(event_id: str, kind: ExportKind, *, dialect: str | None = None) -> InvitationExport:
    """Log the export and commit it: 403 when the token's user may not export, 404 for an
    unknown event, 422 for an unknown dialect (app.api.errors; nothing logged)."""
    require(may_export)
    export = start_invitation_export(
        db.session, path_id(event_id, "event"), kind=kind, dialect=dialect, user_id=api_user().id
    )
    db.session.commit()
    return export
