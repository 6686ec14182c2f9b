"""Screenshots for the README, taken from the real app with demo data.

Refresh docs/screenshots/ (SQLite only, one run):

    .venv/bin/python -m tests.browser.make_screenshots

The same code runs in the browser suite (tests/browser/test_screenshots.py), writing to a
temporary folder, so a broken page or a blank picture fails the build instead of the README.
"""

import os
import struct
import subprocess
import sys
import zlib
from datetime import UTC, timedelta
from itertools import accumulate
from pathlib import Path

from crm.actors import create_actor
from crm.clock import utcnow
from crm.contacts import log_contact
from crm.relations import add_relation

ROOT = Path(__file__).resolve().parents[2]
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
OUTPUT_DIR_VARIABLE = "BEREIK_SCREENSHOTS_DIR"

FEATURED = "Welzijnsschakel De Klaproos"
# Fictional organisations and people, grouped by kind: name | district | phone | themes | channel
DEMO_ACTORS = {
    "poverty_organisation": """
        Welzijnsschakel De Klaproos | Sint-Niklaas | 03 776 12 40 | armoede, wonen | visit
        Vzw Samen Sterk Belsele | Belsele | 03 772 45 10 | armoede | visit
        Armoedeplatform Waas | Sint-Niklaas | | armoede | intermediary
        Voedselbank Nieuwkerken | Nieuwkerken-Waas | 03 778 02 93 | armoede | visit
    """,
    "civic_association": """
        Buurtwerk Clementwijk | Sint-Niklaas | 03 760 18 22 | wonen | phone
        Fietsersgroep Waasland | Sint-Niklaas | 0478 21 93 40 | mobiliteit | email
        Ouderraad Basisschool Sinaai | Sinaai | 0472 55 10 83 | onderwijs |
        Jeugdbeweging Nieuwkerken | Nieuwkerken-Waas | 0496 14 72 05 | cultuur |
        Repair Café Belsele | Belsele | 0475 62 18 39 | klimaat | event
        Wijkcomité Tereken | Sint-Niklaas | 0474 51 30 77 | mobiliteit, wonen | meeting
        Vrouwenraad Sint-Niklaas | Sint-Niklaas | 0498 62 07 15 | armoede | meeting
        Dorpsraad Sinaai | Sinaai | 03 772 88 64 | mobiliteit | event
        Jeugdhuis De Schakel | Belsele | 0468 22 91 35 | cultuur | online
    """,
    "knowledge_institution": """
        Hogeschool Waas, campus Noord | Sint-Niklaas | 03 776 88 20 | digitale inclusie | meeting
        Kenniscentrum Digitaal Waasland | Sint-Niklaas | 03 760 00 01 | economie | email
        Scholengroep Waasland | Sint-Niklaas | 03 780 55 00 | onderwijs | email
    """,
    "public_body": """
        Bibliotheek Sint-Niklaas | Sint-Niklaas | 03 778 35 00 | digitale inclusie, cultuur | email
        Sociaal Huis | Sint-Niklaas | 03 778 60 00 | armoede | meeting
        Wijkpolitie Centrum | Sint-Niklaas | 03 760 15 15 | mobiliteit | email
    """,
    "business": """
        Handelaarsvereniging Stationsstraat | Sint-Niklaas | 03 777 41 26 | economie | visit
        Bakkerij Van Puyvelde | Belsele | 03 772 20 47 | economie | visit
        Fietsenwinkel De Ketting | Sinaai | 03 772 90 18 | mobiliteit, economie | phone
        Coöperatie Wase Zon | Nieuwkerken-Waas | 0470 33 81 27 | klimaat | email
    """,
    "resident": """
        Lotte De Smet | Sint-Niklaas | 0486 12 40 57 | mobiliteit | phone
        Ahmed El Amrani | Sint-Niklaas | 0489 76 21 03 | digitale inclusie | phone
        Marleen Verhulst | Belsele | 03 772 61 84 | klimaat | visit
        Jozef Van Goethem | Sinaai | 03 772 13 95 | wonen | visit
        Nadia Kowalska | Sint-Niklaas | 0465 40 82 16 | onderwijs | sms
        Pieter Claeys | Nieuwkerken-Waas | 0477 90 14 62 | mobiliteit | phone
        Fatma Yilmaz | Sint-Niklaas | 0493 28 57 40 | armoede, digitale inclusie | visit
        Koen Van der Linden | Belsele | | economie | letter
        Els Bracke | Sinaai | 0471 84 36 20 | cultuur | email
    """,
}
VISIT_NOTE = (
    "Langs geweest op de ontmoetingsnamiddag: twaalf deelnemers, vooral zorgen over digitale"
    " loketten. Ze willen graag samen naar het open atelier."
)
# actor, days ago, channel, outcome, note
DEMO_CONTACTS = [
    (FEATURED, 60, "letter", "planned", "Uitnodiging kick-off workshop per brief verstuurd."),
    (FEATURED, 41, "phone", "no_answer", ""),
    (FEATURED, 39, "phone", "left_message", "Bericht ingesproken bij de onthaalmedewerker."),
    (FEATURED, 33, "visit", "reached", VISIT_NOTE),
    (FEATURED, 12, "event", "reached", "Vijf leden op het open atelier 'slimme stad'."),
    (FEATURED, 2, "phone", "reached", "Afgesproken: we lichten het verslag van het atelier toe."),
    ("Vzw Samen Sterk Belsele", 20, "email", "reached", "Antwoordde op de nieuwsbrief."),
    ("Vzw Samen Sterk Belsele", 8, "phone", "no_answer", ""),
    (
        "Armoedeplatform Waas",
        16,
        "intermediary",
        "reached",
        "Via de Vrouwenraad: enkel face-to-face.",
    ),
    ("Voedselbank Nieuwkerken", 1, "phone", "no_answer", ""),
    ("Buurtwerk Clementwijk", 15, "visit", "reached", "Wijkwandeling met de buurtwerker."),
    ("Fietsersgroep Waasland", 5, "email", "reached", "Stuurt de kaart met fietsknelpunten door."),
    ("Ouderraad Basisschool Sinaai", 30, "newsletter", "reached", ""),
    ("Wijkcomité Tereken", 21, "meeting", "reached", "Wil een atelier in de parochiezaal."),
    ("Dorpsraad Sinaai", 11, "event", "reached", ""),
    (
        "Hogeschool Waas, campus Noord",
        25,
        "meeting",
        "reached",
        "Studenten helpen bij de ateliers.",
    ),
    ("Bibliotheek Sint-Niklaas", 10, "meeting", "reached", "De digitale hoek als atelierlocatie."),
    ("Sociaal Huis", 18, "intermediary", "reached", "Drie cliënten willen getuigen."),
    (
        "Handelaarsvereniging Stationsstraat",
        9,
        "visit",
        "reached",
        "Vrezen minder parkeerplaatsen.",
    ),
    ("Bakkerij Van Puyvelde", 3, "phone", "declined", "Geen tijd in het voorjaar."),
    ("Lotte De Smet", 7, "phone", "reached", "Komt naar het open atelier."),
    ("Ahmed El Amrani", 4, "sms", "reached", ""),
    ("Jozef Van Goethem", 14, "visit", "reached", "Gesprek aan huis over renovatiepremies."),
    ("Fatma Yilmaz", 6, "phone", "left_message", ""),
]
# source, target, type, strength
DEMO_RELATIONS = [
    ("Fatma Yilmaz", FEATURED, "member_of", 3),
    ("Armoedeplatform Waas", FEATURED, "partner_of", 2),
    ("Sociaal Huis", FEATURED, "partner_of", 3),
]


def demo_actor_fields() -> list[dict]:
    """The demo actors as keyword arguments of crm.actors.create_actor."""
    actors = []
    for kind, table in DEMO_ACTORS.items():
        for line in table.strip().splitlines():
            name, district, phone, themes, channel = (cell.strip() for cell in line.split("|"))
            actors.append(
                {
                    "name": name,
                    "kind": kind,
                    "district": district,
                    "phone": phone or None,
                    "themes": [theme.strip() for theme in themes.split(",")],
                    "preferred_channel": channel or None,
                }
            )
    return actors


def seed_demo_data(session, *, user_id: int) -> int:
    """Create the demo actors, contacts and relations; return the featured actor's id."""
    now = utcnow()
    # crm reads a naive occurred_at as Brussels time; ours are UTC, so say so.
    utc_now = now.replace(tzinfo=UTC)
    ids = {
        fields["name"]: create_actor(session, now=now - timedelta(days=90), **fields).id
        for fields in demo_actor_fields()
    }
    for number, (name, days_ago, channel, outcome, note) in enumerate(DEMO_CONTACTS):
        log_contact(
            session,
            actor_id=ids[name],
            channel=channel,
            outcome=outcome,
            occurred_at=utc_now - timedelta(days=days_ago, hours=number % 5),
            note=note,
            user_id=user_id,
            now=now,
        )
    for source, target, relation_type, strength in DEMO_RELATIONS:
        add_relation(
            session,
            source_id=ids[source],
            target_id=ids[target],
            type=relation_type,
            strength=strength,
        )
    session.commit()
    return ids[FEATURED]


# --- reading PNG files without Pillow -------------------------------------------------------


def png_size_and_rows(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """Width, height, bytes per pixel and unfiltered pixel rows of an 8-bit RGB(A) PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    position, header, compressed = 8, None, []
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            compressed.append(body)
        elif kind == b"IEND":
            break
    width, height, depth, colour_type, _, _, interlace = header
    if depth != 8 or colour_type not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG: depth {depth}, colour type {colour_type}")
    bpp = 3 if colour_type == 2 else 4
    raw = zlib.decompress(b"".join(compressed))
    stride = width * bpp
    previous, rows = bytearray(stride), []
    for y in range(height):
        start = y * (stride + 1)
        row = bytearray(raw[start + 1 : start + 1 + stride])
        _unfilter(raw[start], row, previous, bpp)
        rows.append(bytes(row))
        previous = row
    return width, height, bpp, rows


def _unfilter(filter_type: int, row: bytearray, above: bytearray, bpp: int) -> None:
    # PNG specification §9: each row is stored as a difference to its neighbours.
    if filter_type == 1:  # Sub
        for channel in range(bpp):
            row[channel::bpp] = bytes(accumulate(row[channel::bpp], _add_bytes))
    elif filter_type == 2:  # Up: byte-wise addition of whole rows, as one big integer
        row[:] = _add_byte_strings(row, above)
    elif filter_type == 3:  # Average
        for i in range(len(row)):
            left = row[i - bpp] if i >= bpp else 0
            row[i] = (row[i] + ((left + above[i]) >> 1)) & 255
    elif filter_type == 4:  # Paeth
        for i in range(len(row)):
            a = row[i - bpp] if i >= bpp else 0
            b = above[i]
            c = above[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    elif filter_type != 0:
        raise ValueError(f"unknown PNG filter {filter_type}")


def _add_bytes(a: int, b: int) -> int:
    return (a + b) & 255


def _add_byte_strings(x: bytes, y: bytes) -> bytes:
    """(x[i] + y[i]) mod 256 for every i, without a Python loop (no carry between bytes)."""
    n = len(x)
    low7 = int.from_bytes(b"\x7f" * n, "big")
    high = int.from_bytes(b"\x80" * n, "big")
    a, b = int.from_bytes(x, "big"), int.from_bytes(y, "big")
    return (((a & low7) + (b & low7)) ^ ((a ^ b) & high)).to_bytes(n, "big")


def distinct_colours(path: Path) -> tuple[int, int, int]:
    """Width, height and the number of distinct pixel colours of a PNG file."""
    width, height, bpp, rows = png_size_and_rows(path.read_bytes())
    colours = set()
    for row in rows:
        colours.update(zip(*(row[channel::bpp] for channel in range(bpp)), strict=True))
    return width, height, len(colours)


def main() -> int:
    """Run the screenshot test once on SQLite, writing into docs/screenshots/."""
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        OUTPUT_DIR_VARIABLE: str(DOCS_SCREENSHOTS),
        "BEREIK_TEST_BACKENDS": "sqlite",
    }
    test = Path(__file__).with_name("test_screenshots.py")
    return subprocess.call([sys.executable, "-m", "pytest", str(test), "-q"], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
