"""Casualty figures in every language of the event vocabulary, on invented countries.

Each language's ``CASUALTY`` table (crawler.analysis.events.vocabulary) gives the nouns,
verbs and number words; the side is read as in English: a party named before the noun,
else the first side the sentence names. Figures may be written in any script's digits.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.config import TopicConfig
from core.config.identity import EventsConfig
from crawler.analysis.events.classifier import EventClassifier
from crawler.analysis.events.fields import casualties
from crawler.analysis.events.identity import signature
from crawler.analysis.events.rules import identity_rules
from crawler.analysis.events.vocabulary import LANGUAGES
from crawler.analysis.gazetteer import Gazetteer

# Invented countries, named in each script: nothing in the rules may know them.
TOPIC = TopicConfig(
    parties=["Northland", "Southland"],
    places=["Alton"],
    aliases={
        "Northland": ["Нортленд", "نورثلاند", "نورثلینڈ", "نورثلینډ", "नॉर्थलैंड"],
        "Southland": ["Сауслэнд", "Саутленд"],
        "Alton": ["Алтон", "ألتون"],
    },
    sides=[["Northland"], ["Southland"]],
)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.from_topic(TOPIC)


CASES = [
    # French: figure, noun, verb; and verb, figure, noun.
    ("fr", "L'armée du Northland a annoncé que 12 soldats ont été tués près d'Alton.", {"Northland_killed": 12}),
    ("fr", "Une frappe de drone a tué 5 civils dans la nuit.", {"civilians_killed": 5}),
    (
        "fr",
        "Quatre combattants ont été tués et deux policiers blessés.",
        {"militants_killed": 4, "forces_injured": 2},
    ),
    ("fr", "Le bilan fait état de 1 200 civils tués depuis janvier.", {"civilians_killed": 1200}),
    # Spanish.
    ("es", "Murieron 7 soldados del Southland en el ataque.", {"Southland_killed": 7}),
    ("es", "Once civiles resultaron heridos en Alton.", {"civilians_injured": 11}),
    ("es", "La ofensiva mató a 1.200 milicianos, según el gobierno.", {"militants_killed": 1200}),
    # Portuguese: the object without "a" ("matou 1.200"), the verb first or last.
    ("pt", "Morreram 7 soldados do Southland no ataque.", {"Southland_killed": 7}),
    ("pt", "Onze civis ficaram feridos em Alton.", {"civilians_injured": 11}),
    ("pt", "Segundo o exército do Northland, 12 soldados foram mortos perto de Alton.", {"Northland_killed": 12}),
    ("pt", "A ofensiva matou 1.200 milicianos, segundo o governo.", {"militants_killed": 1200}),
    (
        "pt",
        "O ataque de drone matou três civis e feriu 14 combatentes.",
        {"civilians_killed": 3, "militants_injured": 14},
    ),
    # German: the participle ends the clause.
    (
        "de",
        "Nach Angaben der Armee von Northland wurden 12 Soldaten bei dem Angriff getötet.",
        {"Northland_killed": 12},
    ),
    (
        "de",
        "Der Angriff tötete drei Zivilisten und verletzte 14 Kämpfer.",
        {"civilians_killed": 3, "militants_injured": 14},
    ),
    # Turkish.
    ("tr", "Northland ordusuna göre 12 asker şehit oldu.", {"Northland_killed": 12}),
    ("tr", "Saldırıda beş sivil yaralandı.", {"civilians_injured": 5}),
    ("tr", "En az 9 terörist etkisiz hale getirildi.", {"militants_killed": 9}),
    # Russian: the verb first.
    ("ru", "Минобороны Сауслэнд сообщило: погибли 12 военнослужащих.", {"Southland_killed": 12}),
    ("ru", "Ранены пять мирных жителей.", {"civilians_injured": 5}),
    ("ru", "Были ликвидированы не менее 30 боевиков.", {"militants_killed": 30}),
    # Ukrainian.
    ("uk", "Загинули щонайменше 9 цивільних, ще 20 людей поранені.", {"civilians_killed": 9, "civilians_injured": 20}),
    ("uk", "Нортленд повідомив, що вбито двох військових.", {"Northland_killed": 2}),
    # A collective numeral ("дев'ятеро дітей": nine children).
    ("uk", "Поранено дев'ятеро дітей.", {"civilians_injured": 9}),
    # Arabic: the verbal noun first, Arabic-Indic digits, a number word.
    ("ar", "أعلن جيش نورثلاند مقتل ١٢ جنديا وإصابة ٧ مدنيين.", {"Northland_killed": 12, "civilians_injured": 7}),
    ("ar", "أسفر الهجوم عن مقتل ثلاثة مسلحين قرب ألتون.", {"militants_killed": 3}),
    # Persian: Persian digits, "نفر" counting people.
    ("fa", "ارتش نورثلاند اعلام کرد ۱۲ نظامی کشته شدند.", {"Northland_killed": 12}),
    ("fa", "در این حمله دست کم ۵ نفر زخمی شدند.", {"civilians_injured": 5}),
    # Urdu.
    ("ur", "نورثلینڈ کی فوج کے مطابق 12 فوجی شہید ہو گئے۔", {"Northland_killed": 12}),
    ("ur", "حملے میں پانچ شہری زخمی ہوئے۔", {"civilians_injured": 5}),
    # Hindi: Devanagari digits.
    ("hi", "नॉर्थलैंड की सेना ने कहा कि १२ जवान शहीद हो गए।", {"Northland_killed": 12}),
    ("hi", "हमले में तीन आतंकवादी मारे गए।", {"militants_killed": 3}),
    ("hi", "नॉर्थलैंड का दावा है कि 40 सैनिक मरे।", {"Northland_killed": 40}),
    # Pashto: Persian digits, Arabic yeh in "ټپيان".
    ("ps", "د نورثلینډ پوځ وايي ۱۲ سرتیري ووژل شول.", {"Northland_killed": 12}),
    ("ps", "پنځه ملکي وګړي ټپيان شول.", {"civilians_injured": 5}),
    # Swahili: the figure after the noun.
    ("sw", "Jeshi la Northland lilisema wanajeshi 12 waliuawa karibu na Alton.", {"Northland_killed": 12}),
    ("sw", "Raia watano walijeruhiwa katika shambulio hilo.", {"civilians_injured": 5}),
    ("sw", "Shambulio lilisababisha kuuawa kwa wapiganaji kumi na wawili.", {"militants_killed": 12}),
]


@pytest.mark.parametrize(("language", "sentence", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_figures_are_read_in_every_language(
    gazetteer: Gazetteer, language: str, sentence: str, expected: dict[str, int]
) -> None:
    assert casualties([sentence], gazetteer) == expected
    # The language's own table reads it, not another's by chance.
    assert casualties([sentence], gazetteer, [language]) == expected


def test_every_vocabulary_language_is_tested() -> None:
    assert {case[0] for case in CASES} | {"en"} == set(LANGUAGES)


@pytest.mark.parametrize(
    "sentence",
    [
        # A negation per language family: Romance, Germanic, Slavic, Arabic-script, Indic,
        # Turkic, Bantu; some with a figure the statement denies.
        "L'attaque n'a fait aucune victime.",
        "Aucun des 30 civils n'a été blessé.",
        "El ataque se saldó sin víctimas.",
        "Ninguno de los 12 soldados resultó herido.",
        "O ataque não deixou vítimas.",
        "Nenhum dos 12 soldados ficou ferido.",
        "Keiner der 12 Soldaten wurde verletzt.",
        "Никто из 12 военных не пострадал.",
        "Жоден з 40 цивільних не постраждав.",
        "لم يسفر الهجوم عن قتلى.",
        "هیچ یک از ۱۲ نظامی زخمی نشدند.",
        "کوئی جانی نقصان نہیں ہوا۔",
        "हमले में कोई हताहत नहीं हुआ।",
        "Saldırıda ölen ya da yaralanan olmadı.",
        "Hakuna mtu aliyeuawa katika shambulio hilo.",
    ],
)
def test_a_denied_toll_is_no_figure(gazetteer: Gazetteer, sentence: str) -> None:
    assert casualties([sentence], gazetteer) == {}


def test_a_figure_too_large_for_one_event_is_not_a_toll(gazetteer: Gazetteer) -> None:
    # A war's total (or a population) is not this event's dead; the day's figure is.
    sentence = "С начала войны погибли 250 000 человек, а вчера погибли 12 военных Нортленд."
    assert casualties([sentence], gazetteer) == {"Northland_killed": 12}


WHEN = datetime(2025, 11, 12, 12, 0, tzinfo=UTC)  # a Wednesday
CLASH_REPORTS = [
    (
        "fr",
        "Attaque de drone du Northland près d'Alton",
        "Une frappe de drone du Northland a tué 12 civils à Alton mardi, selon des responsables locaux.",
    ),
    (
        "ru",
        "Нортленд нанес удар по Алтону",
        "В результате ракетного удара Нортленд по Алтону во вторник погибли 12 мирных жителей.",
    ),
    ("ar", "غارة جوية لنورثلاند على ألتون", "أسفرت غارة جوية لنورثلاند على ألتون الثلاثاء عن مقتل ١٢ مدنيا."),
    (
        "pt",
        "Ataque de drone do Northland perto de Alton",
        "Um ataque de drone do Northland matou 12 civis em Alton na terça-feira, segundo autoridades locais.",
    ),
]


@pytest.mark.parametrize(("language", "title", "text"), CLASH_REPORTS, ids=[r[0] for r in CLASH_REPORTS])
def test_a_clash_reports_figure_is_its_events_and_counts_for_identity(
    gazetteer: Gazetteer, language: str, title: str, text: str
) -> None:
    # The figure reaches the event's fields (what updates an alert) and its identity
    # signature (the "figure both reports give" criterion).
    event = EventClassifier(gazetteer).classify(title, text, WHEN, language)
    assert event is not None and event.kind == "new_clash"
    assert event.fields["casualties"] == {"civilians_killed": 12}
    rules = identity_rules(TOPIC, EventsConfig(), gazetteer)
    assert signature(event, title, gazetteer, rules).figures == frozenset({12})
