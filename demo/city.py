"""Demo data: a realistic Sint-Niklaas stakeholder picture, generated and bulk-loaded fast.

The picture has the skew the city itself reports: businesses and knowledge institutions are
mostly reached directly, poverty organisations mostly only mailed, residents a mix with many
failed calls, and two deelgemeenten (Sinaai, Nieuwkerken-Waas) get far fewer direct contacts.

Everything comes from `random.Random(seed)`: the same seed and `now` give the same rows. Rows
are generated in blocks of actors with their contacts and written with Core bulk inserts
(executemany), or with COPY on PostgreSQL, where a multi-row INSERT is 30 times slower
(docs/performance.md#sql). The actors' denormalised contact dates are computed here while
generating: they equal what `crm.contacts.refresh_contact_dates` would compute.
"""

import random
import re
from bisect import bisect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import accumulate
from math import log

from sqlalchemy import Connection, Engine, column, func, insert, select, table, text

from crm.clock import utcnow
from crm.models import Actor, ContactLog, District, Relation, Theme
from crm.validation import search_key
from crm.versioning import bump_data_version
from crm.vocabulary import (
    DEFAULT_DISTRICTS,
    DEFAULT_THEMES,
    DIRECT_CHANNELS,
    FAILED_OUTCOMES,
    SYMMETRIC_RELATION_TYPES,
    Channel,
    Kind,
    Outcome,
)

# --- the shape of the city ---------------------------------------------------------------

# Share of each kind among the actors; residents take what is left. At 1 000 actors this gives
# 40 poverty organisations and 70 civic associations.
KIND_SHARES = {
    Kind.BUSINESS: 0.15,
    Kind.CIVIC_ASSOCIATION: 0.07,
    Kind.POVERTY_ORGANISATION: 0.04,
    Kind.KNOWLEDGE_INSTITUTION: 0.035,
    Kind.PUBLIC_BODY: 0.035,
    Kind.OTHER: 0.03,
}
DISTRICT_SHARES = {
    "Sint-Niklaas": 0.64,
    "Belsele": 0.13,
    "Sinaai": 0.12,
    "Nieuwkerken-Waas": 0.11,
}
POSTCODES = {
    "Sint-Niklaas": "9100",
    "Belsele": "9111",
    "Sinaai": "9112",
    "Nieuwkerken-Waas": "9100",
}
NEGLECTED_DISTRICTS = frozenset({"Sinaai", "Nieuwkerken-Waas"})
NEGLECT_FACTOR = 0.4  # the share of direct contacts a neglected district keeps

# The chance that the team is in direct touch with an actor of this kind at all; the others
# only get mails, newsletters and (failed) calls.
ENGAGED = {
    Kind.BUSINESS: 0.92,
    Kind.KNOWLEDGE_INSTITUTION: 0.92,
    Kind.PUBLIC_BODY: 0.8,
    Kind.CIVIC_ASSOCIATION: 0.65,
    Kind.OTHER: 0.5,
    Kind.RESIDENT: 0.5,
    Kind.POVERTY_ORGANISATION: 0.22,
}
# Relative number of contacts per actor (an exponential spread around it gives a long tail).
CONTACT_WEIGHT = {
    Kind.RESIDENT: 0.7,
    Kind.BUSINESS: 1.4,
    Kind.KNOWLEDGE_INSTITUTION: 1.8,
    Kind.POVERTY_ORGANISATION: 1.8,
    Kind.CIVIC_ASSOCIATION: 1.6,
    Kind.PUBLIC_BODY: 1.8,
    Kind.OTHER: 1.0,
}
NEVER_CONTACTED = {Kind.RESIDENT: 0.12}  # others: 0.03

# fmt: off
Ch = Channel
# Channels (relative weights) of the contacts with an actor the team is in direct touch with.
ENGAGED_CHANNELS = {
    Kind.BUSINESS: {Ch.PHONE: 30, Ch.MEETING: 20, Ch.EVENT: 15, Ch.VISIT: 5, Ch.EMAIL: 20,
                    Ch.NEWSLETTER: 10},
    Kind.KNOWLEDGE_INSTITUTION: {Ch.MEETING: 25, Ch.PHONE: 20, Ch.EVENT: 20, Ch.EMAIL: 25,
                                 Ch.NEWSLETTER: 10},
    Kind.PUBLIC_BODY: {Ch.MEETING: 30, Ch.PHONE: 25, Ch.EVENT: 10, Ch.EMAIL: 30, Ch.LETTER: 5},
    Kind.CIVIC_ASSOCIATION: {Ch.PHONE: 25, Ch.EVENT: 20, Ch.MEETING: 10, Ch.VISIT: 5,
                             Ch.EMAIL: 25, Ch.NEWSLETTER: 15},
    # Even when in touch, poverty organisations mostly get mail.
    Kind.POVERTY_ORGANISATION: {Ch.VISIT: 12, Ch.PHONE: 12, Ch.EVENT: 6, Ch.INTERMEDIARY: 8,
                                Ch.EMAIL: 35, Ch.NEWSLETTER: 27},
    Kind.RESIDENT: {Ch.PHONE: 40, Ch.EVENT: 10, Ch.VISIT: 2, Ch.EMAIL: 15, Ch.NEWSLETTER: 18,
                    Ch.ONLINE: 10, Ch.SMS: 5},
    Kind.OTHER: {Ch.PHONE: 25, Ch.MEETING: 15, Ch.EVENT: 10, Ch.EMAIL: 30, Ch.NEWSLETTER: 20},
}
# Not in direct touch: digital channels and calls that never get through.
DISTANT_CHANNELS = {
    Kind.RESIDENT: {Ch.PHONE: 30, Ch.NEWSLETTER: 30, Ch.EMAIL: 18, Ch.ONLINE: 15, Ch.SMS: 7},
    Kind.POVERTY_ORGANISATION: {Ch.EMAIL: 48, Ch.NEWSLETTER: 38, Ch.LETTER: 6, Ch.PHONE: 8},
}
DISTANT_DEFAULT = {Ch.EMAIL: 45, Ch.NEWSLETTER: 35, Ch.LETTER: 5, Ch.ONLINE: 5, Ch.PHONE: 10}

Oc = Outcome
OUTCOMES = {
    Ch.PHONE: {Oc.REACHED: 60, Oc.NO_ANSWER: 18, Oc.LEFT_MESSAGE: 14, Oc.DECLINED: 3,
               Oc.WRONG_CONTACT: 3, Oc.PLANNED: 2},
    Ch.VISIT: {Oc.REACHED: 86, Oc.NO_ANSWER: 5, Oc.DECLINED: 3, Oc.PLANNED: 6},
    Ch.MEETING: {Oc.REACHED: 88, Oc.DECLINED: 4, Oc.PLANNED: 8},
    Ch.EVENT: {Oc.REACHED: 88, Oc.DECLINED: 7, Oc.PLANNED: 5},
    Ch.INTERMEDIARY: {Oc.REACHED: 80, Oc.NO_ANSWER: 10, Oc.DECLINED: 10},
    Ch.LETTER: {Oc.REACHED: 90, Oc.WRONG_CONTACT: 5, Oc.PLANNED: 5},
    Ch.EMAIL: {Oc.REACHED: 55, Oc.NO_ANSWER: 40, Oc.WRONG_CONTACT: 5},
    Ch.NEWSLETTER: {Oc.REACHED: 92, Oc.WRONG_CONTACT: 8},
    Ch.ONLINE: {Oc.REACHED: 95, Oc.PLANNED: 5},
    Ch.SMS: {Oc.REACHED: 60, Oc.NO_ANSWER: 35, Oc.WRONG_CONTACT: 5},
}
# Residents often do not pick up; actors not in direct touch never do.
RESIDENT_PHONE = {Oc.REACHED: 38, Oc.NO_ANSWER: 32, Oc.LEFT_MESSAGE: 18, Oc.DECLINED: 6,
                  Oc.WRONG_CONTACT: 5, Oc.PLANNED: 1}
FAILED_PHONE = {Oc.NO_ANSWER: 55, Oc.LEFT_MESSAGE: 30, Oc.WRONG_CONTACT: 10, Oc.DECLINED: 5}
INCOMING = {Ch.PHONE: 0.15, Ch.EMAIL: 0.3, Ch.ONLINE: 0.8, Ch.MEETING: 0.1, Ch.INTERMEDIARY: 0.3}
# Offices are closed at the weekend; events, newsletters and the platform are not.
WEEKDAY_CHANNELS = frozenset({Ch.PHONE, Ch.VISIT, Ch.MEETING, Ch.LETTER, Ch.EMAIL, Ch.INTERMEDIARY})
# fmt: on

HISTORY_DAYS = 730  # contacts spread over the last two years, the recent ones denser
RECENCY = 1.6  # days ago = HISTORY_DAYS * random() ** RECENCY: ~40 % inside 180 days

ACTOR_BLOCK = 2_000  # actors (with their contacts) generated and written per step
RELATION_BLOCK = 20_000
RELATIONS_PER_ACTOR = 2

# fmt: off
# --- names and places --------------------------------------------------------------------

FIRST_NAMES = (
    "Ann", "Annelies", "An", "Bart", "Bert", "Bram", "Céline", "Chloë", "Dirk", "Ellen", "Élise",
    "Els", "Emma", "Eva", "Filip", "Frederik", "Frédéric", "Geert", "Gert", "Griet", "Hanne",
    "Hélène", "Ilse", "Inès", "Jan", "Jana", "Jef", "Jens", "Jeroen", "Jérôme", "Joke", "Joris",
    "Karel", "Katrien", "Kris", "Lien", "Lieve", "Lotte", "Louis", "Lucas", "Luc", "Maarten",
    "Marc", "Marie", "Marleen", "Mathias", "Mieke", "Nathalie", "Nele", "Noël", "Noor", "Patrick",
    "Pieter", "Raphaël", "René", "Renée", "Rita", "Rik", "Robbe", "Ruben", "Sofie", "Stijn", "Tom",
    "Tine", "Tuur", "Vic", "Wim", "Wout", "Zoë", "Anaïs", "Maëlle", "André", "José", "Noa", "Lars",
    "Femke", "Arne", "Seppe", "Kobe", "Mila", "Liam", "Olivia", "Yusuf", "Mohamed", "Fatima",
    "Aïcha", "Youssef", "Imane", "Elif", "Emre", "Ayşe", "Mehmet", "Zeynep", "Agnieszka", "Piotr",
    "Mamadou", "Aminata", "Olga", "Gilberte", "Roger", "Godelieve", "Jozef", "Maria", "Yvonne",
    "Marcel", "Hilde", "Christel", "Koen", "Dries", "Jasper",
)
SURNAMES = (
    "Claeys", "Van den Bossche", "De Smet", "Peeters", "Janssens", "Maes", "Jacobs", "Mertens",
    "Willems", "Goossens", "Wouters", "De Clercq", "Verstraeten", "Van Damme", "Vermeulen",
    "De Vos", "Pauwels", "Hermans", "Aerts", "Michiels", "De Wilde", "Van de Velde", "D'hondt",
    "Verhulst", "Van Hoecke", "De Backer", "Lambrecht", "Coppens", "Van Goethem", "Saerens",
    "Van Puyvelde", "Bracke", "Verschueren", "De Cock", "Van Raemdonck", "Heyrman",
    "Van Landeghem", "Verhelst", "De Maere", "Van Bogaert", "Baeten", "Roels", "Thielemans",
    "Smet", "Van Hove", "Rombaut", "Van Havermaet", "Buytaert", "Van Mieghem", "De Waele", "Cools",
    "Mortier", "Van Acker", "Heyndrickx", "De Meyer", "Verbeke", "Van der Veken", "Wuyts",
    "Van Kerckhoven", "Moens", "Boeykens", "Hertogs", "Van Duyse", "Van Steen", "Meersschaert",
    "De Bock", "Stuer", "Van Bockstael", "Van Geyt", "Bogaert", "Van Overloop", "Strobbe",
    "Van Royen", "Schelfaut", "El Amrani", "Benali", "El Idrissi", "Yılmaz", "Öztürk", "Şahin",
    "Çelik", "Kaya", "Kowalski", "Nowak", "Diallo", "Ndiaye", "Dubois", "Lefèvre", "Müller",
    "Da Silva", "Van Peteghem", "Dierickx", "Van Bauwel", "Waterschoot",
)
STREETS = {
    "Sint-Niklaas": (
        "Grote Markt", "Stationsstraat", "Ankerstraat", "Parklaan", "Kokkelbeekstraat",
        "Mercatorstraat", "Kazernestraat", "Hendrik Heymanplein", "Prins Boudewijnlaan",
        "Plezantstraat", "Truweelstraat", "Dalstraat", "Mgr. Stillemansstraat", "Regentiestraat",
        "Kleine Laan", "Lamstraat", "Noordlaan", "Zamanstraat", "Breedstraat", "Houtbriel",
        "Apostelstraat", "Hofstraat", "Onze-Lieve-Vrouwplein", "Grote Peperstraat", "Nieuwstraat",
        "Heistraat", "Sint-Jansplein", "Vijfstraten", "Tereken", "Singel", "Knaptandstraat",
        "Ster", "Gentse Baan", "Hospitaalstraat", "Lindenstraat", "Pastorijstraat",
    ),
    "Belsele": (
        "Belseledorp", "Kapelstraat", "Lepelstraat", "Vitshoekstraat", "Schoolstraat",
        "Koutermolenstraat", "Hoogkamerstraat", "Sint-Andriesstraat", "Waasmunsterse Steenweg",
        "Puivelde", "Fortenstraat", "Kouterstraat", "Bellestraat",
    ),
    "Sinaai": (
        "Sinaaidorp", "Eksaardebaan", "Kerkstraat", "Klein Sinaai", "Dijkstraat", "Weimanstraat",
        "Pastorijstraat", "Zwaanaardestraat", "Spruitenstraat", "Lokerenveldstraat",
        "Sint-Catharinaplein", "Vossenhol",
    ),
    "Nieuwkerken-Waas": (
        "Nieuwkerkenstraat", "Hogenakker", "Pastorijstraat", "Kerkstraat", "Vrasenestraat",
        "Zwijgershoek", "Kluizenhof", "Brugstraat", "Vleeshouwersstraat", "Sint-Jansstraat",
        "Hulstbaan", "Kapelanielaan",
    ),
}
NEIGHBOURHOODS = {
    "Sint-Niklaas": (
        "Tereken", "Clementwijk", "Westerbos", "Papenakker", "Heimolen", "Puitvoet", "Driegaaien",
        "Priesteragie", "Stationsbuurt", "Vijfstraten", "Nieuwe Molen", "Watermolenwijk",
        "De Ster", "Recollettenwijk", "Witte Molen",
    ),
    "Belsele": (
        "Belsele-Dorp", "Puivelde", "Vitshoek", "Koutermolen",
    ),
    "Sinaai": (
        "Sinaai-Dorp", "Klein Sinaai", "Dijkstraat", "Overstraat",
    ),
    "Nieuwkerken-Waas": (
        "Nieuwkerken-Dorp", "Hogenakker", "Kluizenhof", "Heihoek",
    ),
}
TAVERNS = (
    "'t Hoekske", "De Witte Molen", "'t Pleintje", "De Zwaan", "Het Gulden Vlies", "De Reinaert",
    "'t Vosken", "De Kroon", "Den Engel", "'t Klein Verdriet", "De Vrede", "Het Anker",
    "De Toekomst", "'t Molenhuis", "De Graanbeurs", "De Kapelle", "'t Waasland", "De Kaai",
    "De Kroeg", "'t Kerkhofje", "Den Hert", "De Pelikaan", "'t Sas", "Het Wit Paard",
    "De Gouden Leeuw", "'t Ooievaarsnest", "De Mercator", "'t Belfort", "De Wilg", "Den Arend",
)
BUSINESS_PATTERNS = (
    "Café {tavern}", "Bakkerij {surname}", "Slagerij {surname}", "Frituur {tavern}",
    "Brasserie {tavern}", "Apotheek {surname}", "Garage {surname}", "Kapsalon {first}",
    "Bloemen {first}", "Boekhandel {tavern}", "Schrijnwerkerij {surname}",
    "Bouwonderneming {surname} nv", "{surname} & Zonen bv", "Elektro {surname}",
    "Fietsen {surname}", "Textiel {surname} bv", "Architectenbureau {surname}",
    "Boekhouding {surname}", "Installatiebedrijf {surname}", "Kinderdagverblijf {tavern}",
    "Immo {surname}", "Restaurant {tavern}", "Drukkerij {surname}", "IT-diensten {surname} bv",
    "Tuinaanleg {surname}", "Tandartspraktijk {surname}", "Dakwerken {surname}",
    "Opticien {surname}", "Chocolaterie {surname}", "Brouwerij {tavern}", "Traiteur {first}",
    "Koffiebar {tavern}", "Kledingzaak {first}", "Schoenen {surname}", "Coöperatie {tavern} cv",
)
POVERTY_PATTERNS = (
    "Vzw De Vlaskop", "Welzijnsschakel {place}", "Vzw 't Zonnetje", "De Schakel {place}",
    "Buurtwerk {neighbourhood}", "Vereniging waar armen het woord nemen {place}", "Vzw Ons Huis",
    "Armoedeplatform Waasland", "Vzw De Brug {place}", "Lotgenotengroep {neighbourhood}",
    "Huiswerkklas {neighbourhood}", "Ontmoetingshuis {neighbourhood}", "Vzw 't Lichtpunt",
    "Sociale kruidenier {place}", "Vzw Het Open Huis", "Voedselbank Waasland",
    "Vzw Samen Sterk {place}", "Praatcafé Armoede {place}", "Vzw De Overstap",
    "Moedergroep {neighbourhood}", "Vzw Kansen voor Iedereen", "Welzijnsschakel De Klaproos",
    "Buurtrestaurant {tavern}",
)
CIVIC_PATTERNS = (
    "KWB {place}", "Gezinsbond {place}", "Femma {place}", "Okra {place}", "Chiro {place}",
    "Scouts {place}", "Natuurpunt Waasland", "Fietsersbond {place}", "Buurtcomité {neighbourhood}",
    "Toneelkring {tavern}", "Harmonie Sint-Cecilia {place}", "Turnkring {place}",
    "Voetbalclub {place}", "Landelijke Gilde {place}", "Davidsfonds {place}",
    "Willemsfonds {place}", "Seniorenraad {place}", "Jeugdhuis {tavern}",
    "Oudercomité {neighbourhood}", "Repair Café {place}", "Moestuinvereniging {neighbourhood}",
    "Carnavalsvereniging {tavern}", "Schaakclub {place}", "Turkse Unie {place}",
    "Marokkaanse vereniging Al Amal", "Poolse vereniging Orzeł",
    "Vzw Buurtwerking {neighbourhood}", "Wandelclub {tavern}", "Koor Cantabile {place}",
    "Vzw Wijkfeest {neighbourhood}",
)
KNOWLEDGE_PATTERNS = (
    "Odisee campus Waas", "Basisschool {neighbourhood}", "Sint-Jozef-Klein-Seminarie",
    "Koninklijk Atheneum {place}", "Academie voor Muziek, Woord en Dans {place}",
    "Stedelijke Academie voor Schone Kunsten", "CVO Waas en Dender", "Broederschool",
    "Sint-Carolus", "Technisch Instituut Sint-Jozef", "Leercentrum Waasland",
    "Onderzoeksgroep Slimme Stad", "Gemeentelijke basisschool {place}",
    "Vrije Basisschool {neighbourhood}", "Huis van het Nederlands Waasland",
    "Kenniscentrum Duurzaam Bouwen", "Centrum voor Leerlingenbegeleiding {place}",
)
PUBLIC_PATTERNS = (
    "OCMW Sint-Niklaas", "Stad Sint-Niklaas – dienst {service}", "Politiezone Sint-Niklaas",
    "Huis van het Kind {place}", "Lokaal dienstencentrum {neighbourhood}",
    "CAW Oost-Vlaanderen – {place}", "Bibliotheek {place}", "Woonzorgcentrum {tavern}",
    "Sociaal Huis {place}", "Brandweerzone Waas", "Wijkwerking {neighbourhood}",
    "De Lijn Oost-Vlaanderen", "Interwaas", "Woonpunt Waasland", "VDAB Sint-Niklaas",
    "Jeugddienst {place}", "Wijkgezondheidscentrum {neighbourhood}",
)
OTHER_PATTERNS = (
    "Parochie {place}", "Moskee Al Fath", "Het Nieuwsblad – redactie Waas", "Radio Waasland",
    "Kerkfabriek {place}", "Journalist {first} {surname}", "Fotograaf {first} {surname}",
    "Huisarts {first} {surname}", "Kunstenaar {first} {surname}", "Pastoor {first} {surname}",
    "Imam {first} {surname}", "Wijkagent {first} {surname}",
)
ORGANISATION_PATTERNS = {
    Kind.BUSINESS: BUSINESS_PATTERNS,
    Kind.POVERTY_ORGANISATION: POVERTY_PATTERNS,
    Kind.CIVIC_ASSOCIATION: CIVIC_PATTERNS,
    Kind.KNOWLEDGE_INSTITUTION: KNOWLEDGE_PATTERNS,
    Kind.PUBLIC_BODY: PUBLIC_PATTERNS,
    Kind.OTHER: OTHER_PATTERNS,
}
SERVICES = ("mobiliteit", "participatie", "welzijn", "economie", "cultuur", "milieu", "wonen")
MAIL_DOMAINS = ("telenet.be", "skynet.be", "gmail.com", "hotmail.com", "proximus.be", "outlook.be")
WAASLAND_LANDLINES = tuple(range(760, 790))  # 03 760 .. 03 789
MOBILE_PREFIXES = tuple(range(470, 500))  # 0470 .. 0499

KIND_THEMES = {
    Kind.POVERTY_ORGANISATION: ("armoede", "wonen", "digitale inclusie"),
    Kind.BUSINESS: ("economie", "mobiliteit", "klimaat"),
    Kind.KNOWLEDGE_INSTITUTION: ("onderwijs", "digitale inclusie", "klimaat"),
    Kind.CIVIC_ASSOCIATION: ("cultuur", "mobiliteit", "klimaat"),
    Kind.PUBLIC_BODY: ("mobiliteit", "wonen", "armoede"),
}
# Weights for influence and interest 1..5.
POWER = {
    Kind.RESIDENT: ((45, 35, 15, 4, 1), (15, 25, 30, 20, 10)),
    Kind.BUSINESS: ((5, 20, 35, 28, 12), (10, 25, 35, 20, 10)),
    Kind.KNOWLEDGE_INSTITUTION: ((2, 10, 35, 35, 18), (5, 10, 30, 35, 20)),
    Kind.POVERTY_ORGANISATION: ((25, 40, 25, 8, 2), (0, 3, 12, 35, 50)),
    Kind.CIVIC_ASSOCIATION: ((10, 30, 35, 20, 5), (2, 10, 28, 35, 25)),
    Kind.PUBLIC_BODY: ((0, 5, 20, 40, 35), (5, 10, 30, 35, 20)),
    Kind.OTHER: ((20, 30, 30, 15, 5), (15, 25, 30, 20, 10)),
}
ACTOR_NOTES = {
    Kind.POVERTY_ORGANISATION: (
        "Liefst persoonlijk langsgaan; mails worden zelden gelezen.",
        "Wekelijkse ontmoeting op dinsdagnamiddag.",
        "Vraagt tolk bij groepsgesprekken.",
    ),
    Kind.RESIDENT: ("Kwam naar het open atelier.", "Heeft interesse in de heraanleg van de buurt."),
    Kind.BUSINESS: ("Lid van de handelaarsvereniging.", "Wil meedenken over laad- en loszones."),
}
CONTACT_NOTES = {
    "reached": (
        "Wil graag meedenken over het open atelier.",
        "Interesse in het ideeënatelier mobiliteit; stuurt namen van leden door.",
        "Goed gesprek over de heraanleg van de Grote Markt.",
        "Vraagt terugkoppeling over de resultaten van de workshop.",
        "Kon komen naar de kick-off; neemt een collega mee.",
        "Bezoek ter plaatse: vragen rond energiefactuur en digitale loketten.",
        "Afspraak gemaakt voor een groepsgesprek met de leden.",
    ),
    "failed": (
        "Geen gehoor.",
        "Voicemail ingesproken; later terugbellen.",
        "Nummer klopt niet meer.",
        "Heeft nu geen tijd; volgende week opnieuw proberen.",
        "Mail kwam terug (onbestelbaar).",
    ),
    "planned": ("Bezoek gepland met de voorzitter.", "Uitgenodigd voor het ideeënatelier."),
}

# fmt: on


class DatabaseNotEmpty(Exception):
    """Demo data goes only into a database without actors."""

    def __init__(self, actors: int):
        super().__init__(
            f"The database already holds {actors} actor(s); demo data is only loaded into an "
            "empty database. Use a fresh database (or remove the actors) and try again."
        )
        self.actors = actors


@dataclass
class DemoSummary:
    """What was loaded."""

    actors: int = 0
    contacts: int = 0
    relations: int = 0
    actor_themes: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


def has_actors(connection: Connection) -> bool:
    """Whether any actor is stored."""
    return connection.scalar(select(Actor.id).limit(1)) is not None


def settle_after_load(engine: Engine) -> None:
    """After the load's commit, VACUUM the loaded tables on PostgreSQL.

    Freshly copied rows are not yet in the visibility map, so the planner avoids index-only
    scans until autovacuum passes: measured on the 100 000-actor list page, 29 ms before and
    2 ms after. VACUUM cannot run inside the load's transaction, hence a step of its own.
    """
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f"VACUUM (ANALYZE) {', '.join(_CopyWriter.TABLES)}"))


def default_relations(actors: int) -> int:
    """The number of relations loaded when none is asked for."""
    return RELATIONS_PER_ACTOR * actors


def load_demo_data(
    connection: Connection,
    *,
    actors: int,
    contacts: int,
    relations: int | None = None,
    seed: int = 1,
    now: datetime | None = None,
    user_ids: Sequence[int] = (),
    progress: Callable[[int], None] | None = None,
) -> DemoSummary:
    """Fill an empty database with a demo city; the caller commits.

    `user_ids` are the accounts the contacts are attributed to (none: no author);
    `progress` is called with the number of actors, contacts and relations just written.
    """
    if actors < 1 or contacts < 0 or (relations is not None and relations < 0):
        raise ValueError("need at least one actor and no negative counts")
    count = connection.scalar(select(func.count()).select_from(Actor.__table__))
    if count:
        raise DatabaseNotEmpty(count)
    now = (now or utcnow()).replace(microsecond=0)
    districts, themes = _ensure_districts_and_themes(connection)
    writer = (
        _CopyWriter(connection)
        if connection.dialect.name == "postgresql"
        else _CoreWriter(connection)
    )
    generator = _Generator(
        seed=seed,
        now=now,
        actors=actors,
        contacts=contacts,
        districts=districts,
        themes=themes,
        user_ids=list(user_ids),
        first_ids=_first_ids(connection),
    )
    summary = DemoSummary()
    tick = progress or (lambda _n: None)
    for block in generator.actor_blocks():
        writer.write("actors", ACTOR_COLUMNS, block.actors)
        writer.write("actor_themes", THEME_COLUMNS, block.themes)
        writer.write("contact_logs", CONTACT_COLUMNS, block.contacts)
        summary.actors += len(block.actors)
        summary.contacts += len(block.contacts)
        summary.actor_themes += len(block.themes)
        tick(len(block.actors) + len(block.contacts))
    wanted = default_relations(actors) if relations is None else relations
    for rows in generator.relation_blocks(wanted):
        writer.write("relations", RELATION_COLUMNS, rows)
        summary.relations += len(rows)
        tick(len(rows))
    writer.finish()
    bump_data_version(connection)  # bulk rows bypass the ORM flush that bumps it otherwise
    summary.by_kind = dict(generator.kind_counts)
    return summary


# --- generation --------------------------------------------------------------------------

# fmt: off
ACTOR_COLUMNS = (
    "id", "name", "search_name", "kind", "district_id", "phone", "email", "address", "postcode",
    "preferred_channel", "preferred_language", "do_not_phone", "do_not_email", "do_not_visit",
    "influence", "interest", "notes", "archived", "created_at", "updated_at", "version",
    "last_contact_at", "last_reached_at", "last_direct_reached_at", "last_attempt_at",
)
THEME_COLUMNS = ("actor_id", "theme_id")
CONTACT_COLUMNS = (
    "id", "actor_id", "channel", "direction", "outcome", "occurred_at", "note", "follow_up_on",
    "follow_up_done_at", "created_by_id", "created_at",
)
RELATION_COLUMNS = (
    "id", "source_id", "target_id", "type", "strength", "starts_on", "ends_on", "created_at",
)
# fmt: on

DAY = 86_400
_EPOCH = datetime(1970, 1, 1)
_EPOCH_ORDINAL = _EPOCH.toordinal()
_DIRECT = frozenset(str(c) for c in DIRECT_CHANNELS)
_FAILED = frozenset(str(o) for o in FAILED_OUTCOMES)
_SYMMETRIC = frozenset(str(t) for t in SYMMETRIC_RELATION_TYPES)
_NOTES_BY_OUTCOME = {
    str(o): CONTACT_NOTES["failed"] if o in FAILED_OUTCOMES else CONTACT_NOTES[str(o)]
    for o in Outcome
}
_INCOMING = {str(c): INCOMING.get(c, 0.0) for c in Channel}
_WEEKDAY = frozenset(str(c) for c in WEEKDAY_CHANNELS)
_ORGANISATION_WORDS_SKIPPED_IN_MAIL = frozenset({"vzw", "nv", "bv", "cv", "de", "het", "t"})


_DAY_TEXTS: dict[int, str] = {}
_TIME_TEXTS: dict[int, str] = {}


def _day_text(day: int) -> str:
    """'YYYY-MM-DD' of a day counted from 1970-01-01 (cached: a load has ~800 distinct days)."""
    text = _DAY_TEXTS.get(day)
    if text is None:
        text = _DAY_TEXTS[day] = date.fromordinal(day + _EPOCH_ORDINAL).isoformat()
    return text


def _time_text(second: int) -> str:
    """' HH:MM:SS.000000' of a second of the day (cached: at most 86 400 of them)."""
    text = _TIME_TEXTS.get(second)
    if text is None:
        minutes, seconds = divmod(second, 60)
        text = _TIME_TEXTS[second] = f" {minutes // 60:02d}:{minutes % 60:02d}:{seconds:02d}.000000"
    return text


def _stamp(ts: int) -> str:
    """A moment (seconds since 1970, UTC) as the text both databases store for a DateTime.

    It is SQLAlchemy's SQLite storage format, and PostgreSQL's COPY reads it as a timestamp.
    Rows carry text because SQLAlchemy's per-value DateTime processing cost more than the
    insert itself.
    """
    day, second = divmod(ts, DAY)
    return _day_text(day) + _time_text(second)


@dataclass
class _Block:
    actors: list[tuple] = field(default_factory=list)
    themes: list[tuple] = field(default_factory=list)
    contacts: list[tuple] = field(default_factory=list)


class _Choice:
    """A weighted choice with one random() call (bisect on cumulative weights)."""

    __slots__ = ("values", "cumulative", "total")

    def __init__(self, weights: dict):
        self.values = [v if isinstance(v, int) else str(v) for v in weights]
        self.cumulative = list(accumulate(weights.values()))
        self.total = self.cumulative[-1]

    def pick(self, random_: Callable[[], float]):
        return self.values[bisect(self.cumulative, random_() * self.total)]


def _pick(random_: Callable[[], float], values: Sequence):
    # random.choice costs five times more (getrandbits rejection sampling); a bias of 2**-53
    # does not matter for demo data.
    return values[int(random_() * len(values))]


def _between(random_: Callable[[], float], low: int, high: int) -> int:
    return low + int(random_() * (high - low + 1))


K = Kind
RELATION_MIX = _Choice(
    {
        "works_for": 30,
        "member_of": 30,
        "knows": 25,
        "partner_of": 9,
        "introduced_by": 3,
        "represents": 3,
    }
)
EMPLOYERS = _Choice({K.BUSINESS: 60, K.PUBLIC_BODY: 20, K.KNOWLEDGE_INSTITUTION: 15, K.OTHER: 5})
ASSOCIATIONS = _Choice({K.CIVIC_ASSOCIATION: 75, K.POVERTY_ORGANISATION: 25})
PARTNER_SOURCES = _Choice(
    {
        K.POVERTY_ORGANISATION: 3,
        K.CIVIC_ASSOCIATION: 3,
        K.PUBLIC_BODY: 2,
        K.BUSINESS: 1,
        K.KNOWLEDGE_INSTITUTION: 1,
    }
)
PARTNER_TARGETS = _Choice(
    {
        K.PUBLIC_BODY: 3,
        K.CIVIC_ASSOCIATION: 2,
        K.KNOWLEDGE_INSTITUTION: 1,
        K.POVERTY_ORGANISATION: 1,
    }
)
KNOWN_ORGANISATIONS = _Choice(
    {K.CIVIC_ASSOCIATION: 2, K.POVERTY_ORGANISATION: 1, K.PUBLIC_BODY: 1, K.BUSINESS: 1}
)
ANY_ORGANISATION = _Choice({k: 1 for k in ORGANISATION_PATTERNS})


class _Generator:
    """The rows of one demo city. Generation order is fixed: the same seed, the same rows."""

    def __init__(
        self,
        *,
        seed: int,
        now: datetime,
        actors: int,
        contacts: int,
        districts: dict[str, int],
        themes: dict[str, int],
        user_ids: list[int],
        first_ids: dict[str, int],
    ):
        # Separate streams, so that asking for more contacts does not change the actors.
        self.rng = random.Random(f"bereik-demo-actors-{seed}")
        self.random = self.rng.random
        self.contact_rng = random.Random(f"bereik-demo-contacts-{seed}")
        self.relation_random = random.Random(f"bereik-demo-relations-{seed}").random
        self.now = now
        self.now_ts = int((now - _EPOCH).total_seconds())
        self.today = self.now_ts // DAY  # days since 1970
        self.district_ids = districts
        self.theme_ids = themes
        self.user_ids = user_ids
        self.first_ids = first_ids
        self.n_actors = actors
        self.kind_counts: dict[str, int] = {}
        self._next_contact_id = first_ids["contact_logs"]
        self._used_names: set[str] = set()
        self._search_keys: dict[str, str] = {}
        self._slugs: dict[str, str] = {}
        self._channels: dict[tuple, _Choice] = {}
        self._outcomes = {str(c): _Choice(w) for c, w in OUTCOMES.items()}
        self._resident_phone = _Choice(RESIDENT_PHONE)
        self._failed_phone = _Choice(FAILED_PHONE)
        self._power = {
            kind: (
                _Choice(dict(zip(range(1, 6), a, strict=True))),
                _Choice(dict(zip(range(1, 6), b, strict=True))),
            )
            for kind, (a, b) in POWER.items()
        }
        self._plan(actors, contacts)

    def _plan(self, n: int, n_contacts: int) -> None:
        """Kind, district and number of contacts of every actor, decided up front so that
        relations can link actors of any block."""
        kinds: list[str] = []
        for kind, share in KIND_SHARES.items():
            # A tiny city still gets one of each kind.
            count = round(n * share) if n >= 50 else int(len(kinds) < n - 1)
            kinds += [str(kind)] * count
        kinds += [str(Kind.RESIDENT)] * (n - len(kinds))
        self.rng.shuffle(kinds)
        district_choice = _Choice(DISTRICT_SHARES)
        self.kinds = kinds
        self.districts = [district_choice.pick(self.random) for _ in range(n)]
        for kind in kinds:
            self.kind_counts[kind] = self.kind_counts.get(kind, 0) + 1
        random_ = self.contact_rng.random
        weights = []
        for kind in kinds:
            never = NEVER_CONTACTED.get(kind, 0.03)
            weights.append(
                0.0 if random_() < never else CONTACT_WEIGHT[kind] * -log(1.0 - random_())
            )
        total = sum(weights) or 1.0
        counts = [int(n_contacts * w / total) for w in weights]
        contacted = [i for i, w in enumerate(weights) if w > 0] or list(range(n))
        for _ in range(n_contacts - sum(counts)):
            counts[_pick(random_, contacted)] += 1
        self.contact_counts = counts

    def actor_blocks(self) -> Iterator[_Block]:
        """Actors with their themes and contacts, ACTOR_BLOCK actors at a time."""
        for start in range(0, self.n_actors, ACTOR_BLOCK):
            block = _Block()
            for index in range(start, min(start + ACTOR_BLOCK, self.n_actors)):
                self._actor(index, block)
            yield block

    def _actor(self, index: int, block: _Block) -> None:
        random_ = self.random
        actor_id = self.first_ids["actors"] + index
        kind = self.kinds[index]
        district = self.districts[index]
        person = kind == Kind.RESIDENT
        first, surname = _pick(random_, FIRST_NAMES), _pick(random_, SURNAMES)
        if person:
            name = f"{first} {surname}"
        else:
            name = self._organisation_name(kind, district, first, surname)
        key = self._search_keys.get(name)
        if key is None:
            key = self._search_keys[name] = search_key(name)
        phone = self._phone(kind)
        email = self._email(kind, name, first, surname)
        address = postcode = None
        if random_() < (0.85 if person else 0.95):
            address = f"{_pick(random_, STREETS[district])} {_between(random_, 1, 240)}"
            if random_() < 0.08:
                address += f" bus {_between(random_, 1, 12)}"
            postcode = POSTCODES[district]
        preferred_channel = self._preferred_channel(kind)
        language = "nl" if random_() < 0.9 else _pick(random_, ("fr", "en", "other", "de"))
        influence, interest = (choice.pick(random_) for choice in self._power[kind])
        notes = ""
        if kind in ACTOR_NOTES and random_() < 0.2:
            notes = _pick(random_, ACTOR_NOTES[kind])
        do_not_phone = phone is not None and random_() < (0.05 if person else 0.01)
        do_not_email = email is not None and random_() < 0.03
        do_not_visit = random_() < (0.05 if person else 0.005)
        archived = random_() < 0.01
        neglected = district in NEGLECTED_DISTRICTS
        engaged = random_() < ENGAGED[kind] * (NEGLECT_FACTOR if neglected else 1)
        for theme in self._themes(kind):
            block.themes.append((actor_id, self.theme_ids[theme]))

        dates, first_ts = self._contacts(actor_id, kind, neglected, engaged, index, block.contacts)
        # Known a while before the first contact, but not before the history starts.
        created_ts = max(
            min(first_ts, self.now_ts)
            - _between(random_, 1, 400) * DAY
            - _between(random_, 0, DAY),
            self.now_ts - (HISTORY_DAYS + 400) * DAY,
        )
        updated_ts = min(created_ts + _between(random_, 0, 60) * DAY, self.now_ts)
        block.actors.append(
            (
                actor_id,
                name,
                key,
                kind,
                self.district_ids[district],
                phone,
                email,
                address,
                postcode,
                preferred_channel,
                language,
                do_not_phone,
                do_not_email,
                do_not_visit,
                influence,
                interest,
                notes,
                archived,
                _stamp(created_ts),
                _stamp(updated_ts),
                1,
                *(None if ts is None else _stamp(ts) for ts in dates),
            )
        )

    def _organisation_name(self, kind: str, district: str, first: str, surname: str) -> str:
        random_ = self.random
        name = _pick(random_, ORGANISATION_PATTERNS[kind]).format(
            first=first,
            surname=surname,
            tavern=_pick(random_, TAVERNS),
            place=district,
            neighbourhood=_pick(random_, NEIGHBOURHOODS[district]),
            service=_pick(random_, SERVICES),
        )
        # Organisations with the same name are told apart by their street, as people do.
        if name in self._used_names:
            name = f"{name} ({_pick(random_, STREETS[district])})"
            if name in self._used_names:
                name = f"{name[:-1]} {_between(random_, 1, 400)})"
        self._used_names.add(name)
        return name

    def _phone(self, kind: str) -> str | None:
        random_ = self.random
        r = random_()
        if kind == Kind.RESIDENT:
            mobile, landline = 0.7, 0.85
        elif kind == Kind.POVERTY_ORGANISATION:
            mobile, landline = 0.2, 0.65  # a third without a working number: visit them
        else:
            mobile, landline = 0.2, 0.92
        if r < mobile:
            return f"+32{_pick(random_, MOBILE_PREFIXES)}{int(random_() * 1_000_000):06d}"
        if r < landline:
            return f"+323{_pick(random_, WAASLAND_LANDLINES)}{int(random_() * 10_000):04d}"
        return None

    def _email(self, kind: str, name: str, first: str, surname: str) -> str | None:
        random_ = self.random
        if random_() < (0.25 if kind in (Kind.RESIDENT, Kind.POVERTY_ORGANISATION) else 0.06):
            return None
        if kind == Kind.RESIDENT:
            suffix = str(_between(random_, 1, 99)) if random_() < 0.3 else ""
            return (
                f"{self._slug(first)}.{self._slug(surname)}{suffix}@{_pick(random_, MAIL_DOMAINS)}"
            )
        words = [w for w in _slug_words(name) if w not in _ORGANISATION_WORDS_SKIPPED_IN_MAIL]
        domain = "-".join(words)[:40].strip("-") or "vereniging"
        return f"{_pick(random_, ('info', 'contact', 'secretariaat', 'info'))}@{domain}.be"

    def _slug(self, word: str) -> str:
        slug = self._slugs.get(word)
        if slug is None:
            slug = self._slugs[word] = "".join(_slug_words(word)) or "x"
        return slug

    def _preferred_channel(self, kind: str) -> str | None:
        r = self.random()
        if kind == Kind.POVERTY_ORGANISATION:
            return "visit" if r < 0.5 else ("phone" if r < 0.7 else None)
        if r < 0.2:
            return "phone"
        if r < 0.4:
            return "email"
        return None

    def _themes(self, kind: str) -> list[str]:
        random_ = self.random
        chosen = []
        if kind in KIND_THEMES and random_() < 0.9:
            main = KIND_THEMES[kind]
            chosen.append(main[0] if random_() < 0.7 else _pick(random_, main))
        for _ in range(_pick(random_, (0, 0, 1, 1, 2))):
            theme = _pick(random_, DEFAULT_THEMES)
            if theme not in chosen:
                chosen.append(theme)
        return chosen

    def _channel_choice(self, kind: str, engaged: bool, neglected: bool) -> _Choice:
        key = (kind, engaged, neglected)
        if key not in self._channels:
            if not engaged:
                weights = DISTANT_CHANNELS.get(Kind(kind), DISTANT_DEFAULT)
            elif neglected:
                weights = {
                    c: w * (NEGLECT_FACTOR if c in DIRECT_CHANNELS else 1)
                    for c, w in ENGAGED_CHANNELS[Kind(kind)].items()
                }
            else:
                weights = ENGAGED_CHANNELS[Kind(kind)]
            self._channels[key] = _Choice(weights)
        return self._channels[key]

    def _contacts(
        self, actor_id: int, kind: str, neglected: bool, engaged: bool, index: int, rows: list
    ) -> tuple[list[int | None], int]:
        """Append the actor's contacts; return its four contact dates and its first contact.

        The dates follow `crm.contacts.refresh_contact_dates`: the latest non-planned contact,
        the latest reached one, the latest reached through a direct channel, the latest failed.
        """
        count = self.contact_counts[index]
        if not count:
            return [None, None, None, None], self.now_ts
        # The hot loop of a million contacts: local names, one random() per decision.
        rng = self.contact_rng
        random_ = rng.random
        channels = self._channel_choice(kind, engaged, neglected)
        outcomes = self._outcomes
        if not engaged:
            phone_outcomes = self._failed_phone  # they never pick up
        elif kind == Kind.RESIDENT:
            phone_outcomes = self._resident_phone
        else:
            phone_outcomes = outcomes["phone"]
        user_ids = self.user_ids
        n_users = len(user_ids)
        now_ts, today = self.now_ts, self.today
        incoming, notes, failed, direct, weekday_channels = (
            _INCOMING,
            _NOTES_BY_OUTCOME,
            _FAILED,
            _DIRECT,
            _WEEKDAY,
        )
        last_contact = last_reached = last_direct = last_attempt = -1
        first_ts = now_ts
        next_id = self._next_contact_id
        append = rows.append
        for channel in rng.choices(channels.values, cum_weights=channels.cumulative, k=count):
            table = phone_outcomes if channel == "phone" else outcomes[channel]
            outcome = table.values[bisect(table.cumulative, random_() * table.total)]
            day = today - int(HISTORY_DAYS * random_() ** RECENCY)
            if channel in weekday_channels:
                weekday = (day + 3) % 7  # 1970-01-01 was a Thursday; 5, 6: the weekend
                if weekday >= 5:
                    day -= weekday - 4
            ts = day * DAY + 25_200 + int(random_() * 43_200)  # 7:00-19:00 UTC
            while ts > now_ts:
                ts -= DAY
            day = ts // DAY
            occurred_at = _stamp(ts)
            direction = "incoming" if random_() < incoming[channel] else "outgoing"
            note = _pick(random_, notes[outcome]) if random_() < 0.45 else ""
            follow_up_on = done_at = None
            if outcome == "planned" or (
                outcome in failed and today - day <= 60 and random_() < 0.35
            ):
                follow_up_day = day + 1 + int(random_() * 14)
                follow_up_on = _day_text(follow_up_day)
                if follow_up_day < today and random_() < 0.75:
                    done_at = _stamp(follow_up_day * DAY + 32_400)  # 9:00 UTC that day
            author = user_ids[int(random_() * n_users)] if n_users else None
            append(
                (
                    next_id,
                    actor_id,
                    channel,
                    direction,
                    outcome,
                    occurred_at,
                    note,
                    follow_up_on,
                    done_at,
                    author,
                    occurred_at,
                )
            )
            next_id += 1
            if ts < first_ts:
                first_ts = ts
            if outcome == "planned":
                continue
            if ts > last_contact:
                last_contact = ts
            if outcome == "reached":
                if ts > last_reached:
                    last_reached = ts
                if channel in direct and ts > last_direct:
                    last_direct = ts
            elif outcome in failed and ts > last_attempt:
                last_attempt = ts
        self._next_contact_id = next_id
        dates = [
            None if ts < 0 else ts for ts in (last_contact, last_reached, last_direct, last_attempt)
        ]
        return dates, first_ts

    def relation_blocks(self, wanted: int) -> Iterator[list[tuple]]:
        """`wanted` relations (fewer when the city is too small), RELATION_BLOCK at a time."""
        random_ = self.relation_random
        first_actor = self.first_ids["actors"]
        persons: list[int] = []
        persons_in: dict[str, list[int]] = {}
        organisations: dict[str, list[int]] = {}
        organisations_in: dict[tuple[str, str], list[int]] = {}
        for index, (kind, district) in enumerate(zip(self.kinds, self.districts, strict=True)):
            actor_id = first_actor + index
            if kind == Kind.RESIDENT:
                persons.append(actor_id)
                persons_in.setdefault(district, []).append(actor_id)
            else:
                organisations.setdefault(kind, []).append(actor_id)
                organisations_in.setdefault((kind, district), []).append(actor_id)
        seen: set[tuple] = set()
        rows: list[tuple] = []
        next_id = self.first_ids["relations"]
        oldest = self.now_ts - HISTORY_DAYS * DAY

        def add(source: int | None, target: int | None, kind: str, strength: int) -> None:
            nonlocal next_id
            if source is None or target is None or source == target:
                return
            if kind in _SYMMETRIC:
                key = (min(source, target), max(source, target), kind)
            else:
                key = (source, target, kind)
            if key in seen:
                return
            seen.add(key)
            starts_on = ends_on = None
            if kind in ("works_for", "member_of") and random_() < 0.5:
                starts = self.today - _between(random_, 30, 3650)
                starts_on = _day_text(starts)
                if random_() < 0.05:
                    ends_on = _day_text(min(self.today, starts + _between(random_, 30, 700)))
            created_at = _stamp(_between(random_, oldest, self.now_ts))
            rows.append((next_id, source, target, kind, strength, starts_on, ends_on, created_at))
            next_id += 1

        def organisation(kinds: _Choice, near: str) -> int | None:
            kind = kinds.pick(random_)
            local = organisations_in.get((kind, near))
            pool = local if local and random_() < 0.8 else organisations.get(kind)
            return _pick(random_, pool) if pool else None

        def person(near: str) -> int | None:
            local = persons_in.get(near)
            pool = local if local and random_() < 0.85 else persons
            return _pick(random_, pool) if pool else None

        # Every organisation first gets a contact person who represents it.
        every_organisation = sorted(a for ids in organisations.values() for a in ids)
        for org in every_organisation[: wanted // 4]:
            add(
                person(self.districts[org - first_actor]),
                org,
                "represents",
                _pick(random_, (2, 3, 3)),
            )
            if len(rows) >= RELATION_BLOCK:
                yield rows
                rows = []
        attempts = 0
        while len(seen) < wanted and attempts < 20 * wanted:
            attempts += 1
            kind = RELATION_MIX.pick(random_)
            near = self.districts[int(random_() * self.n_actors)]
            if kind == "partner_of":
                source = organisation(PARTNER_SOURCES, near)
                add(source, organisation(PARTNER_TARGETS, near), kind, _pick(random_, (1, 2, 2, 3)))
            elif kind in ("knows", "introduced_by"):
                target = person(near)
                if kind == "knows" and random_() < 0.2:  # someone who knows an organisation
                    target = organisation(KNOWN_ORGANISATIONS, near)
                add(person(near), target, kind, _pick(random_, (1, 1, 2, 3)))
            elif kind == "works_for":
                add(person(near), organisation(EMPLOYERS, near), kind, _pick(random_, (1, 2, 2, 3)))
            elif kind == "member_of":
                add(
                    person(near),
                    organisation(ASSOCIATIONS, near),
                    kind,
                    _pick(random_, (1, 1, 2, 3)),
                )
            else:
                add(
                    person(near), organisation(ANY_ORGANISATION, near), kind, _pick(random_, (2, 3))
                )
            if len(rows) >= RELATION_BLOCK:
                yield rows
                rows = []
        if rows:
            yield rows


def _slug_words(value: str) -> list[str]:
    """The ASCII words of a name, for e-mail addresses."""
    return re.findall(r"[a-z0-9]+", search_key(value).encode("ascii", "ignore").decode())


# --- writing -----------------------------------------------------------------------------


def _ensure_districts_and_themes(connection: Connection) -> tuple[dict[str, int], dict[str, int]]:
    """The ids of the default districts and themes, creating the missing ones."""
    found = []
    for model, names in ((District, DEFAULT_DISTRICTS), (Theme, DEFAULT_THEMES)):
        table = model.__table__
        ids = dict(connection.execute(select(table.c.name, table.c.id)).all())
        missing = [{"name": n} for n in names if n not in ids]
        if missing:
            connection.execute(insert(table), missing)
            ids = dict(connection.execute(select(table.c.name, table.c.id)).all())
        found.append(ids)
    return found[0], found[1]


def _first_ids(connection: Connection) -> dict[str, int]:
    """The next free id of each table we write ids into."""
    ids = {}
    for model in (Actor, ContactLog, Relation):
        ids[model.__tablename__] = (connection.scalar(select(func.max(model.id))) or 0) + 1
    return ids


class _CoreWriter:
    """SQLAlchemy Core executemany: the fast portable path (SQLite)."""

    # SQLite's default 2 MB page cache makes every index insert of a large load a cache miss
    # (the load slowed from 27 000 to 7 000 rows/s); during the load the cache may hold it all.
    LOAD_CACHE_KIB = 1_000_000

    def __init__(self, connection: Connection):
        self.connection = connection
        self.cache_size = None
        if connection.dialect.name == "sqlite":
            self.cache_size = connection.exec_driver_sql("PRAGMA cache_size").scalar()
            connection.exec_driver_sql(f"PRAGMA cache_size = -{self.LOAD_CACHE_KIB}")

    def write(self, name: str, columns: Sequence[str], rows: list[tuple]) -> None:
        if rows:
            # Untyped columns: the values are already in their stored form (see `_stamp`).
            target = table(name, *(column(c) for c in columns))
            self.connection.execute(
                insert(target), [dict(zip(columns, row, strict=True)) for row in rows]
            )

    def finish(self) -> None:
        """Give the connection its page cache back (ids need nothing: SQLite takes max + 1)."""
        if self.cache_size is not None:
            self.connection.exec_driver_sql(f"PRAGMA cache_size = {int(self.cache_size)}")


class _CopyWriter:
    """PostgreSQL COPY through psycopg: 30 times faster than multi-row INSERT.

    As PostgreSQL's manual advises for populating a database ("Populating a Database"), the
    foreign keys and secondary indexes of the loaded tables are dropped first and re-created
    at the end: checking a million foreign keys row by row took longer than the COPY itself.
    Their definitions are read from the catalogue, so they come back exactly as the
    migrations made them; PostgreSQL's DDL is transactional, so a failed load leaves them.
    """

    TABLES = ("actors", "actor_themes", "contact_logs", "relations")
    TABLES_WITH_SEQUENCES = ("actors", "contact_logs", "relations")

    def __init__(self, connection: Connection):
        self.connection = connection
        self.driver = connection.connection.driver_connection
        self.restore: list[str] = []
        self._drop_constraints_and_indexes()

    def _drop_constraints_and_indexes(self) -> None:
        tables = {"tables": list(self.TABLES)}
        foreign_keys = self.connection.execute(
            text(
                "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
                "FROM pg_constraint c WHERE c.contype = 'f' "
                "AND c.conrelid::regclass::text = ANY(:tables) ORDER BY c.conname"
            ),
            tables,
        ).all()
        indexes = self.connection.execute(
            text(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i WHERE i.indrelid::regclass::text = ANY(:tables) "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
                "ORDER BY 1"
            ),
            tables,
        ).all()
        for table_name, constraint, definition in foreign_keys:
            self.connection.execute(
                text(f'ALTER TABLE {table_name} DROP CONSTRAINT "{constraint}"')
            )
            self.restore.append(
                f'ALTER TABLE {table_name} ADD CONSTRAINT "{constraint}" {definition}'
            )
        for index, definition in indexes:
            self.connection.execute(text(f"DROP INDEX {index}"))
            self.restore.insert(0, definition)  # indexes first: they serve the checks

    def write(self, name: str, columns: Sequence[str], rows: list[tuple]) -> None:
        if not rows:
            return
        statement = f"COPY {name} ({', '.join(columns)}) FROM STDIN"
        with self.driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)

    def finish(self) -> None:
        """Re-create indexes and foreign keys, move the id sequences past the ids we wrote
        and give the planner statistics."""
        self.connection.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
        for statement in self.restore:
            self.connection.execute(text(statement))
        for name in self.TABLES_WITH_SEQUENCES:
            self.connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT max(id) FROM {name}))"
                )
            )
        for name in self.TABLES:
            self.connection.execute(text(f"ANALYZE {name}"))
