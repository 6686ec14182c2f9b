"""plotly.js as Bereik builds it, and the caching and gzip of the map pages.

docs/performance.md#maps-and-pages: the full plotly.js is 4.8 MB (1.44 MB gzipped); Bereik draws
only scatter, bar and heatmap traces, so it serves its own partial bundle of the same plotly.js
(app/static/vendor/plotly, ≈0.4 MB gzipped), once, cached for a year under a versioned URL, by
Bereik itself (no CDN: the intranet may be offline), never inlined per page. The pages themselves
carry a strong ETag, so a repeat visit is answered 304 without a body.
"""

import gzip
import hashlib
import re
from functools import cache
from pathlib import Path

from flask import Response, g, request, session

ONE_YEAR_S = 365 * 24 * 3600
MIN_GZIP_BYTES = 1024  # below this gzip saves less than it costs
PLOTLY_JS_VERSION = "4.1.1"  # the plotly.js inside the bundle (app/static/vendor/plotly/README.md)
STATIC = Path(__file__).resolve().parent.parent / "static"
PLOTLY_BUNDLE = STATIC / "vendor/plotly/plotly-bereik.min.js"
# The map pages' own script and style sheet, served like plotly.js (gzipped, a year of caching
# under a URL with their hash): Flask's static route sends them uncompressed and revalidates
# them on every visit.
MAP_ASSETS = {"maps.js": "text/javascript", "maps.css": "text/css"}
CSRF_FIELD = "csrf_token"  # Flask-WTF's default WTF_CSRF_FIELD_NAME, in g and in the session
GZIP_SUFFIX = "-gzip"  # a strong ETag names one representation: the gzipped body is another


def plotly_js() -> tuple[bytes, bytes, str]:
    """Bereik's plotly.js bundle: (plain, gzipped, etag), read and compressed once per process."""
    return _asset(PLOTLY_BUNDLE, PLOTLY_BUNDLE.stat().st_mtime_ns)


def map_asset(name: str) -> tuple[bytes, bytes, str]:
    """maps.js or maps.css: (plain, gzipped, etag), compressed again only when the file changed."""
    path = STATIC / name
    return _asset(path, path.stat().st_mtime_ns)


def map_asset_version(name: str) -> str:
    """The hash of maps.js or maps.css, put in its URL: a changed file gets a new URL."""
    return map_asset(name)[2][:8]


@cache
def _asset(path: Path, mtime_ns: int) -> tuple[bytes, bytes, str]:
    plain = path.read_bytes()
    return plain, gzip.compress(plain, compresslevel=9), hashlib.sha256(plain).hexdigest()[:32]


def plotly_js_version() -> str:
    """The plotly.js version and the bundle's hash, put in the script URL: a new bundle (another
    version or other trace types) gets a new URL, so a year of caching never serves a stale one."""
    return f"{PLOTLY_JS_VERSION}-{plotly_js()[2][:8]}"


def accepts_gzip() -> bool:
    return "gzip" in request.accept_encodings


def plotly_js_response() -> Response:
    """plotly.js with a year of caching, an ETag (304 when unchanged) and gzip if accepted."""
    return asset_response(*plotly_js(), mimetype="text/javascript")


def map_asset_response(name: str) -> Response:
    """maps.js or maps.css, cached and compressed like plotly.js."""
    return asset_response(*map_asset(name), mimetype=MAP_ASSETS[name])


def asset_response(plain: bytes, zipped: bytes, etag: str, *, mimetype: str) -> Response:
    """A file whose URL carries its version: a year of caching, an ETag, gzip if accepted."""
    response = Response(mimetype=mimetype)
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


def cached_and_gzipped(response: Response) -> Response:
    """A map page with a strong ETag and `no-cache` (the browser asks again, a 304 if the page is
    unchanged), gzipped when the client accepts it and it is worth it."""
    if not _is_page(response):
        return response
    body = response.get_data()
    zip_it = accepts_gzip() and len(body) >= MIN_GZIP_BYTES
    response.set_etag(page_etag(body) + (GZIP_SUFFIX if zip_it else ""))
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.add("Accept-Encoding")
    if request.if_none_match.contains(response.get_etag()[0]):
        response.status_code = 304
        response.set_data(b"")
        return response
    if zip_it:
        _gzip(response, body)
    return response


def gzipped(response: Response) -> Response:
    """The response gzipped when the client accepts it and it is worth it (a figure's JSON)."""
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
        _gzip(response, body)
    return response


def _gzip(response: Response, body: bytes) -> None:
    response.set_data(gzip.compress(body, compresslevel=6))
    response.content_encoding = "gzip"


def page_etag(body: bytes) -> str:
    """A hash of the page as this session sees it.

    The CSRF token in the page is signed with a timestamp, so it differs on every request although
    the page does not: it is left out of the hash. The session's raw token is hashed instead, so a
    new session (after logging in again) never gets a cached page whose token it would refuse.
    Tokens do not expire (config.WTF_CSRF_TIME_LIMIT = None), so an old page's token still works.
    """
    signed = g.get(CSRF_FIELD)
    if signed:
        body = re.sub(re.escape(signed.encode()), b"", body)
    digest = hashlib.sha256(body)
    digest.update(str(session.get(CSRF_FIELD, "")).encode())
    return digest.hexdigest()[:32]


def _is_page(response: Response) -> bool:
    return (
        request.method == "GET"
        and response.status_code == 200
        and response.mimetype == "text/html"
        and not response.direct_passthrough
        and not response.content_encoding
    )
