"""HTTP headers that keep user content from running as script or being framed, pages with
personal data out of every cache, and (in production) the browser on HTTPS."""

from flask import Flask, request

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)
# A year, subdomains included: the city's intranet names live under its own HTTPS domain.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


def register(app: Flask) -> None:
    """Add the security headers to every response."""

    @app.after_request
    def add_security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        # Pages and API answers carry names, phone numbers and notes: no copy in the browser's
        # or a proxy's cache (a shared PC at the city). Static files keep their caching, and a
        # response that chose its own (the map pages' 304s, the versioned assets) keeps it.
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        # Only where the cookies are HTTPS-only (config.ProductionConfig): a development server
        # on plain http://localhost must not teach the browser to refuse it.
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
        return response
