"""The whole labeled set replayed through the write path in several arrival orders, on both databases.

Every labeled article (articles.yaml, heldout.yaml, identity.yaml: 255 articles, 27 events)
goes through :func:`crawler.ingest.ingest` as a crawl sends it, then the merge pass runs.
Stories and alerts are read back against the ``event`` labels. Floors are what was
measured (tests/fixtures/events/README.md describes the labels); the same replay without
event identity (the write path before it) is the comparison. The Kabul truce pledge (read
as a clash while negation was English-only) and the Saudi-hosted and Riyadh meetings (a
failure, a truce kept and a next date were three outcomes) alert once now, and so does the
end of the third Istanbul round: the Gulf report of the track "shelved", said on Sunday, is
dated by its "the third round closed on Friday" (it alerted on its own in whole-set orders
while dated two days late), and a mid-round "they meet again today" is no longer an outcome.
An alert merged into an earlier alert of the same event before it was sent
(storage.alert_updates.fold_alerts) is that alert's update, not a duplicate.
"""

from __future__ import annotations

from typing import Any

import pytest

from core.configfile import load_config
from crawler.events.identity_eval import ROOT, SETS
from crawler.events.replay import FILES, analyse, load, replay

# (shuffle seed, within_day, duplicate alerts measured): published order; each day's
# articles mixed (as a crawl of many sources meets a day's news); the whole set mixed, twice.
# In order 4 two alerted events of the Saudi meeting are tied by a later report: the later
# alert becomes an update of the first. Order 2 had one duplicate before the event-date fixes
# (module doc).
ORDERS = [(None, False, 0), (1, True, 0), (2, False, 0), (4, False, 0)]


def _labeled_set(name: str) -> tuple[Any, list[dict[str, Any]], dict[str, Any]]:
    """A labeled topic of crawler.events.identity_eval.SETS: its config, articles and their analyses."""
    config_path, paths = SETS[name]
    config = load_config(ROOT / config_path, env={})
    articles = load(paths)
    return config, articles, analyse(articles, config)


@pytest.fixture(scope="module")
def labeled() -> tuple[Any, list[dict[str, Any]], dict[str, Any]]:
    config = load_config(ROOT / "config.yaml", env={})
    articles = load(FILES)
    return config, articles, analyse(articles, config)


@pytest.mark.parametrize(("seed", "within_day", "duplicates"), ORDERS)
def test_each_event_alerts_once_and_stories_follow_events(db_url, labeled, seed, within_day, duplicates) -> None:
    config, articles, analyses = labeled
    after = replay(db_url, articles, analyses, config, seed=seed, within_day=within_day)
    # Every event detected in a report published after the seed alerts.
    assert len(after.alertable) == 17
    assert set(after.alerts) >= after.alertable, after.alertable - set(after.alerts)
    # Measured per order (module doc).
    assert after.duplicate_alerts <= duplicates, (after.alerts, after.merged_alerts)
    assert after.unlabeled_alerts <= 3
    # Stories, judged pairwise on the labeled reports: one event, one story. Measured 0.959 /
    # 0.944 in every one of these orders since the merge pass places the reports that tell no
    # event from the window's evidence (crawler.stories.placement); 0.945-0.972 / 0.870-0.942
    # over eleven orders before, when such a report stayed in the story it met on arrival.
    assert after.pairs.precision >= 0.955, after.pairs.as_dict()
    assert after.pairs.recall >= 0.94, after.pairs.as_dict()
    # 55 stories in every order (53-58 over eleven orders before the placement; 54-59 before
    # the URL tie-break; 61-79 without the regrouping).
    assert after.stories <= 55, after.stories


def _empty(db_url: str) -> None:
    from sqlalchemy import delete

    from storage.db import make_engine
    from storage.models import Base

    engine = make_engine(db_url)
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))
    engine.dispose()


def test_event_identity_beats_the_write_path_before_it(db_url, labeled) -> None:
    config, articles, analyses = labeled
    after = replay(db_url, articles, analyses, config, seed=3)
    _empty(db_url)
    before = replay(db_url, articles, analyses, config, seed=3, identity=False)
    assert after.duplicate_alerts < before.duplicate_alerts
    assert after.pairs.precision > before.pairs.precision
    assert after.pairs.recall > before.pairs.recall


@pytest.fixture(scope="module")
def drc() -> tuple[Any, list[dict[str, Any]], dict[str, Any]]:
    return _labeled_set("drc-m23")


@pytest.mark.parametrize(("seed", "within_day"), [order[:2] for order in ORDERS])
def test_a_second_topic_alerts_each_event_exactly_once(db_url, drc, seed, within_day) -> None:
    """The DR Congo topic (its own config, places and languages): nothing in the rules is Pakistan's."""
    config, articles, analyses = drc
    after = replay(db_url, articles, analyses, config, seed=seed, within_day=within_day)
    assert len(after.alertable) == 25
    assert set(after.alerts) == after.alertable and after.duplicate_alerts == 0, after.alerts
    assert after.unlabeled_alerts == 0
    # 0.984 / 0.910 and 67 stories in every order (66-67 over eleven orders before the
    # placement of the merge pass; 65-68 without the regrouping).
    assert after.pairs.precision >= 0.98 and after.pairs.recall >= 0.91, after.pairs.as_dict()
    assert after.stories <= 67, after.stories


@pytest.fixture(scope="module")
def sudan() -> tuple[Any, list[dict[str, Any]], dict[str, Any]]:
    return _labeled_set("sudan")


@pytest.mark.parametrize(("seed", "within_day"), [order[:2] for order in ORDERS])
def test_a_third_topic_alerts_each_event_exactly_once(db_url, sudan, seed, within_day) -> None:
    """The Sudan topic (Arabic, French, English; a civil war): floors as measured on SQLite and PostgreSQL.

    Measured in every order on both: 11 of 11 alertable events alert, none twice, no false
    alarm, story pairs 1.000 / 0.964. The Zamzam assault spans three days: the RSF's claim
    on 13 April, two days from the reports of the 11th, alerted on its own (one duplicate in
    every order, story pairs 1.000 / 0.909) until a report's stated span ("three days of
    attacks", "since Friday", "après deux jours d'assaut") linked the days of one assault at
    one place (crawler.analysis.events.spans). Before the event-date fixes the hospital
    killings in El Fasher were dated a day late and joined the city's fall: 10 of 11 events
    alerted, story pairs 0.806 / 0.909.
    """
    config, articles, analyses = sudan
    after = replay(db_url, articles, analyses, config, seed=seed, within_day=within_day)
    assert len(after.alertable) == 11
    assert set(after.alerts) == after.alertable and after.duplicate_alerts == 0, after.alerts
    assert after.unlabeled_alerts == 0
    assert after.pairs.precision >= 0.99 and after.pairs.recall >= 0.96, after.pairs.as_dict()
    # 25 in every order (24-25 over eleven orders before the merge pass's placement).
    assert after.stories <= 25, after.stories


@pytest.fixture(scope="module")
def iran() -> tuple[Any, list[dict[str, Any]], dict[str, Any]]:
    return _labeled_set("iran-2025")


@pytest.mark.parametrize(("seed", "within_day"), [order[:2] for order in ORDERS])
def test_a_war_of_strikes_alerts_each_event_at_most_once(db_url, iran, seed, within_day) -> None:
    """The Iran 2025 topic (missiles and air strikes; English, Persian, Arabic, French): floors as measured.

    No event alerts twice in any order. The US strikes on Fordow, Natanz and Isfahan: a
    report naming Fordow alone joins the three-site reports of its day as one wave, now that
    Israel's strike on the roads to Fordow the next day is no longer dated by "the day
    before" of the US strikes it mentions in passing (crawler.analysis.events.dates). The
    state TV strike in Tehran: its Persian and Arabic reports name Tehran, which the topic
    lists as a party and a place, "in" Tehran, so its place is Tehran and no longer nothing
    (it joined Iran's Haifa barrage of the day before). Before, duplicates 1, 2, 0, 1 in
    these orders (the US strikes in three, the state TV strike in one), 19, 18, 20, 19 of 21
    events alerted, story pairs 0.889-0.932 / 0.741-0.778. Measured on SQLite (PostgreSQL
    meets the same floors): 20 of 21 in every order (the first Muscat round, the seed's own
    event, alerts in none), story pairs 0.979-1.000 / 0.852-0.889, 26-27 stories.
    """
    config, articles, analyses = iran
    after = replay(db_url, articles, analyses, config, seed=seed, within_day=within_day)
    assert len(after.alertable) == 21
    assert after.duplicate_alerts == 0, after.alerts
    assert len(set(after.alerts) & after.alertable) >= 20, after.alertable - set(after.alerts)
    assert after.unlabeled_alerts == 0
    assert after.pairs.precision >= 0.97 and after.pairs.recall >= 0.85, after.pairs.as_dict()
    assert after.stories <= 27, after.stories


@pytest.fixture(scope="module")
def russia_ukraine() -> tuple[Any, list[dict[str, Any]], dict[str, Any]]:
    return _labeled_set("russia-ukraine-2025")


@pytest.mark.parametrize(("seed", "within_day"), [order[:2] for order in ORDERS])
def test_one_event_told_in_cyrillic_and_latin_script_alerts_once(db_url, russia_ukraine, seed, within_day) -> None:
    """The Russia–Ukraine 2025 topic (Russian, Ukrainian, English, German, Turkish): floors as measured.

    At its second blind score every event alerted but 6, 6, 6, 7 times more than once in these
    orders (story pairs 1.000 / 0.44-0.48, 35 stories): Russian and Ukrainian reports named
    no place in inflected Cyrillic (в Кривом Роге, по Сумам, у Києві), one Istanbul round was
    told as a swap agreed, as no ceasefire and as talks that broke up, some reports naming the
    venue only in the lede, each side counted the Easter truce's breaches on its own ground,
    "a truce until Monday" was dated the Monday before, and the wounded carried "с поля боя"
    (from the battlefield) made a talks report a clash. Measured on SQLite: 17 of 17 events
    alert, no false alarm, story pairs 1.000 / 0.616-0.721, 29-31 stories. The third Istanbul
    round then alerted twice in three orders (a Ukrainian report of its agreement naming no
    day, dated by its publication the next morning, against the English "no agreement" of the
    day before); a report naming no day may be the morning after's telling: now no duplicate
    in any order, story pairs 1.000 / 0.698, 29 stories.
    """
    config, articles, analyses = russia_ukraine
    after = replay(db_url, articles, analyses, config, seed=seed, within_day=within_day)
    assert len(after.alertable) == 17
    assert set(after.alerts) >= after.alertable, after.alertable - set(after.alerts)
    assert after.duplicate_alerts == 0, after.alerts
    assert after.unlabeled_alerts == 0
    assert after.pairs.precision >= 0.99 and after.pairs.recall >= 0.69, after.pairs.as_dict()
    assert after.stories <= 29, after.stories


@pytest.fixture(scope="module")
def india_pakistan() -> tuple[Any, list[dict[str, Any]], dict[str, Any]]:
    return _labeled_set("india-pakistan-2025")


@pytest.mark.parametrize(("seed", "within_day"), [order[:2] for order in ORDERS])
def test_a_ceasefire_line_crisis_alerts_every_event(db_url, india_pakistan, seed, within_day) -> None:
    """The India–Pakistan 2025 topic (strikes, drones, shelling, hotline calls; en, ur, hi): floors as measured.

    Every one of the 12 post-seed events alerts in every order: one side's strikes and the
    other's shelling of the same day stay apart (the struck side is read from most of a
    report's places, and from its lede when its own place is only the cause it names), drones
    a day after missiles elsewhere stay apart, and the hotline calls of three days two days
    apart are three rounds. Before (the same orders): 11, 12, 10, 11 of 12 events alerted,
    duplicates 2, 1, 2, 2, story pairs 0.853-0.955 / 0.806-0.889. Then two duplicates in
    every order: one night's firing across the line told by each side from its own sectors
    (their places and struck sides conflict; still a duplicate), and a Hindi report of the
    strike wave whose only place is the town of the massacre it answers (now placed by its
    lede). Then 1 duplicate, story pairs 1.000 / 0.972, 22 stories: the firing across the
    line, now one event when both sides' reports tell it as an exchange of fire (both sides
    firing). Measured on SQLite: 12 of 12 alerted, no duplicate, story pairs 1.000 / 1.000,
    21 stories, in every order.
    """
    config, articles, analyses = india_pakistan
    after = replay(db_url, articles, analyses, config, seed=seed, within_day=within_day)
    assert len(after.alertable) == 12
    assert set(after.alerts) == after.alertable, after.alertable - set(after.alerts)
    assert after.duplicate_alerts == 0, after.alerts
    assert after.unlabeled_alerts == 0
    assert after.pairs.precision >= 0.99 and after.pairs.recall >= 0.99, after.pairs.as_dict()
    assert after.stories <= 21, after.stories


@pytest.fixture(scope="module")
def colombia() -> tuple[Any, list[dict[str, Any]], dict[str, Any]]:
    return _labeled_set("colombia-2025")


@pytest.mark.parametrize(("seed", "within_day"), [order[:2] for order in ORDERS])
def test_an_insurgency_with_several_armed_groups_alerts_each_event_once(db_url, colombia, seed, within_day) -> None:
    """The Colombia 2025 topic (one state, several armed groups; es, en, pt, fr): floors as measured.

    A drone strike headed by the city it fell "outside of" is the town's strike; an air base
    named after a person whose surname is a town's name does not place a bomb in that town; a
    wire whose headline joins a second attack after a semicolon is placed by its own; two
    groups' talks rounds a day apart at different places are two tables. Before (the same
    orders): 11, 11, 11, 12 of 13 events alerted, 3 duplicates in every order, story pairs
    0.887-0.915 / 0.773-0.867. Measured on SQLite: 12, 12, 12, 13 of 13 alerted (the one
    left is the seed's own event, the ELN talks suspended, folded into the seed's story), 1
    duplicate in every order (the Portuguese report of the Cali truck bomb, read as a talks
    outcome), story pairs 1.000 / 0.867-0.960, 22-23 stories. Since Portuguese reads vehicle
    bombs and an accord named by an earlier year ("dissidents who reject the 2016 accord") is
    background: 12, 12, 12, 13 of 13, no duplicate, story pairs 1.000 / 0.907-1.000, 21-22
    stories.
    """
    config, articles, analyses = colombia
    after = replay(db_url, articles, analyses, config, seed=seed, within_day=within_day)
    assert len(after.alertable) == 13
    assert len(set(after.alerts) & after.alertable) >= 12, after.alertable - set(after.alerts)
    assert after.duplicate_alerts == 0, after.alerts
    assert after.unlabeled_alerts == 0
    assert after.pairs.precision >= 0.99 and after.pairs.recall >= 0.90, after.pairs.as_dict()
    assert after.stories <= 22, after.stories
