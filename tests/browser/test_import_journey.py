"""A coordinator imports a Belgian Excel list: uploads it, corrects one column, reads the dry
run, confirms, finds the actors in the actor list, then undoes the import (issue 12)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

LIST = (
    "Naam;Soort;Nummer;E-mail;Adres;Postcode\r\n"
    "Vzw Kansenbrug;Armoedevereniging;03 778 30 60;info@kansenbrug.be;Kazernestraat 12;9111\r\n"
    "Bakkerij Françoise;Bedrijf;0470 12 34 56;;Stationsstraat 3;9112\r\n"
).encode("cp1252")


@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_coordinator_imports_a_list_finds_the_actors_and_undoes_it(page, make_user, log_in_as):
    log_in_as(page, make_user("coordinator", name="Griet Van Damme"))

    page.locator("header nav").get_by_role("link", name="Importeren").click()
    expect(page.locator("#no-imports")).to_be_visible()
    page.set_input_files(
        "#file", files=[{"name": "ledenlijst.csv", "mimeType": "text/csv", "buffer": LIST}]
    )
    page.get_by_role("button", name="Opladen en kolommen nakijken").click()

    expect(page.get_by_role("heading", name="Welk veld is elke kolom?")).to_be_visible()
    number = page.get_by_label("Nummer", exact=True)
    expect(number).to_have_value("")  # "Nummer" is not a name Bereik knows
    expect(page.get_by_label("Naam", exact=True)).to_have_value("name")
    number.select_option("phone")
    page.get_by_role("button", name="Rijen nakijken").click()

    expect(page.locator("#summary")).to_contain_text(
        "Van de 2 rijen zouden er 2 nieuwe actoren worden"
    )
    expect(page.locator("#plan tbody tr[data-action=new]")).to_have_count(2)
    expect(page.locator("#row-3")).to_contain_text("Bakkerij Françoise")
    page.locator("#import-button").click()

    expect(page).to_have_url(re.compile(r"/imports/\d+$"))
    expect(page.locator('#import-facts [data-count="new"]')).to_have_text("2")
    expect(page.locator("#imported-by")).to_have_text("Griet Van Damme")
    page.locator("#to-actors").click()
    page.fill("#q", "kansenbrug")
    page.press("#q", "Enter")
    expect(page.locator("#actors tbody tr")).to_have_count(1)
    expect(page.locator("#actors")).to_contain_text("Vzw Kansenbrug")

    page.goto("/imports")
    page.locator("#imports").get_by_role("link", name="Ongedaan maken").click()
    expect(page.locator("#undo-what")).to_contain_text("De 2 actoren")
    page.locator("#confirm-undo").click()
    expect(page.locator(".flash.success")).to_contain_text("ongedaan gemaakt")
    page.goto("/?q=kansenbrug")
    expect(page.locator("#actors tbody tr")).to_have_count(0)
