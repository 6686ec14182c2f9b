"""Running a job (crm.jobs) off the request: the request records the job and answers at once;
the work runs in a thread of the web worker with its own sessions, and writes its progress in
short transactions of their own, so that any worker shows it after a reload.

The worker's request is free again at once: gunicorn's timeout only watches requests. Should the
worker stop (a restart), the job's heartbeat stops and its page says so (crm.jobs.job_state);
its work was one transaction, so nothing half-done stays behind.

With JOBS_IN_BACKGROUND off (the test client's suites), the work runs before the request
answers: the same code, without waiting for a thread in every test.
"""

import logging
import threading
import time
from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy.orm import Session

from app.extensions import db
from crm import jobs
from crm.messages import N_, Invalid, Message

log = logging.getLogger(__name__)

PROGRESS_EVERY_S = 0.5  # at most two progress writes a second
JOB_BROKE = N_(
    "The job stopped on an unexpected error; nothing of it was stored. Try again, and tell an "
    "administrator when it happens again."
)


class Progress:
    """Reports a job's progress: `progress(step, done, total)`; written at most every
    PROGRESS_EVERY_S seconds (and always at the end of a step), each in its own transaction."""

    def __init__(self, app: Flask, job_id: int):
        self.app, self.job_id = app, job_id
        self.last_write = 0.0

    def __call__(self, step: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last_write < PROGRESS_EVERY_S:
            return
        self.last_write = now
        with Session(db.engine) as session:
            jobs.record_progress(session, self.job_id, step=step, done=done, total=total)
            session.commit()


Work = Callable[[Progress], dict]
# Where a finished job's result is shown, per job kind: a function of the job giving the URL.
# Each blueprint that starts jobs registers its own (register_result_page).
RESULT_PAGES: dict[str, Callable] = {}


def register_result_page(kind: str, url_of: Callable) -> None:
    """The page that shows the result of jobs of this kind: `url_of(job)` gives its URL."""
    RESULT_PAGES[kind] = url_of


def start_job(job_id: int, work: Work) -> None:
    """Run `work(progress)` for the job (committed already) and record its result or failure.

    `work` owns its sessions and commits its own changes; what it returns is the job's result.
    """
    app = current_app._get_current_object()
    if not app.config.get("JOBS_IN_BACKGROUND", True):
        _run(app, job_id, work)
        return
    thread = threading.Thread(target=_run, args=(app, job_id, work), daemon=True)
    thread.name = f"bereik-job-{job_id}"
    thread.start()


def _run(app: Flask, job_id: int, work: Work) -> None:
    with app.app_context():
        try:
            result = work(Progress(app, job_id))
        except Invalid as refusal:
            messages = [m for ms in refusal.errors.values() for m in ms]
            _record(job_id, lambda s: jobs.fail_job(s, job_id, messages))
        except Exception:
            log.exception("job %s failed", job_id)
            _record(job_id, lambda s: jobs.fail_job(s, job_id, [Message(JOB_BROKE)]))
        else:
            _record(job_id, lambda s: jobs.finish_job(s, job_id, result))
        finally:
            db.session.remove()


def _record(job_id: int, write: Callable[[Session], None]) -> None:
    with Session(db.engine) as session:
        write(session)
        session.commit()
