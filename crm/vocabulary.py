"""Bereik's words as enumerations, each value with its (English) label msgid.

Every label a page, a figure, an export or the CLI shows lives here
(docs/architecture.md#vocabulary): the app translates them with gettext, the domain marks them
with `N_`.
"""

from enum import StrEnum

from crm.messages import N_


class Kind(StrEnum):
    RESIDENT = "resident"
    BUSINESS = "business"
    KNOWLEDGE_INSTITUTION = "knowledge_institution"
    POVERTY_ORGANISATION = "poverty_organisation"
    CIVIC_ASSOCIATION = "civic_association"
    PUBLIC_BODY = "public_body"
    OTHER = "other"


class Channel(StrEnum):
    PHONE = "phone"
    VISIT = "visit"
    MEETING = "meeting"
    EVENT = "event"
    INTERMEDIARY = "intermediary"
    LETTER = "letter"
    EMAIL = "email"
    NEWSLETTER = "newsletter"
    ONLINE = "online"
    SMS = "sms"


DIRECT_CHANNELS = frozenset(
    {Channel.PHONE, Channel.VISIT, Channel.MEETING, Channel.EVENT, Channel.INTERMEDIARY}
)


class Direction(StrEnum):
    OUTGOING = "outgoing"
    INCOMING = "incoming"


class Outcome(StrEnum):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    LEFT_MESSAGE = "left_message"
    DECLINED = "declined"
    WRONG_CONTACT = "wrong_contact"
    PLANNED = "planned"


FAILED_OUTCOMES = frozenset(
    {Outcome.NO_ANSWER, Outcome.LEFT_MESSAGE, Outcome.DECLINED, Outcome.WRONG_CONTACT}
)

# The outcomes that can happen on each channel (docs/rules-of-reach.md#channels-and-outcomes):
# any other pair is refused, and the contact form offers only these.
_ANY = tuple(Outcome)
_IN_PERSON = (Outcome.REACHED, Outcome.NO_ANSWER, Outcome.DECLINED, Outcome.PLANNED)
_POSTED = (Outcome.REACHED, Outcome.WRONG_CONTACT, Outcome.PLANNED)
CHANNEL_OUTCOMES: dict[str, tuple[str, ...]] = {
    Channel.PHONE: _ANY,
    Channel.SMS: _ANY,
    # nobody there is "no answer"; nobody takes a message at the door
    Channel.VISIT: (
        Outcome.REACHED,
        Outcome.NO_ANSWER,
        Outcome.DECLINED,
        Outcome.WRONG_CONTACT,
        Outcome.PLANNED,
    ),
    # they came / it happened, or they did not come
    Channel.MEETING: _IN_PERSON,
    Channel.EVENT: _IN_PERSON,
    Channel.INTERMEDIARY: _IN_PERSON,
    # reached: they answered; wrong contact: it bounced
    Channel.EMAIL: (
        Outcome.REACHED,
        Outcome.NO_ANSWER,
        Outcome.DECLINED,
        Outcome.WRONG_CONTACT,
        Outcome.PLANNED,
    ),
    # reached: sent and not returned; wrong contact: returned
    Channel.LETTER: _POSTED,
    Channel.NEWSLETTER: _POSTED,
    Channel.ONLINE: (Outcome.REACHED, Outcome.PLANNED),
}


class RelationType(StrEnum):
    MEMBER_OF = "member_of"
    WORKS_FOR = "works_for"
    REPRESENTS = "represents"
    PARTNER_OF = "partner_of"
    KNOWS = "knows"
    INTRODUCED_BY = "introduced_by"


# A partnership or acquaintance has no direction: A knows B is the same relation as B knows A.
SYMMETRIC_RELATION_TYPES = frozenset({RelationType.PARTNER_OF, RelationType.KNOWS})


class Role(StrEnum):
    STAFF = "staff"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


ROLE_RANK = {Role.STAFF: 1, Role.COORDINATOR: 2, Role.ADMIN: 3}


class Language(StrEnum):
    NL = "nl"
    EN = "en"
    FR = "fr"
    DE = "de"
    OTHER = "other"


class ReachStatus(StrEnum):
    DIRECT = "direct"
    DIGITAL_ONLY = "digital_only"
    ATTEMPTED = "attempted"
    NONE = "none"


class EventType(StrEnum):
    WORKSHOP = "workshop"
    OPEN_ATELIER = "open_atelier"
    IDEA_ATELIER = "idea_atelier"
    INFO_SESSION = "info_session"


class InvitationStatus(StrEnum):
    TO_INVITE = "to_invite"
    INVITED = "invited"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    ATTENDED = "attended"
    NO_SHOW = "no_show"


# The channels to invite someone by: each needs its own contact detail and flag.
INVITE_CHANNELS = (Channel.PHONE, Channel.VISIT, Channel.EMAIL, Channel.LETTER, Channel.SMS)
# The channels news for a keep-warm list goes by, in the order of the rule; "none" keeps the
# person on the list with the reason they cannot be reached yet (crm.channels.news_channel).
NO_CHANNEL = "none"
KEEP_WARM_CHANNELS = (Channel.EMAIL, Channel.LETTER, Channel.PHONE, NO_CHANNEL)


class IdeaStatus(StrEnum):
    NEW = "new"
    BEING_WORKED_OUT = "being_worked_out"
    IN_PROGRESS = "in_progress"
    REALISED = "realised"
    PARKED = "parked"


class Quadrant(StrEnum):
    """Mendelow's power/interest quadrants."""

    MANAGE_CLOSELY = "manage_closely"
    KEEP_SATISFIED = "keep_satisfied"
    KEEP_INFORMED = "keep_informed"
    MONITOR = "monitor"


class NextAction(StrEnum):
    """The one next action the rules of reach recommend for an actor to reach."""

    VISIT = "visit"
    CALL = "call"
    INTRODUCE = "introduce"
    FIND_DETAILS = "find_details"


class GroupFlag(StrEnum):
    """Why a group is flagged: too small a share reached directly, or too few actors known."""

    UNDER_REACHED = "under_reached"
    TOO_FEW_KNOWN = "too_few_known"


class LeftOutReason(StrEnum):
    """Why an actor cannot be reached by a channel (or at all): left off a list or an export."""

    DO_NOT_PHONE = "do_not_phone"
    DO_NOT_EMAIL = "do_not_email"
    DO_NOT_VISIT = "do_not_visit"
    NO_PHONE = "no_phone"
    NO_EMAIL = "no_email"
    NO_ADDRESS = "no_address"
    NO_CONTACT_DETAILS = "no_contact_details"
    IN_PERSON_IMPOSSIBLE = "in_person_impossible"
    ARCHIVED = "archived"
    WALK_IN = "walk_in"


class KeepWarmRole(StrEnum):
    """Why someone is on a keep-warm list: they came to the event, or they carry an idea."""

    PARTICIPANT = "participant"
    OWNER = "owner"


class ExportKind(StrEnum):
    INVITATIONS_CSV = "invitations_csv"
    INVITATIONS_XLSX = "invitations_xlsx"
    CALL_SHEET = "call_sheet"
    KEEP_WARM = "keep_warm"


DEFAULT_DISTRICTS = ("Sint-Niklaas", "Belsele", "Sinaai", "Nieuwkerken-Waas")
DEFAULT_THEMES = (
    "mobiliteit",
    "klimaat",
    "digitale inclusie",
    "armoede",
    "economie",
    "wonen",
    "onderwijs",
    "cultuur",
)

KIND_LABELS: dict[str, str] = {
    Kind.RESIDENT: N_("Resident"),
    Kind.BUSINESS: N_("Business"),
    Kind.KNOWLEDGE_INSTITUTION: N_("Knowledge institution"),
    Kind.POVERTY_ORGANISATION: N_("Poverty organisation"),
    Kind.CIVIC_ASSOCIATION: N_("Civic association"),
    Kind.PUBLIC_BODY: N_("Public body"),
    Kind.OTHER: N_("Other"),
}

# Group names in sentences: "Poverty organisations in Sinaai: 1 of 6 reached directly".
KIND_PLURAL_LABELS: dict[str, str] = {
    Kind.RESIDENT: N_("Residents"),
    Kind.BUSINESS: N_("Businesses"),
    Kind.KNOWLEDGE_INSTITUTION: N_("Knowledge institutions"),
    Kind.POVERTY_ORGANISATION: N_("Poverty organisations"),
    Kind.CIVIC_ASSOCIATION: N_("Civic associations"),
    Kind.PUBLIC_BODY: N_("Public bodies"),
    Kind.OTHER: N_("Other actors"),
}

CHANNEL_LABELS: dict[str, str] = {
    Channel.PHONE: N_("Phone"),
    Channel.VISIT: N_("Visit"),
    Channel.MEETING: N_("Meeting"),
    Channel.EVENT: N_("Event"),
    Channel.INTERMEDIARY: N_("Intermediary"),
    Channel.LETTER: N_("Letter"),
    Channel.EMAIL: N_("E-mail"),
    Channel.NEWSLETTER: N_("Newsletter"),
    Channel.ONLINE: N_("Online platform"),
    Channel.SMS: N_("SMS"),
}

INVITE_CHANNEL_LABELS: dict[str, str] = {c: CHANNEL_LABELS[c] for c in INVITE_CHANNELS}

DIRECTION_LABELS: dict[str, str] = {
    Direction.OUTGOING: N_("Outgoing"),
    Direction.INCOMING: N_("Incoming"),
}

OUTCOME_LABELS: dict[str, str] = {
    Outcome.REACHED: N_("Reached"),
    Outcome.NO_ANSWER: N_("No answer"),
    Outcome.LEFT_MESSAGE: N_("Left a message"),
    Outcome.DECLINED: N_("Declined"),
    Outcome.WRONG_CONTACT: N_("Wrong contact details"),
    Outcome.PLANNED: N_("Planned"),
}

RELATION_TYPE_LABELS: dict[str, str] = {
    RelationType.MEMBER_OF: N_("is member of"),
    RelationType.WORKS_FOR: N_("works for"),
    RelationType.REPRESENTS: N_("represents"),
    RelationType.PARTNER_OF: N_("is partner of"),
    RelationType.KNOWS: N_("knows"),
    RelationType.INTRODUCED_BY: N_("was introduced by"),
}

ROLE_LABELS: dict[str, str] = {
    Role.STAFF: N_("Policy staff"),
    Role.COORDINATOR: N_("Coordinator"),
    Role.ADMIN: N_("Administrator"),
}

LANGUAGE_LABELS: dict[str, str] = {
    Language.NL: N_("Dutch"),
    Language.EN: N_("English"),
    Language.FR: N_("French"),
    Language.DE: N_("German"),
    Language.OTHER: N_("Other language"),
}

REACH_STATUS_LABELS: dict[str, str] = {
    ReachStatus.DIRECT: N_("Reached directly"),
    ReachStatus.DIGITAL_ONLY: N_("Digital only"),
    ReachStatus.ATTEMPTED: N_("Attempted"),
    ReachStatus.NONE: N_("Not reached"),
}

EVENT_TYPE_LABELS: dict[str, str] = {
    EventType.WORKSHOP: N_("Workshop"),
    EventType.OPEN_ATELIER: N_("Open atelier"),
    EventType.IDEA_ATELIER: N_("Idea atelier"),
    EventType.INFO_SESSION: N_("Info session"),
}

INVITATION_STATUS_LABELS: dict[str, str] = {
    InvitationStatus.TO_INVITE: N_("To invite"),
    InvitationStatus.INVITED: N_("Invited"),
    InvitationStatus.CONFIRMED: N_("Confirmed"),
    InvitationStatus.DECLINED: N_("Declined"),
    InvitationStatus.ATTENDED: N_("Attended"),
    InvitationStatus.NO_SHOW: N_("Did not come"),
}

IDEA_STATUS_LABELS: dict[str, str] = {
    IdeaStatus.NEW: N_("New"),
    IdeaStatus.BEING_WORKED_OUT: N_("Being worked out"),
    IdeaStatus.IN_PROGRESS: N_("In progress"),
    IdeaStatus.REALISED: N_("Realised"),
    IdeaStatus.PARKED: N_("Parked"),
}

EXPORT_KIND_LABELS: dict[str, str] = {
    ExportKind.INVITATIONS_CSV: N_("Invitation list (CSV)"),
    ExportKind.INVITATIONS_XLSX: N_("Invitation list (XLSX)"),
    ExportKind.CALL_SHEET: N_("Call sheet and visit list"),
    ExportKind.KEEP_WARM: N_("Keep-warm list"),
}

# Work that runs as a job (crm.jobs), and the steps its progress bar names.
JOB_KIND_LABELS: dict[str, str] = {
    "import_check": N_("Checking the list"),
    "import_run": N_("Importing the list"),
    "duplicates": N_("Looking for possible duplicates"),
}
JOB_STEP_LABELS: dict[str, str] = {
    "reading": N_("Reading the file…"),
    "checking": N_("Checking the rows…"),
    "saving": N_("Saving…"),
    "comparing": N_("Comparing the actors…"),
}
# What an import does with a row (crm.imports.plan), and why a row may be someone stored.
IMPORT_ACTION_LABELS: dict[str, str] = {
    "new": N_("New actor"),
    "update": N_("Update"),
    "unchanged": N_("Unchanged"),
    "duplicate": N_("Possible duplicate"),
    "error": N_("Error"),
}
IMPORT_STATUS_LABELS: dict[str, str] = {
    "draft": N_("Not imported yet"),
    "imported": N_("Imported"),
    "undone": N_("Undone"),
}
DUPLICATE_REASON_LABELS: dict[str, str] = {
    "phone": N_("same phone number"),
    "email": N_("same e-mail address"),
    "address": N_("same address"),
    "name": N_("similar name"),
    "same_row": N_("same as an earlier row"),
}
# Where an import came from.
IMPORT_SOURCE_LABELS: dict[str, str] = {
    "file": N_("File"),
    "kbo": N_("Business register (KBO)"),
}

QUADRANT_LABELS: dict[str, str] = {
    Quadrant.MANAGE_CLOSELY: N_("Manage closely"),
    Quadrant.KEEP_SATISFIED: N_("Keep satisfied"),
    Quadrant.KEEP_INFORMED: N_("Keep informed"),
    Quadrant.MONITOR: N_("Monitor"),
}

NEXT_ACTION_LABELS: dict[str, str] = {
    NextAction.VISIT: N_("Visit"),
    NextAction.CALL: N_("Call"),
    NextAction.INTRODUCE: N_("Ask for an introduction"),
    NextAction.FIND_DETAILS: N_("Find contact details"),
}

GROUP_FLAG_LABELS: dict[str, str] = {
    GroupFlag.UNDER_REACHED: N_("Under-reached"),
    GroupFlag.TOO_FEW_KNOWN: N_("Too few known"),
}

LEFT_OUT_REASON_LABELS: dict[str, str] = {
    LeftOutReason.DO_NOT_PHONE: N_("Do not phone"),
    LeftOutReason.DO_NOT_EMAIL: N_("Do not e-mail"),
    LeftOutReason.DO_NOT_VISIT: N_("Do not visit"),
    LeftOutReason.NO_PHONE: N_("No phone number"),
    LeftOutReason.NO_EMAIL: N_("No e-mail address"),
    LeftOutReason.NO_ADDRESS: N_("No address"),
    LeftOutReason.NO_CONTACT_DETAILS: N_("No usable contact details"),
    LeftOutReason.IN_PERSON_IMPOSSIBLE: N_("Poverty organisation that cannot be phoned or visited"),
    LeftOutReason.ARCHIVED: N_("Archived actor"),
    LeftOutReason.WALK_IN: N_("Came without an invitation"),
}

KEEP_WARM_CHANNEL_LABELS: dict[str, str] = {
    Channel.EMAIL: N_("E-mail"),
    Channel.LETTER: N_("Letter"),
    Channel.PHONE: N_("Phone call"),
    NO_CHANNEL: N_("No way to reach them yet"),
}

KEEP_WARM_ROLE_LABELS: dict[str, str] = {
    KeepWarmRole.PARTICIPANT: N_("Participant"),
    KeepWarmRole.OWNER: N_("Idea owner"),
}

# The column titles of the files people open in a spreadsheet (crm.exports, crm.keep_warm).
COLUMN_LABELS: dict[str, str] = {
    "number": N_("Number"),
    "name": N_("Name"),
    "kind": N_("Kind"),
    "district": N_("District"),
    "role": N_("Role"),
    "channel": N_("Channel"),
    "status": N_("Status"),
    "phone": N_("Phone"),
    "email": N_("E-mail address"),
    "address": N_("Address"),
    "postcode": N_("Postcode"),
    "ideas": N_("Ideas"),
    "why_not_reachable": N_("Why not reachable"),
}

# The actor's fields by name, with the words of the actor form (the import and merge screens).
ACTOR_FIELD_LABELS: dict[str, str] = {
    "name": N_("Name"),
    "kind": N_("Kind"),
    "district": N_("District"),
    "themes": N_("Themes"),
    "phone": N_("Phone"),
    "email": N_("E-mail address"),
    "address": N_("Street and number"),
    "postcode": N_("Postcode"),
    "preferred_channel": N_("Preferred channel"),
    "preferred_language": N_("Preferred language"),
    "do_not_phone": N_("Do not phone"),
    "do_not_email": N_("Do not e-mail"),
    "do_not_visit": N_("Do not visit"),
    "influence": N_("Influence (1-5)"),
    "interest": N_("Interest (1-5)"),
    "notes": N_("Notes"),
    "enterprise_number": N_("Enterprise number"),
}
