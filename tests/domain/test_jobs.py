"""Jobs: their progress, result and failure as any web worker reads them (crm, no Flask)."""

from datetime import timedelta

from crm import jobs
from crm.messages import Message
from crm.models import Job
from tests.domain.conftest import NOW, fresh


def test_a_new_job_is_queued_with_nothing_done(session):
    job = jobs.create_job(session, kind="import_check", now=NOW)
    session.commit()

    stored = fresh(session, Job, job.id)
    assert (stored.state, stored.done, stored.total, stored.step) == ("queued", 0, 0, "")
    assert jobs.job_state(stored, now=NOW) == "queued"


def test_progress_is_stored_for_the_next_reader(session):
    job = jobs.create_job(session, kind="import_check", now=NOW)

    jobs.record_progress(session, job.id, step="checking", done=500, total=10_000, now=NOW)
    session.commit()

    stored = fresh(session, Job, job.id)
    assert (stored.state, stored.step, stored.done, stored.total) == (
        "running",
        "checking",
        500,
        10_000,
    )


def test_a_finished_job_keeps_its_result_and_counts_everything_done(session):
    job = jobs.create_job(session, kind="import_check", now=NOW)
    jobs.record_progress(session, job.id, step="checking", done=9_500, total=10_000, now=NOW)

    jobs.finish_job(session, job.id, {"counts": {"new": 3}}, now=NOW)
    session.commit()

    stored = fresh(session, Job, job.id)
    assert (jobs.job_state(stored, now=NOW), stored.done) == ("done", 10_000)
    assert jobs.job_result(stored) == {"counts": {"new": 3}}


def test_a_failed_job_keeps_its_messages(session):
    job = jobs.create_job(session, kind="import_run", now=NOW)

    jobs.fail_job(session, job.id, [Message("Row %(row)s is wrong.", row=7)], now=NOW)
    session.commit()

    stored = fresh(session, Job, job.id)
    assert jobs.job_state(stored, now=NOW) == "failed"
    assert [m.render() for m in jobs.job_errors(stored)] == ["Row 7 is wrong."]


def test_a_running_job_without_a_heartbeat_for_two_minutes_was_interrupted(session):
    job = jobs.create_job(session, kind="import_run", now=NOW)
    jobs.record_progress(session, job.id, step="saving", done=0, total=10, now=NOW)
    session.commit()

    assert jobs.job_state(job, now=NOW + timedelta(seconds=119)) == "running"
    assert jobs.job_state(job, now=NOW + timedelta(seconds=121)) == "interrupted"


def test_the_latest_job_of_a_kind_is_found(session):
    jobs.create_job(session, kind="duplicates", now=NOW)
    newest = jobs.create_job(session, kind="duplicates", now=NOW)
    jobs.create_job(session, kind="import_check", now=NOW)

    assert jobs.latest_job(session, kind="duplicates").id == newest.id
    assert jobs.latest_job(session, kind="import_run") is None
