"""``newswatch explain``'s report on one stored article: relevance, event, story, alert, and why.

The relevance and event parts rerun today's analysis on the stored text
(:mod:`crawler.analysis.explain`); the story part replays the story match against the
stories stored before the article; the alert part walks the rules of
:func:`crawler.ingest._maybe_alert` in their order. Replays use today's config and
vocabulary: when they differ from what the crawl decided, the report says so, which is
what a user tuning a topic wants to see.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import TYPE_CHECKING, Any

from crawler.analysis.explain import explain_text
from crawler.analysis.features import article_features
from crawler.analysis.prepare import Analyser
from crawler.stories.clusterer import StoryClusterer
from storage import explain as facts
from storage.stories import recent_members

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.config import Config
    from storage.models import Article


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def explain_article(session: Session, config: Config, article: Article) -> dict[str, Any]:
    """The whole report on ``article`` (JSON-ready)."""
    analyser = Analyser(config.topic, config.dedup)
    when = _utc(article.published_at or article.fetched_at)
    analysis = explain_text(analyser, config.topic, article.title, article.text, article.language, when)
    stored_event = None
    if article.story_id is not None:
        kinds = facts.story_event_kinds(session, article.story_id)
        stored_event = [{"id": i, "kind": k, "subtype": s} for i, k, s in kinds] or None
    report: dict[str, Any] = {
        "id": article.id,
        "url": article.url,
        "title": article.title,
        "source": facts.source_name(session, article),
        "language": article.language,
        "published": article.published_at.isoformat() if article.published_at else None,
        "stored": {"relevant": article.relevant, "story_id": article.story_id, "events": stored_event},
        **analysis,
    }
    report["story"] = _story(session, config, analyser, article, when, analysis)
    report["alert"] = _alert(session, config, article, when)
    return report


def _story(
    session: Session, config: Config, analyser: Analyser, article: Article, when: datetime, analysis: dict[str, Any]
) -> dict[str, Any]:
    if article.story_id is None:
        reason = "in no story: irrelevant articles join none" if not article.relevant else "in no story"
        return {"id": None, "reason": reason}
    story = facts.story_facts(session, article.story_id)
    if story is None:
        return {"id": article.story_id, "reason": "story not found"}
    out: dict[str, Any] = {"id": story.id, "title": story.title, "articles": story.articles}
    if article.is_seed:
        out["reason"] = "the seed: the topic's starting point starts its own story"
        return out
    if article.duplicate_of is not None:
        out["reason"] = (
            f"a copy of article {article.duplicate_of} ({article.duplicate_method}, score "
            f"{article.duplicate_score}): a copy joins its original's story"
        )
        return out
    # Replay: the stories as they stood before this article, and the match it gets today.
    clusterer = StoryClusterer(
        analyser.gazetteer, threshold=config.stories.join_threshold, window=config.stories.window
    )
    for member in recent_members(session, when - config.stories.window * 4):
        member_when = _utc(member.when)
        if member.article_id == article.id or (member_when, member.article_id) > (when, article.id):
            continue
        features = article_features(
            member.article_id, member.title, member.text, member_when, member.language, analyser.gazetteer
        )
        features.is_seed = member.is_seed
        clusterer.add(member.story_id, features)
    event = analysis["event"]
    mine = article_features(
        article.id, article.title, article.text, when, article.language, analyser.gazetteer, event and event["kind"]
    )
    match = clusterer.best(mine)
    threshold = config.stories.join_threshold
    if story.first_article_id == article.id:
        out["reason"] = f"started story {story.id}: no active story scored >= {threshold} (stories.join_threshold)"
        if match is not None:
            out["reason"] += f"; replayed today it would join story {match.story_id} (score {match.score})"
    elif match is not None and match.story_id == story.id:
        shared = sorted(mine.entities & set(clusterer.stories[story.id].entities))
        out["reason"] = f"joined story {story.id}: similarity {match.score} >= {threshold} (stories.join_threshold)" + (
            f", sharing {', '.join(shared)}" if shared else ""
        )
        out["score"] = match.score
    else:
        out["reason"] = f"joined story {story.id}" + (
            f"; replayed today the best match is story {match.story_id} (score {match.score})"
            if match
            else f"; replayed today no story scores >= {threshold}: it would start its own"
        )
    return out


def _alert(session: Session, config: Config, article: Article, when: datetime) -> dict[str, Any]:
    """Whether the article alerted and, if not, the first rule that stopped it."""
    story_id = article.story_id
    alerts = facts.story_alerts(session, story_id) if story_id is not None else []
    own = [a for a in alerts if a.article_id == article.id]
    listed = [{"id": a.id, "kind": a.kind, "subtype": a.subtype, "article_id": a.article_id} for a in alerts]
    if own:
        first = own[0]
        return {"alerted": True, "alerts": listed, "reason": f"raised alert {first.id} ({first.kind}/{first.subtype})"}
    seed_day = config.topic.seed_published
    max_age = config.alerts.max_age
    fetched = _utc(article.fetched_at)
    story = facts.story_facts(session, story_id) if story_id is not None else None
    if article.is_seed:
        reason = "the seed never alerts: its event is what the user starts from"
    elif not article.relevant:
        reason = "not relevant"
    elif seed_day is not None and when < datetime.combine(seed_day, time(0, 0), tzinfo=UTC):
        reason = f"published before the seed ({seed_day}, topic.seed_published): background"
    elif max_age is not None and article.published_at is not None and fetched - when > max_age:
        reason = f"older than alerts.max_age ({max_age}) when fetched: joins its story, notifies nobody"
    elif story is None:
        reason = "in no story"
    elif story.has_seed:
        reason = f"its story ({story.id}) holds the seed, whose event the user already knows"
    elif not facts.story_event_kinds(session, story.id):
        reason = "no event in its story (see the event part)"
    elif story.independent_sources < config.alerts.min_sources:
        reason = (
            f"its story has {story.independent_sources} independent source(s); "
            f"alerts.min_sources is {config.alerts.min_sources}"
        )
    elif alerts:
        reason = (
            f"its story had already alerted (alert {alerts[0].id}, by article {alerts[0].article_id}): one per event"
        )
    else:
        reason = "no alert was raised (the rules above all pass today: the config may have changed since)"
    return {"alerted": False, "alerts": listed, "reason": reason}
