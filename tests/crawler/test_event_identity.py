"""Event identity: which fields make two reports one event, and the explanation of each decision.

Places and names here are invented: the rules come from the place model (regions, twins,
venues, ignored names), never from one conflict's names.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from crawler.analysis.events.classifier import EventResult
from crawler.analysis.events.identity import (
    EventSignature,
    IdentityRules,
    combine,
    later_subtype,
    match,
    signature,
    struck_side,
)
from crawler.analysis.events.places import PlaceModel
from crawler.analysis.gazetteer import Gazetteer

DAY = date(2030, 3, 10)
PLACES = PlaceModel.build(
    regions={"North Province": ["Alton", "Brook", "Crossing East"], "South Province": ["Dunmore", "Crossing West"]},
    same=[["Crossing East", "Crossing West"]],
    venues=["Venice", "Vienna"],
    ignore=["Capital"],
)
RULES = IdentityRules(places=PLACES, sides=(frozenset({"Northland"}), frozenset({"Southland", "Rebels"})))


def clash(places: set[str], *, day: date = DAY, subtype: str = "air_strike", **kw) -> EventSignature:
    return EventSignature(
        kind="new_clash",
        subtypes=frozenset({subtype}),
        first=day,
        last=day,
        parties=frozenset({"Northland", "Southland"}),
        places=frozenset(places),
        **kw,
    )


def talks(subtype: str, *, day: date = DAY, venues: set[str] = frozenset(), rounds: set[int] = frozenset()):
    return EventSignature(
        kind="talks_outcome",
        subtypes=frozenset({subtype}),
        first=day,
        last=day,
        parties=frozenset({"Northland", "Southland"}),
        venues=frozenset(venues),
        rounds=frozenset(rounds),
    )


def test_same_precise_place_is_a_must_link_and_says_so() -> None:
    result = match(clash({"Alton"}), clash({"Alton"}, day=DAY + timedelta(days=1), subtype="border_clash"), RULES)
    assert result.same and result.strength == "must"
    assert result.matched == ("kind", "date", "parties", "place")
    assert result.explain() == "same event (must) matched: kind, date, parties, place"


def test_one_place_struck_two_days_apart_is_two_events_unless_a_figure_links_them() -> None:
    later = DAY + timedelta(days=2)
    apart = match(clash({"Alton"}), clash({"Alton"}, day=later), RULES)
    assert not apart.same and apart.conflicts == ("date",) and "place" in apart.matched
    figures = frozenset({12})
    linked = match(clash({"Alton"}, figures=figures), clash({"Alton"}, day=later, figures=figures), RULES)
    assert linked.same and linked.strength == "must" and "figures" in linked.matched


def test_one_meeting_told_as_commitments_and_as_no_truce_is_one_outcome() -> None:
    gave = talks("agreement", venues={"Venice"})
    withheld = talks("no_agreement", venues={"Venice"})
    assert match(gave, withheld, RULES).same
    # Not the next day, not when no report names a venue, nor at two venues.
    assert not match(gave, talks("no_agreement", day=DAY + timedelta(days=1), venues={"Venice"}), RULES).same
    assert not match(talks("agreement"), talks("no_agreement"), RULES).same
    assert not match(gave, talks("no_agreement", venues={"Vienna"}), RULES).same


def test_one_meeting_s_two_faces_told_without_its_venue_or_in_firmer_words_are_one_outcome() -> None:
    # A swap agreed and no ceasefire, one report naming the venue only in its lede ("the
    # sides agreed on a swap", a quote).
    gave = talks("agreement", venues={"Venice"})
    assert match(talks("agreement"), talks("no_agreement", venues={"Venice"}), RULES).same
    # The failure told in firmer words ("broke up without a ceasefire"), the same day.
    assert match(gave, talks("collapsed", venues={"Venice"}), RULES).same
    assert match(talks("agreement"), talks("collapsed", venues={"Venice"}), RULES).same
    # A process declared over, then an agreement there the next day: rescued, two events.
    assert not match(
        talks("collapsed", venues={"Venice"}), talks("agreement", day=DAY + timedelta(days=1), venues={"Venice"}), RULES
    ).same
    # An event of the meeting (agreement, no agreement, its next date) takes another face.
    told = combine([gave, talks("no_agreement", venues={"Venice"}), talks("next_round_set", venues={"Venice"})])
    assert match(told, talks("collapsed"), RULES).same


def test_one_meeting_s_two_faces_told_the_next_morning_without_a_day_are_one_outcome() -> None:
    # "Agreed a swap on Wednesday, no truce" and, filed the next morning, "after Venice, the
    # sides agreed a swap" naming no day: dated by its publication, a day late at most.
    told = talks("no_agreement", venues={"Venice"})
    morning = replace(talks("agreement", day=DAY + timedelta(days=1), venues={"Venice"}), undated=True)
    assert match(told, morning, RULES).same
    # A report that names its day is not late; nor is an undated report dated before the other.
    assert not match(told, replace(morning, undated=False), RULES).same
    assert not match(replace(told, undated=True), replace(morning, undated=False), RULES).same
    # After a collapse, an agreement the next morning is a rescue, told with a day or not.
    assert not match(talks("collapsed", venues={"Venice"}), morning, RULES).same
    # Two days on, it is not the morning after.
    assert not match(told, replace(morning, first=DAY + timedelta(days=2), last=DAY + timedelta(days=2)), RULES).same


@pytest.mark.parametrize(
    ("title", "evidence", "undated"),
    [
        ("After Venice, the next step", "The sides agreed to swap 500 prisoners each.", True),
        ("Talks end", "VENICE, March 9 (Wire) - The sides agreed to swap 500 prisoners each.", True),
        ("Talks end", "The sides agreed on Sunday to swap 500 prisoners each.", False),
        ("Swap agreed on 9 March", "The sides agreed to swap 500 prisoners each.", False),
    ],
)
def test_a_report_naming_no_day_is_marked_undated(title: str, evidence: str, undated: bool) -> None:
    event = EventResult("talks_outcome", "agreement", evidence, 1.0, DAY, {})
    assert signature(event, title, Gazetteer(), RULES).undated is undated
    folded = combine([signature(event, title, Gazetteer(), RULES), talks("agreement")])
    assert not folded.undated


def test_each_side_s_tally_of_one_truce_s_breaches_is_one_event() -> None:
    # Each side counts the other's breaches on its own ground: the towns of the lede are
    # where each accuser was hit, not two events' places.
    ours = clash(set(), subtype="ceasefire_violation", context=frozenset({"Alton"}))
    theirs = clash(set(), subtype="ceasefire_violation", context=frozenset({"Dunmore"}))
    assert match(ours, theirs, SIDED).same
    # A breach at a place of its own (headline or evidence) still has its place.
    assert not match(
        replace(ours, places=frozenset({"Alton"})), replace(theirs, places=frozenset({"Dunmore"})), SIDED
    ).same
    # Strikes, not breaches, on each side's ground: a strike and its reply.
    assert not match(
        clash(set(), context=frozenset({"Alton"})), clash(set(), context=frozenset({"Dunmore"})), SIDED
    ).same


def test_two_precise_places_on_one_night_are_two_events() -> None:
    result = match(clash({"Alton"}), clash({"Brook"}), RULES)
    assert not result.same and result.conflicts == ("place",)


def test_the_two_ends_of_a_crossing_are_one_place() -> None:
    assert match(clash({"Crossing East"}), clash({"Crossing West"}), RULES).same


def test_a_province_and_a_town_in_it_join_only_when_close_in_time() -> None:
    near = match(clash({"North Province"}), clash({"Alton"}, day=DAY + timedelta(days=1)), RULES)
    assert near.same and near.strength == "weak" and "region" in near.matched
    far = match(clash({"North Province"}), clash({"Alton"}, day=DAY + timedelta(days=2)), RULES)
    assert not far.same and far.conflicts == ("date",)
    # A figure both reports give vouches for the whole window.
    vouched = match(
        clash({"North Province"}, figures=frozenset({9})),
        clash({"Alton"}, day=DAY + timedelta(days=2), figures=frozenset({9, 4})),
        RULES,
    )
    assert vouched.same and "figures" in vouched.matched


def test_different_provinces_are_different_events() -> None:
    result = match(clash({"Alton"}), clash({"South Province"}), RULES)
    assert not result.same and result.conflicts == ("region",)


def test_differing_casualty_figures_never_split() -> None:
    a = clash({"Dunmore"}, figures=frozenset({6}))
    b = clash({"Dunmore"}, figures=frozenset({58}))
    assert match(a, b, RULES).same


def test_outside_the_date_window_is_another_event_whatever_the_place() -> None:
    result = match(clash({"Alton"}), clash({"Alton"}, day=DAY + timedelta(days=3)), RULES)
    assert not result.same and result.conflicts == ("date",)
    wider = IdentityRules(places=PLACES, sides=RULES.sides, date_window=3, place_window=3)
    assert match(clash({"Alton"}), clash({"Alton"}, day=DAY + timedelta(days=3)), wider).same


def test_kind_and_parties_block() -> None:
    assert match(clash({"Alton"}), talks("no_agreement"), RULES).conflicts == ("kind",)
    other = EventSignature("new_clash", frozenset({"air_strike"}), DAY, DAY, parties=frozenset({"Elsewhere"}))
    mine = EventSignature("new_clash", frozenset({"air_strike"}), DAY, DAY, parties=frozenset({"Northland"}))
    assert match(mine, other, RULES).conflicts == ("parties",)
    # Without "parties" in group_by, parties do not block.
    loose = IdentityRules(places=PLACES, sides=RULES.sides, group_by=frozenset({"kind", "date", "place"}))
    assert match(mine, other, loose).same


def test_talks_ladder_venue_and_round() -> None:
    stalled = talks("no_agreement", venues={"Venice"})
    collapsed = talks("collapsed", day=DAY + timedelta(days=2), venues={"Venice"})
    assert match(stalled, collapsed, RULES).same, "a round's failure told firmer over days is one event"
    assert match(stalled, talks("no_agreement", venues={"Vienna"}), RULES).conflicts == ("venue",)
    third = talks("no_agreement", venues={"Venice"}, rounds={3})
    assert match(third, talks("no_agreement", venues={"Venice"}, rounds={4}), RULES).conflicts == ("round",)
    # A round that ends without a deal may set its next date or keep the truce, told the same or
    # the next day: one meeting. A truce kept *despite* the failure answers it: another event.
    assert match(stalled, talks("ceasefire_extended", day=DAY + timedelta(days=1), venues={"Venice"}), RULES).same
    assert match(stalled, talks("next_round_set", day=DAY + timedelta(days=1), venues={"Venice"}), RULES).same
    despite = replace(talks("ceasefire_extended", venues={"Venice"}), reaction=True)
    assert match(stalled, despite, RULES).conflicts == ("subtype",)
    # A failure and an agreement are two outcomes, unless one meeting's end is told the same day
    # at one venue as what it gave and what it did not ("commitments, but no truce").
    assert match(stalled, talks("agreement", venues={"Venice"}), RULES).same
    assert not match(stalled, talks("agreement", day=DAY + timedelta(days=1), venues={"Venice"}), RULES).same
    assert not match(stalled, talks("agreement", venues={"Vienna"}), RULES).same
    # A process declared over keeps no truce and sets no date the day after: that is a rescue.
    over = talks("collapsed", venues={"Venice"})
    assert not match(over, talks("ceasefire_extended", venues={"Venice"}), RULES).same
    assert not match(over, talks("next_round_set", day=DAY + timedelta(days=1), venues={"Venice"}), RULES).same
    # An agreement and its parts announced at the end of the same meeting are one event.
    agreed = talks("agreement", venues={"Venice"})
    assert match(agreed, talks("next_round_set", day=DAY + timedelta(days=1)), RULES).same
    assert not match(agreed, talks("ceasefire_extended", day=DAY + timedelta(days=2)), RULES).same


def test_signature_reads_places_from_headline_and_evidence_not_the_dateline() -> None:
    gazetteer = Gazetteer()
    for name in ("Alton", "Brook", "Capital", "Venice"):
        gazetteer.add(name, name, "place")
    gazetteer.add("Northland", "Northland", "party")
    event = EventResult(
        "new_clash",
        "air_strike",
        "BROOK, March 10 (Wire) - A drone struck a market in Alton overnight, officials in Capital said.",
        1.0,
        DAY,
        {"places": ["Alton", "Brook", "Capital"], "parties": ["Northland"], "casualties": {"civilians_killed": 7}},
    )
    sig = signature(event, "Drone strike on Alton market", gazetteer, RULES)
    assert not sig.reaction
    assert sig.places == {"Alton"} and sig.headline == {"Alton"}
    assert sig.context == {"Alton", "Brook"}, "ignored names never locate an event"
    assert sig.figures == {7} and sig.parties == {"Northland"}
    assert EventSignature.from_json(sig.as_json()) == sig


@pytest.mark.parametrize(
    "title",
    [
        "Despite the failure in Venice, Northland will keep the truce",
        "وینس میں ناکامی کے باوجود جنگ بندی برقرار رہے گی",
    ],
)
def test_a_truce_kept_despite_a_failure_is_read_as_a_reaction(title: str) -> None:
    event = EventResult("talks_outcome", "ceasefire_extended", title, 1.0, DAY, {})
    sig = signature(event, title, Gazetteer(), RULES)
    assert sig.reaction and EventSignature.from_json(sig.as_json()).reaction


def test_combine_and_ladder() -> None:
    a, b = clash({"Alton"}), clash({"Brook"}, day=DAY + timedelta(days=1), subtype="border_clash")
    both = combine([a, b])
    assert both.places == {"Alton", "Brook"} and (both.first, both.last) == (a.first, b.last)
    assert later_subtype("no_agreement", "collapsed") == "collapsed"
    assert later_subtype("collapsed", "no_agreement") == "collapsed"
    assert later_subtype("agreement", "ceasefire_extended") == "ceasefire_extended"
    assert later_subtype("next_round_set", "agreement") == "agreement"
    assert later_subtype("air_strike", "border_clash") == "air_strike"


def test_merge_pass_groups_are_order_free_and_refuse_guarded_unions() -> None:
    from crawler.stories.merge import groups

    # 1 and 3 name a province and a town in it a day apart; 2 is another town the same day:
    # 1 may join either, but 2 and 3 are set apart, so only one union happens (the older).
    sigs = {
        1: clash({"North Province"}),
        2: clash({"Brook"}),
        3: clash({"Alton"}, day=DAY + timedelta(days=1)),
        4: clash({"Dunmore"}),
    }
    assert groups(sigs, RULES) == [[1, 2], [3], [4]]
    reordered = {k: sigs[k] for k in (4, 3, 2, 1)}
    assert groups(reordered, RULES) == groups(sigs, RULES)


def test_a_headline_naming_another_town_is_another_event() -> None:
    # "Alton taken" and "Shells from Alton land in Dunmore": the towns their evidence shares
    # are the setting; the headlines say where each event happened.
    taken = clash({"Alton"}, headline=frozenset({"Alton"}), subtype="border_clash")
    shelled = clash({"Alton", "Dunmore"}, headline=frozenset({"Alton", "Dunmore"}), subtype="cross_border_attack")
    result = match(taken, shelled, RULES)
    assert not result.same and result.conflicts == ("place",)
    # The same town in both headlines, told by two sides: one event.
    other_side = clash({"Alton"}, headline=frozenset({"Alton"}), subtype="air_strike")
    assert match(taken, other_side, RULES).same


@pytest.mark.parametrize(
    ("evidence", "rounds"),
    [
        ("The seventh round ended without a deal.", {7}),
        ("Round eleven ended without a deal.", {11}),
        ("The 12th round ended without a deal, and there is no plan for a 13th round.", {12}),
    ],
)
def test_talks_rounds_are_read_from_the_shared_number_words(evidence: str, rounds: set[int]) -> None:
    event = EventResult("talks_outcome", "no_agreement", evidence, 1.0, DAY, {})
    assert signature(event, "Talks end", Gazetteer(), RULES).rounds == rounds


SIDED = replace(RULES, place_sides={"Alton": 0, "Brook": 0, "Dunmore": 1})


def test_strikes_on_opposite_sides_the_same_night_are_two_events() -> None:
    # "Northland strikes Alton" (its lede names no other place) and "missiles hit Dunmore",
    # whose lede recalls Alton: close in time, a place in common at lede precision, but
    # each fell on another side's ground: a strike and its reply.
    strike = clash(set(), context=frozenset({"Alton"}))
    reply = clash({"Dunmore"}, context=frozenset({"Dunmore", "Alton"}))
    assert match(strike, reply, RULES).same
    result = match(strike, reply, SIDED)
    assert not result.same
    assert "struck side" in result.conflicts
    assert "struck side" in match(clash({"Alton"}), clash(set(), context=frozenset({"Brook"})), SIDED).matched


def test_struck_side_is_unknown_when_places_lie_on_both_sides_or_none() -> None:
    both = clash({"Alton", "Dunmore"})
    unknown = clash({"Crossing East"})
    assert struck_side(both, SIDED) is None
    assert struck_side(unknown, SIDED) is None
    assert struck_side(clash({"Dunmore"}), SIDED) == 1


def test_a_truce_breach_is_not_the_strike_of_the_day_before_without_a_shared_place() -> None:
    breach = clash(set(), subtype="ceasefire_violation", day=DAY + timedelta(days=1))
    assert not match(clash(set()), breach, RULES).same
    assert "subtype" in match(clash(set()), breach, RULES).conflicts
    # The same day, or a place in common, still joins them (one side calls it a breach).
    assert match(clash(set()), replace(breach, first=DAY, last=DAY), RULES).same
    assert match(clash({"Alton"}), replace(breach, places=frozenset({"Alton"})), RULES).same


def test_a_wave_told_whole_and_by_one_of_its_places_is_one_event() -> None:
    # "Strikes on Alton and Brook" and "strike on Alton", the same day, both on one side's
    # ground: one wave of strikes, not two events, whether or not the lede names Brook too
    # (a report of the lead place alone names nothing that sets it apart).
    whole = clash({"Alton", "Brook"}, headline=frozenset({"Alton", "Brook"}))
    part = clash({"Alton"}, headline=frozenset({"Alton"}), context=frozenset({"Alton", "Brook"}))
    alone = replace(part, context=frozenset({"Alton"}))
    assert match(whole, part, SIDED).same
    assert match(part, whole, SIDED).same
    assert match(whole, alone, SIDED).same
    # A day apart (a night's wave filed on both sides of midnight), only a lede that names
    # the wave's other places joins them: the lead place alone a day later may be another
    # strike on it.
    later = DAY + timedelta(days=1)
    assert match(whole, replace(part, first=later, last=later), SIDED).same
    assert not match(whole, replace(alone, first=later, last=later), SIDED).same
    # Two days apart, a struck side unknown, or another side's town in the wave: each keeps
    # the headlines' places apart, as before.
    two_days = DAY + timedelta(days=2)
    assert not match(whole, replace(part, first=two_days, last=two_days), SIDED).same
    assert not match(whole, part, RULES).same
    across = clash({"Alton", "Dunmore"}, headline=frozenset({"Alton", "Dunmore"}))
    assert not match(across, replace(part, context=frozenset({"Alton", "Dunmore"})), SIDED).same


@pytest.mark.parametrize(
    ("title", "evidence", "places"),
    [
        # A capital the topic lists as a party and a place: after a word of place, the city
        # (with a direction between, in English, French, Persian; Arabic writes "in" on it).
        ("Strike hits state TV", "Jets struck the state broadcaster in northern Alton.", {"Alton"}),
        ("Frappe sur la télévision", "Des avions ont frappé la télévision au nord d'Alton.", {"Alton"}),
        ("Frappe sur la télévision", "Des avions ont frappé la télévision à Alton.", {"Alton"}),
        ("حمله به ساختمان تلویزیون", "ساختمان تلویزیون در شمال آلتون هدف حمله قرار گرفت.", {"Alton"}),
        ("غارة على التلفزيون", "قتلى في الغارة التي استهدفت مقر التلفزيون بألتون.", {"Alton"}),
        # Else its government: the place of the event is elsewhere.
        ("Drones downed", "Alton said its air defences shot down drones over Dunmore.", {"Dunmore"}),
        ("Strike condemned", "Alton condemned the strike on Dunmore.", {"Dunmore"}),
    ],
)
def test_a_capital_listed_as_party_and_place_is_the_place_after_a_word_of_place(
    title: str, evidence: str, places: set[str]
) -> None:
    gazetteer = Gazetteer()
    for spelling in ("Alton", "آلتون", "ألتون"):
        gazetteer.add(spelling, "Alton", "party")
    gazetteer.add("Dunmore", "Dunmore", "place")
    event = EventResult("new_clash", "air_strike", evidence, 1.0, DAY, {})
    assert signature(event, title, gazetteer, SIDED).places == places


def test_a_strike_told_as_a_repeat_the_next_day_is_another_strike_on_the_place() -> None:
    # Alton struck on one day; "Alton struck again" the next: two strikes on one place, where
    # a shared precise place a day apart is otherwise one event (one side's report, the other
    # side's the next day).
    first = clash({"Alton"})
    again = clash({"Alton"}, day=DAY + timedelta(days=1), repeat=True)
    assert match(first, replace(again, repeat=False), RULES).same
    result = match(first, again, RULES)
    assert not result.same
    assert "repeat" in result.conflicts
    assert not match(again, first, RULES).same
    # The same day, or both told as repeats (one second strike told twice): one event.
    assert match(replace(first, repeat=True), again, RULES).same
    assert match(first, replace(again, first=DAY, last=DAY), RULES).same


@pytest.mark.parametrize(
    "evidence",
    [
        "Jets struck the depot at Alton again on Monday.",
        "Des avions ont de nouveau frappé le dépôt d'Alton lundi.",
        "جنگنده‌ها صبح دوشنبه بار دیگر انبار آلتون را هدف حمله قرار دادند.",
        "قصفت الطائرات مستودع ألتون مرة أخرى يوم الاثنين.",
    ],
)
def test_a_repeat_is_read_in_each_language(evidence: str) -> None:
    event = EventResult("new_clash", "air_strike", evidence, 1.0, DAY, {})
    assert signature(event, "Depot hit", Gazetteer(), RULES).repeat
    plain = EventResult("new_clash", "air_strike", "Jets struck the depot at Alton on Monday.", 1.0, DAY, {})
    assert not signature(plain, "Depot hit", Gazetteer(), RULES).repeat


def test_calls_on_a_channel_with_no_venue_two_days_apart_are_two_rounds() -> None:
    # A hotline has no venue: a truce agreed, a call two days on that keeps it, a third that
    # extends it are three outcomes, not one event reported over days.
    later = DAY + timedelta(days=2)
    result = match(talks("agreement"), talks("agreement", day=later), RULES)
    assert not result.same and "round" in result.conflicts
    assert not match(talks("ceasefire_extended"), talks("ceasefire_extended", day=later), RULES).same
    # The next day's reports of one decision are still one, and so is one meeting at a venue.
    assert match(talks("agreement"), talks("agreement", day=DAY + timedelta(days=1)), RULES).same
    assert match(talks("agreement", venues={"Venice"}), talks("agreement", day=later, venues={"Venice"}), RULES).same
    # A failure is reported over days in firmer words: still one event two days on.
    assert match(talks("no_agreement"), talks("collapsed", day=later), RULES).same


def test_struck_side_is_read_from_most_places_and_past_a_town_named_as_the_cause() -> None:
    # A wave on Southland's towns whose lede also names the Northland town of the massacre it
    # answers ("Hamlet", of no known side): Southland's ground, not unknown.
    wave = clash(set(), context=frozenset({"Dunmore", "Dunmore Hills", "Hamlet"}))
    sided = replace(SIDED, place_sides={**SIDED.place_sides, "Dunmore Hills": 1})
    assert struck_side(wave, sided) == 1
    # Its evidence names only that town: the lede's places say where the strikes fell.
    assert struck_side(replace(wave, places=frozenset({"Hamlet"})), sided) == 1
    # So the other side's shelling of Alton the same day is another event.
    result = match(wave, clash({"Alton"}, subtype="border_clash"), sided)
    assert not result.same and "struck side" in result.conflicts
    # As many places of no side as sided ones leave the side open (a crossing, a base abroad).
    assert struck_side(clash({"Dunmore", "Hamlet"}), sided) is None


def test_reports_a_day_apart_each_naming_unrelated_places_are_two_events() -> None:
    # Missiles on towns of South Province (a region with towns inside), then drones over
    # Ridgeway (a town the place model cannot place) the next morning: each names where it
    # happened, nothing relates the two, though neither place rules the other out.
    later = DAY + timedelta(days=1)
    result = match(clash({"South Province"}), clash({"Ridgeway"}, day=later), RULES)
    assert not result.same and result.conflicts == ("place",)
    # The same day, or a report of the next day that names no place, still joins.
    assert match(clash({"South Province"}), clash({"Ridgeway"}), RULES).same
    assert match(clash({"South Province"}), clash(set(), day=later), RULES).same
    # A figure both give still links them.
    figures = frozenset({7})
    province, town = clash({"South Province"}, figures=figures), clash({"Ridgeway"}, day=later, figures=figures)
    assert match(province, town, RULES).same


def test_shelling_and_next_day_drones_in_two_provinces_stay_apart_though_a_lede_names_both() -> None:
    # Shelling in North Province whose lede also names South Province, and drones over South
    # Province the next night: two provinces, two kinds of fighting, two events.
    lede = frozenset({"North Province", "South Province"})
    shelling = clash({"North Province"}, subtype="border_clash", context=lede)
    drones = clash({"South Province"}, day=DAY + timedelta(days=1))
    result = match(shelling, drones, RULES)
    assert not result.same and "region" in result.conflicts
    # The same fighting told a day apart, or two kinds the same day, may be one wave.
    assert match(shelling, replace(drones, subtypes=frozenset({"border_clash"})), RULES).same
    assert match(shelling, replace(drones, first=DAY, last=DAY), RULES).same


def test_a_strike_named_only_by_the_attack_it_answers_is_placed_by_its_lede() -> None:
    # "Two weeks after the Elmwood attack, Northland struck" (Elmwood: a town of no known
    # side), its lede naming Dunmore and Fairfield on Southland's ground: the strike on
    # Dunmore, not an event at Elmwood.
    sided = replace(RULES, place_sides={"Alton": 0, "Brook": 0, "Dunmore": 1, "Fairfield": 1})
    answer = clash({"Elmwood"}, context=frozenset({"Elmwood", "Dunmore", "Fairfield"}))
    result = match(answer, clash({"Dunmore"}), sided)
    assert result.same and "place" in result.matched
    assert not match(answer, clash({"Dunmore"}), RULES).same
    # A strike on the other side's ground, or one whose own place has a side, stays apart.
    assert not match(answer, clash({"Alton"}), sided).same
    placed = clash({"Brook"}, context=frozenset({"Brook", "Dunmore", "Fairfield"}))
    assert not match(placed, clash({"Dunmore"}), sided).same


def test_a_town_listed_in_its_province_and_in_a_subregion_lies_in_the_subregion() -> None:
    # The config lists Elmwood under its province and under the province's subregion (the
    # valley): a report of "an attack in the valley" and one of "an attack in Elmwood" are one
    # place told at two precisions, not two precise places.
    model = PlaceModel.build(regions={"West Province": ["Valley", "Elmwood", "Fairfield"], "Valley": ["Elmwood"]})
    assert model.parent["Elmwood"] == "Valley" and model.parent["Fairfield"] == "West Province"
    assert model.contains("Valley", "Elmwood") and model.contains("West Province", "Elmwood")
    rules = replace(RULES, places=model)
    result = match(clash({"Elmwood"}), clash({"Valley"}), rules)
    assert result.same and "region" in result.matched
    assert not match(clash({"Fairfield"}), clash({"Valley"}), rules).same


def _gazetteer(*places: str) -> Gazetteer:
    gazetteer = Gazetteer()
    for name in places:
        gazetteer.add(name, name, "place")
    return gazetteer


@pytest.mark.parametrize(
    "title",
    [
        "Drone bombs police station outside Alton, two officers hurt",
        "Drone hits police post just outside Alton",
        "Ataque con dron cerca de Alton",
        "Un drone frappe un poste près de Alton",
    ],
)
def test_a_headline_town_told_as_a_landmark_is_not_where_the_event_happened(title: str) -> None:
    # The headline places the attack by a city nearby ("outside Alton"); the body names the
    # town struck (Brook). A report headed "Drone strike on Brook" tells the same attack.
    gazetteer = _gazetteer("Alton", "Brook")
    event = EventResult(
        "new_clash", "air_strike", "A drone dropped explosives on the police post of Brook.", 1.0, DAY, {}
    )
    sig = signature(event, title, gazetteer, RULES)
    assert sig.headline == frozenset() and "Brook" in sig.places
    other = signature(event, "Drone strike on Brook police post", gazetteer, RULES)
    assert match(sig, other, RULES).same
    # A headline that names the town itself still places the event there.
    assert signature(event, "Drone strike in Alton", gazetteer, RULES).headline == {"Alton"}


def test_a_headline_s_second_item_after_a_semicolon_does_not_place_the_event() -> None:
    # "Helicopter downed in Dunmore, 13 killed; truck bomb hits Alton": a wire joins two
    # news items; its event is the first, and Alton's bomb is another event.
    gazetteer = _gazetteer("Alton", "Dunmore")
    event = EventResult("new_clash", "air_strike", "A drone downed a police helicopter near Dunmore.", 1.0, DAY, {})
    wire = signature(event, "Drone downs police helicopter, killing 13; truck bomb hits Alton", gazetteer, RULES)
    assert wire.places == {"Dunmore"} and wire.headline == frozenset()
    bomb = EventResult("new_clash", "cross_border_attack", "A truck bomb exploded in Alton.", 1.0, DAY, {})
    assert not match(wire, signature(bomb, "Truck bomb kills five in Alton", gazetteer, RULES), RULES).same
    # A statement, then where it happened: with no place in the evidence, the second item places it.
    said = EventResult(
        "new_clash", "ceasefire_violation", "Northland broke the truce, the minister said.", 1.0, DAY, {}
    )
    assert signature(said, "Truce broken, says minister; blasts heard in Alton", gazetteer, RULES).headline == {"Alton"}


def test_talks_a_day_apart_with_different_groups_at_different_places_are_two_tables() -> None:
    # One government talks with two groups of the other side: one round ends in Venice, the
    # other's the next day in Brook, both "no deal, meet again": two tables.
    sides = (frozenset({"Northland"}), frozenset({"Rebels", "Southland", "Hill Front"}))
    rules = replace(RULES, sides=sides)
    venice = replace(talks("no_agreement", venues={"Venice"}), parties=frozenset({"Northland", "Rebels"}))
    brook = replace(
        talks("no_agreement", day=DAY + timedelta(days=1)),
        parties=frozenset({"Hill Front"}),
        places=frozenset({"Brook"}),
    )
    result = match(venice, brook, rules)
    assert not result.same and "parties" in result.conflicts
    # The same group, or a report that names no place (one party under another name), or
    # the same day: nothing sets them apart.
    assert match(venice, replace(brook, parties=frozenset({"Rebels"})), rules).same
    assert match(venice, replace(brook, places=frozenset()), rules).same
    assert match(venice, replace(brook, first=DAY, last=DAY), rules).same


def test_a_town_s_name_ending_a_longer_proper_name_is_no_mention_of_the_town() -> None:
    # An air base named after a person whose surname is a town's name: the bomb hit Brook,
    # not the town of Alton. Title case says nothing ("Drone Strike Hits Alton Market").
    gazetteer = _gazetteer("Alton", "Brook")
    event = EventResult(
        "new_clash",
        "cross_border_attack",
        "A truck bomb exploded outside the Marco Fidel Alton air base in Brook.",
        1.0,
        DAY,
        {},
    )
    sig = signature(event, "Truck bomb kills five in Brook", gazetteer, RULES)
    assert sig.places == {"Brook"}
    spanish = EventResult(
        "new_clash",
        "cross_border_attack",
        "Un camión explotó frente a la Escuela Militar Juan Pablo Alton, en Brook.",
        1.0,
        DAY,
        {},
    )
    assert signature(spanish, "Camión bomba en Brook", gazetteer, RULES).places == {"Brook"}
    plain = EventResult("new_clash", "air_strike", "A drone struck the market in Alton.", 1.0, DAY, {})
    assert signature(plain, "Drone Strike Hits Alton Market", gazetteer, RULES).places == {"Alton"}


def test_each_sides_report_of_one_exchange_of_fire_is_one_event() -> None:
    # One night's firing across a line, each side's report naming only its own sectors
    # (Alton and Brook on Northland's ground, Dunmore on Southland's) and blaming the other:
    # both told as an exchange (both sides firing), they are one exchange.
    sided = replace(RULES, place_sides={"Alton": 0, "Brook": 0, "Dunmore": 1, "Fairfield": 1})
    north = clash({"Alton", "Brook"}, subtype="border_clash", exchange=True)
    south = clash({"Dunmore"}, subtype="ceasefire_violation", exchange=True)
    result = match(north, south, sided)
    assert result.same and "exchange" in result.matched
    # Filed the next morning: still within place_window.
    assert match(north, replace(south, first=DAY + timedelta(days=1), last=DAY + timedelta(days=1)), sided).same
    # Without the exchange in either report: a place and struck-side conflict, two events.
    assert not match(north, replace(south, exchange=False), sided).same
    assert not match(replace(north, exchange=False), south, sided).same
    # Two days apart, or a one-way strike (an air strike, a capture): two events.
    later = DAY + timedelta(days=2)
    assert not match(north, replace(south, first=later, last=later), sided).same
    assert not match(north, replace(south, subtypes=frozenset({"air_strike"})), sided).same
    # Two sectors on the same side's ground are two exchanges.
    assert not match(
        north,
        clash({"Fairfield"}, subtype="border_clash", exchange=True),
        replace(sided, place_sides={"Alton": 0, "Brook": 0, "Fairfield": 0}),
    ).same
    # Each report must name parties of both sides.
    assert not match(north, replace(south, parties=frozenset({"Southland"})), sided).same


def test_an_exchange_is_read_from_the_classifier_field_and_every_report_of_an_event() -> None:
    fired = EventResult("new_clash", "border_clash", "Firing at Alton.", 1.0, DAY, {"exchange": True})
    plain = EventResult("new_clash", "border_clash", "Firing at Alton.", 1.0, DAY, {})
    one, other = signature(fired, "Alton", Gazetteer(), RULES), signature(plain, "Alton", Gazetteer(), RULES)
    assert one.exchange and not other.exchange
    assert EventSignature.from_json(one.as_json()).exchange
    # An event with one report of a one-way strike is no longer an exchange.
    assert combine([one, one]).exchange and not combine([one, other]).exchange
