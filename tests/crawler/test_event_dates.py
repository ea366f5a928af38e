"""Event dates resolved against the publication time, the way news states them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from crawler.analysis.events.dates import EventDay, read_event_date, resolve_event_date

SATURDAY = datetime(2025, 11, 8, 14, 0, tzinfo=UTC)


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


# The day a source spoke is not the day of the event; datelines, spans and "the day before"
# (invented places and parties: Valdoria, Norland, Port Amsel).
FRIDAY_MORNING = datetime(2025, 11, 14, 9, 30, tzinfo=timezone(timedelta(hours=5)))
SUNDAY_NOON = datetime(2025, 11, 16, 11, 20, tzinfo=timezone(timedelta(hours=3)))


@pytest.mark.parametrize(
    ("sentence", "context", "published", "expected"),
    [
        # Said on Sunday; the round it reports closed on Friday (a later sentence of the lede).
        (
            "Mediation has stalled after Valdoria shelved the talks, diplomats said on Sunday.",
            ["Talks stall", "Ministers say the round closed on Friday without agreement."],
            SUNDAY_NOON,
            date(2025, 11, 14),
        ),
        # The army spoke on Friday; the attack it reports was on Thursday.
        (
            "The Norland army said on Friday that rebels had attacked its posts near Port Amsel.",
            ["Posts attacked", "The attack on Thursday killed four soldiers."],
            FRIDAY_MORNING,
            date(2025, 11, 13),
        ),
        # French, Swahili and Urdu: "a affirmé jeudi", "wamesema Jumanne", "ہفتے کے روز بتایا".
        (
            "L'armée a affirmé vendredi que les rebelles avaient attaqué ses positions.",
            ["Positions attaquées", "L'assaut a commencé mercredi à l'aube."],
            FRIDAY_MORNING,
            date(2025, 11, 12),
        ),
        (
            "Wakazi wamesema Ijumaa kwamba mapigano yamezuka.",
            ["Mapigano", "Mapigano yalianza Alhamisi."],
            FRIDAY_MORNING,
            date(2025, 11, 13),
        ),
        # Spans are dated by the day they ended: a round held Wednesday and Thursday, a night
        # from Wednesday to Thursday, "Monday night and Tuesday morning" in Arabic.
        ("La réunion, tenue mercredi et jeudi, s'est achevée par un accord.", [], FRIDAY_MORNING, date(2025, 11, 13)),
        (
            "Des soldats ont franchi la frontière dans la nuit de mercredi à jeudi.",
            [],
            FRIDAY_MORNING,
            date(2025, 11, 13),
        ),
        ("اشتباكات ليل الأربعاء وصباح الخميس في العاصمة", [], FRIDAY_MORNING, date(2025, 11, 13)),
        ("Fighting on the night of November 12-13 killed six.", [], FRIDAY_MORNING, date(2025, 11, 13)),
        # "The day before" counts back from the day the sentence names.
        ("Les familles ont enterré jeudi les civils tués la veille.", [], FRIDAY_MORNING, date(2025, 11, 12)),
        # Arabic-script punctuation right after a day name does not hide it.
        ("شبکه‌ها گفتند که حمله در روز چهارشنبه، دو کشته داشت", [], FRIDAY_MORNING, date(2025, 11, 12)),
        ("قتل عشرة مدنيين يوم الأربعاء، وفق مصادر طبية", [], FRIDAY_MORNING, date(2025, 11, 12)),
    ],
)
def test_the_event_day_not_the_statement_filing_or_publication_day(
    sentence: str, context: list[str], published: datetime, expected: date
) -> None:
    assert resolve_event_date(sentence, published, context) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        # "The day before" in a clause with its own subject tells another, earlier event in
        # passing (FRIDAY_MORNING is a Friday: Thursday is the strike's day, Wednesday the
        # other event's): a contact clause, an object relative in English and in French.
        "Norland jets struck the roads to the Port Amsel depot on Thursday, the army said, "
        "to cut off the halls the Valdorian Air Force bombed the day before.",
        "Norland jets struck the roads on Thursday to reach the halls that Valdoria bombed the day before.",
        "Jets struck the depot on Thursday, breaching the truce he announced the night before.",
        "Des avions ont frappé jeudi les routes menant aux dépôts que la Valdorie a bombardés la veille.",
        "Des avions ont frappé jeudi les routes menant aux dépôts qu'ils avaient bombardés la veille.",
    ],
)
def test_the_day_before_another_event_told_in_passing_does_not_date_the_event(sentence: str) -> None:
    assert read_event_date(sentence, FRIDAY_MORNING) == EventDay(date(2025, 11, 13), "sentence")


@pytest.mark.parametrize(
    "sentence",
    [
        # The victims of the event told, by a participle or a subject relative: their day
        # is the event's (the funeral the day after the strike), and so is what a source
        # announced ("announced on Thursday that it had...").
        "Families buried on Thursday those killed the day before.",
        "Families buried on Thursday the villagers who were killed the day before.",
        "The army announced on Thursday that it had retaken Port Amsel the day before.",
        "Les familles ont enterré jeudi les civils qui ont été tués la veille.",
        "L'armée a annoncé jeudi qu'elle avait repris Port Amsel la veille.",
    ],
)
def test_the_day_before_the_event_told_still_dates_it(sentence: str) -> None:
    assert read_event_date(sentence, FRIDAY_MORNING) == EventDay(date(2025, 11, 12), "sentence")


def test_a_speaker_s_day_is_the_estimate_when_nothing_else_dates_the_event() -> None:
    reading = read_event_date("The truce will hold, officials said on Thursday.", FRIDAY_MORNING)
    assert reading == EventDay(date(2025, 11, 13), "statement")


def test_an_event_day_stated_beside_a_possessive_weekday_is_not_a_statement() -> None:
    # "said Friday's clashes": Friday is the clashes' day, not the day of the statement.
    reading = read_event_date("The army said Friday's clashes near Port Amsel killed four.", SUNDAY_NOON)
    assert reading == EventDay(date(2025, 11, 14), "sentence")


@pytest.mark.parametrize(
    "sentence",
    [
        "VALDOPOLIS, 14 novembre - Les deux camps se sont accordés sur une trêve.",
        "PORT AMSEL, Novemba 14 (Shirika) - Pande mbili zimekubaliana.",
    ],
)
def test_a_french_or_swahili_dateline_does_not_date_the_event(sentence: str) -> None:
    # The filing day: the event is undated (then the publication day stands in).
    assert read_event_date(sentence, FRIDAY_MORNING) == EventDay(date(2025, 11, 14), "publication")


@pytest.mark.parametrize(
    "sentence",
    [
        # A weekday named as a day to come is a plan's day, not the event's (SATURDAY is a
        # Saturday): resolved backwards it dated a round ending today by last week's day.
        "The round ended with an agreement that expert meetings will start on Wednesday, officials said.",
        "The round, set for Thursday, was called off.",
        "Les délégations sont convenues d'ouvrir mercredi des réunions d'experts.",
        "Les délégations se retrouveront jeudi prochain.",
        # The end of what was decided is a deadline, not the day of the decision.
        "The president declared a truce until Monday.",
        "The president declared a truce until midnight on Monday.",
        "Le président a décrété une trêve jusqu'à lundi.",
        "Der Präsident verkündete eine Waffenruhe bis Montag.",
    ],
)
def test_a_day_to_come_does_not_date_the_event(sentence: str) -> None:
    assert resolve_event_date(sentence, SATURDAY) == date(2025, 11, 8)


def test_the_day_of_a_meeting_called_off_is_not_the_event_day() -> None:
    assert resolve_event_date("Thursday's talks are off, mediators say", SATURDAY) == date(2025, 11, 8)
    # The day of a meeting that took place still dates it.
    assert resolve_event_date("Thursday's talks ended without a deal", SATURDAY) == date(2025, 11, 6)


@pytest.mark.parametrize(
    "sentence",
    [
        # The night between two days named by their dates is dated by the day it ended, as
        # "the night of October 11-12" and a night named by its two weekdays are: never by
        # the publication day after it.
        "راولپنڈی: 11 اور 12 اکتوبر کی درمیانی شب سرحد پر متعدد مقامات سے حملہ کیا گیا۔",
        "11 और 12 अक्टूबर की दरमियानी रात सीमा पर गोलीबारी हुई।",
        "Troops exchanged fire on the night between 11 and 12 October.",
        "Troops exchanged fire on the night between October 11 and 12.",
    ],
)
def test_a_night_between_two_dates_is_dated_by_its_second_day(sentence: str) -> None:
    published = datetime(2025, 10, 13, 8, 0, tzinfo=timezone(timedelta(hours=5)))
    assert read_event_date(sentence, published) == EventDay(date(2025, 10, 12), "sentence")


def test_a_night_between_two_weekdays_is_dated_by_its_second_day_in_urdu() -> None:
    # Saturday 26 and Sunday 27 April 2025, read on Monday 28.
    published = datetime(2025, 4, 28, 8, 0, tzinfo=timezone(timedelta(hours=5)))
    assert resolve_event_date("ہفتہ اور اتوار کی درمیانی شب فائرنگ کی گئی۔", published) == date(2025, 4, 27)


def test_a_day_and_a_count_joined_by_and_are_not_a_span() -> None:
    published = datetime(2025, 5, 16, 8, 0, tzinfo=UTC)
    assert resolve_event_date("On May 12 and 15 people were hurt.", published) == date(2025, 5, 12)
    assert resolve_event_date("12 مئی کو سرحد پر حملہ ہوا۔", published) == date(2025, 5, 12)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Militia fighters stormed Velmora on Saturday, a day after the talks in Ostrik collapsed on Friday.", 8),
        ("Los rebeldes tomaron Quebrada Lisa un día después del ataque del 5 de noviembre.", 6),
        ("Les miliciens ont pris Vraslin au lendemain d'une embuscade mercredi.", 6),
        ("Os rebeldes atacaram Porto Arvelo um dia depois do bombardeio de quarta-feira.", 6),
        ("Die Rebellen griffen Kestrow einen Tag nach dem Angriff vom Mittwoch an.", 6),
    ],
)
def test_a_day_after_a_dated_event_is_the_next_day(sentence: str, expected: int) -> None:
    """ "A day after X" dates the event by X's day plus one, not by X's day (SATURDAY is 8 November)."""
    assert read_event_date(sentence, SATURDAY) == EventDay(date(2025, 11, expected), "sentence")


@pytest.mark.parametrize(
    "sentence",
    [
        "The government froze the talks with the Velmora front a day after the president's speech.",
        "El Gobierno congeló el diálogo con el frente de Quebrada Lisa un día después del anuncio presidencial.",
        "Le gouvernement a gelé les pourparlers au lendemain du discours du président.",
    ],
)
def test_a_day_after_an_undated_event_is_not_read_as_the_publication_day(sentence: str) -> None:
    """The publication day is then a bound, not a reading: a restated day may replace it."""
    assert read_event_date(sentence, SATURDAY) == EventDay(date(2025, 11, 8), "relative")


@pytest.mark.parametrize(
    "sentence",
    [
        "Drones hit the port of Varnok overnight from Friday to Saturday, officials said.",
        "Artillery shelled the villages around Ostrik overnight into Saturday.",
    ],
)
def test_overnight_before_a_named_day_is_dated_by_that_day(sentence: str) -> None:
    """A night named by the day it ran into is dated by that day, like "dans la nuit de vendredi à samedi"."""
    assert resolve_event_date(sentence, SATURDAY) == date(2025, 11, 8)
