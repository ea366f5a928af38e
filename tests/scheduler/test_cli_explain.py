"""``newswatch explain``: relevance, event statements (with PLOVER classes), story and alert, on both databases."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from core.configfile import load_config
from crawler.analysis.prepare import Analyser
from crawler.ingest import AlertPolicy, IngestPlan, write
from scheduler.database import open_archive
from storage.articles import ArticleRecord
from storage.db import transaction
from storage.models import Article, Event
from storage.sources import SourceSpec, sync_sources
from tests.conftest import loopback_config, run_cli, write_config
from tests.eventrows import folded_event

NOW = datetime.now(UTC).replace(microsecond=0)
CLASH_TITLE = "Pakistani and Afghan forces exchange fire at Chaman border crossing"
CLASH_TEXT = (
    "Pakistani and Afghan Taliban forces exchanged heavy fire at the Chaman crossing late on Friday, "
    "officials said, and two Pakistani soldiers were wounded.\n"
    "The border was closed after the firing, and traders waited on both sides."
)
OTHER_TITLE = "Afghan Taliban and Pakistani troops trade fire again near Chaman, two soldiers hurt"
OTHER_TEXT = (
    "Afghan Taliban fighters and Pakistani troops exchanged fire again near the Chaman crossing on Friday, "
    "local officials said, wounding two soldiers.\nThe crossing stayed shut."
)
QUAKE_TITLE = "Earthquake shakes northern Afghanistan"
QUAKE_TEXT = "A strong earthquake struck northern Afghanistan on Friday, damaging homes near Mazar-i-Sharif."
PREVIEW_TITLE = "Pakistan and Afghanistan could sign a border deal if talks in Doha go well, officials say"
PREVIEW_TEXT = "Officials from Pakistan and Afghanistan said talks in Doha may produce a deal next week."


def _store(tmp_path, db_url: str):
    """Crawl-like writes of four articles through the real analysis and write path."""
    path = write_config(tmp_path, loopback_config(db_url, []))
    config = load_config(path)
    analyser = Analyser(config.topic, config.dedup)
    policy = AlertPolicy(channels=[], max_age=None, seed_published=config.topic.seed_published)
    engine, sessions = open_archive(config)
    ids = {}
    try:
        with transaction(sessions) as session:
            sources = sync_sources(session, [SourceSpec(n, "feed", f"http://{n}.example/feed") for n in ("a", "b")])
        story = None
        for key, source, title, text in [
            ("clash", "a", CLASH_TITLE, CLASH_TEXT),
            ("other", "b", OTHER_TITLE, OTHER_TEXT),
            ("quake", "a", QUAKE_TITLE, QUAKE_TEXT),
            ("preview", "b", PREVIEW_TITLE, PREVIEW_TEXT),
        ]:
            analysis = analyser.analyse(title, text, "en", NOW - timedelta(hours=2))
            record = ArticleRecord(
                url=f"http://{source}.example/{key}",
                title=title,
                text=text,
                source_id=sources[source].id,
                language="en",
                published_at=NOW - timedelta(hours=2),
            )
            plan = IngestPlan(
                record,
                relevant=analysis.relevant,
                relevance_score=analysis.relevance_score,
                story_hint=story if key == "other" else None,
                event=analysis.event,
                policy=policy,
            )
            with transaction(sessions) as session:
                result = write(session, plan)
            ids[key] = result.article_id
            story = story or result.story_id
    finally:
        engine.dispose()
    return path, ids


def _explain(path, reference: str) -> dict:
    result = run_cli("explain", reference, "--format", "json", config=path)
    assert result.returncode == 0, result.stderr
    (report,) = json.loads(result.stdout)
    return report


def test_explain_a_clash_that_alerted_and_its_second_report(tmp_path, db_url) -> None:
    path, ids = _store(tmp_path, db_url)
    report = _explain(path, str(ids["clash"]))
    relevance = report["relevance"]
    assert relevance["relevant"] is True
    assert relevance["reason"] == "the headline and lede name both sides of the conflict"
    names = {(n["name"], n["as"], n["script"]) for n in relevance["names"]}
    assert ("Chaman", "chaman", "Latin") in names
    assert report["event"]["kind"] == "new_clash"
    counted = [s for s in report["statements"] if s["verdict"] == "counted"]
    assert any(s["class"].startswith("PLOVER ASSAULT") and "CAMEO 19" in s["class"] for s in counted)
    assert report["alert"]["alerted"] is True and report["alert"]["reason"].startswith("raised alert")
    assert report["story"]["reason"].startswith(f"started story {report['story']['id']}")
    # The second report: same story, no second alert, and explain says why (found by URL).
    other = _explain(path, "http://b.example/other")
    assert other["id"] == ids["other"]
    assert other["story"]["id"] == report["story"]["id"]
    assert other["alert"]["alerted"] is False
    assert "already alerted" in other["alert"]["reason"]


def test_explain_irrelevant_and_hypothetical_articles(tmp_path, db_url) -> None:
    path, ids = _store(tmp_path, db_url)
    quake = _explain(path, str(ids["quake"]))
    assert quake["relevance"]["relevant"] is False
    assert (
        "none of the topic's parties" in quake["relevance"]["reason"] or "one side only" in quake["relevance"]["reason"]
    )
    assert quake["story"]["id"] is None and quake["alert"]["alerted"] is False
    assert quake["alert"]["reason"] == "not relevant"
    preview = _explain(path, str(ids["preview"]))
    assert preview["relevance"]["relevant"] is True
    assert preview["event"] is None
    # A near match: the signing statement is found, with its class, and set aside as hypothetical.
    near = [s for s in preview["statements"] if s["kind"] == "talks_outcome"]
    assert near and all(s["verdict"].startswith("hypothetical") for s in near)
    assert any("SUPPORT" in s["class"] for s in near)
    text = run_cli("explain", str(ids["preview"]), config=path)
    assert text.returncode == 0, text.stderr
    assert "Event: none" in text.stdout and "hypothetical" in text.stdout and "PLOVER" in text.stdout


def test_explain_unknown_article_exits_1_and_csv_exits_2(tmp_path, db_url) -> None:
    path, _ids = _store(tmp_path, db_url)
    result = run_cli("explain", "999999", config=path)
    assert result.returncode == 1
    assert "no stored article '999999'" in result.stderr and "Traceback" not in result.stderr
    result = run_cli("explain", "1", "--format", "csv", config=path)
    assert result.returncode == 2 and "--format csv" in result.stderr and result.stdout == ""


def test_explain_lists_an_event_folded_into_another_once(tmp_path, db_url) -> None:
    """A report found to tell a stored event twice leaves a folded event row: it is that event, not a second one."""
    path, ids = _store(tmp_path, db_url)
    engine, sessions = open_archive(load_config(path))
    try:
        with transaction(sessions) as session:
            article = session.get_one(Article, ids["other"])
            [survivor] = session.scalars(select(Event).where(Event.story_id == article.story_id)).all()
            folded = folded_event(
                survivor,
                story_id=survivor.story_id,
                article_id=article.id,
                evidence="Afghan Taliban fighters and Pakistani troops exchanged fire again near the Chaman crossing.",
            )
            session.add(folded)
            expected = [{"id": survivor.id, "kind": survivor.kind, "subtype": survivor.subtype}]
    finally:
        engine.dispose()
    for key in ("clash", "other"):
        report = _explain(path, str(ids[key]))
        assert report["stored"]["events"] == expected
