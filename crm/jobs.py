"""Jobs: work longer than a request (checking or importing a big list, finding the possible
duplicates), with progress any web worker reads after a reload (issue 12).

The work itself runs elsewhere (app.jobs runs it in a thread, the CLI in the foreground); these
functions only record it. A job whose heartbeat (`updated_at`) stopped for `STALE_AFTER` while
it was running was interrupted (the server restarted): its work was one transaction, so nothing
of it was stored, and the page offers to start it again.
"""

import json
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.clock import utcnow
from crm.messages import Message
from crm.models import Job
from crm.rows import get_row

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
INTERRUPTED = "interrupted"  # shown, never stored: a running job without a heartbeat
STALE_AFTER = timedelta(minutes=2)


def create_job(
    session: Session,
    *,
    kind: str,
    created_by_id: int | None = None,
    import_id: int | None = None,
    now: datetime | None = None,
) -> Job:
    """A queued job of this kind."""
    now = now or utcnow()
    job = Job(
        kind=kind,
        state=QUEUED,
        step="",
        done=0,
        total=0,
        import_id=import_id,
        result="",
        error="",
        created_by_id=created_by_id,
        created_at=now,
        updated_at=now,
    )
    session.add(job)
    session.flush()
    return job


def get_job(session: Session, job_id) -> Job:
    """The job with this id."""
    return get_row(session, Job, job_id, what="job")


def record_progress(
    session: Session, job_id: int, *, step: str, done: int, total: int, now: datetime | None = None
) -> None:
    """The job runs: it is at `done` of `total` in `step` (also its heartbeat)."""
    job = get_job(session, job_id)
    job.state, job.step, job.done, job.total = RUNNING, step, done, total
    job.updated_at = now or utcnow()
    session.flush()


def finish_job(session: Session, job_id: int, result: dict, *, now: datetime | None = None) -> None:
    """The job is done; `result` (JSON-able) is what its page shows."""
    job = get_job(session, job_id)
    job.state, job.result = DONE, json.dumps(result)
    job.done = job.total
    job.updated_at = now or utcnow()
    session.flush()


def fail_job(
    session: Session, job_id: int, messages: list[Message], *, now: datetime | None = None
) -> None:
    """The job stopped on an error; `messages` say why in the user's language."""
    job = get_job(session, job_id)
    job.state = FAILED
    job.error = json.dumps([{"msgid": m.msgid, "params": m.params} for m in messages])
    job.updated_at = now or utcnow()
    session.flush()


def job_state(job: Job, *, now: datetime | None = None) -> str:
    """queued, running, done, failed, or interrupted (running without a heartbeat)."""
    if job.state in (QUEUED, RUNNING) and (now or utcnow()) - job.updated_at > STALE_AFTER:
        return INTERRUPTED
    return job.state


def job_result(job: Job) -> dict:
    """What a finished job produced ({} before it is done)."""
    return json.loads(job.result) if job.result else {}


def job_errors(job: Job) -> list[Message]:
    """Why a failed job stopped."""
    items = json.loads(job.error or "[]")
    # JSON has no tuples: a (singular, plural) pair comes back as a list.
    return [Message(_msgid(item["msgid"]), **item["params"]) for item in items]


def _msgid(stored) -> str | tuple[str, str]:
    return tuple(stored) if isinstance(stored, list) else stored


def latest_job(session: Session, *, kind: str, import_id: int | None = None) -> Job | None:
    """The newest job of this kind (for this import), if any."""
    query = select(Job).where(Job.kind == kind)
    if import_id is not None:
        query = query.where(Job.import_id == import_id)
    return session.scalars(query.order_by(Job.id.desc()).limit(1)).first()
