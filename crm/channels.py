"""How an actor may be contacted: the one home of the channel rules.

Whether a channel can reach an actor depends on the contact details known (a phone number, an
e-mail address, an address) and the do-not flags. On top of that:

- the invitation channel: poverty organisations are invited by phone or in person, never by
  e-mail only; otherwise the actor's preferred channel when it can be used, else e-mail, phone,
  letter, SMS, visit, in that order;
- the keep-warm channel (news on ideas): e-mail, else a letter, else a call; poverty
  organisations are phoned first, then written to, and mailed only when nothing else reaches
  them.

The outreach actions (mapping.outreach), the invitation lists (crm.invitations, crm.builder),
the keep-warm list (crm.keep_warm) and the export re-check (crm.exports) all ask this module.
"Is a detail known" has a SQL twin for queries that count without loading actors; the two agree
on every value (tests/domain/test_rule_twins.py).
"""

from dataclasses import dataclass
from types import SimpleNamespace
from typing import NamedTuple

from sqlalchemy import ColumnElement, func

from crm.messages import N_, Invalid, Message
from crm.models import Actor
from crm.validation import parse_choice
from crm.vocabulary import (
    INVITE_CHANNELS,
    LEFT_OUT_REASON_LABELS,
    NO_CHANNEL,
    Channel,
    Kind,
    LeftOutReason,
)

IN_PERSON = (Channel.PHONE, Channel.VISIT)  # how poverty organisations are invited
FALLBACK_ORDER = (Channel.EMAIL, Channel.PHONE, Channel.LETTER, Channel.SMS, Channel.VISIT)
POVERTY_NEWS_ORDER = (Channel.PHONE, Channel.LETTER, Channel.EMAIL)
NEWS_ORDER = (Channel.EMAIL, Channel.LETTER, Channel.PHONE)


# --- what is known: the rule and its SQL twin -------------------------------------------------


def has_phone(phone: str | None) -> bool:
    """Whether a phone number is known."""
    return phone is not None and phone != ""


def has_email(email: str | None) -> bool:
    """Whether an e-mail address is known."""
    return email is not None and email != ""


def has_address(address: str | None) -> bool:
    """Whether an address is known (spaces alone are none)."""
    # strip(" "), not strip(): SQL's trim() removes spaces only, and the twins must agree.
    return address is not None and address.strip(" ") != ""


class ContactDetails(NamedTuple):
    """What the channel rules read of an actor: the details known and the do-not flags."""

    has_phone: bool
    has_email: bool
    has_address: bool
    do_not_phone: bool
    do_not_email: bool
    do_not_visit: bool

    @classmethod
    def of(cls, actor) -> "ContactDetails":
        """The details of an `Actor`, or of any row with its phone, email, address and flags."""
        # Attribute by attribute, no loop: the builder asks this of every candidate (100 000).
        return cls(
            has_phone(actor.phone),
            has_email(actor.email),
            has_address(actor.address),
            bool(actor.do_not_phone),
            bool(actor.do_not_email),
            bool(actor.do_not_visit),
        )

    @classmethod
    def from_values(cls, **values) -> "ContactDetails":
        """The details of an actor with these values of ACTOR_FIELDS (missing: none, no flag)."""
        return cls.of(SimpleNamespace(**{**dict.fromkeys(ACTOR_FIELDS), **values}))


# What ContactDetails reads of an actor.
ACTOR_FIELDS = ("phone", "email", "address", "do_not_phone", "do_not_email", "do_not_visit")


def contact_details_columns() -> tuple[ColumnElement, ...]:
    """The SQL twin of `ContactDetails.of`: its fields as labelled columns of `actors`."""
    return (
        (func.coalesce(Actor.phone, "") != "").label("has_phone"),
        (func.coalesce(Actor.email, "") != "").label("has_email"),
        (func.trim(func.coalesce(Actor.address, "")) != "").label("has_address"),
        Actor.do_not_phone.label("do_not_phone"),
        Actor.do_not_email.label("do_not_email"),
        Actor.do_not_visit.label("do_not_visit"),
    )


# --- whether a channel can reach an actor ------------------------------------------------------


def blocked_reason(details: ContactDetails, channel: str) -> LeftOutReason | None:
    """Why `channel` cannot reach an actor with these details, None when it can."""
    if channel in (Channel.PHONE, Channel.SMS):
        if details.do_not_phone:
            return LeftOutReason.DO_NOT_PHONE
        return None if details.has_phone else LeftOutReason.NO_PHONE
    if channel == Channel.EMAIL:
        if details.do_not_email:
            return LeftOutReason.DO_NOT_EMAIL
        return None if details.has_email else LeftOutReason.NO_EMAIL
    if channel == Channel.VISIT:
        if details.do_not_visit:
            return LeftOutReason.DO_NOT_VISIT
        return None if details.has_address else LeftOutReason.NO_ADDRESS
    if channel == Channel.LETTER:
        return None if details.has_address else LeftOutReason.NO_ADDRESS
    if channel == Channel.EVENT:  # a walk-in, checked in at the door: nobody to invite
        return LeftOutReason.WALK_IN
    return LeftOutReason.NO_CONTACT_DETAILS


def may_call(details: ContactDetails) -> bool:
    """Whether the actor can be phoned."""
    return blocked_reason(details, Channel.PHONE) is None


def may_visit(details: ContactDetails) -> bool:
    """Whether the actor can be visited."""
    return blocked_reason(details, Channel.VISIT) is None


# --- the invitation channel -------------------------------------------------------------------


@dataclass(frozen=True)
class InviteChannel:
    """The channel to invite an actor by, or None with the reason it is left out."""

    channel: str | None
    left_out: LeftOutReason | None = None


def allowed_invite_channels(kind: str) -> tuple[str, ...]:
    """The invite channels the rules allow for this kind of actor (before details and flags)."""
    return IN_PERSON if kind == Kind.POVERTY_ORGANISATION else INVITE_CHANNELS


def invite_channel(actor) -> InviteChannel:
    """The channel to invite `actor` (an Actor or a row with its kind, preferred channel and
    contact details) by, under the rules of the module docstring."""
    details = ContactDetails.of(actor)
    poverty = actor.kind == Kind.POVERTY_ORGANISATION
    preferred = actor.preferred_channel
    if preferred in allowed_invite_channels(actor.kind) and not blocked_reason(details, preferred):
        return InviteChannel(preferred)
    reasons = []
    for channel in IN_PERSON if poverty else FALLBACK_ORDER:
        reason = blocked_reason(details, channel)
        if reason is None:
            return InviteChannel(channel)
        reasons.append(reason)
    if poverty:
        return InviteChannel(None, LeftOutReason.IN_PERSON_IMPOSSIBLE)
    flagged = [r for r in reasons if r.startswith("do_not_")]
    return InviteChannel(None, flagged[0] if flagged else LeftOutReason.NO_CONTACT_DETAILS)


def check_invite_channel(actor, channel) -> str:
    """`channel` when staff may invite `actor` by it (an override), else `Invalid`."""
    value = parse_choice(channel, INVITE_CHANNELS, field="channel")
    if value not in allowed_invite_channels(actor.kind):
        raise Invalid.on(
            "channel",
            N_("Poverty organisations are invited by phone or in person, never by e-mail only."),
        )
    reason = blocked_reason(ContactDetails.of(actor), value)
    if reason is not None:
        raise Invalid.on(
            "channel",
            N_("%(name)s cannot be invited this way: %(reason)s."),
            name=actor.name,
            reason=Message(LEFT_OUT_REASON_LABELS[reason]),
        )
    return value


# --- the keep-warm channel --------------------------------------------------------------------


def news_channel(actor) -> tuple[str, tuple[LeftOutReason, ...]]:
    """The channel to send news on ideas by (one of vocabulary.KEEP_WARM_CHANNELS) and, when
    there is none, why."""
    details = ContactDetails.of(actor)
    poverty = actor.kind == Kind.POVERTY_ORGANISATION
    for channel in POVERTY_NEWS_ORDER if poverty else NEWS_ORDER:
        if blocked_reason(details, channel) is None:
            return channel, ()
    flags = []
    if details.has_email and details.do_not_email:
        flags.append(LeftOutReason.DO_NOT_EMAIL)
    if details.has_phone and details.do_not_phone:
        flags.append(LeftOutReason.DO_NOT_PHONE)
    return NO_CHANNEL, tuple(flags) or (LeftOutReason.NO_CONTACT_DETAILS,)
