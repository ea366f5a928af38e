"""Replay labeled articles through the write path, in a chosen order: stories and alerts per event.

The integration check of event identity (tests/crawler/test_event_replay.py) and the
measure of order independence (``python -m crawler.events.replay DB_URL --orders 5``):
every labeled article goes through :func:`crawler.ingest.ingest` as a crawl would send it
(analysis, dedup, story, event, alert), then the merge pass runs, and the stored stories
and alerts are read back against the articles' ``event`` labels.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import combinations
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from crawler.analysis.prepare import Analyser, Analysis
from crawler.dedup.deduplicator import Deduplicator
from crawler.events.identity_eval import EVENTS, load
from crawler.ingest import AlertPolicy, ingest
from crawler.stories.assigner import StoryAssigner
from crawler.stories.evaluate import Scores
from crawler.stories.merge import consolidate, merge_pass
from crawler.writer import DbWriter
from storage.articles import ArticleRecord
from storage.db import transaction, utcnow
from storage.models import Alert, Article, Delivery, Story
from storage.sources import SourceSpec, sync_sources

if TYPE_CHECKING:
    from core.config import Config

FILES = [EVENTS / "articles.yaml", EVENTS / "heldout.yaml", EVENTS / "identity.yaml"]


@dataclass
class Replayed:
    """What the stored stories and alerts say about the labeled events."""

    # article id -> story id, for every stored relevant article
    story: dict[str, int] = field(default_factory=dict)
    # labeled event -> alerts whose triggering article reports it
    alerts: Counter[str] = field(default_factory=Counter)
    # alerts whose triggering article has no event label (a false alarm)
    unlabeled_alerts: int = 0
    # alerts found to tell an event that had alerted already, made updates of that alert
    merged_alerts: int = 0
    stories: int = 0
    # labeled events that should alert: a report detected as an event, published after the seed
    alertable: set[str] = field(default_factory=set)
    pairs: Scores = field(default_factory=Scores)

    @property
    def duplicate_alerts(self) -> int:
        """Alerts beyond the first for one event."""
        return sum(n - 1 for n in self.alerts.values() if n > 1)


def _when(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def analyse(articles: list[dict[str, Any]], config: Config) -> dict[str, Analysis]:
    """The analysis of each article (pure: done once, replayed in any order)."""
    analyser = Analyser(config.topic, config.dedup)
    return {
        a["id"]: analyser.analyse(a["title"], a["text"], a.get("language"), _when(a["published"])) for a in articles
    }


@dataclass
class _State:
    writer: DbWriter
    dedup: Deduplicator
    stories: StoryAssigner
    policy: AlertPolicy


def replay(
    db_url: str,
    articles: list[dict[str, Any]],
    analyses: dict[str, Analysis],
    config: Config,
    *,
    seed: int | None = None,
    identity: bool = True,
    within_day: bool = False,
    regroup: bool = True,
) -> Replayed:
    """Ingest ``articles`` (shuffled with ``seed``; None: in published order) into an empty database.

    ``within_day``: the shuffle keeps the days in order and mixes each day's articles (the
    order a crawl of many sources meets one day's news in); else the whole set is shuffled.
    ``identity=False`` replays without event identity (the stories and alerts of before);
    ``regroup=False`` without the story regrouping of the merge pass (crawler.stories.regroup).
    """
    ordered = sorted(articles, key=lambda a: (_when(a["published"]), a["id"]))
    if seed is not None:
        rng = random.Random(seed)
        if within_day:
            keys = {a["id"]: rng.random() for a in ordered}
            ordered.sort(key=lambda a: (_when(a["published"]).date(), keys[a["id"]]))
        else:
            rng.shuffle(ordered)
    writer = DbWriter(db_url)
    try:
        with transaction(writer.sessions) as session:
            specs = sorted({a["outlet"] for a in articles})
            rows = sync_sources(
                session, [SourceSpec(f"s{i}", "feed", f"http://s{i}.example/feed") for i in range(len(specs))]
            )
            outlet = {name: rows[f"s{i}"].id for i, name in enumerate(specs)}
        assigner = StoryAssigner(config.topic, config.stories, config.events)
        if not identity:
            assigner.signature = lambda event, title: None  # type: ignore[method-assign,assignment,return-value]
        state = _State(
            writer,
            Deduplicator(config.dedup),
            assigner,
            # No max_age: the labeled articles are from 2025 and must alert as news did then.
            AlertPolicy(channels=["email"], max_age=None, seed_published=config.topic.seed_published),
        )
        for article in ordered:
            record = ArticleRecord(
                url=f"https://example.org/{article['id']}",
                title=article["title"],
                text=article["text"],
                source_id=outlet[article["outlet"]],
                published_at=_when(article["published"]),
                language=article.get("language"),
            )
            ingest(state, record, analyses[article["id"]])
        if identity:
            # One pass over everything (a service passes after every crawl, over the last days).
            last = max(_when(a["published"]) for a in ordered)
            span = last - min(_when(a["published"]) for a in ordered) + timedelta(days=1)
            horizon = span + (utcnow() - last)
            if regroup:
                merges = writer.call(merge_pass, assigner, utcnow(), horizon, policy=state.policy.updates)
            else:
                merges = writer.call(consolidate, assigner.identity, utcnow(), horizon, policy=state.policy.updates)
            for survivor, absorbed in merges:
                assigner.merged(survivor, absorbed)
        return _read(writer, articles, analyses, config)
    finally:
        writer.close()


def _read(writer: DbWriter, articles: list[dict[str, Any]], analyses: dict[str, Analysis], config: Config) -> Replayed:
    by_url = {f"https://example.org/{a['id']}": a for a in articles}
    out = Replayed()
    seed_day = config.topic.seed_published
    for article in articles:
        analysis = analyses[article["id"]]
        detected = bool(article.get("event")) and analysis.relevant and analysis.event is not None
        if detected and (seed_day is None or _when(article["published"]).date() >= seed_day):
            out.alertable.add(article["event"])
    with writer.sessions() as session:
        ids: dict[int, str] = {}
        for article_id, url, story_id in session.execute(select(Article.id, Article.url, Article.story_id)):
            ids[article_id] = url
            if story_id is not None:
                out.story[by_url[url]["id"]] = story_id
        out.stories = len(list(session.scalars(select(Story.id).where(Story.merged_into.is_(None)))))
        # An alert merged into an earlier one before any of it was sent is an update of that
        # one (storage.alert_updates.fold_alerts), not a second alert; one sent first is.
        told = select(Delivery.alert_id).where(Delivery.status.in_(("sent", "sending")))
        counted = select(Alert.article_id).where(Alert.merged_into.is_(None) | Alert.id.in_(told))
        out.merged_alerts = len(list(session.scalars(select(Alert.id).where(Alert.merged_into.is_not(None)))))
        for (trigger,) in session.execute(counted):
            event = by_url[ids[trigger]].get("event") if trigger in ids else None
            if event:
                out.alerts[event] += 1
            else:
                out.unlabeled_alerts += 1
    labeled = [a for a in articles if a.get("event")]
    for a, b in combinations(labeled, 2):
        sa, sb = out.story.get(a["id"]), out.story.get(b["id"])
        out.pairs.add(sa is not None and sa == sb, a["event"] == b["event"], {"a": a["id"], "b": b["id"]})
    return out


def main() -> None:
    """Print stories, alerts and pairwise story scores for several random orders."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db_url", help="an empty, migrated database (it is filled)")
    parser.add_argument("--orders", type=int, default=5)
    parser.add_argument("--before", action="store_true", help="without event identity")
    parser.add_argument("--within-day", action="store_true", help="shuffle each day's articles, days in order")
    parser.add_argument("--no-regroup", action="store_true", help="without the merge pass's story regrouping")
    args = parser.parse_args()
    from core.configfile import load_config
    from crawler.events.identity_eval import ROOT
    from storage.db import make_engine
    from storage.models import Base

    config = load_config(ROOT / "config.yaml")
    articles = load(FILES)
    analyses = analyse(articles, config)
    report = []
    for seed in range(args.orders):
        engine = make_engine(args.db_url)
        with engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())
        engine.dispose()
        result = replay(
            args.db_url,
            articles,
            analyses,
            config,
            seed=seed,
            identity=not args.before,
            within_day=args.within_day,
            regroup=not args.no_regroup,
        )
        report.append(
            {
                "order": seed,
                "stories": result.stories,
                "alerts": sum(result.alerts.values()) + result.unlabeled_alerts,
                "duplicate_alerts": result.duplicate_alerts,
                "events_alerted": f"{len(set(result.alerts) & result.alertable)}/{len(result.alertable)}",
                "unlabeled_alerts": result.unlabeled_alerts,
                "merged_alerts": result.merged_alerts,
                "story_pairs": result.pairs.as_dict(),
            }
        )
        print(json.dumps(report[-1]))


if __name__ == "__main__":
    main()
