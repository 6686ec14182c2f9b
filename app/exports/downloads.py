"""Invitation list downloads as HTTP responses, shared by the pages and the API.

The export is logged (and committed) by the caller before the body is made. The body reads the
database through the analysis reader (app.analysis): on SQLite a plain BEGIN, so that a slow
download never holds the write lock every logged contact waits for.
"""

import tempfile
from collections.abc import Iterator

from flask import Response, send_file, stream_with_context
from flask_babel import gettext

from app.analysis import reading_session
from crm.exports import (
    XLSX_MIMETYPE,
    InvitationExport,
    call_sheet,
    download_name,
    invitation_csv_chunks,
    write_invitations_xlsx,
)

XLSX_CHUNK = 64 * 1024


def csv_download(export: InvitationExport) -> Response:
    """The export as a CSV attachment, streamed row by row as the database yields them."""

    def body() -> Iterator[bytes]:
        with reading_session() as session:
            yield from invitation_csv_chunks(session, export, translate=gettext)

    response = Response(stream_with_context(body()), mimetype="text/csv")
    return attachment(response, _file_name(export, "csv"))


def xlsx_download(export: InvitationExport) -> Response:
    """The export as an XLSX attachment: written row by row to a temporary file (a zip needs its
    end before it can be sent), then sent from there in chunks."""
    # Not a `with`: the response closes (and so deletes) the file once it is sent.
    spool = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        with reading_session() as session:
            write_invitations_xlsx(session, export, spool, translate=gettext)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    response = send_file(
        spool,
        mimetype=XLSX_MIMETYPE,
        as_attachment=True,
        download_name=_file_name(export, "xlsx"),
        conditional=False,
        etag=False,
        max_age=None,
    )
    return attachment(response, _file_name(export, "xlsx"))


def call_sheet_of(export: InvitationExport):
    """The call sheet of a logged export, labels in the user's language."""
    with reading_session() as session:
        return call_sheet(session, export, translate=gettext)


def _file_name(export: InvitationExport, extension: str) -> str:
    return download_name(gettext("invitations"), export, extension)


def attachment(response: Response, name: str) -> Response:
    """The response as a download named `name`, kept out of every cache (personal data)."""
    # The name is plain ASCII (crm.exports.download_name): no quoting or RFC 5987 needed.
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"  # personal data: no copy in any cache
    return response
