"""A multi-day event is one event: the span a report gives its event, and what it links.

Places and names are invented; the phrasings are each language's ordinary ways of saying an
assault lasted days, and the series ("a third consecutive day of strikes") it must not take
for one event.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from crawler.analysis.events.identity import SPAN, EventSignature, IdentityRules, combine, match
from crawler.analysis.events.places import PlaceModel
from crawler.analysis.events.spans import event_span

SUNDAY = datetime(2030, 3, 10, 16, 0, tzinfo=UTC)  # 10 March 2030 is a Sunday
FRIDAY, SATURDAY = date(2030, 3, 8), date(2030, 3, 9)


@pytest.mark.parametrize(
    ("sentence", "first"),
    [
        ("Aid groups said hundreds were killed in three days of attacks on the camp.", FRIDAY),
        ("Fighters took the camp after a three-day assault, residents said.", FRIDAY),
        ("The assault that began on Friday has killed at least 40 people.", FRIDAY),
        ("Rebels have shelled the town since Saturday.", SATURDAY),
        ("Après deux jours d'assaut, les rebelles ont pris le contrôle du camp.", SATURDAY),
        ("Les combats ont commencé vendredi à l'aube autour de la ville.", FRIDAY),
        ("تحدث ناشطون عن مقتل المئات خلال ثلاثة أيام من الهجمات على المخيم.", FRIDAY),
        ("قالت الأمم المتحدة إن الهجوم على المخيم منذ يوم الجمعة أودى بحياة العشرات.", FRIDAY),
        ("Wakazi walisema siku tatu za mapigano ziliua watu wengi.", FRIDAY),
        ("قصبے میں تین روزہ لڑائی کے بعد فوج پیچھے ہٹ گئی", FRIDAY),
        ("शहर में शुक्रवार से जारी लड़ाई में कई लोग मारे गए", FRIDAY),
        ("درگیری‌ها روز جمعه در مرز آغاز شد", FRIDAY),
    ],
)
def test_a_report_that_says_its_event_lasted_days_spans_them(sentence: str, first: date) -> None:
    assert event_span("", sentence, [sentence], SUNDAY.date(), SUNDAY) == (first, SUNDAY.date())


@pytest.mark.parametrize(
    "sentence",
    [
        # A series: each day's strikes are their own event.
        "It was the third consecutive day of strikes on the city.",
        "Drones hit the power station after three days of strikes on the city.",
        "وهذا هو اليوم الثالث على التوالي الذي تتعرض فيه المدينة لهجمات المسيرات.",
        "Deuxième jour de combats à la frontière, selon l'armée.",
        # Something else began, not the fighting.
        "Families began burying on Saturday those killed in the strike.",
        # Days of talks, not of fighting; a campaign far longer than an event.
        "The delegations ended three days of talks on Sunday.",
        "The siege, which began 40 days ago, has starved the city.",
        "Drones struck the port on Sunday.",
    ],
)
def test_a_series_or_another_span_is_not_the_events(sentence: str) -> None:
    assert event_span("", sentence, [sentence], SUNDAY.date(), SUNDAY) is None


def test_since_outside_the_events_sentence_qualifies_something_else() -> None:
    evidence = "Drones struck the harbour on Sunday."
    later = "The rebels have not commented on any of the strikes on the city since Friday."
    assert event_span("", evidence, [evidence, later], SUNDAY.date(), SUNDAY) is None
    assert event_span("", later, [later], SUNDAY.date(), SUNDAY) == (FRIDAY, SUNDAY.date())


PLACES = PlaceModel.build(regions={"North Province": ["Alton", "Brook"]}, same=[], venues=[], ignore=[])
RULES = IdentityRules(places=PLACES, sides=(frozenset({"Northland"}), frozenset({"Rebels"})))


def clash(place: str, day: date, span: tuple[date, date] | None = None) -> EventSignature:
    return EventSignature(
        kind="new_clash",
        subtypes=frozenset({"cross_border_attack"}),
        first=day,
        last=day,
        parties=frozenset({"Rebels"}),
        places=frozenset({place}),
        span=span,
    )


def test_a_report_dated_inside_another_reports_span_at_one_place_is_the_same_event() -> None:
    first_day = clash("Alton", FRIDAY)
    claim = clash("Alton", SUNDAY.date(), span=(FRIDAY, SUNDAY.date()))
    result = match(first_day, claim, RULES)
    assert result.same and result.strength == "must" and SPAN in result.matched
    assert "date within span" in result.explain()
    # Either side may carry the span.
    assert match(clash("Alton", FRIDAY, span=(FRIDAY, SUNDAY.date())), clash("Alton", SUNDAY.date()), RULES).same


def test_without_a_span_two_days_at_one_place_are_two_strikes() -> None:
    result = match(clash("Alton", FRIDAY), clash("Alton", SUNDAY.date()), RULES)
    assert not result.same and SPAN not in result.matched


def test_a_span_does_not_link_another_place_nor_widen_the_date_window() -> None:
    span = (FRIDAY - timedelta(days=2), SUNDAY.date())
    assert not match(clash("Brook", FRIDAY), clash("Alton", SUNDAY.date(), span=span), RULES).same
    # Four days apart: outside events.match.date_window whatever the report says.
    assert not match(clash("Alton", span[0]), clash("Alton", SUNDAY.date(), span=span), RULES).same


def test_an_events_span_survives_storage_and_folding() -> None:
    a, b = clash("Alton", FRIDAY), clash("Alton", SUNDAY.date(), span=(SATURDAY, SUNDAY.date()))
    folded = combine([a, b, clash("Alton", SATURDAY, span=(FRIDAY, SATURDAY))])
    assert folded.span == (FRIDAY, SUNDAY.date())
    assert combine([a]).span is None
    assert EventSignature.from_json(folded.as_json()).span == folded.span
    assert EventSignature.from_json(a.as_json()).span is None


def test_the_real_analysis_reads_the_span_and_explain_shows_it() -> None:
    """Through the classifier and the topic config: the span links the first day's report, and says why."""
    from core.configfile import load_config
    from crawler.analysis.events.identity import signature
    from crawler.analysis.events.rules import identity_rules
    from crawler.analysis.explain import explain_text
    from crawler.analysis.prepare import Analyser
    from crawler.events.identity_eval import ROOT

    config = load_config(ROOT / "config.yaml", env={})
    analyser = Analyser(config.topic, config.dedup)
    rules = identity_rules(config.topic, config.events, analyser.gazetteer)
    friday = datetime(2030, 3, 8, 18, 0, tzinfo=UTC)
    first = (
        "Pakistani and Afghan forces exchange fire at Chaman border crossing",
        "Pakistani and Afghan Taliban forces exchanged heavy fire at the Chaman crossing on Friday, officials said.",
    )
    later = (
        "Two Pakistani soldiers wounded as forces trade fire at Chaman crossing",
        "Pakistani and Afghan Taliban forces exchanged heavy fire at the Chaman crossing on Sunday, officials said, "
        "and two Pakistani soldiers were wounded.\nResidents said three days of clashes had emptied the market.",
    )
    a = analyser.analyse(*first, "en", friday).event
    b = analyser.analyse(*later, "en", SUNDAY).event
    assert a is not None and b is not None and b.span == (FRIDAY, SUNDAY.date())
    assert (a.event_date, b.event_date) == (FRIDAY, SUNDAY.date())
    sig_a, sig_b = signature(a, first[0], analyser.gazetteer, rules), signature(b, later[0], analyser.gazetteer, rules)
    assert not match(sig_a, replace(sig_b, span=None), rules).same
    result = match(sig_a, sig_b, rules)
    assert result.same and SPAN in result.matched, result.explain()
    shown = explain_text(analyser, config.topic, *later, "en", SUNDAY)["event"]
    assert shown["span"] == [FRIDAY.isoformat(), SUNDAY.date().isoformat()]
