"""Names found in every script: without spaces, with endings and particles, with Arabic proclitics.

Each sentence is ours, written to name the countries and towns the way running text in that
language does (inflected, with particles attached), not as the name stands in CLDR or
GeoNames. The topic spells none of them: every name is derived (``topic.countries``).
"""

from __future__ import annotations

import pytest

from core.config import DedupConfig, TopicConfig
from crawler.analysis.explain import names_matched
from crawler.analysis.gazetteer import Gazetteer
from crawler.analysis.prepare import Analyser
from crawler.analysis.relevance import RelevanceJudge
from crawler.analysis.text import normalise, words

TOPIC = TopicConfig(
    parties=["Pakistan", "Afghanistan"],
    places=["Kabul", "Quetta", "Kandahar", "Peshawar", "Chaman", "Dir", "Goma"],
    countries={"PK": "Pakistan", "AF": "Afghanistan"},
)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.from_topic(TOPIC)


def found(gazetteer: Gazetteer, text: str) -> set[str]:
    return gazetteer.find(words(text))


@pytest.mark.parametrize(
    ("language", "sentence", "expected"),
    [
        # Bengali: genitive -এর / -ের and locative -এ attached.
        ("bn", "পাকিস্তানের সেনারা আফগানিস্তানের সীমান্তে গুলি চালায়, কাবুলে উত্তেজনা", {"Pakistan", "Afghanistan", "Kabul"}),
        # Tamil: -இன், -உம், -இல் replace the final virama; ஆப்கானிஸ்தான் without the aytham of CLDR's spelling.
        ("ta", "பாகிஸ்தானின் படைகள் ஆப்கானிஸ்தானுடன் மோதின; காபூலில் பதற்றம்", {"Pakistan", "Afghanistan", "Kabul"}),
        # Telugu: a postposition after a zero-width non-joiner.
        ("te", "పాకిస్తాన్‌తో ఆఫ్ఘనిస్తాన్ చర్చలు విఫలమయ్యాయి", {"Pakistan", "Afghanistan"}),
        # Thai: no spaces between words.
        ("th", "ปากีสถานและอัฟกานิสถานปะทะกันใกล้คาบูล", {"Pakistan", "Afghanistan", "Kabul"}),
        # Chinese, simplified and traditional: no spaces.
        ("zh", "巴基斯坦与阿富汗军队在边境交火，坎大哈和喀布尔戒严", {"Pakistan", "Afghanistan", "Kandahar", "Kabul"}),
        ("zh-TW", "巴基斯坦與阿富汗在喀布爾會談", {"Pakistan", "Afghanistan", "Kabul"}),
        # Russian: genitive, instrumental, prepositional.
        (
            "ru",
            "Между Пакистаном и Афганистаном бои; в Кабуле и Кандагаре тревога",
            {"Pakistan", "Afghanistan", "Kabul", "Kandahar"},
        ),
        # Ukrainian: dative and locative.
        ("uk", "Пакистан завдав ударів по Афганістану, у Кабулі чули вибухи", {"Pakistan", "Afghanistan", "Kabul"}),
        # Turkish: suffixes after an apostrophe, and -lı without one.
        ("tr", "Afganistanlı yetkililer Pakistan'ın Kabil'e saldırısını kınadı", {"Pakistan", "Afghanistan", "Kabul"}),
        # Arabic: hamza on the alef, the conjunction and the preposition attached, teh marbuta.
        ("ar", "اشتباكات بين باكستان وأفغانستان قرب الحدود، وانفجار بكابل", {"Pakistan", "Afghanistan", "Kabul"}),
        ("ar", "القوات الباكستانية تقصف مواقع في أفغانستان", {"Pakistan", "Afghanistan"}),
        # Persian (Dari): Persian yeh and keheh, the adjective ending -ی.
        ("fa-AF", "نیروهای پاکستانی در نزدیکی کابل با افغانستان درگیر شدند", {"Pakistan", "Afghanistan", "Kabul"}),
    ],
)
def test_names_in_every_script(gazetteer: Gazetteer, language: str, sentence: str, expected: set[str]) -> None:
    assert found(gazetteer, sentence) == expected, language


def test_short_latin_names_stay_whole_words(gazetteer: Gazetteer) -> None:
    # Dir and Goma are configured places: "director" and "Gomorrah" must not be them.
    assert found(gazetteer, "The director compared Gomorrah to Dirty Harry") == set()
    assert found(gazetteer, "Gunmen attacked a checkpost in Dir") == {"Dir"}


def test_long_derived_latin_names_take_short_endings(gazetteer: Gazetteer) -> None:
    # Polish locative, Finnish genitive: CLDR's Afganistan with an ending.
    assert found(gazetteer, "w Afganistanie") == {"Afghanistan"}
    assert found(gazetteer, "Afganistanin hallitus") == {"Afghanistan"}
    # Not a long ending, and not a short name: Kabul (five letters) stays a whole word.
    assert found(gazetteer, "Afganistanizacja") == set()
    assert found(gazetteer, "Kabulistan") == set()


def test_arabic_letter_variants_fold() -> None:
    # Alef with hamza or madda, teh marbuta, Arabic yeh and kaf, tatweel and harakat.
    assert normalise("أفغانستان") == normalise("افغانستان")
    assert normalise("إسلام آباد") == normalise("اسلام اباد")
    assert normalise("كابـــل") == normalise("کابل")
    assert normalise("باكِسْتان") == normalise("باکستان")


def test_aliases_override_derived_names() -> None:
    # A spelling the config gives to another entity wins over the derived one.
    topic = TOPIC.model_copy(update={"aliases": {"Chaman": ["Кабул"]}})
    gazetteer = Gazetteer.from_topic(topic)
    assert found(gazetteer, "в Кабул") == {"Chaman"}


def test_lede_of_a_chinese_article_ends_at_its_full_stops() -> None:
    # The lede is the headline and six sentences, in Chinese as in English: a party named in
    # the eighth sentence only is a passing mention.
    topic = TopicConfig(
        parties=["Pakistan", "Afghanistan"],
        sides=[["Pakistan"], ["Afghanistan"]],
        countries={"PK": "Pakistan", "AF": "Afghanistan"},
    )
    judge = RelevanceJudge(topic, Gazetteer.from_topic(topic))
    filler = ["当地官员说，情况仍在评估之中。"] * 6
    late = "".join(["阿富汗东部边境地区周六发生交火。", *filler, "巴基斯坦军方随后发表声明。"])
    early = "".join(["阿富汗东部边境地区周六发生交火。", "巴基斯坦军方随后发表声明。", *filler])
    assert judge.judge("边境交火", late, "zh").relevant is False
    assert judge.judge("边境交火", early, "zh").relevant is True


def test_chinese_short_form_of_a_pair_names_both_sides() -> None:
    # 巴阿 is Pakistan and Afghanistan together; 印巴 (India and Pakistan) is not the topic's.
    topic = TopicConfig(
        parties=["Pakistan", "Afghanistan"],
        sides=[["Pakistan"], ["Afghanistan"]],
        countries={"PK": "Pakistan", "AF": "Afghanistan"},
    )
    gazetteer = Gazetteer.from_topic(topic)
    assert found(gazetteer, "巴阿边境再度交火，双方互相指责") == {"Pakistan", "Afghanistan"}
    assert found(gazetteer, "印巴局势紧张") == set()
    judge = RelevanceJudge(topic, gazetteer)
    assert judge.judge("巴阿边境再度交火", "双方军队周日在边境多处交火。", "zh").relevant is True


def test_explain_shows_inflected_and_unspaced_names_as_written() -> None:
    # newswatch explain lists the words that named each entity, as the judge found them.
    analyser = Analyser(TOPIC, DedupConfig())
    shown = {(n["name"], n["as"], n["script"]) for n in names_matched(analyser, "Пакистаном; 巴基斯坦与阿富汗")}
    assert shown == {
        ("Pakistan", "пакистаном", "Cyrillic"),
        ("Pakistan", "巴基斯坦", "Cjk"),
        ("Afghanistan", "阿富汗", "Cjk"),
    }


CYRILLIC_TOPIC = TopicConfig(
    places=["Sumy", "Kyiv", "Kharkiv", "Kryvyi Rih"],
    aliases={
        "Sumy": ["Сумы", "Суми"],
        "Kyiv": ["Киев", "Київ"],
        "Kharkiv": ["Харків"],
        "Kryvyi Rih": ["Кривой Рог", "Кривий Ріг"],
    },
)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # Short Russian and Ukrainian names take a noun's case endings.
        ("Удар по Сумам, в Сумах траур, центр Сум", {"Sumy"}),
        ("В Киеве и под Киевом слышны взрывы", {"Kyiv"}),
        # Ukrainian: the last і/ї of a name opens to о/е/є before an ending.
        ("У Києві та біля Києва лунали вибухи", {"Kyiv"}),
        ("Обстріл Харкова", {"Kharkiv"}),
        # A name of several words inflects each word, the adjective as an adjective.
        ("Ракета попала в ресторан в Кривом Роге", {"Kryvyi Rih"}),
        ("Жители Кривого Рога", {"Kryvyi Rih"}),
        ("Удар по Кривому Рогу", {"Kryvyi Rih"}),
    ],
)
def test_short_and_multiword_cyrillic_names_take_case_endings(sentence: str, expected: set[str]) -> None:
    assert found(Gazetteer.from_topic(CYRILLIC_TOPIC), sentence) == expected


def test_a_short_cyrillic_name_takes_no_other_ending() -> None:
    # A bag, a Kyivan (an adjective), a crooked horn are not the places.
    gazetteer = Gazetteer.from_topic(CYRILLIC_TOPIC)
    assert found(gazetteer, "сумка, киевский торт, кривая дорога, рогатка") == set()
