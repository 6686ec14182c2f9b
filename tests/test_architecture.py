"""DESIGN.md §4: crm/ and mapping/ never import Flask or the app."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"flask", "app", "flask_sqlalchemy", "flask_login", "flask_babel", "flask_wtf"}


def imported_top_level_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", ["crm", "mapping"])
def test_domain_layers_do_not_import_flask_or_app(layer):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_top_level_modules(path) & FORBIDDEN)
        for path in (ROOT / layer).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_import_check_catches_a_flask_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from flask import current_app\nimport app.extensions\n")
    assert imported_top_level_modules(sample) & FORBIDDEN == {"flask", "app"}
