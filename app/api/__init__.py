"""JSON API v1 with bearer tokens.

CSRF-exempt: a browser never adds the Authorization header on its own, so a forged cross-site
request carries no token. Modules: auth (tokens, roles), errors (the one place that turns
exceptions into JSON), payload (reading requests), schemas (the shapes of requests and
responses, declared once), one module of routes per area (reach: the analysis of mapping/), and
openapi (the document describing them, its schemas generated from the shapes).
"""

from flask import Blueprint

from app.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

# The modules register their handlers and routes on `bp`, so they come after it.
from app.api import (  # noqa: E402, F401
    actors,
    auth,
    contacts,
    errors,
    events,
    exports,
    imports,
    maps,
    openapi,
    reach,
    relations,
)
