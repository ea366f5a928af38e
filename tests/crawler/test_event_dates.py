"""Event dates resolved against the publication time, the way news states them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from crawler.analysis.events.dates import resolve_event_date

SATURDAY = datetime(2025, 11, 8, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("ISTANBUL, Nov 8 (TPA) - Talks broke up late on Friday without a deal.", date(2025, 11, 7)),
        ("Fighting raged overnight along the border.", date(2025, 11, 7)),
        ("Officials said yesterday that the truce would hold.", date(2025, 11, 7)),
        ("Shops burned on Friday after a raid shortly before midnight on Thursday.", date(2025, 11, 6)),
        ("Troops clashed on Saturday, a week after the truce agreed on October 19.", date(2025, 11, 8)),
        ("The clashes of October 12 killed 23 soldiers.", date(2025, 10, 12)),
        ("They will meet again on November 25 in Istanbul.", date(2025, 11, 8)),
        ("No time is given here.", date(2025, 11, 8)),
        ("گزشتہ روز سرحد پر جھڑپ ہوئی", date(2025, 11, 7)),
        # Weekdays and "last night" in Urdu, Pashto, Dari and Hindi (SATURDAY is a Saturday).
        ("چمن میں جمعے کی رات فائرنگ کا تبادلہ ہوا", date(2025, 11, 7)),
        ("وزیر نے بدھ کو بتایا کہ مذاکرات جاری رہیں گے", date(2025, 11, 5)),
        ("फ़ायरिंग गुरुवार रात शुरू हुई", date(2025, 11, 6)),
        ("پاکستاني ځواکونو تېره شپه بمبار وکړ", date(2025, 11, 7)),
        ("نیروهای پاکستانی شب گذشته خانه‌ای را بمباران کردند", date(2025, 11, 7)),
        ("هیئت‌ها روز سه‌شنبه در استانبول دیدار کردند", date(2025, 11, 4)),
        ("د سه شنبې په ورځ غونډه وشوه", date(2025, 11, 4)),
        # Dari "the night of Friday" is Thursday night; "the day of Friday" is Friday.
        ("درگیری‌ها شب جمعه در مرز آغاز شد", date(2025, 11, 6)),
        ("درگیری‌ها شبِ جمعه در مرز آغاز شد", date(2025, 11, 6)),
        ("درگیری‌ها روز جمعه در مرز آغاز شد", date(2025, 11, 7)),
        ("حمله هوایی شب شنبه انجام شد", date(2025, 11, 7)),
        ("نیروها جمعه شب آتش گشودند", date(2025, 11, 7)),  # "Friday night", the other word order
        # "Week" and a place name are not dates: Urdu ہفتہ alone, نن inside ننګرهار.
        ("گزشتہ ہفتے سرحد پر جھڑپ ہوئی", date(2025, 11, 8)),
        ("په ننګرهار کې پرون نښته وشوه", date(2025, 11, 7)),
        ("آجر نے بتایا کہ کام بند ہے", date(2025, 11, 8)),
        # French, Swahili and Arabic weekdays, yesterday, and French and Swahili months.
        ("Des affrontements ont éclaté jeudi près de la frontière.", date(2025, 11, 6)),
        ("Les deux parties ont signé hier un accord.", date(2025, 11, 7)),
        ("Mapigano makali yamezuka Jumanne katika eneo hilo.", date(2025, 11, 4)),
        ("وقعت الحكومة وحركة المتمردين يوم الأربعاء اتفاقا في الدوحة", date(2025, 11, 5)),
        ("Les combats du 12 octobre ont fait vingt morts.", date(2025, 10, 12)),
        ("Makubaliano yalisainiwa tarehe 3 Novemba mjini Doha.", date(2025, 11, 3)),
    ],
)
def test_event_dates(sentence: str, expected: date) -> None:
    assert resolve_event_date(sentence, SATURDAY) == expected


def test_a_sentence_without_a_date_borrows_one_from_the_lede() -> None:
    lede = ["The talks ended on Friday night, officials said."]
    assert resolve_event_date('"The talks are over," the minister said.', SATURDAY, lede) == date(2025, 11, 7)


def test_a_december_date_in_a_january_paper_is_last_year() -> None:
    january = datetime(2026, 1, 3, 9, 0, tzinfo=UTC)
    assert resolve_event_date("The strikes of December 30 were condemned.", january) == date(2025, 12, 30)
