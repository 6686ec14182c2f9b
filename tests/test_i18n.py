"""Dutch by default, English on request, and a Dutch catalogue without holes."""

import ast
import html
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from crm.contacts import log_contact
from tests.conftest import post_form

ROOT = Path(__file__).resolve().parent.parent
DUTCH_PO = ROOT / "app" / "translations" / "nl" / "LC_MESSAGES" / "messages.po"
PYBABEL = Path(sys.executable).with_name("pybabel")
# The extraction of `make extract-messages`.
EXTRACT = ["-q", "extract", "-F", "babel.cfg", "-k", "N_", "-k", "_l", "-k", "lazy_gettext"]
# %(name)s, %(n)d, %s, %% ...: what `%` formatting reads from a message.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]")


def placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def source_messages(tmp_path_factory) -> list:
    """Every message of the source, extracted the way `make extract-messages` does."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(
        [str(PYBABEL), *EXTRACT, "-o", str(pot), "."],
        cwd=ROOT,
        check=True,
    )
    with pot.open("rb") as f:
        return [m for m in read_po(f) if m.id]


@pytest.fixture(scope="module")
def dutch():
    with DUTCH_PO.open("rb") as f:
        return read_po(f)


@pytest.fixture
def staff(make_user, login):
    user = make_user("staff")
    login(user)
    return user


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


# --- the catalogue ------------------------------------------------------------------------


def test_every_source_message_has_a_dutch_translation(source_messages, dutch):
    untranslated = []
    for message in source_messages:
        entry = dutch.get(message.id)
        strings = entry.string if entry is not None else ""
        strings = strings if isinstance(strings, tuple) else (strings,)
        if entry is None or entry.fuzzy or not all(s.strip() for s in strings):
            untranslated.append(message.id)

    assert not untranslated, (
        "Untranslated (run `make extract-messages`, then translate these in "
        f"{DUTCH_PO.relative_to(ROOT)}): {untranslated}"
    )


def test_dutch_translations_keep_the_placeholders_of_the_source(source_messages, dutch):
    mismatches = []
    for message in source_messages:
        entry = dutch.get(message.id)
        if entry is None:
            continue  # reported by the completeness test
        if isinstance(message.id, tuple):
            # Dutch has two forms: the singular may name the number (%(num)d actor) like the plural.
            pairs = [(message.id[0], entry.string[0]), (message.id[1], entry.string[1])]
        else:
            pairs = [(message.id, entry.string)]
        for source, translation in pairs:
            if translation and placeholders(source) != placeholders(translation):
                mismatches.append((source, translation))

    assert not mismatches


def test_the_dutch_catalogue_has_no_fuzzy_or_obsolete_entries(dutch):
    assert not [m.id for m in dutch if m.id and m.fuzzy]
    assert not dutch.obsolete


MARKERS = {"N_", "_", "_l", "gettext", "lazy_gettext", "ngettext"}


def marked_in_f_strings(source: str) -> list[int]:
    """The lines where a translation marker is called inside an f-string's braces: pybabel never
    extracts those messages, so they stay English in the Dutch UI."""
    return [
        inner.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.JoinedStr)
        for inner in ast.walk(node)
        if isinstance(inner, ast.Call)
        and isinstance(inner.func, ast.Name)
        and inner.func.id in MARKERS
    ]


def test_no_message_is_marked_inside_an_f_string_where_pybabel_cannot_see_it():
    sources = [
        p for folder in ("app", "crm", "mapping", "demo") for p in (ROOT / folder).rglob("*.py")
    ]

    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sources
        for line in marked_in_f_strings(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_check_finds_a_marker_inside_an_f_string():
    source = 'ok = translate(N_("Kind"))\nlabel = f"{translate(N_(\'Next action\'))}: {action}"\n'

    assert marked_in_f_strings(source) == [2]


def test_the_dutch_catalogue_compiles_without_errors(tmp_path):
    result = subprocess.run(
        [str(PYBABEL), "compile", "-l", "nl", "-i", str(DUTCH_PO), "-o", str(tmp_path / "m.mo")],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower()


# --- choosing the language ----------------------------------------------------------------


def test_the_login_page_is_dutch_by_default(client):
    page = page_text(client.get("/login"))

    assert 'lang="nl"' in page
    assert "Aanmelden bij Bereik" in page
    assert "Wachtwoord" in page
    assert "Log in to Bereik" not in page


@pytest.mark.parametrize(
    "path, english, dutch_text",
    [
        ("/", "New actor", "Nieuwe actor"),
        ("/actors/new", "Street and number", "Straat en huisnummer"),
        ("/follow-ups", "My follow-ups", "Mijn opvolgingen"),
        (
            "/no-such-page",
            "This page or object does not exist.",
            "Deze pagina of dit gegeven bestaat niet.",
        ),
    ],
)
def test_lang_en_gives_english_on_any_page(staff, client, path, english, dutch_text):
    dutch_page = page_text(client.get(path))
    english_page = page_text(client.get(f"{path}?lang=en"))

    assert dutch_text in dutch_page and 'lang="nl"' in dutch_page
    assert english in english_page and 'lang="en"' in english_page
    assert dutch_text not in english_page


def test_the_chosen_language_is_remembered_until_switched_back(client):
    client.get("/login?lang=en")

    remembered = page_text(client.get("/login"))
    assert 'lang="en"' in remembered and "Log in to Bereik" in remembered

    switched = page_text(client.get("/login?lang=nl"))
    assert 'lang="nl"' in switched and "Aanmelden bij Bereik" in switched
    assert "Aanmelden bij Bereik" in page_text(client.get("/login"))


def test_the_language_survives_logging_in(make_user, login, client):
    client.get("/login?lang=en")
    login(make_user("staff"))

    page = page_text(client.get("/"))

    assert 'lang="en"' in page and "New actor" in page


def test_an_unknown_language_falls_back_to_dutch(client):
    page = page_text(client.get("/login?lang=xx"))

    assert 'lang="nl"' in page and "Aanmelden bij Bereik" in page


def test_the_language_link_points_to_the_other_language(client):
    assert 'href="/login?lang=en"' in client.get("/login").get_data(as_text=True)
    assert 'href="/login?lang=nl"' in client.get("/login?lang=en").get_data(as_text=True)


# --- messages from the domain and flash messages -------------------------------------------

ACTOR = {"name": "Vzw De Vlaskop", "kind": "poverty_organisation", "district": "Sinaai"}


def test_a_domain_validation_message_is_dutch_by_default_and_repeats_the_typed_value(staff, client):
    page = page_text(post_form(client, "/actors/new", {**ACTOR, "phone": "abc"}))

    assert "'abc' is geen telefoonnummer. Schrijf het zoals 03 778 30 60 of 0470 12 34 56." in page


def test_the_same_domain_validation_message_is_english_after_lang_en(staff, client):
    client.get("/?lang=en")

    page = page_text(post_form(client, "/actors/new", {**ACTOR, "phone": "abc"}))

    assert "'abc' is not a phone number. Write it like 03 778 30 60 or 0470 12 34 56." in page
    assert "geen telefoonnummer" not in page


def test_a_message_with_a_number_keeps_its_numbers_in_dutch(staff, client):
    page = page_text(post_form(client, "/actors/new", {**ACTOR, "name": "x" * 201}))

    assert "Hoogstens 200 tekens toegelaten; je typte er 201." in page


def test_a_flash_message_is_dutch_and_names_the_actor(staff, client):
    response = post_form(client, "/actors/new", ACTOR, follow_redirects=True)

    assert "Vzw De Vlaskop is toegevoegd." in page_text(response)


def test_a_form_library_message_is_dutch_too(client):
    empty = {"email": "", "password": ""}

    page = page_text(post_form(client, "/login", empty, token_page="/login"))

    assert "Dit veld is vereist." in page  # WTForms' own Dutch catalogue
    assert "This field is required." not in page


# --- vocabulary labels --------------------------------------------------------------------


def test_vocabulary_labels_are_dutch_on_the_actor_list(staff, client, session, make_actor):
    make_actor(name="Vzw De Vlaskop", kind="poverty_organisation")
    reached = make_actor(name="Ann Claeys", kind="resident")
    log_contact(session, actor_id=reached.id, channel="visit", outcome="reached", user_id=staff.id)
    session.commit()

    page = page_text(client.get("/"))

    for dutch_label in ("Armoedevereniging", "Bewoner", "Rechtstreeks bereikt", "Niet bereikt"):
        assert dutch_label in page
    for english_label in ("Poverty organisation", "Resident", "Reached directly", "Not reached"):
        assert english_label not in page


def test_vocabulary_labels_are_english_after_lang_en(staff, client, make_actor):
    make_actor(name="Vzw De Vlaskop", kind="poverty_organisation")

    page = page_text(client.get("/?lang=en"))

    assert "Poverty organisation" in page and "Not reached" in page
    assert "Armoedevereniging" not in page


def test_the_number_of_actors_found_uses_the_dutch_plural(staff, client, make_actor):
    make_actor(name="Ann Claeys")
    assert "1 actor gevonden" in page_text(client.get("/"))

    make_actor(name="Bart Peeters")
    assert "2 actoren gevonden" in page_text(client.get("/"))
