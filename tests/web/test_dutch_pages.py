"""Every main page reads Dutch: rendered in the default language, no English slips through
(issue 11). The check reads what a person sees or hears: the text outside scripts and styles,
and the attributes a browser shows or reads aloud (placeholder, title, aria-label, alt, a
button's value, a confirmation question)."""

import re
from html.parser import HTMLParser

import pytest

from crm.ideas import create_idea
from crm.invitations import add_invitations
from demo.city import load_demo_data
from tests.conftest import post_form

# Words that are English and never Dutch. "is", "of", "die" and "en" are Dutch too, so they
# are not here; nor are words Dutch borrowed ("online", "e-mail", "sms").
ENGLISH_WORDS = {
    "the", "and", "with", "are", "your", "you", "this", "that", "for", "from", "not", "show",
    "save", "cancel", "delete", "edit", "next", "previous", "search", "today", "call", "visit",
    "page", "actors", "who", "what", "when", "where", "there", "have", "has", "will", "should",
    "which", "about", "more", "than", "only", "also", "each", "every", "claim", "claimed",
    "release", "log", "list", "events", "ideas", "reached", "directly", "group", "groups",
}  # fmt: skip
SHOWN_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt", "data-confirm"}
WORD = re.compile(r"[A-Za-zÀ-ÿ']+")


class VisibleText(HTMLParser):
    """The text a person sees or hears on a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skipping += 1
        values = dict(attrs)
        self.parts += [v for k, v in attrs if k in SHOWN_ATTRIBUTES and v]
        if tag == "input" and values.get("type") in ("submit", "button"):
            self.parts.append(values.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def english_in(html: str, allowed: set[str] = frozenset()) -> list[str]:
    """The English words in what the page shows, each with a little of its context."""
    reader = VisibleText()
    reader.feed(html)
    found = []
    for part in reader.parts:
        for word in WORD.findall(part):
            if word.lower() in ENGLISH_WORDS and word not in allowed:
                found.append(f"{word!r} in {part.strip()[:80]!r}")
    return found


@pytest.fixture
def city(engine, app, session, make_user, login, make_event):
    """A small demo city with an event, its list and an idea; an administrator logged in."""
    with engine.begin() as connection:
        load_demo_data(connection, actors=150, contacts=900, seed=3)
    admin = make_user("admin", name="Ann Beheerder")
    event = make_event(name="Open atelier slimme stad")
    add_invitations(session, event.id, actor_ids=range(1, 21), user_id=admin.id)
    idea = create_idea(session, title="Een speelstraat in Belsele", event_id=event.id)
    session.commit()
    login(admin)
    return {"event": event.id, "idea": idea.id, "actor": 1}


MAIN_PAGES = [
    "/",
    "/actors?q=vzw",
    "/actors/{actor}",
    "/actors/new",
    "/actors/{actor}/edit",
    "/follow-ups",
    "/outreach",
    "/outreach/groups/kind/resident",
    "/outreach/poverty-organisations",
    "/outreach/mine",
    "/events",
    "/events/new",
    "/events/{event}",
    "/events/{event}/builder",
    "/events/{event}/check-in",
    "/events/{event}/representation",
    "/events/{event}/call-sheet",
    "/ideas",
    "/ideas/new",
    "/ideas/{idea}",
    "/ideas/keep-warm",
    "/maps",
    "/maps/power-interest",
    "/maps/dashboard",
    "/maps/report",
    "/exports",
    "/users",
    "/no-such-page",
]


def test_every_main_page_reads_dutch(client, city):
    english = {}
    for path in MAIN_PAGES:
        response = client.get(path.format(**city))
        assert response.status_code in (200, 404), path
        found = english_in(response.get_data(as_text=True))
        if found:
            english[path] = found[:5]

    assert english == {}


def test_a_form_with_errors_reads_dutch(client, city):
    response = post_form(
        client, "/actors/new", {"name": "Jan", "kind": "resident", "phone": "O3 778 30 60"}
    )

    page = response.get_data(as_text=True)
    assert "staat de letter O waar een nul (0) hoort. Schrijf het zoals 03 778 30 60." in page
    assert english_in(page) == []


def test_the_check_finds_english_on_a_page_in_english(client, city):
    page = client.get("/outreach?lang=en").get_data(as_text=True)

    assert len(english_in(page)) > 10
