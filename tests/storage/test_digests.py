"""Digest queries: what a period brought, and each scheduled period claimed once."""

from __future__ import annotations

from datetime import timedelta

from storage import digests
from storage.db import utcnow
from tests.digestdata import fill_period

LEASE = timedelta(minutes=10)


def test_period_stories_by_kind_newest_first_without_the_seed(sessions):
    with sessions.begin() as session:
        start = fill_period(session)
    with sessions() as session:
        stories = digests.period_stories(session, start, utcnow() + timedelta(seconds=1))
        titles = [s.title for s in stories]
        assert titles == [
            "Traders at Torkham count the cost of the closure",
            "Pakistani and Afghan forces exchange fire at Chaman",
            "Pakistan and Afghanistan agree to extend ceasefire",
        ]
        outcome = stories[2]
        assert outcome.kinds == ["talks_outcome"] and outcome.subtype == "agreement"
        assert outcome.evidence and "ceasefire" in outcome.evidence
        assert len(outcome.articles) == 3  # every outlet's link, the copy included
        assert {a.source for a in outcome.articles} == {"dawn", "geo"}
        assert stories[0].kinds == [] and stories[0].evidence is None
        # Nothing is in a period that ended before the articles were stored.
        assert digests.period_stories(session, start - timedelta(days=1), start) == []


def test_source_trouble_lists_failing_and_empty_sources(sessions):
    with sessions.begin() as session:
        start = fill_period(session)
    with sessions() as session:
        trouble = digests.period_source_health(session, start, utcnow() + timedelta(seconds=1))
    assert [(t.name, t.problem) for t in trouble] == [("broken", "failing"), ("quiet", "empty")]
    assert trouble[0].last_error == "HTTP 500 Internal Server Error" and trouble[0].failed_runs == 1


def test_a_scheduled_period_is_claimed_once(sessions):
    now = utcnow()
    start, end = now - timedelta(days=1), now
    with sessions.begin() as session:
        claim = digests.claim_period(session, "cron:p1", start, end, now=now, lease=LEASE)
    assert claim is not None and claim.attempts == 1
    with sessions.begin() as session:
        assert digests.claim_period(session, "cron:p1", start, end, now=now, lease=LEASE) is None
        digests.mark_sent(session, claim.id, now=now, stories=3, recipients=1)
    with sessions.begin() as session:
        # Sent is final, even after the lease would have run out.
        assert digests.claim_period(session, "cron:p1", start, end, now=now + 2 * LEASE, lease=LEASE) is None
        assert digests.period_status(session, "cron:p1") == "sent"


def test_a_claim_left_by_a_crash_is_taken_over_after_its_lease(sessions):
    now = utcnow()
    with sessions.begin() as session:
        first = digests.claim_period(session, "cron:p2", now - timedelta(days=1), now, now=now, lease=LEASE)
    assert first is not None
    with sessions.begin() as session:
        assert (
            digests.claim_period(session, "cron:p2", first.period_start, now, now=now + LEASE / 2, lease=LEASE) is None
        )
    with sessions.begin() as session:
        again = digests.claim_period(session, "cron:p2", first.period_start, now, now=now + LEASE, lease=LEASE)
    assert again is not None and again.id == first.id and again.attempts == 2


def test_a_failed_period_is_retried_until_attempts_run_out(sessions):
    now = utcnow()
    claim = None
    for attempt in range(1, digests.MAX_ATTEMPTS + 1):
        with sessions.begin() as session:
            claim = digests.claim_period(session, "cron:p3", now - timedelta(days=1), now, now=now, lease=LEASE)
            assert claim is not None and claim.attempts == attempt
            digests.mark_failed(session, claim.id, "SMTP down")
    with sessions.begin() as session:
        assert digests.claim_period(session, "cron:p3", now - timedelta(days=1), now, now=now, lease=LEASE) is None
        assert digests.period_status(session, "cron:p3") == "failed"


def test_manual_digests_never_block_a_scheduled_period(sessions):
    now = utcnow()
    with sessions.begin() as session:
        one = digests.record_manual(session, now - timedelta(days=1), now, now=now)
        two = digests.record_manual(session, now - timedelta(days=1), now, now=now)
        assert one.id != two.id and one.period_key is None
        assert digests.claim_period(session, "cron:p4", now - timedelta(days=1), now, now=now, lease=LEASE)
