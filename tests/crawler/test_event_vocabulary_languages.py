"""Quality gate: the event vocabularies of Russian, Ukrainian, Spanish, German, Turkish and Portuguese.

Each language has short labeled articles (tests/fixtures/languages/events.yaml) about two
invented neighbours: one per talks outcome subtype and clash kind, negated statements, and
near misses. Detection (an event found where one is labeled, none where none is) and the
subtype found are scored per language. Without a vocabulary of its own a language is read
with the English patterns alone, which find nothing in it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from core.config import TopicConfig
from crawler.analysis.events.classifier import EventClassifier
from crawler.analysis.events.dates import read_event_date
from crawler.analysis.events.spans import event_span
from crawler.analysis.gazetteer import Gazetteer
from crawler.stories.evaluate import Scores

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = ROOT / "tests" / "fixtures" / "languages" / "events.yaml"
WHEN = datetime(2025, 11, 12, 12, 0, tzinfo=UTC)
TOPIC = TopicConfig(
    parties=["Arland", "Borvia"],
    sides=[["Arland"], ["Borvia"]],
    aliases={"Arland": ["Арландия", "Арландія"], "Borvia": ["Борвия", "Борвія"]},
)
LANGUAGES = ["ru", "uk", "es", "de", "tr", "pt"]
# Floors per language: the articles were written by the vocabulary's author, so they are a
# check that each statement form is covered, not an independent measure.
FLOOR = {"precision": 0.9, "recall": 0.9, "subtype": 0.9}


def _articles() -> list[dict[str, Any]]:
    return list(yaml.safe_load(ARTICLES.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def classifier() -> EventClassifier:
    return EventClassifier(Gazetteer.from_topic(TOPIC))


def test_each_language_has_every_subtype_negations_and_near_misses() -> None:
    articles = _articles()
    for language in LANGUAGES:
        own = [a for a in articles if a["language"] == language]
        subtypes = {a["subtype"] for a in own if a["kind"]}
        assert subtypes == {
            "collapsed",
            "no_agreement",
            "ceasefire_extended",
            "next_round_set",
            "agreement",
            "air_strike",
            "border_clash",
            "cross_border_attack",
            "ceasefire_violation",
        }, language
        assert sum(1 for a in own if a["kind"] is None) >= 5, language


@pytest.mark.parametrize("language", LANGUAGES)
def test_events_are_detected_in_the_language(classifier: EventClassifier, language: str) -> None:
    scores = Scores()
    right_subtype = detected = 0
    misses = []
    for article in (a for a in _articles() if a["language"] == language):
        result = classifier.classify(article["title"], article["text"], WHEN, language)
        found = result is not None and result.kind == article["kind"]
        scores.add(result is not None, article["kind"] is not None, {"a": article["id"]})
        if found and result is not None:
            detected += 1
            right_subtype += result.subtype == article["subtype"]
        if (result.subtype if result else None) != article["subtype"]:
            misses.append((article["id"], result.subtype if result else None))
    assert scores.precision >= FLOOR["precision"], misses
    assert scores.recall >= FLOOR["recall"], misses
    assert right_subtype / max(detected, 1) >= FLOOR["subtype"], misses


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("ru", "Арландия не нарушала перемирие с Борвией"),
        ("uk", "Арландія не порушувала перемир'я з Борвією"),
        ("es", "Arland no ha violado la tregua con Borvia"),
        ("de", "Arland: keine Verletzung der Waffenruhe mit Borvia"),
        ("ru", "Борвия: никаких ударов по Арландии"),
        ("es", "Borvia: ningún bombardeo aéreo sobre Arland"),
        ("tr", "Arland ateşkesi ihlal etmedi"),
        ("tr", "Borvia: Arland'a hiçbir hava saldırısı"),
        ("pt", "Arland não violou a trégua com Borvia"),
        ("pt", "Borvia: nenhum bombardeio aéreo contra Arland"),
        ("pt", "Arland: não houve ruptura das negociações com Borvia"),
    ],
)
def test_a_negated_statement_reports_nothing(classifier: EventClassifier, language: str, title: str) -> None:
    result, trace, _ = classifier.explain(title, "", WHEN, language)
    assert result is None, trace
    assert any(t.verdict == "negated" for t in trace), trace


@pytest.mark.parametrize(
    ("sentence", "day", "basis"),
    [
        # WHEN is Wednesday 12 November 2025.
        ("Удар по городу был нанесён в понедельник", date(2025, 11, 10), "sentence"),
        ("Обстрел в ночь с понедельника на вторник", date(2025, 11, 11), "sentence"),
        ("Обстріл у п'ятницю зруйнував школу", date(2025, 11, 7), "sentence"),
        ("Los combates del sábado dejaron seis muertos", date(2025, 11, 8), "sentence"),
        ("El ataque del 9 de noviembre dejó seis muertos", date(2025, 11, 9), "sentence"),
        ("Der Angriff am 9. November forderte sechs Tote", date(2025, 11, 9), "sentence"),
        ("Am Montagabend griffen Drohnen die Stadt an", date(2025, 11, 10), "sentence"),
        ("Gestern wurde die Stadt beschossen", date(2025, 11, 11), "sentence"),
        ("Вчора ввечері дрони атакували місто", date(2025, 11, 11), "sentence"),
        ("Pazartesi günü düzenlenen saldırıda dört kişi öldü", date(2025, 11, 10), "sentence"),
        ("Dün gece sınırda çatışma çıktı", date(2025, 11, 11), "sentence"),
        ("9 Kasım'daki saldırıda dört kişi öldü", date(2025, 11, 9), "sentence"),
        # The day a source spoke, and a day to come, are not the event's.
        ("El ministro dijo el lunes que las conversaciones fracasaron", date(2025, 11, 10), "statement"),
        ("Die Gespräche sollen am kommenden Montag weitergehen", date(2025, 11, 12), "publication"),
        ("Переговоры назначены на пятницу", date(2025, 11, 12), "publication"),
        ("Bakan Pazartesi günü açıkladı", date(2025, 11, 10), "statement"),
        ("Cuma günü yapılacak görüşmeler ertelendi", date(2025, 11, 12), "publication"),
        ("Os combates de sábado deixaram seis mortos", date(2025, 11, 8), "sentence"),
        ("O ataque de 9 de novembro deixou seis mortos", date(2025, 11, 9), "sentence"),
        ("Na segunda-feira drones atacaram a cidade", date(2025, 11, 10), "sentence"),
        ("Ontem à noite a cidade foi bombardeada", date(2025, 11, 11), "sentence"),
        ("Bombardeio na noite de segunda para terça-feira", date(2025, 11, 11), "sentence"),
        ("O ministro disse nesta segunda-feira que as negociações fracassaram", date(2025, 11, 10), "statement"),
        ("As negociações devem ser retomadas na próxima segunda-feira", date(2025, 11, 12), "publication"),
        ("A reunião está marcada para sexta-feira", date(2025, 11, 12), "publication"),
    ],
)
def test_days_are_read_in_the_language(sentence: str, day: date, basis: str) -> None:
    reading = read_event_date(sentence, WHEN)
    assert (reading.day, reading.basis) == (day, basis)


@pytest.mark.parametrize(
    "sentence",
    [
        "После трёх дней боёв армия Борвии отступила",
        "Tras tres días de combates en la frontera",
        "Nach drei Tagen heftiger Kämpfe zog sich die Armee zurück",
        "Seit Montag dauern die Angriffe an",
        "Los bombardeos continúan desde el lunes",
        "Обстріли тривають з понеділка",
        "Üç gün süren çatışmalarda ordu geri çekildi",
        "Saldırılar Pazartesi'den bu yana sürüyor",
        "Após três dias de combates na fronteira",
        "Os bombardeios continuam desde segunda-feira",
    ],
)
def test_fighting_that_lasted_days_is_a_span(sentence: str) -> None:
    assert event_span(sentence, sentence, [], WHEN.date(), WHEN) == (date(2025, 11, 10), date(2025, 11, 12))


@pytest.mark.parametrize(
    ("language", "title"),
    [
        # "Einnahmen" (revenue) is not "einnahm" (took); "kämpfen mit" a drought is no battle.
        ("de", "Arland und Borvia: Einnahmen aus dem Grenzhandel steigen"),
        ("de", "Bauern in Arland und Borvia kämpfen mit schwerer Dürre"),
        # Sport: a bout, a counter-attack.
        ("ru", "Боксёр из Арландии победил соперника из Борвии в бою за титул"),
        ("es", "El boxeador de Arland gana a Borvia en un combate por el título"),
        ("pt", "Boxeador de Arland vence Borvia em combate pelo título"),
        # "acordar" is also to wake up; "Minas" is also Minas Gerais; "recorde" a record.
        ("pt", "Moradores de Arland acordaram com os fogos de artifício da festa de Borvia"),
        ("pt", "Arland e Borvia: chuva forte deixa dois mortos em Minas Gerais"),
        ("pt", "Comércio entre Arland e Borvia bate recorde após acordo assinado no ano passado"),
    ],
)
def test_words_of_other_news_are_no_clash(classifier: EventClassifier, language: str, title: str) -> None:
    result, trace, _ = classifier.explain(title, "", WHEN, language)
    assert result is None, trace


@pytest.mark.parametrize(
    ("language", "title"),
    [
        # The battlefield names where the wounded and the dead lie, not a fight.
        ("ru", "Арландия предложила Борвии перемирие, чтобы забрать с поля боя раненых и тела погибших"),
        ("uk", "Арландія запропонувала Борвії перемир'я, щоб забрати з поля бою поранених і тіла загиблих"),
    ],
)
def test_the_battlefield_is_no_clash(classifier: EventClassifier, language: str, title: str) -> None:
    result, trace, _ = classifier.explain(title, "", WHEN, language)
    assert result is None or result.kind != "new_clash", trace


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("ru", "Мнение: переговоры Арландии и Борвии сорвались"),
        ("uk", "Думка: переговори Арландії та Борвії зірвалися"),
        ("es", "Opinión | Fracasan las conversaciones entre Arland y Borvia"),
        ("de", "Kommentar: Gespräche zwischen Arland und Borvia gescheitert"),
        ("tr", "Görüş: Arland ile Borvia arasındaki müzakereler çöktü"),
        ("es", "¿Por qué fracasaron las conversaciones entre Arland y Borvia?"),
        ("pt", "Opinião: fracassam as conversações entre Arland e Borvia"),
        ("pt", "Por que fracassaram as negociações entre Arland e Borvia?"),
    ],
)
def test_opinion_and_analysis_in_the_language_are_no_events(
    classifier: EventClassifier, language: str, title: str
) -> None:
    assert classifier.classify(title, "", WHEN, language) is None


@pytest.mark.parametrize("article", [a for a in _articles() if "-called-off-" in a["id"]], ids=lambda a: a["id"])
def test_talks_called_off_are_a_collapse(classifier: EventClassifier, article: dict[str, Any]) -> None:
    result = classifier.classify(article["title"], article["text"], WHEN, article["language"])
    assert (result.subtype if result else None) == article["subtype"]


@pytest.mark.parametrize(
    "title",
    [
        # Insurgencies are reported as raids on villages, no border or position named.
        "Rebeldes de Borvia atacam aldeia em Arland e matam cinco moradores",
        "Homens armados vindos de Borvia incendeiam casas em Arland e matam três civis",
    ],
)
def test_raids_on_villages_are_clashes_in_portuguese(classifier: EventClassifier, title: str) -> None:
    result, trace, _ = classifier.explain(title, "", WHEN, "pt")
    assert result is not None and result.kind == "new_clash", trace
