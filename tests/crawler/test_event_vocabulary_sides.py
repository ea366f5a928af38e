"""The event vocabulary on one-sided outcomes, lost towns and massacres, in English, French and Arabic.

Statements a civil war's coverage makes and the vocabulary missed (found by the Sudan set,
tests/fixtures/topics/sudan): one side accepting or rejecting the mediators' proposal or
declaring a truce of its own, a signed pledge, a truce signed, talks that end without a
ceasefire, a walk-out in the present tense, a town lost (the losing side's withdrawal), a
massacre at a hospital or camp. And what must stay silent: an anniversary recap, drones
named as arms supplied, a president leaving his capital. Invented neighbours (Arland and
Borvia), so no rule can lean on one conflict's names.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.config import TopicConfig
from crawler.analysis.events.classifier import EventClassifier
from crawler.analysis.gazetteer import Gazetteer

WHEN = datetime(2025, 11, 12, 12, 0, tzinfo=UTC)  # a Wednesday
TOPIC = TopicConfig(
    parties=["Arland", "Borvia"],
    sides=[["Arland"], ["Borvia"]],
    places=["Kestrel Pass", "Port Talon"],
    aliases={
        "Arland": ["Arlandi", "arlandais", "آرلند", "آرلینڈ", "आरलैंड"],
        "Borvia": ["Borvian", "Borvie", "بورفيا", "بورویا", "बोर्विया"],
        "Port Talon": ["بورت تالون"],
    },
)


@pytest.fixture(scope="module")
def classifier() -> EventClassifier:
    return EventClassifier(Gazetteer.from_topic(TOPIC))


CASES = [
    # (language, headline, body, kind, subtype)
    ("en", "Borvia accepts mediators' humanitarian pause plan", "", "talks_outcome", "agreement"),
    ("en", "Arland rejects mediators' truce proposal as biased", "", "talks_outcome", "no_agreement"),
    ("en", "Borvian leader declares three-month unilateral truce", "", "talks_outcome", "agreement"),
    ("en", "Arland and Borvia sign civilian-protection pledge at Port Talon talks", "", "talks_outcome", "agreement"),
    ("en", "Port Talon talks between Arland and Borvia end without ceasefire", "", "talks_outcome", "no_agreement"),
    ("en", "Arland walks out of Port Talon talks", "", "talks_outcome", "collapsed"),
    ("en", "Borvia pledges to stop fighting for three months", "Arland says it was not consulted.", None, None),
    ("fr", "Arland : une trêve d'une semaine signée avec la Borvie", "", "talks_outcome", "agreement"),
    ("fr", "L'Arland rejette la proposition de trêve des médiateurs", "", "talks_outcome", "no_agreement"),
    (
        "fr",
        "Pourparlers : l'Arland et la Borvie se sont engagés mardi à rouvrir les routes",
        "",
        "talks_outcome",
        "agreement",
    ),
    ("ar", "بورفيا توافق على مقترح الوسطاء للهدنة الإنسانية", "", "talks_outcome", "agreement"),
    ("ar", "آرلند يرفض ورقة الوسطاء لوقف الحرب مع بورفيا", "", "talks_outcome", "no_agreement"),
    ("ar", "قائد بورفيا يعلن هدنة إنسانية من طرف واحد", "", "talks_outcome", "agreement"),
    ("ar", "ختام محادثات بين آرلند وبورفيا دون هدنة", "", "talks_outcome", "no_agreement"),
    ("en", "Arland confirms its troops withdrew from Port Talon", "", "new_clash", "border_clash"),
    ("fr", "Port-Talon : l'armée de l'Arland s'est retirée de Port-Talon", "", "new_clash", "border_clash"),
    ("ar", "آرلند: انسحبنا من مدينة بورت تالون", "", "new_clash", "border_clash"),
    ("en", "More than 400 killed at Port Talon's maternity hospital, Arland says", "", "new_clash", None),
    ("fr", "Port-Talon : l'Arland dénonce le massacre de l'hôpital", "", "new_clash", "cross_border_attack"),
    ("ar", "مجزرة في مستشفى بورت تالون وآرلند تتهم بورفيا", "", "new_clash", "cross_border_attack"),
    # The same classes in the other languages of the vocabulary.
    ("ur", "بورویا کی فوج پر آرلینڈ کے گاؤں میں قتل عام کا الزام", "", "new_clash", "cross_border_attack"),
    ("hi", "आरलैंड ने मध्यस्थों का युद्धविराम प्रस्ताव खारिज किया", "", "talks_outcome", "no_agreement"),
    ("hi", "बोर्विया ने एकतरफा युद्धविराम की घोषणा की", "", "talks_outcome", "agreement"),
    ("fa", "آرلند پیشنهاد آتش بس میانجی‌ها را رد کرد", "", "talks_outcome", "no_agreement"),
    ("ps", "بورفيا یو اړخیز اوربند اعلان کړ", "", "talks_outcome", "agreement"),
    ("sw", "Borvia imetangaza usitishaji mapigano wa upande mmoja", "", "talks_outcome", "agreement"),
    ("sw", "Arland imekataa pendekezo la wapatanishi la kusitisha mapigano", "", "talks_outcome", "no_agreement"),
]


@pytest.mark.parametrize(("language", "title", "text", "kind", "subtype"), CASES)
def test_one_sided_outcomes_lost_towns_and_massacres(classifier, language, title, text, kind, subtype) -> None:
    result, trace, why = classifier.explain(title, text, WHEN, language)
    if kind is None:
        # A pledge with no talks named is no outcome of talks; it must not read as a clash.
        assert result is None or result.kind != "new_clash", trace
        return
    assert result is not None, (why, trace)
    assert result.kind == kind, trace
    if subtype:
        assert result.subtype == subtype, trace


@pytest.mark.parametrize(
    ("language", "title", "text"),
    [
        # An anniversary: truces signed (plural) and shots a year ago.
        (
            "fr",
            "Arland, un an de guerre : des trêves signées, aucune respectée",
            "Il y a un an, le 12 novembre 2024, les premiers tirs éclataient à Port-Talon entre l'Arland et la Borvie.",
        ),
        # Drones named as arms a party is accused of supplying.
        ("ar", "آرلند تقطع العلاقات مع دولة ثالثة", "اتهم آرلند الدولة بتزويد بورفيا بالسلاح والمسيرات."),
        # A president leaving his capital for a summit.
        ("fr", "Le président de l'Arland a quitté Port-Talon pour un sommet", ""),
        # A withdrawal promised at talks.
        ("en", "Borvia says it will withdraw from Port Talon at mediators' request", ""),
    ],
)
def test_recaps_arms_and_journeys_are_no_events(classifier, language, title, text) -> None:
    result, trace, _why = classifier.explain(title, text, WHEN, language)
    assert result is None, trace


def test_the_headline_dates_an_attack_whose_aftermath_the_lede_dates() -> None:
    """ "After Sunday's drone attack" in the headline; "on Monday ... a day after" in the lede."""
    classifier = EventClassifier(Gazetteer.from_topic(TOPIC))
    monday = datetime(2025, 11, 10, 9, 0, tzinfo=UTC)
    result = classifier.classify(
        "Port Talon counts the damage after Sunday's drone attack on its air base",
        "Smoke still hung over Port Talon on Monday morning, a day after Borvian drones struck an Arland air base.",
        monday,
        "en",
    )
    assert result is not None and result.kind == "new_clash"
    assert result.event_date.isoformat() == "2025-11-09"
