"""A dry run as plain JSON data and back: a job stores it for the page that shows it later
(in any web worker), and an import keeps the rows it left out for its result page.

Messages are kept as message ids with their parameters, so that each reader sees them in its
own language; a parameter that is itself a Message (or a tuple of them) is kept as one too.
"""

from crm.imports.plan import CellError, ImportPlan, Match, PlannedRow
from crm.messages import Message


def message_to_data(message: Message) -> dict:
    """A Message as JSON data."""
    msgid = list(message.msgid) if isinstance(message.msgid, tuple) else message.msgid
    return {"msgid": msgid, "params": {k: _param_to_data(v) for k, v in message.params.items()}}


def message_from_data(data: dict) -> Message:
    """The Message of `message_to_data`."""
    msgid = tuple(data["msgid"]) if isinstance(data["msgid"], list) else data["msgid"]
    return Message(msgid, **{k: _param_from_data(v) for k, v in data["params"].items()})


def _param_to_data(value):
    if isinstance(value, Message):
        return {"message": message_to_data(value)}
    if isinstance(value, tuple) and value and all(isinstance(v, Message) for v in value):
        return {"messages": [message_to_data(v) for v in value]}
    return value


def _param_from_data(value):
    if isinstance(value, dict) and "message" in value:
        return message_from_data(value["message"])
    if isinstance(value, dict) and "messages" in value:
        return tuple(message_from_data(v) for v in value["messages"])
    return value


def row_to_data(row: PlannedRow) -> dict:
    """One planned row as JSON data."""
    return {
        "number": row.number,
        "action": row.action,
        "values": row.values,
        "actor_id": row.actor_id,
        "changes": list(row.changes),
        "matches": [
            {"actor_id": m.actor_id, "name": m.name, "reasons": list(m.reasons), "row": m.row}
            for m in row.matches
        ],
        "errors": [
            {
                "column": e.column,
                "cell": e.cell,
                "messages": [message_to_data(m) for m in e.messages],
            }
            for e in row.errors
        ],
        "question": list(row.question),
    }


def row_from_data(data: dict) -> PlannedRow:
    """The PlannedRow of `row_to_data`."""
    return PlannedRow(
        number=data["number"],
        action=data["action"],
        values=data["values"],
        actor_id=data["actor_id"],
        changes=tuple(data["changes"]),
        matches=tuple(
            Match(m["actor_id"], m["name"], tuple(m["reasons"]), m["row"]) for m in data["matches"]
        ),
        errors=tuple(
            CellError(e["column"], e["cell"], tuple(message_from_data(m) for m in e["messages"]))
            for e in data["errors"]
        ),
        question=tuple(data["question"]),
    )


def plan_to_data(plan: ImportPlan) -> dict:
    """A dry run as JSON data."""
    return {
        "data_version": plan.data_version,
        "counts": plan.counts,
        "rows": [row_to_data(row) for row in plan.rows],
    }


def plan_from_data(data: dict) -> ImportPlan:
    """The ImportPlan of `plan_to_data`."""
    return ImportPlan(
        rows=[row_from_data(row) for row in data["rows"]], data_version=data["data_version"]
    )
