"""The architecture of docs/architecture.md, held against the code: the layers import only
downwards, every rule has one home (no label dictionary outside the vocabulary, no role name in
a template), and the CLI reaches no blueprint package."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLASK = {"flask", "flask_sqlalchemy", "flask_login", "flask_babel", "flask_wtf", "flask_limiter"}
# app -> (mapping, demo) -> crm; never upwards, and the domain never knows Flask.
FORBIDDEN = {
    "crm": FLASK | {"app", "mapping", "demo"},
    "mapping": FLASK | {"app", "demo"},
    "demo": FLASK | {"app"},
}
LABEL_CALLS = {"N_", "_l", "lazy_gettext", "gettext", "_"}


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, by its full dotted name."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def top_level(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def python_files(*folders: str):
    for folder in folders:
        yield from sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_each_layer_imports_only_the_layers_below_it(layer):
    offenders = {
        str(path.relative_to(ROOT)): sorted(top_level(imported_modules(path)) & FORBIDDEN[layer])
        for path in python_files(layer)
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_import_check_catches_a_flask_import_and_an_upward_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from flask import current_app\nimport app.extensions\nimport mapping\n")
    assert top_level(imported_modules(sample)) & FORBIDDEN["crm"] == {"flask", "app", "mapping"}


def blueprint_packages() -> set[str]:
    """The app's areas: the packages with a views module."""
    return {f"app.{path.parent.name}" for path in (ROOT / "app").glob("*/views.py")}


def test_the_cli_reaches_no_blueprint_package():
    areas = blueprint_packages()
    assert {"app.actors", "app.outreach", "app.maps"} <= areas
    imported = imported_modules(ROOT / "app" / "cli.py")
    assert sorted(m for m in imported if any(m == a or m.startswith(a + ".") for a in areas)) == []


ROLE_NAME = re.compile(r"""['"](staff|coordinator|admin)['"]|\.role\s*(==|!=|in\b)""")


def test_no_template_names_a_role():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if ROLE_NAME.search(line)
    ]
    assert offenders == []


def test_the_role_check_catches_a_role_in_a_template():
    assert ROLE_NAME.search("{% if current_user.role in ('coordinator', 'admin') %}")
    assert ROLE_NAME.search("{% if account.role == 'staff' %}")
    assert not ROLE_NAME.search("{% if may_archive_actors(current_user) %}")


def label_dictionaries(path: Path) -> list[str]:
    """Module-level dictionaries whose values are all marked labels (N_, _l, gettext), and
    module-level names ending in LABELS."""
    found = []
    for node in ast.parse(path.read_text(), filename=str(path)).body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        value = getattr(node, "value", None)
        name = getattr(target, "id", "")
        if not name:
            continue
        marked = (
            isinstance(value, ast.Dict)
            and value.values
            and all(
                isinstance(v, ast.Call) and getattr(v.func, "id", "") in LABEL_CALLS
                for v in value.values
            )
        )
        if name.endswith("LABELS") or marked:
            where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
            found.append(f"{where}: {name}")
    return found


def test_every_label_dictionary_is_in_the_vocabulary():
    vocabulary = ROOT / "crm" / "vocabulary.py"
    offenders = [
        entry
        for path in python_files("app", "crm", "mapping", "demo")
        if path != vocabulary
        for entry in label_dictionaries(path)
    ]
    assert offenders == []
    assert len(label_dictionaries(vocabulary)) >= 20


def test_the_label_check_catches_a_label_dictionary(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('ACTIONS = {"visit": N_("Visit"), "call": N_("Call")}\nFLAG_LABELS = {}\n')
    assert [entry.split(": ")[1] for entry in label_dictionaries(sample)] == [
        "ACTIONS",
        "FLAG_LABELS",
    ]
