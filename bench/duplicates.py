"""Duplicate detection on an import (issue 12): 10 000 rows against 100 000 existing actors.

    .venv/bin/python bench/duplicates.py [--actors 100000] [--rows 10000] [--keep DIR] [--stored]

The existing actors are demo.city's in a SQLite file (`--keep DIR` keeps it there and reuses it;
a `maps-N.sqlite` left there by bench/maps.py is reused as it is). The imported rows are a mix:
20 % near copies of existing actors (the phone in another format, the legal form moved to the
front, else the name in upper case, in another word order or with a letter dropped from its
last word; the e-mail in upper case, the street abbreviated), 80 % made-up people and
organisations (real first words of the existing names, so that the common words "de", "van",
"vzw" and frequent first names are in the blocks, with made-up surnames, phones, e-mails and
addresses). One line per figure: the time to load the existing actors' facts (one select) and
to index them, the detection time over all rows, the matches found, and how many planted near
copies were found (recall), also by their name (the only way when a list has no phone or
e-mail). `--stored` also times crm.duplicates.possible_duplicates over all stored actors.
Goal: loading and detection together under 10 s on this 2-core machine.
"""

import argparse
import random
import time
from pathlib import Path

from common import prepare, scratch_dir, sqlite_url

from crm.db import make_engine, make_session_factory
from crm.duplicates import (
    NAME,
    ActorFacts,
    DuplicateIndex,
    name_key,
    possible_duplicates,
    stored_facts,
)

GOAL_S = 10.0
COPY_SHARE = 0.2
SYLLABLES = ("ka", "lo", "vri", "dem", "bru", "sta", "mer", "kol", "ten", "bax", "quo", "zel")
STREETS = ("Lindelaan", "Kastanjedreef", "Beukenhof", "Molenwijk", "Vlasbloemstraat")
LEGAL_FORMS = ("vzw", "bv", "nv")


def timed(function):
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def other_phone_format(e164: str | None, rng: random.Random) -> str | None:
    """A stored +32 number as people write it: '03 778 30 60' or '0032 3 778 30 60'."""
    if not e164 or not e164.startswith("+32"):
        return e164
    national = e164[3:]
    spaced = " ".join(national[i : i + 2] for i in range(0, len(national), 2))
    return f"0{spaced}" if rng.random() < 0.5 else f"0032 {spaced}"


def legal_form_moved(name: str) -> str | None:
    """'IT-diensten De Bock bv (Gentse Baan)' -> 'BV IT-diensten De Bock (Gentse Baan)'."""
    words = name.split()
    forms = [w for w in words if w.lower().strip(".,") in LEGAL_FORMS]
    if not forms:
        return None
    rest = [w for w in words if w not in forms]
    return " ".join([forms[0].upper(), *rest])


def near_copy(facts: ActorFacts, rng: random.Random) -> ActorFacts:
    """The same actor as typed in another list."""
    name = legal_form_moved(facts.name)
    if name is None:
        words = facts.name.split()
        draw = rng.random()
        if draw < 0.25 and len(words[-1]) > 4:  # a typo: one letter of the last word dropped
            cut = rng.randrange(1, len(words[-1]))
            name = " ".join([*words[:-1], words[-1][:cut] + words[-1][cut + 1 :]])
        elif draw < 0.6:
            name = " ".join([*words[1:], words[0]])
        else:
            name = facts.name.upper()
    address = facts.address
    if address and rng.random() < 0.5:
        address = address.replace("straat", "str.")
    return ActorFacts(
        name=name,
        kind=facts.kind,
        phone=other_phone_format(facts.phone, rng),
        email=facts.email.upper() if facts.email else None,
        address=address,
        postcode=facts.postcode,
    )


def made_up(first_words: list[str], rng: random.Random) -> ActorFacts:
    """A new person or organisation: a real first word, a made-up surname or name."""
    invented = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
    if rng.random() < 0.7:
        name, kind = f"{rng.choice(first_words)} {invented}", "resident"
    else:
        name, kind = f"{rng.choice(('Vzw', 'De', 'Bakkerij'))} {invented}", "civic_association"
    return ActorFacts(
        name=name,
        kind=kind,
        phone=f"04{rng.randint(70, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
        f"{rng.randint(10, 99)}",
        email=f"{invented.lower()}{rng.randint(1, 999)}@voorbeeld.be",
        address=f"{rng.choice(STREETS)} {rng.randint(1, 300)}",
        postcode=rng.choice(("9100", "9111", "9112")),
    )


def imported_rows(existing: dict[int, ActorFacts], rows: int, seed: int):
    """The rows of the import in random order, and the existing id each near copy was made of
    (by row position)."""
    rng = random.Random(seed)
    copies = int(rows * COPY_SHARE)
    sources = rng.sample(list(existing), copies)
    first_words = [facts.name.split()[0] for facts in existing.values() if facts.name.split()]
    planted = [(near_copy(existing[i], rng), i) for i in sources]
    new = [(made_up(first_words, rng), None) for _ in range(rows - copies)]
    mixed = planted + new
    rng.shuffle(mixed)
    return [facts for facts, _ in mixed], {p: src for p, (_, src) in enumerate(mixed) if src}


def database(directory: Path, actors: int) -> str:
    """The kept maps database of this size if there is one, else a new one of actors only."""
    maps = directory / f"maps-{actors}.sqlite"
    name = f"maps-{actors}" if maps.exists() else f"duplicates-{actors}"
    url = sqlite_url(directory, name)
    prepare(url, actors=actors, contacts=0, relations=0)
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the SQLite file here")
    parser.add_argument("--stored", action="store_true", help="also time possible_duplicates")
    options = parser.parse_args()
    with scratch_dir(options.keep) as directory:
        url = database(directory, options.actors)
        engine = make_engine(url, immediate=False)
        with make_session_factory(engine)() as session:
            load_s, existing = timed(lambda: stored_facts(session))
            index_s, index = timed(lambda: DuplicateIndex(existing))
            rows, planted = imported_rows(existing, options.rows, options.seed)
            detect_s, matches = timed(lambda: index.find(rows))
            report(existing, rows, planted, matches, index, load_s, index_s, detect_s)
            if options.stored:
                stored_s, pairs = timed(lambda: possible_duplicates(session, limit=1_000_000))
                print(f"possible_duplicates over {len(existing):,} stored actors: {stored_s:.1f} s")
                print(f"stored pairs found: {len(pairs):,}")
        engine.dispose()


def report(existing, rows, planted, matches, index, load_s, index_s, detect_s) -> None:
    found = {(m.candidate, m.existing_id) for m in matches}
    recalled = sum((row, source) in found for row, source in planted.items())
    matched_rows = len({m.candidate for m in matches})
    total = load_s + index_s + detect_s
    print(f"existing actors: {len(existing):,}; imported rows: {len(rows):,}")
    print(f"load existing facts (one select): {load_s:.2f} s")
    print(
        f"index existing facts (keys, blocks; common word limit {index.common_word_limit}): "
        f"{index_s:.2f} s"
    )
    print(f"detection over {len(rows):,} rows: {detect_s:.2f} s")
    print(f"matches found: {len(matches):,} (rows with at least one: {matched_rows:,})")
    share = recalled / len(planted)
    print(f"planted near copies found: {recalled:,} of {len(planted):,} (recall {share:.1%})")
    by_name = {(m.candidate, m.existing_id) for m in matches if NAME in m.reasons}
    named = sum((row, source) in by_name for row, source in planted.items())
    print(f"planted near copies found by their name alone: {named:,} of {len(planted):,}")
    missed = [row for row, source in planted.items() if (row, source) not in by_name][:5]
    for row in missed:
        print(
            f"  missed: {rows[row].name!r} ~ {existing[planted[row]].name!r} "
            f"({name_key(rows[row].name)!r} ~ {name_key(existing[planted[row]].name)!r})"
        )
    verdict = "met" if total < GOAL_S else "NOT met"
    print(f"goal, load + index + detection < {GOAL_S:.0f} s: {total:.2f} s, {verdict}")


if __name__ == "__main__":
    main()
