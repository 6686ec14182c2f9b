"""plotly.js from the installed package, and gzip for the figure-heavy responses.

docs/performance.md#maps-and-pages: plotly.min.js is 4.8 MB (1.5 MB gzipped), so it is served once
as a cached file by Bereik itself (no CDN: the intranet may be offline), never inlined per page.
"""

import gzip
import hashlib
from functools import cache

import plotly.offline
from flask import Response, request

ONE_YEAR_S = 365 * 24 * 3600
MIN_GZIP_BYTES = 1024  # below this gzip saves less than it costs


@cache
def plotly_js() -> tuple[bytes, bytes, str]:
    """The plotly.js bundle of the installed plotly package: (plain, gzipped, etag)."""
    plain = plotly.offline.get_plotlyjs().encode("utf-8")
    return plain, gzip.compress(plain, compresslevel=6), hashlib.sha256(plain).hexdigest()[:32]


def plotly_js_version() -> str:
    """The version of the bundled plotly.js, put in the script URL so an upgrade busts caches."""
    return plotly.offline.get_plotlyjs_version()


def accepts_gzip() -> bool:
    return "gzip" in request.accept_encodings


def plotly_js_response() -> Response:
    """plotly.min.js with a year of caching, an ETag (304 when unchanged) and gzip if accepted."""
    plain, zipped, etag = plotly_js()
    response = Response(mimetype="text/javascript")
    response.set_etag(etag)
    response.headers["Cache-Control"] = f"private, max-age={ONE_YEAR_S}, immutable"
    response.vary.add("Accept-Encoding")
    if request.if_none_match.contains(etag):
        response.status_code = 304
        return response
    if accepts_gzip():
        response.set_data(zipped)
        response.content_encoding = "gzip"
    else:
        response.set_data(plain)
    return response


def gzipped(response: Response) -> Response:
    """The response gzipped when the client accepts it and it is worth it (a figure page)."""
    if (
        response.status_code != 200
        or response.direct_passthrough
        or response.content_encoding
        or not accepts_gzip()
    ):
        return response
    body = response.get_data()
    response.vary.add("Accept-Encoding")
    if len(body) >= MIN_GZIP_BYTES:
        response.set_data(gzip.compress(body, compresslevel=6))
        response.content_encoding = "gzip"
    return response
