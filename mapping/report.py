"""The reach report of `flask reach report`: the outreach plan as text, CSV or JSON, for
people and cron jobs.

The same filters and ranking as the plan pages (`mapping.plan`); sentences and reasons are
translated by the caller's `translate` (the CLI passes Flask-Babel's gettext).
"""

import csv
import json
from collections.abc import Callable, Mapping
from typing import TextIO

from crm.exports import safe_cell
from crm.vocabulary import (
    GROUP_FLAG_LABELS,
    KIND_LABELS,
    NEXT_ACTION_LABELS,
    REACH_STATUS_LABELS,
)
from crm.worklist import ContactCard
from mapping.analysis import Analysis
from mapping.filters import AnalysisFilter
from mapping.plan import flagged_groups, introducer_name, poverty_actions

FORMATS = ("text", "csv", "json")
CSV_COLUMNS = (
    "rank",
    "actor_id",
    "name",
    "kind",
    "district",
    "status",
    "action",
    "reason",
    "introducer_id",
    "introducer",
    "priority",
    "phone",
    "groups",
)


def build_report(
    analysis: Analysis,
    filters: AnalysisFilter,
    *,
    cards: Mapping[int, ContactCard],
    translate: Callable[[str], str],
) -> dict:
    """The flags and the ranked actions inside the filters, as plain data (JSON-ready)."""
    ranked = filters.recommendations(analysis)
    actions = []
    for rank, recommendation in enumerate(ranked, start=1):
        node = analysis.actor(recommendation.actor_id)
        card = cards.get(recommendation.actor_id)
        actions.append(
            {
                "rank": rank,
                "actor_id": recommendation.actor_id,
                "name": node["name"],
                "kind": node["kind"],
                "district": node.get("district"),
                "status": node["status"],
                "action": recommendation.action,
                "reason": recommendation.reason.render(translate),
                "introducer_id": recommendation.introducer_id,
                "introducer": introducer_name(analysis, recommendation),
                "priority": recommendation.priority,
                "phone": card.phone if card else None,  # E.164
                "groups": list(recommendation.groups),
            }
        )
    by_id = {a["actor_id"]: a for a in actions}
    return {
        "computed_at": analysis.computed_at.isoformat(),
        "data_version": analysis.data_version,
        "filters": filters.as_args(),
        "settings": analysis.settings.as_dict(),
        "groups": [
            {
                "ident": group.ident,
                "dimension": group.dimension,
                "key": group.key,
                "flag": group.flag,
                "sentence": group.sentence.render(translate),
                "total": group.total,
                "direct": group.direct,
                "digital_only": group.digital_only,
                "attempted": group.attempted,
                "none": group.none,
                "share_direct": group.share_direct,
            }
            for group in flagged_groups(analysis, filters, ranked=ranked)
        ],
        "poverty_organisations": [
            {k: by_id[r.actor_id][k] for k in ("actor_id", "name", "district", "status", "action")}
            for r in poverty_actions(analysis, ranked)
        ],
        "actions": actions,
    }


def write_json(report: dict, out: TextIO) -> None:
    """The report as one JSON document."""
    json.dump(report, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_csv(
    report: dict,
    out: TextIO,
    *,
    translate: Callable[[str], str],
    display_phone: Callable[[str | None], str],
) -> None:
    """One row per recommended action, best first; every cell safe to open in a spreadsheet."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for action in report["actions"]:
        values = {
            **action,
            "kind": translate(KIND_LABELS.get(action["kind"], action["kind"])),
            "status": translate(REACH_STATUS_LABELS.get(action["status"], action["status"])),
            "action": translate(NEXT_ACTION_LABELS[action["action"]]),
            "phone": display_phone(action["phone"]),
            "groups": " ".join(action["groups"]),
        }
        writer.writerow([safe_cell(_blank_none(values[column])) for column in CSV_COLUMNS])


def write_text(
    report: dict,
    out: TextIO,
    *,
    translate: Callable[[str], str],
    display_phone: Callable[[str | None], str],
) -> None:
    """The report for a person (or a cron mail): flags first, then the actions, best first."""
    _ = translate  # as `_`, pybabel extracts the literal messages below

    def line(text: str = "") -> None:
        out.write(text + "\n")

    line(
        _("Reach report of %(when)s (data version %(version)d)")
        % {"when": _utc_text(report["computed_at"]), "version": report["data_version"]}
    )
    if report["filters"]:
        line(_("Filters: %(filters)s") % {"filters": _filters_text(report["filters"])})
    if not (report["groups"] or report["poverty_organisations"] or report["actions"]):
        line()
        line(
            _(
                "Nothing to catch up on: no group is under-reached and every poverty "
                "organisation is reached directly."
            )
        )
        return
    line()
    line(_("Flagged groups (%(count)d)") % {"count": len(report["groups"])})
    for group in report["groups"]:
        flag = translate(GROUP_FLAG_LABELS[group["flag"]])
        line(f"  [{flag}] {group['sentence']} ({_share_text(group)})")
    line()
    line(
        _("Poverty organisations not reached directly (%(count)d)")
        % {"count": len(report["poverty_organisations"])}
    )
    for organisation in report["poverty_organisations"]:
        status = translate(REACH_STATUS_LABELS[organisation["status"]])
        line(
            f"  #{organisation['actor_id']} {organisation['name']}, "
            f"{organisation['district'] or '-'}: {status}"
        )
    line()
    line(_("Next actions, best first (%(count)d)") % {"count": len(report["actions"])})
    for action in report["actions"]:
        kind = translate(KIND_LABELS.get(action["kind"], action["kind"]))
        where = f"{kind}, {action['district']}" if action["district"] else kind
        line(
            f"{action['rank']:>4}. #{action['actor_id']} {action['name']} ({where}) - "
            + _("priority %(n)s") % {"n": action["priority"]}
        )
        line(f"      {translate(NEXT_ACTION_LABELS[action['action']])}: {action['reason']}")
        details = []
        if action["phone"]:
            details.append(_("phone %(phone)s") % {"phone": display_phone(action["phone"])})
        if action["introducer"]:
            details.append(
                _("introducer: #%(id)d %(name)s")
                % {"id": action["introducer_id"], "name": action["introducer"]}
            )
        if details:
            line("      " + "; ".join(details))


def _utc_text(moment: str) -> str:
    return moment.replace("T", " ") + " UTC"


def _share_text(group: dict) -> str:
    return f"{round(group['share_direct'] * 100)}%"


def _filters_text(filters: dict) -> str:
    return ", ".join(f"{name}={value}" for name, value in filters.items())


def _blank_none(value):
    return "" if value is None else value
