"""Possible duplicates: actors that look like the same person or organisation (issue 12).

Used on an import (each row against the actors already stored) and over the stored actors
themselves (a "possible duplicates" page). Names, phones, e-mails and addresses are first brought
to a key in which differences of spelling vanish (case, accents, punctuation, legal forms, the
format of a phone number); then an actor is compared only with the actors that share a key or an
uncommon word of the name, block by block with rapidfuzz's batch scoring: never every row against
every actor, which at 10 000 rows and 100 000 actors is a billion comparisons.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process
from sqlalchemy import false, select
from sqlalchemy.orm import Session

from crm.db import gc_paused
from crm.messages import Invalid
from crm.models import Actor
from crm.validation import parse_email, parse_phone, search_key

# Why two actors may be the same, strongest first (the order in which reasons are listed).
PHONE, EMAIL, ADDRESS, NAME = "phone", "email", "address", "name"
REASONS = (PHONE, EMAIL, ADDRESS, NAME)

# Belgian legal forms (Dutch and French), written without dots and spaces: "v.z.w." and
# "Comm. V." are recognised too. An organisation is typed with and without them, in front or
# behind ("Vzw De Link", "De Link VZW"): they say nothing about which organisation it is.
LEGAL_FORMS = frozenset(
    {"vzw", "ivzw", "bv", "nv", "cvba", "cv", "bvba", "asbl", "sprl", "srl", "vof", "commv"}
)

# The score (0-100) of fuzz.ratio on the name keys with their words sorted, which is
# fuzz.token_sort_ratio: word order never matters ("Peeters Jan"); or as typed, whichever is
# higher, because sorting moves a word with a typo in its first letter ("slagerij de backer
# ruweelstraat" sorts it before "slagerij", "truweelstraat" after: 69.8 sorted, 98.4 as typed).
# 90 lets one typo through in
# a name of ten letters or more ("jan peters" ~ "jan peeters" 95.2, "maria dubois" ~ "marie
# dubois" 91.7) and keeps another first name with the same surname apart ("els peeters" ~
# "jan peeters" 72.7, "marie peeters" 75.0). Some different people still score above it ("tom
# peeters" ~ "tim peeters" 90.9): a different address then rules them out (see `_contradicted`),
# and a person confirms every possible duplicate anyway. The same figure as
# crm.actors.DUPLICATE_NAME_SCORE, so that the actor form and an import agree.
NAME_SCORE = 90
# At the same address a shorter or fuller spelling of the name is enough: fuzz.token_set_ratio
# scores "peeters" ~ "jan peeters" 100 and "j peeters" ~ "jan peeters" 87.5, while two members
# of one household stay apart ("els peeters" ~ "jan peeters" 77.8).
ADDRESS_NAME_SCORE = 85
# A word of the name in more than this share of the actors (at least COMMON_WORD_FLOOR of them)
# is too common to pick the actors to compare with: "de", "van", "sint" would each put thousands
# of actors in a block. At 100 000 actors a word picks at most 1 000. A name without an
# uncommon word (a common first name and a surname with a typo, unknown: "Lieve Mertes") is
# compared on its least common word unless that is in more than FALLBACK_FACTOR times as many;
# and a name is always compared with the actors whose name key has the same words.
COMMON_WORD_SHARE = 0.01
COMMON_WORD_FLOOR = 100
FALLBACK_FACTOR = 3
# Queries per batch of rapidfuzz.process.cdist: bounds the score matrix (float32) in memory.
QUERY_BATCH = 2_000
# Below this many comparisons one thread is quicker than starting the workers.
PARALLEL_FROM = 200_000

_NOT_A_WORD = re.compile(r"[^\w.]+|_")
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")
_STORED_EMAIL = re.compile(r"[a-z0-9._%+\-]+@[a-z0-9\-]+(\.[a-z0-9\-]+)*\.[a-z]{2,}")
_BOX_WORDS = frozenset({"bus", "bte", "boite", "b"})
_DIGITS = re.compile(r"\D")
RESIDENT = "resident"
# Told how far a search over the stored actors is: (actors done, actors in all).
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ActorFacts:
    """What duplicate detection reads of an actor or of an imported row (plain, as typed)."""

    name: str
    kind: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    postcode: str | None = None


@dataclass(frozen=True)
class DuplicateMatch:
    """An existing actor that may be the candidate at position `candidate`, and why."""

    candidate: int
    existing_id: int
    reasons: tuple[str, ...]
    name_score: float


@dataclass(frozen=True)
class DuplicatePair:
    """Two stored actors that may be the same (first_id < second_id), and why."""

    first_id: int
    first_name: str
    second_id: int
    second_name: str
    reasons: tuple[str, ...]
    name_score: float


# --- keys ------------------------------------------------------------------------------------


def folded(text: str) -> str:
    """crm.validation.search_key, quicker on plain ASCII text (most names and addresses)."""
    # search_key looks at every character (to drop accents): 20 µs a name, 2 s for 100 000
    # actors' names and addresses; ASCII text has no accents and folds to its lower case.
    if text.isascii():
        return " ".join(text.lower().split())
    return search_key(text)


def name_key(name: str) -> str:
    """Lower case, without accents, punctuation or legal forms: 'Vzw De Link' -> 'de link'."""
    tokens = _NOT_A_WORD.sub(" ", folded(name)).split()
    if "." not in name and "comm" not in tokens:  # no dotted or two-word legal form to look for
        words = [token for token in tokens if token not in LEGAL_FORMS]
        return " ".join(words or tokens)
    words: list[str] = []
    skip_next = False
    for token, following in zip(tokens, [*tokens[1:], ""], strict=True):
        if skip_next:
            skip_next = False
            continue
        bare = token.replace(".", "")
        if bare in LEGAL_FORMS:
            continue
        # Written with a space: "Comm. V.". Only after a word of two letters or more, so that
        # initials ("C. V. Peeters") are kept.
        if len(bare) > 1 and bare + following.replace(".", "") in LEGAL_FORMS:
            skip_next = True
            continue
        words.extend(part for part in token.split(".") if part)
    if not words:  # the name is nothing but a legal form ("BV"): keep it
        words = [bare for token in tokens if (bare := token.replace(".", ""))]
    return " ".join(words)


def phone_key(raw: str | None) -> str | None:
    """The phone number in E.164, or None when there is none or it is no phone number."""
    text = (raw or "").strip()
    if not text:
        return None
    if _E164.fullmatch(text):
        # Stored numbers are E.164 already: parsing them again costs 16 µs each (1.6 s for
        # 100 000 actors) to return the same text.
        return text
    try:
        return parse_phone(text)
    except Invalid:
        return None


def email_key(raw: str | None) -> str | None:
    """The e-mail address in lower case, or None when there is none or it is no address."""
    text = (raw or "").strip()
    if not text:
        return None
    if _STORED_EMAIL.fullmatch(text):
        # Stored addresses are lower case already: validating them again costs 20 µs each.
        return text
    try:
        return parse_email(text)
    except Invalid:
        return None


def street_key(address: str | None) -> str | None:
    """Street and number without case, accents, punctuation, spaces in the street name or the
    word for a box: 'Kerkstr. 1 bus 2' and 'Kerkstraat 1/2' -> 'kerkstraat 1 2'."""
    words = [
        _expand_street_abbreviation(word)
        for word in _NOT_A_WORD.sub(" ", folded(address or "")).replace(".", " ").split()
        if word not in _BOX_WORDS
    ]
    street = "".join(word for word in words if not word[0].isdigit())
    numbers = [word for word in words if word[0].isdigit()]
    return " ".join([street, *numbers]) if street else None


def postcode_key(postcode: str | None) -> str | None:
    """The digits of a postcode: 'B-9100' -> '9100'."""
    return _DIGITS.sub("", postcode or "") or None


def address_key(address: str | None, postcode: str | None) -> str | None:
    """Street, number and postcode as one key, or None unless all three are known."""
    street, code = street_key(address), postcode_key(postcode)
    if street is None or code is None or " " not in street:  # no number after the street
        return None
    return f"{street} {code}"


def _expand_street_abbreviation(word: str) -> str:
    if word.endswith("str"):
        return word + "aat"
    if word.endswith("stwg"):
        return word[:-4] + "steenweg"
    return word


class _Keys(NamedTuple):
    """The normalised facts of one actor (a tuple: 100 000 of them are made at once)."""

    name: str
    sorted_name: str  # the words of `name` sorted: fuzz.ratio on it is token_sort_ratio
    words: tuple[str, ...]
    person: bool | None  # a resident (True), an organisation (False), unknown (None)
    phone: str | None
    email: str | None
    street: str | None
    postcode: str | None
    address: str | None


def _keys_of(facts: ActorFacts) -> _Keys:
    name = name_key(facts.name or "")
    words = name.split()
    street, code = street_key(facts.address), postcode_key(facts.postcode)
    # street_key puts the numbers after a space: a street with a number has one.
    numbered = street is not None and " " in street
    return _Keys(
        name,
        " ".join(sorted(words)),
        tuple(words),
        (facts.kind == RESIDENT) if facts.kind else None,
        phone_key(facts.phone),
        email_key(facts.email),
        street,
        code,
        f"{street} {code}" if numbered and code else None,  # as address_key()
    )


def _name_score(first: _Keys, second: _Keys) -> float:
    """How alike two names are, 0-100: fuzz.ratio of the name keys with their words sorted
    (fuzz.token_sort_ratio: word order never matters) or as typed, whichever is higher."""
    return max(
        fuzz.ratio(first.sorted_name, second.sorted_name), fuzz.ratio(first.name, second.name)
    )


def _differ(first, second) -> bool:
    return first is not None and second is not None and first != second


def _contradicted(first: _Keys, second: _Keys) -> bool:
    """Whether what is known of both says they are two: another street and number, another
    postcode, or a person against an organisation. Unknown facts contradict nothing."""
    return (
        _differ(first.street, second.street)
        or _differ(first.postcode, second.postcode)
        or _differ(first.person, second.person)
    )


# --- detection -------------------------------------------------------------------------------


class DuplicateIndex:
    """The existing actors' keys, indexed by uncommon name word, name, phone, e-mail and
    address, to find the possible duplicates of many candidates at once."""

    def __init__(self, existing: Mapping[int, ActorFacts], *, common_word_limit: int | None = None):
        self.ids = list(existing)
        with gc_paused():
            self.keys = [_keys_of(facts) for facts in existing.values()]
        self.common_word_limit = (
            common_word_limit
            if common_word_limit is not None
            else max(COMMON_WORD_FLOOR, int(len(self.ids) * COMMON_WORD_SHARE))
        )
        self.by_word: dict[str, list[int]] = defaultdict(list)
        self.by_sorted_name: dict[str, list[int]] = defaultdict(list)
        self.by_phone: dict[str, list[int]] = defaultdict(list)
        self.by_email: dict[str, list[int]] = defaultdict(list)
        self.by_address: dict[str, list[int]] = defaultdict(list)
        with gc_paused():
            for position, keys in enumerate(self.keys):
                self._add(position, keys)

    def _add(self, position: int, keys: _Keys) -> None:
        for word in set(keys.words):
            self.by_word[word].append(position)
        if keys.sorted_name:
            self.by_sorted_name[keys.sorted_name].append(position)
        for index, key in (
            (self.by_phone, keys.phone),
            (self.by_email, keys.email),
            (self.by_address, keys.address),
        ):
            if key is not None:
                index[key].append(position)

    def blocking_words(self, keys: _Keys) -> list[str]:
        """The words of a name that pick existing actors to compare with: of two letters or
        more and not too common; failing those, the least common word if it is not very
        common."""
        counted = {
            word: count
            for word in set(keys.words)
            if len(word) > 1 and (count := len(self.by_word.get(word, ())))
        }
        uncommon = [word for word, count in counted.items() if count <= self.common_word_limit]
        if uncommon or not counted:
            return uncommon
        least = min(counted, key=lambda word: (counted[word], word))
        return [least] if counted[least] <= FALLBACK_FACTOR * self.common_word_limit else []

    def compared_ids(self, candidate: ActorFacts) -> set[int]:
        """The existing actors whose name is scored against the candidate's."""
        keys = _keys_of(candidate)
        positions = set(self.by_sorted_name.get(keys.sorted_name, ()))
        for word in self.blocking_words(keys):
            positions.update(self.by_word[word])
        return {self.ids[p] for p in positions}

    def find(
        self,
        candidates: Sequence[ActorFacts],
        *,
        threshold: float = NAME_SCORE,
        progress: Progress | None = None,
    ) -> list[DuplicateMatch]:
        """Every possible duplicate of each candidate, by candidate, best first; `progress` is
        told how far the name scoring (most of the time) is, in candidates."""
        with gc_paused():
            keys = [_keys_of(facts) for facts in candidates]
            return self._find(keys, threshold=threshold, progress=progress)

    def find_among_existing(
        self, *, threshold: float = NAME_SCORE, progress: Progress | None = None
    ) -> list[DuplicateMatch]:
        """The possible duplicates of the existing actors among themselves (candidate = the
        position in `ids`; each actor also matches itself); `progress` is told how far the
        name scoring (nearly all the time) is."""
        with gc_paused():
            return self._find(self.keys, threshold=threshold, progress=progress)

    def _find(
        self, candidates: list[_Keys], *, threshold: float, progress: Progress | None = None
    ) -> list[DuplicateMatch]:
        reasons: dict[tuple[int, int], set[str]] = defaultdict(set)
        for pair in self._same_key_pairs(candidates, "phone", self.by_phone):
            reasons[pair].add(PHONE)
        for pair in self._same_key_pairs(candidates, "email", self.by_email):
            reasons[pair].add(EMAIL)
        for pair in self._same_address_pairs(candidates):
            reasons[pair].add(ADDRESS)
        for pair in self._similar_name_pairs(candidates, threshold, progress):
            if not _contradicted(candidates[pair[0]], self.keys[pair[1]]):
                reasons[pair].add(NAME)
        matches = [
            DuplicateMatch(
                candidate=c,
                existing_id=self.ids[p],
                reasons=tuple(r for r in REASONS if r in found),
                name_score=round(_name_score(candidates[c], self.keys[p]), 1),
            )
            for (c, p), found in reasons.items()
        ]
        return sorted(matches, key=lambda m: (m.candidate, *_best_first(m), m.existing_id))

    def _same_key_pairs(self, candidates: list[_Keys], field: str, index: dict[str, list[int]]):
        for c, keys in enumerate(candidates):
            key = getattr(keys, field)
            if key is not None:
                for position in index.get(key, ()):
                    yield c, position

    def _same_address_pairs(self, candidates: list[_Keys]):
        for c, keys in enumerate(candidates):
            positions = self.by_address.get(keys.address) if keys.address else None
            if not positions or not keys.name:
                continue
            found = process.extract(
                keys.name,
                [self.keys[p].name for p in positions],
                scorer=fuzz.token_set_ratio,
                score_cutoff=ADDRESS_NAME_SCORE,
                limit=None,
            )
            for _name, _score, i in found:
                yield c, positions[i]

    def _similar_name_pairs(
        self, candidates: list[_Keys], threshold: float, progress: Progress | None = None
    ) -> set:
        """(candidate, existing position) whose sorted name keys score at least `threshold`:
        the same name key in any word order, or a shared uncommon word and a close spelling."""
        pairs = {
            (c, p)
            for c, keys in enumerate(candidates)
            if keys.sorted_name
            for p in self.by_sorted_name.get(keys.sorted_name, ())
        }
        blocks: dict[str, list[int]] = defaultdict(list)
        for c, keys in enumerate(candidates):
            for word in self.blocking_words(keys):
                blocks[word].append(c)
        total, done = sum(len(queries) for queries in blocks.values()), 0
        for word, queries in blocks.items():
            pairs.update(self._score_block(candidates, queries, self.by_word[word], threshold))
            done += len(queries)
            if progress is not None:  # as a share of the candidates: a block is no unit to show
                progress(len(candidates) * done // total, len(candidates))
        return pairs

    def _score_block(self, candidates, queries: list[int], positions: list[int], threshold):
        sorted_choices = [self.keys[p].sorted_name for p in positions]
        choices = [self.keys[p].name for p in positions]
        for start in range(0, len(queries), QUERY_BATCH):
            batch = queries[start : start + QUERY_BATCH]
            workers = -1 if len(batch) * len(choices) >= PARALLEL_FROM else 1
            sorted_scores = process.cdist(
                [candidates[c].sorted_name for c in batch],
                sorted_choices,
                scorer=fuzz.ratio,
                score_cutoff=threshold,
                dtype=np.float32,
                workers=workers,
            )
            scores = process.cdist(
                [candidates[c].name for c in batch],
                choices,
                scorer=fuzz.ratio,
                score_cutoff=threshold,
                dtype=np.float32,
                workers=workers,
            )
            for q, i in zip(*np.nonzero(np.maximum(sorted_scores, scores)), strict=True):
                yield batch[q], positions[i]


def _best_first(match) -> tuple:
    return (-len(match.reasons), -match.name_score)


def find_duplicates_among(
    candidates: Sequence[ActorFacts],
    existing: Mapping[int, ActorFacts],
    *,
    threshold: float = NAME_SCORE,
    common_word_limit: int | None = None,
) -> list[DuplicateMatch]:
    """The existing actors (by id) that may be each candidate, with the reasons, best first."""
    index = DuplicateIndex(existing, common_word_limit=common_word_limit)
    return index.find(candidates, threshold=threshold)


def stored_facts(session: Session) -> dict[int, ActorFacts]:
    """The facts of every actor that is not archived, by id (one query, no ORM objects)."""
    rows = session.execute(
        select(
            Actor.id,
            Actor.name,
            Actor.kind,
            Actor.phone,
            Actor.email,
            Actor.address,
            Actor.postcode,
        ).where(Actor.archived == false())
    )
    return {
        row.id: ActorFacts(row.name, row.kind, row.phone, row.email, row.address, row.postcode)
        for row in rows
    }


def possible_duplicates(
    session: Session,
    *,
    limit: int = 100,
    threshold: float = NAME_SCORE,
    progress: Progress | None = None,
) -> list[DuplicatePair]:
    """Pairs of stored actors (not archived) that may be the same, each pair once, best first;
    `progress` is told how far the comparing is (actors done, actors in all)."""
    return pairs_among(stored_facts(session), limit=limit, threshold=threshold, progress=progress)


def pairs_among(
    facts: Mapping[int, ActorFacts],
    *,
    limit: int = 100,
    threshold: float = NAME_SCORE,
    progress: Progress | None = None,
) -> list[DuplicatePair]:
    """possible_duplicates of actors read already (a job reads them, ends its transaction, then
    compares: its progress is written meanwhile)."""
    index = DuplicateIndex(facts)
    matches = index.find_among_existing(threshold=threshold, progress=progress)
    pairs = _pairs_once(index.ids, facts, matches)
    return sorted(pairs, key=lambda p: (*_best_first(p), p.first_id, p.second_id))[:limit]


def _pairs_once(
    ids: list[int], facts: Mapping[int, ActorFacts], matches: Iterable[DuplicateMatch]
) -> list[DuplicatePair]:
    # Detection is symmetric, so (a, b) is found from both sides with the same reasons; an
    # actor is always its own match (same everything) and is left out.
    return [
        DuplicatePair(
            first_id=first,
            first_name=facts[first].name,
            second_id=second,
            second_name=facts[second].name,
            reasons=match.reasons,
            name_score=match.name_score,
        )
        for match in matches
        for first, second in [(ids[match.candidate], match.existing_id)]
        if first < second
    ]
