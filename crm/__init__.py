"""Bereik's domain and persistence: models, validation and one service function per use case.

No Flask here (docs/architecture.md#layers): views, the API and the CLI call these functions and
own the transaction.
"""

from crm import versioning  # noqa: E402,F401  registers the data-version bump on every flush
