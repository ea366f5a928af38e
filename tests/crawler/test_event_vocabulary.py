"""The event vocabulary: general ways news says talks outcomes and clashes, tagged with PLOVER classes.

Sentences about two invented neighbours (Arland and Borvia), in each language the vocabulary
covers: the statements issue 17 found missing (a signed accord suspended, a landmine or
drone wounding soldiers, a border committee's agreed points, "avoid escalation",
"reaffirm commitment to the ceasefire", "positive progress"), plus what must stay
silent (demining is not an attack).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.config import TopicConfig
from crawler.analysis.events.classifier import EventClassifier
from crawler.analysis.events.ontology import PLOVER, SUBTYPE_CLASSES
from crawler.analysis.events.vocabulary import LANGUAGES
from crawler.analysis.gazetteer import Gazetteer

WHEN = datetime(2025, 11, 12, 12, 0, tzinfo=UTC)
TOPIC = TopicConfig(
    parties=["Arland", "Borvia"],
    sides=[["Arland"], ["Borvia"]],
    places=["Kestrel Pass"],
    aliases={
        "Arland": ["Arlandi", "arlandais", "آرلند", "آرلینڈ", "आरलैंड"],
        "Borvia": ["Borvian", "Borvie", "بورویا", "بورفيا", "बोर्विया"],
    },
)


@pytest.fixture(scope="module")
def classifier() -> EventClassifier:
    return EventClassifier(Gazetteer.from_topic(TOPIC))


CASES = [
    # (language, headline, body, kind, subtype or None for any, PLOVER category of a counted statement)
    (
        "en",
        "Arland suspends peace declaration with Borvia after soldiers wounded by landmine",
        "Arland said on Monday it was halting the implementation of the accord signed with Borvia last month.",
        "talks_outcome",
        "collapsed",
        "SANCTION",
    ),
    (
        "en",
        "Two Borvian soldiers killed as landmine explodes on patrol near Kestrel Pass",
        "The mine went off as the patrol crossed a track near the frontier with Arland, officials said.",
        "new_clash",
        "border_clash",
        "ASSAULT:explosives",
    ),
    (
        "en",
        "Borvian drone strike wounds two Arlandi soldiers at Kestrel Pass",
        "The drone hit an army post on Tuesday night, the Arland army said.",
        "new_clash",
        "air_strike",
        "ASSAULT:drone",
    ),
    (
        "en",
        "Shelling from Borvia kills three civilians in Arland border village",
        "Shells landed in the village near Kestrel Pass before dawn, officials said.",
        "new_clash",
        None,
        "ASSAULT",
    ),
    (
        "en",
        "Arland and Borvia agree to avoid escalation after border committee meeting",
        "The two sides said after the meeting that they would keep hotlines open between commanders.",
        "talks_outcome",
        "agreement",
        "AGREE",
    ),
    (
        "en",
        "Arland, Borvia reaffirm commitment to the ceasefire at joint commission",
        "Both delegations said the truce agreed in August remained the basis of their relations.",
        "talks_outcome",
        "ceasefire_extended",
        "AGREE",
    ),
    (
        "en",
        "Outcome of the Arland-Borvia border committee meeting",
        "The joint statement issued after the meeting of the Arland-Borvia joint border commission listed the "
        "agreed points: deployment of observers, demining and troop withdrawal.",
        "talks_outcome",
        "agreement",
        "CONSULT",
    ),
    (
        "en",
        "Arland and Borvia talks made positive progress, mediators say",
        "The foreign ministers of Arland and Borvia met for six hours in the capital.",
        "talks_outcome",
        "agreement",
        "CONSULT",
    ),
    (
        "fr",
        "L'Arland suspend l'accord de paix signé avec la Borvie",
        "Le gouvernement a annoncé lundi la suspension de l'accord après la mort de deux soldats.",
        "talks_outcome",
        "collapsed",
        "SANCTION",
    ),
    (
        "fr",
        "Deux soldats arlandais tués par une mine près de la frontière avec la Borvie",
        "L'engin a explosé au passage d'une patrouille, selon l'armée.",
        "new_clash",
        "border_clash",
        "ASSAULT:explosives",
    ),
    (
        "fr",
        "L'Arland et la Borvie réaffirment leur engagement en faveur du cessez-le-feu",
        "Les deux délégations se sont retrouvées pour la troisième réunion de la commission mixte.",
        "talks_outcome",
        "ceasefire_extended",
        "AGREE",
    ),
    (
        "en",
        "Arland and Borvia agree to continue the ceasefire after talks in a new venue",
        "Delegations of Arland and Borvia met for two days.",
        "talks_outcome",
        "ceasefire_extended",
        "CONCEDE",
    ),
    # Dari, with the zero-width non-joiner the press writes in آتش‌بس.
    (
        "fa",
        "هیئت های آرلند و بورویا بر ادامه آتش\u200cبس توافق کردند",
        "",
        "talks_outcome",
        "ceasefire_extended",
        "CONCEDE",
    ),
    (
        "en",
        "Arland and Borvia agree to continue talks on the border, mediators say",
        "Delegations of Arland and Borvia met for two days.",
        "talks_outcome",
        "next_round_set",
        "AGREE",
    ),
    (
        "fr",
        "L'Arland et la Borvie ont convenu de poursuivre les discussions",
        "",
        "talks_outcome",
        "next_round_set",
        "AGREE",
    ),
    ("ur", "آرلینڈ اور بورویا کا مذاکرات جاری رکھنے پر اتفاق", "", "talks_outcome", "next_round_set", "AGREE"),
    ("hi", "आरलैंड और बोर्विया बातचीत जारी रखने पर सहमत", "", "talks_outcome", "next_round_set", "AGREE"),
    ("ur", "آرلینڈ نے بورویا کے ساتھ امن معاہدہ معطل کر دیا", "", "talks_outcome", "collapsed", "SANCTION"),
    ("hi", "आरलैंड और बोर्विया ने बैठक में तनाव कम करने पर सहमति जताई", "", "talks_outcome", "agreement", "AGREE"),
    ("fa", "آرلند توافقنامه صلح با بورویا را معلق کرد", "", "talks_outcome", "collapsed", "SANCTION"),
    ("ps", "آرلند له بورویا سره تړون وځنډاوه", "", "talks_outcome", "collapsed", "SANCTION"),
    (
        "ar",
        "اتفقت آرلند وبورفيا خلال اجتماع اللجنة الحدودية على تجنب التصعيد",
        "",
        "talks_outcome",
        "agreement",
        "AGREE",
    ),
    (
        "sw",
        "Katika mkutano wa kamati ya mpaka, Arland na Borvia zimekubaliana kuepuka kuongezeka kwa mvutano",
        "",
        "talks_outcome",
        "agreement",
        "AGREE",
    ),
    # Talks halted, "no next round" (the next round negated after it, as Hindi puts it).
    ("hi", "आरलैंड-बोर्विया वार्ता पर लगा विराम, अब कोई अगला दौर नहीं", "", "talks_outcome", "collapsed", "SANCTION"),
]


@pytest.mark.parametrize(("language", "title", "text", "kind", "subtype", "plover"), CASES)
def test_statements_of_the_ontology_classes(classifier, language, title, text, kind, subtype, plover) -> None:
    result, trace, why = classifier.explain(title, text, WHEN, language)
    assert result is not None, (why, trace)
    assert result.kind == kind, trace
    if subtype:
        assert result.subtype == subtype, trace
    counted = [t for t in trace if t.verdict == "counted" and t.kind == kind]
    assert any(t.label.startswith(f"PLOVER {plover}") for t in counted), counted


@pytest.mark.parametrize(
    ("language", "title", "text"),
    [
        ("en", "Arland and Borvia teams cleared 300 landmines near Kestrel Pass this month", ""),
        ("en", "Arland warns it could suspend the peace deal with Borvia if attacks continue", ""),
        ("en", "Borvia says Arland has not suspended the accord, despite reports", ""),
    ],
)
def test_demining_threats_and_denials_are_no_events(classifier, language, title, text) -> None:
    assert classifier.classify(title, text, WHEN, language) is None


@pytest.mark.parametrize(
    ("language", "title"),
    [
        # Pashto, Urdu and Hindi put the negation after what it negates; Dari prefixes the verb.
        ("ps", "آرلند: اوربند ماتوو نه"),
        ("ur", "آرلینڈ جنگ بندی کی خلاف ورزی نہیں کرے گا"),
        ("hi", "आरलैंड: युद्धविराम का उल्लंघन नहीं किया"),
        ("fa", "آرلند: آتش بس را نقض نکرده ایم"),
        ("fr", "Arland n'a pas violé le cessez-le-feu avec la Borvie"),
    ],
)
def test_a_negated_statement_in_any_language_reports_nothing(classifier, language, title) -> None:
    result, trace, _ = classifier.explain(title, "", WHEN, language)
    assert result is None, trace
    assert any(t.verdict == "negated" for t in trace), trace


def test_every_group_is_tagged_with_a_plover_class_fit_for_its_subtype() -> None:
    for code, module in LANGUAGES.items():
        for table in (module.OUTCOME, module.CLASH):
            for subtype, groups in table.items():
                assert groups, (code, subtype)
                for group in groups:
                    category = group.plover.split(":")[0]
                    assert category in PLOVER, (code, subtype, group.plover)
                    assert category in SUBTYPE_CLASSES[subtype], (code, subtype, group.plover)
                    assert group.cameo.isdigit() and group.patterns, (code, subtype, group)


def test_topic_events_make_a_talks_body_and_a_named_operation_known() -> None:
    """``topic.events``: a body no general vocabulary knows becomes talks; an operation, a clash."""
    gazetteer = Gazetteer.from_topic(TOPIC)
    plain = EventClassifier(gazetteer)
    own = EventClassifier(gazetteer, talks=["Kestrel Frontier Council"], clashes=["Operation Grey Heron"])
    council = "The Kestrel Frontier Council decided to reopen two crossings between Arland and Borvia, its chair said."
    assert plain.classify("Crossings to reopen", council, WHEN, "en") is None
    result = own.classify("Crossings to reopen", council, WHEN, "en")
    assert result is not None and (result.kind, result.subtype) == ("talks_outcome", "agreement")
    operation = "Arland launches Operation Grey Heron against Borvian positions near Kestrel Pass"
    assert plain.classify(operation, "", WHEN, "en") is None
    result, trace, _why = own.explain(operation, "", WHEN, "en")
    assert result is not None and result.kind == "new_clash"
    assert any("topic.events.clashes" in t.label and t.verdict == "counted" for t in trace)


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "Borvian fighters seize the strategic Kestrel Pass from Arland troops"),
        ("fr", "Arland : Kestrel Pass tombe aux mains des combattants de la Borvie"),
    ],
)
def test_a_place_of_the_topic_taken_is_a_clash(classifier, language, title) -> None:
    result, trace, _why = classifier.explain(title, "", WHEN, language)
    assert result is not None and result.kind == "new_clash", trace
    assert any("topic.places" in t.label and t.verdict == "counted" for t in trace), trace
