"""Command-line commands: `flask users ...`, `flask demo-data ...`."""

from flask import Flask


def register(app: Flask) -> None:
    """Attach the commands to the app."""
