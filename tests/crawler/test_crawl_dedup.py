"""Dedup and stories inside real crawls: the seed, syndicated copies, restarts, the CLI views.

Article texts come from the labeled set (tests/fixtures/dedup), served as pages of a
loopback site and crawled with `newswatch crawl` in a subprocess.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from storage.models import Article, Story
from tests.conftest import loopback_config, run_cli, write_config
from tests.site import LoopbackSite, publish_labeled

pytestmark = pytest.mark.slow

DATASET = Path(__file__).resolve().parents[1] / "fixtures" / "dedup" / "articles.yaml"


@pytest.fixture(scope="module")
def labeled() -> dict[str, dict[str, Any]]:
    return {a["id"]: a for a in yaml.safe_load(DATASET.read_text(encoding="utf-8"))}


def crawl(tmp_path: Path, db_url: str, site: LoopbackSite, feeds: list[str]) -> Path:
    sources = [{"name": feed, "type": "feed", "url": site.url(f"/{feed}.xml")} for feed in feeds]
    config = write_config(tmp_path / "cfg", loopback_config(db_url, sources))
    result = run_cli("crawl", "--format", "json", config=config)
    assert result.returncode == 0, result.stderr[-2000:]
    return config


def by_url_tail(session) -> dict[str, Article]:
    return {a.url.rsplit("/", 1)[-1].removesuffix("-story-page"): a for a in session.scalars(select(Article))}


def test_copies_are_flagged_and_reports_of_one_event_share_a_story(
    site: LoopbackSite, labeled, tmp_path: Path, db_url: str, sessions
) -> None:
    site.routes.clear()
    publish_labeled(site, labeled, "wire", ["seed-syn", "ist3-nodeal-wire"], suffix="-story-page")
    publish_labeled(site, labeled, "afghan", ["ist3-nodeal-af", "ist3-nodeal-wire-syn"], suffix="-story-page")
    config = crawl(tmp_path, db_url, site, ["wire", "afghan"])
    with sessions() as session:
        seed = session.scalar(select(Article).where(Article.is_seed.is_(True)))
        assert seed is not None and seed.url == "seed:istanbul-third-round.txt"
        rows = by_url_tail(session)
        copy_of_seed = rows["seed-syn"]
        assert copy_of_seed.duplicate_of == seed.id
        assert copy_of_seed.duplicate_method.startswith("minhash")
        assert copy_of_seed.duplicate_score >= 0.25
        assert copy_of_seed.story_id == seed.story_id, "a copy of the seed joins the seed's story"
        wire, syndicated, afghan = rows["ist3-nodeal-wire"], rows["ist3-nodeal-wire-syn"], rows["ist3-nodeal-af"]
        assert afghan.duplicate_of is None, "an outlet's own report is not a copy"
        # The two feeds are crawled concurrently: whichever copy is stored first is the original.
        assert {wire.duplicate_of, syndicated.duplicate_of} in ({None, syndicated.id}, {None, wire.id})
        assert {wire.story_id, afghan.story_id, syndicated.story_id} == {wire.story_id}
        assert wire.story_id != seed.story_id, "the outcome of round three is not the story of its opening"

    # The audit trail is visible to users.
    found = run_cli("search", "--format", "json", "--limit", "20", config=config)
    assert found.returncode == 0, found.stderr
    articles = {a["url"].rsplit("/", 1)[-1].removesuffix("-story-page"): a for a in json.loads(found.stdout)}
    assert articles["seed-syn"]["duplicate_of"] == seed.id
    assert articles["seed-syn"]["duplicate_score"] >= 0.25
    listing = run_cli("stories", "--format", "json", config=config)
    assert listing.returncode == 0, listing.stderr
    stories = json.loads(listing.stdout)
    outcome = next(s for s in stories if s["id"] == wire.story_id)
    # Outlets are those of the independent reports (storage.coverage): the wire's outlet only
    # when its copy is the one stored first; the syndicated copy is counted apart.
    originals = {"wire" if wire.duplicate_of is None else "afghan", "afghan"}
    assert set(outcome["outlets"]) == originals
    assert outcome["copies"] == 1
    assert len(outcome["articles"]) == 3
    assert [s["first_seen"] for s in stories] == sorted((s["first_seen"] for s in stories), reverse=True)


def test_restart_rebuilds_the_index_from_storage(
    site: LoopbackSite, labeled, tmp_path: Path, db_url: str, sessions
) -> None:
    site.routes.clear()
    publish_labeled(site, labeled, "first", ["khost-wire"], suffix="-story-page")
    crawl(tmp_path / "one", db_url, site, ["first"])
    # A new process: the copy must be recognised from the signature stored by the first.
    publish_labeled(site, labeled, "second", ["khost-wire-syn"], suffix="-story-page")
    crawl(tmp_path / "two", db_url, site, ["second"])
    with sessions() as session:
        rows = by_url_tail(session)
        assert rows["khost-wire-syn"].duplicate_of == rows["khost-wire"].id
        assert rows["khost-wire-syn"].story_id == rows["khost-wire"].story_id
        seeds = session.scalar(select(func.count()).select_from(Article).where(Article.is_seed.is_(True)))
        assert seeds == 1, "the seed is stored once, whatever the number of starts"
        assert session.scalar(select(func.count()).select_from(Story)) == 2
