"""Bereik's domain and persistence: models, validation and one service function per use case.

No Flask here (DESIGN.md §4): views, the API and the CLI call these functions and own the
transaction.
"""
