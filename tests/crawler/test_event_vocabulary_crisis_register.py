"""A crisis fought with missiles and drones along a ceasefire line, in en, ur and hi.

The classes of statement the India–Pakistan set found missing, told of two invented
neighbours (Arland and Borvia) in fresh sentences: strikes told by their weapons (missiles
fired, drones brought down or crashing, air defences destroyed), the military-press register
(unprovoked firing met with an effective answer, posts destroyed), truces told by what stops
and troops pulled back, a truce breached hours after it began or kept while the other side's
violations are blamed; and what is not a clash or an outcome (gunmen firing on tourists, an
operation "only paused", a treaty a government reserves the right to suspend, a cricket
result).
"""

from __future__ import annotations

import pytest

from core.config import TopicConfig
from crawler.analysis.events.classifier import EventClassifier
from crawler.analysis.gazetteer import Gazetteer
from crawler.analysis.relevance import RelevanceJudge
from tests.classifying import WHEN
from tests.classifying import kind_and_subtype as _classify

TOPIC = TopicConfig(
    parties=["Arland", "Borvia"],
    sides=[["Arland"], ["Borvia"]],
    places=["Kestrel Pass"],
    aliases={
        "Arland": ["Arlandi", "آرلینڈ", "आरलैंड"],
        "Borvia": ["Borvian", "بورویا", "बोर्विया"],
    },
)


@pytest.fixture(scope="module")
def classifier() -> EventClassifier:
    return EventClassifier(Gazetteer.from_topic(TOPIC), clashes=["Operation Gale"])


EVENTS = [
    # Strikes told by their weapons: missiles fired at places.
    ("ur", "بورویا نے آرلینڈ کے تین شہروں پر رات گئے میزائل داغے", "new_clash", "air_strike"),
    ("hi", "बोर्विया ने आरलैंड के दो शहरों पर रात में मिसाइलें दागीं", "new_clash", "air_strike"),
    ("hi", "बोर्विया ने आरलैंड के सैन्य ठिकानों पर ड्रोन और मिसाइलों से हमला किया", "new_clash", "air_strike"),
    # Drones brought down, or crashing on a place.
    ("en", "Borvian drone crashes near Arland football ground, damaging the stands", "new_clash", "air_strike"),
    ("en", "Arland says its forces brought down eleven Borvian drones over border towns", "new_clash", "air_strike"),
    ("ur", "آرلینڈ کی فوج نے بورویا کے بارہ ڈرون مار گرائے", "new_clash", "air_strike"),
    ("hi", "आरलैंड की सेना ने बोर्विया के आठ ड्रोन मार गिराए", "new_clash", "air_strike"),
    # Air defences destroyed or neutralised.
    ("en", "Arland says it neutralised a Borvian air defence battery near the frontier", "new_clash", "air_strike"),
    ("ur", "آرلینڈ کا دعویٰ، بورویا کا فضائی دفاع کا نظام تباہ کر دیا", "new_clash", "air_strike"),
    ("hi", "आरलैंड ने बोर्विया की वायु रक्षा प्रणाली नष्ट कर दी", "new_clash", "air_strike"),
    # The military-press register: unprovoked firing answered, posts destroyed.
    ("ur", "بورویا کی فوج کی بلا اشتعال فائرنگ، آرلینڈ کی فوج کا مؤثر جواب", "new_clash", "border_clash"),
    ("ur", "آرلینڈ کی جوابی کارروائی، بورویا کی چار چوکیاں تباہ", "new_clash", "border_clash"),
    # Truces told by what stops.
    (
        "en",
        "Arland and Borvia agreed on a hotline call that both armies would stop all firing",
        "talks_outcome",
        "agreement",
    ),
    (
        "hi",
        "हॉटलाइन पर बातचीत के बाद आरलैंड और बोर्विया आधी रात से गोलीबारी बंद करने पर सहमत",
        "talks_outcome",
        "agreement",
    ),
    ("ur", "آرلینڈ اور بورویا کا ہاٹ لائن رابطہ، آدھی رات سے فائرنگ بند کرنے پر اتفاق", "talks_outcome", "agreement"),
    # Troops pulled back by agreement.
    ("en", "Arland, Borvia agree on hotline to pull troops back to peacetime positions", "talks_outcome", "agreement"),
    ("ur", "مذاکرات میں آرلینڈ اور بورویا کا سرحد سے فوجیں واپس بلانے کا فیصلہ", "talks_outcome", "agreement"),
    # A truce kept longer, with the date between the truce and the extension.
    ("ur", "آرلینڈ اور بورویا کی جنگ بندی میں اگلے ہفتے تک توسیع", "talks_outcome", "ceasefire_extended"),
    # A truce breached hours after it began, or an understanding violated.
    ("en", "Blasts heard over Borvian border town hours after truce with Arland", "new_clash", "ceasefire_violation"),
    ("en", "Borvia violated the understanding within hours, Arland says", "new_clash", "ceasefire_violation"),
    ("hi", "संघर्ष विराम के कुछ घंटे बाद ही बोर्विया के सीमावर्ती शहर में धमाके", "new_clash", "ceasefire_violation"),
    ("ur", "جنگ بندی کے چند گھنٹے بعد ہی بورویا کے سرحدی قصبے میں دھماکے", "new_clash", "ceasefire_violation"),
    # A truce kept by one side while it blames the other's violations: a breach, blamed.
    ("ur", "آرلینڈ جنگ بندی پر کاربند، خلاف ورزیاں بورویا نے کیں", "new_clash", "ceasefire_violation"),
    ("hi", "आरलैंड संघर्ष विराम के प्रति प्रतिबद्ध, उल्लंघन बोर्विया ने किया", "new_clash", "ceasefire_violation"),
]


@pytest.mark.parametrize(("language", "title", "kind", "subtype"), EVENTS)
def test_the_crisis_register_is_read(classifier, language: str, title: str, kind: str, subtype: str) -> None:
    assert _classify(classifier, language, title) == (kind, subtype)


NO_EVENTS = [
    # A massacre of civilians by gunmen is a terror attack, not fire between the parties.
    ("en", "Gunmen open fire on tourists near Arland's border with Borvia, killing nine"),
    # An operation that is "only paused" is not a new clash.
    ("en", "Arland's leader says Operation Gale only paused, warns Borvia"),
    # A treaty a government reserves the right to suspend is a threat, not the step.
    ("en", "Arland reserves the right to suspend the water treaty with Borvia"),
    ("ur", "آرلینڈ کی قومی سلامتی کمیٹی کا بورویا کے ساتھ معاہدہ معطل کرنے کا اختیار"),
    ("hi", "आरलैंड ने बोर्विया के साथ जल समझौता निलंबित करने का अधिकार सुरक्षित रखा"),
]


@pytest.mark.parametrize(("language", "title"), NO_EVENTS)
def test_what_is_not_a_clash_or_an_outcome(classifier, language: str, title: str) -> None:
    assert _classify(classifier, language, title) is None


@pytest.mark.parametrize(
    ("title", "text", "relevant"),
    [
        ("Arland beat Borvia by six wickets to win the tri-series final", "", False),
        ("आरलैंड ने बोर्विया को चार विकेट से हराकर खिताब जीता", "", False),
        ("آرلینڈ نے بورویا کو تین وکٹوں سے شکست دے دی", "", False),
        # The same words around a clash stay on topic: no result is told.
        ("Borvian drone falls near Arland cricket stadium hours before league match", "", True),
    ],
)
def test_a_game_between_the_parties_is_sports_news(title: str, text: str, relevant: bool) -> None:
    judge = RelevanceJudge(TOPIC, Gazetteer.from_topic(TOPIC))
    assert judge.judge(title, text).relevant is relevant


@pytest.mark.parametrize(
    ("language", "title", "text"),
    [
        ("en", "Arland and Borvia troops exchanged fire across the line at Kestrel Pass", ""),
        (
            "en",
            "Borvian posts open fire across the line near Kestrel Pass",
            "Borvian posts fired on Arland's positions on Monday night. Arland's troops responded, the army said.",
        ),
        ("ur", "کیسٹرل پاس پر بورویا اور آرلینڈ کی افواج کے درمیان فائرنگ کا تبادلہ", ""),
        ("hi", "आरलैंड की बलाइ चौकियों पर बोर्विया की गोलीबारी, सेना ने माकूल जवाब दिया", ""),
        ("fr", "Échange de tirs entre soldats de l'Arland et de la Borvia à Kestrel Pass", ""),
    ],
)
def test_a_clash_told_as_an_exchange_of_fire_is_marked(classifier, language: str, title: str, text: str) -> None:
    # Both sides firing: identity joins each side's report of one exchange from its sectors.
    result = classifier.classify(title, text, WHEN, language)
    assert result is not None and result.kind == "new_clash"
    assert result.fields.get("exchange") is True


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "Arland fires missiles at three Borvian towns overnight"),
        ("ur", "بورویا نے آرلینڈ کے تین شہروں پر رات گئے میزائل داغے"),
        ("hi", "बोर्विया ने आरलैंड के दो शहरों पर रात में मिसाइलें दागीं"),
    ],
)
def test_a_one_way_strike_is_not_an_exchange(classifier, language: str, title: str) -> None:
    result = classifier.classify(title, "", WHEN, language)
    assert result is not None and result.kind == "new_clash"
    assert "exchange" not in result.fields
