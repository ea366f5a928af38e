"""The words that date an event, in every language the classifier reads.

Weekday and month names, "yesterday" and "tonight", the words that join two days into one
span ("Thursday and Friday", "ليل الاثنين وصباح الثلاثاء", "в ночь с понедельника на
вторник"), "the day before", and the verbs of saying that make a day the day a source spoke
rather than the day of the event ("said on Sunday", "a affirmé jeudi", "wamesema Jumanne",
"ہفتے کے روز بتایا", "заявил в понедельник", "dijo el lunes", "sagte am Montag").
:mod:`crawler.analysis.events.dates` reads them.
"""

from __future__ import annotations

import re

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?"
# "Oct 11-12", "11-12 October", "the night between 11 and 12 October" ("11 اور 12 اکتوبر کی
# درمیانی شب", "11 और 12 अक्टूबर की रात"): a two-day span, dated by its last day, as a night
# named by its two weekdays is ("ہفتہ اور اتوار کی درمیانی شب": Sunday).
_RANGE = r"(?:\s*(?:[-–]|and|et|y|und|и|і|اور|और)\s*(\d{1,2})(?:st|nd|rd|th)?\b)?"
DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?{_RANGE} {MONTH}(?:,? (\d{{4}}))?", re.IGNORECASE)
MONTH_DAY = re.compile(rf"\b{MONTH} (\d{{1,2}})(?:st|nd|rd|th)?\b{_RANGE}(?:,? (\d{{4}}))?", re.IGNORECASE)
WEEKDAY = re.compile(
    r"\b(?:on |late |early |last |this )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I
)
_WEEKDAY_NAME = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
RELATIVE = [
    # "Overnight" alone is last night, as the labeled sets read it (a night's attack told the
    # next morning is dated the day it began as often as the day it ended; the day before wins
    # on the largest set). Followed by a day it names ("overnight into Sunday", "overnight from
    # Saturday to Sunday"), that day dates it, as a night named by its two days is dated by
    # the second ("dans la nuit de mercredi à jeudi"), and the word adds no day of its own.
    (re.compile(rf"\b(yesterday|last night|overnight(?!\s+(?:(?:from|into|to|on)\s+)?{_WEEKDAY_NAME}))\b", re.I), 1),
    (re.compile(r"\b(today|tonight|this morning|this evening|this afternoon)\b", re.I), 0),
    (re.compile(r"\bearlier this week\b", re.I), 3),
    (re.compile(r"\blast week\b", re.I), 7),
    (re.compile(r"\bday before yesterday\b", re.I), 2),
]
# Letters and marks of the scripts read here (Arabic-script letters, Devanagari with its
# vowel signs, which ``\w`` leaves out, and the zero-width non-joiner inside Persian words):
# the words below must stand alone, or "نن" (Pashto "today") would be found in ننګرهار.
# Arabic-script punctuation (comma, semicolon, question mark, full stop) is not a letter:
# "در شب جمعه، چهار غیرنظامی" names Friday.
LETTER = r"[\w\u0600-\u060b\u060d-\u061a\u061c-\u061e\u0620-\u06d3\u06d5-\u06ff\u0900-\u097f\u200c]"


def words(*alternatives: str) -> re.Pattern[str]:
    """A pattern of whole words or phrases, in any of the scripts read here."""
    return re.compile(f"(?<!{LETTER})(?:{'|'.join(alternatives)})(?!{LETTER})")


# Urdu, Pashto, Dari and Hindi words for yesterday, last night and today. (Urdu and Hindi
# "کل"/"कल" alone mean yesterday or tomorrow, so only with "night".)
RELATIVE_OTHER = [
    (
        words(
            "گزشتہ روز",
            "گذشتہ روز",
            "گزشتہ رات",
            "گذشتہ رات",
            "گزشتہ شب",
            "کل رات",
            "پرون",
            "پرونۍ شپه",
            "تېره شپه",
            "تیره شپه",
            "دیروز",
            "دیشب",
            "شب گذشته",
            "कल रात",
            "बीती रात",
            "पिछली रात",
            "बीते दिन",
        ),
        1,
    ),
    (words("آج", "نن", "امروز", "आज"), 0),
    # French, Swahili and Arabic (the languages of the DR Congo coverage, among others).
    (words("hier", "hier soir", "jana", "usiku wa kuamkia leo", "أمس", "البارحة"), 1),
    (words("aujourd'hui", "aujourd’hui", "ce matin", "leo", "اليوم"), 0),
    # Russian, Ukrainian, Spanish, German, Turkish.
    (
        words(
            "[Вв]чера", "прошлой ночью", "минувшей ночью", "[Вв]чора", "минулої ночі", "[Aa]yer", "[Aa]noche",
            "[Gg]estern", "vergangene Nacht", "letzte Nacht", "in der vergangenen Nacht", "[Dd]ün", "dün gece",
        ),
        1,
    ),
    (words("[Сс]егодня", "[Сс]ьогодні", "[Hh]oy", "esta mañana", "[Hh]eute", "[Bb]ugün"), 0),
    # Portuguese.
    (words("[Oo]ntem", "ontem à noite", "na noite passada"), 1),
    (words("[Hh]oje", "nesta manhã", "esta manhã", "hoje de manhã"), 0),
]  # fmt: skip
# "The day before", counted back from the day the sentence names ("buried on Tuesday the
# civilians killed the day before"), never from the publication: alone, it dates background.
DAY_BEFORE = re.compile(
    r"\b(?:a day earlier|the day before|the previous day|the night before|la veille|siku moja kabla)\b"
    + "|"
    + words(
        "ایک روز قبل",
        "ایک دن پہلے",
        "یک روز پیش",
        "یک روز پیش‌تر",
        "یوه ورځ مخکې",
        "एक दिन पहले",
        "قبل يوم",
        "في اليوم السابق",
        "накануне",
        "напередодні",
        "el día anterior",
        "la víspera",
        "am Vortag",
        "am Tag zuvor",
        "tags zuvor",
        "bir gün önce",
        "no dia anterior",
        "na véspera",
        "na noite anterior",
    ).pattern,
    re.IGNORECASE,
)
# "A day after X": the event is dated by X's day, plus one ("struck on Saturday, a day after
# the talks collapsed on Friday"; "un día después del ataque del 14 de marzo": 15 March).
# Only followed by what it counts from: "the day after" alone is read like "the day before".
DAY_AFTER = re.compile(
    r"\b(?:(?:a|one|the)\s+day\s+after|(?:un|al)\s+día\s+(?:después|siguiente)\s+(?:de|a)l?|"
    r"(?:au|le)\s+lendemain\s+(?:de|du|des)|(?:au|le)\s+lendemain\s+d['’](?=\w)|(?:um\s+dia\s+(?:depois|após)|no\s+dia\s+seguinte)\s+(?:d?[aoe]s?|à)|"
    r"(?:einen|am)\s+Tag\s+nach|на\s+следующий\s+день\s+после|siku\s+moja\s+baada\s+ya)(?:(?<=['’])|(?!\w))",
    re.IGNORECASE,
)
# A clause with its own subject, between the day a sentence names and its "the day before",
# tells another, earlier event in passing: "struck the roads on Monday to reach the halls the
# United States bombed the day before" (the bombing's day, not the strike's), "the truce
# that Washington announced the night before", "les sites qu'Israël a frappés la veille".
# The victims of the event told are not such a clause: a participle or a subject relative
# says what befell them ("buried on Tuesday those killed the day before", "les civils tués
# la veille", "who were killed"), and their day is the event's. Matched on the phrase's own
# clause (after the last comma and the day named), up to the phrase: an object relative
# after a noun ("the halls that the United States", "les sites qu'Israël"; after a verb,
# "announced on Thursday that it had...", it is what was announced, and stays), or an
# English contact clause (a noun, a capitalised name or a pronoun as subject, one verb:
# "the halls the United States bombed", "the truce he announced"). English and French only:
# in the other languages read here "the day before" still counts back from the day named
# (Persian "که" and Pashto "چې" are both the "that" of saying and "which", so a pattern
# would need more than the word; no labeled report in them needs it yet).
_DETERMINER_EN = r"\b(?:the|a|an|its|their|his|her|our|this|these|those)\s+(?:[\w-]+\s+){0,2}?[a-z][\w-]*\s+"
_NAME_EN = r"(?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*"
_PRONOUN_EN = r"(?:he|she|they|we|it|I|you)\b"
# Before a name, these make it an object or an agent ("struck Fordow again", "announced by
# Islamabad only a day earlier"), not the subject of a clause of its own.
_NOT_A_NOUN = (
    r"(?:by|in|at|on|of|for|from|to|with|near|into|onto|over|under|against|after|before|since|until|"
    r"and|or|but|as|than|that|which|whom|said|says|told|hit|struck|bombed|attacked)"
)
_DETERMINER_FR = r"\b(?:les?|la|l['’]|des|du|aux?|une?|ses|sa|son|leurs?|ces?|cette)\s*(?:[\w'’-]+\s+){0,2}?[\w'’-]+\s+"
_SUBJECT_FR = r"(?:(?:les?|la|l['’])\s*)?[A-ZÀ-Ý][\w'’-]*(?:\s+[A-ZÀ-Ý][\w'’-]*)*|(?:il|elle|ils|elles|on)\b"
OTHER_EVENT_CLAUSE = [
    re.compile(rf"{_DETERMINER_EN}(?:that|which|whom)\s+(?:{_NAME_EN}|{_PRONOUN_EN})"),
    re.compile(rf"\b(?!{_NOT_A_NOUN}\b)[a-z][\w-]*\s+(?:{_NAME_EN}|{_PRONOUN_EN})\s+(?:had\s+)?[a-z][\w-]*\s+$"),
    re.compile(rf"{_DETERMINER_FR}qu(?:e\s+|['’]\s*)(?:{_SUBJECT_FR})"),
]
# Weekday names, Monday first: Hindi; Dari and Pashto (which write the Persian names,
# Pashto with its oblique endings: "د جمعې"); Urdu (whose Saturday and Monday words also
# mean "week" and "saint", so only with a postposition: "ہفتے کو", "پیر کی رات").
_NOT_COMPOUND = "(?<!یک )(?<!دو )(?<!سه )(?<!چهار )(?<!پنج )"
_URDU_ON = r"\s+(?:کو|کے روز|کے دن|کی رات|کی صبح|کی شام|کی شب|کی سہ پہر)"
# Dari, Persian (and Urdu's شبِ) name a night after the day it leads into.
EVE = re.compile(f"(?<!{LETTER})شب\u0650?[\\s\u200c]+$")
# French, Swahili (capitalised, like English) and Arabic names follow, day by day.
WEEKDAY_OTHER = [
    words(
        "सोमवार", "دوشنبه", "دوشنبې", "دو شنبه", "پیر" + _URDU_ON, "سوموار", "lundi", "Jumatatu", "الاثنين", "الإثنين"
    ),
    words("मंगलवार", "سه\u200cشنبه", "سه شنبه", "سه\u200cشنبې", "سه شنبې", "منگل", "mardi", "Jumanne", "الثلاثاء"),
    words("बुधवार", "چهارشنبه", "چهارشنبې", "چهار شنبه", "بدھ", "mercredi", "Jumatano", "الأربعاء", "الاربعاء"),
    words(
        "गुरुवार",
        "बृहस्पतिवार",
        "پنجشنبه",
        "پنج\u200cشنبه",
        "پنج شنبه",
        "پنجشنبې",
        "پنج\u200cشنبې",
        "جمعرات",
        "jeudi",
        "Alhamisi",
        "الخميس",
    ),
    words("शुक्रवार", "جمعه", "جمعې", "جمعہ", "جمعے", "vendredi", "Ijumaa", "الجمعة"),
    # Saturday's شنبه is also the second word of the other days written with a space.
    words(
        "शनिवार", _NOT_COMPOUND + "(?:شنبه|شنبې)", "ہفتے" + _URDU_ON, "ہفتہ" + _URDU_ON, "samedi", "Jumamosi", "السبت"
    ),
    words(
        "रविवार",
        "یکشنبه",
        "یک\u200cشنبه",
        "یک شنبه",
        "یکشنبې",
        "یک\u200cشنبې",
        "اتوار",
        "dimanche",
        "Jumapili",
        "الأحد",
    ),
]
# Russian, Ukrainian, Spanish, German and Turkish names, Monday first, joined to the lists above.
# Russian and Ukrainian decline them ("в пятницу", "с пятницы", "у п'ятницю"); Russian
# "среду" is also "the environment" ("окружающую среду"), so not after an adjective's
# ending. German writes the part of the day on to the name ("Montagabend"); Spanish
# "Domingo" is also a name ("Santo Domingo"); Turkish "pazar" is also a market, so only capitalised
# or with "günü" (day).
_DE_PART = "(?:abend|morgen|nachmittag|vormittag|nacht|früh|mittag)?"
_RU_WEDNESDAY = "(?<!ую )(?<!ой )(?<!ей )(?<!ая )[Сс]ред(?:у|а|ы|ой)"
_WEEKDAYS_MORE = [
    (r"[Пп]онедельник\w*", "[Пп]онеділ(?:ок|ка|ку)", "[Ll]unes", "Montag" + _DE_PART, "[Pp]azartesi"),
    (r"[Вв]торник\w*", "[Вв]івтор(?:ок|ка|ку)", "[Mm]artes", "Dienstag" + _DE_PART, "[Ss]alı"),
    (_RU_WEDNESDAY, "[Сс]еред(?:у|а|и)", "[Mm]iércoles", "Mittwoch" + _DE_PART, "[Çç]arşamba"),
    (r"[Чч]етверг\w*", "[Чч]етвер(?:га|гу)?", "[Jj]ueves", "Donnerstag" + _DE_PART, "[Pp]erşembe"),
    (r"[Пп]ятниц\w*", r"[Пп]['’ʼ]ятниц\w*", "[Vv]iernes", "Freitag" + _DE_PART, "[Cc]uma"),
    (r"[Сс]уббот\w*", r"[Сс]убот\w*", "[Ss]ábado", "(?:Samstag|Sonnabend)" + _DE_PART, "[Cc]umartesi"),
    (r"[Вв]оскресень\w*", r"[Нн]еділ\w*", "(?<!Santo )[Dd]omingo", "Sonntag" + _DE_PART, "Pazar|pazar(?= günü)"),
]
# Portuguese counts Monday to Friday ("segunda-feira", the second day; "segunda" alone is
# also "second"); its "sábado" and "domingo" are Spanish's words, read above.
_PT_WORKDAYS = ["[Ss]egunda", "[Tt]erça", "[Qq]uarta", "[Qq]uinta", "[Ss]exta", "", ""]
WEEKDAY_OTHER = [
    re.compile(f"{known.pattern}|{words(*more, *([day + '(?:-| )feira'] if day else [])).pattern}")
    for known, more, day in zip(WEEKDAY_OTHER, _WEEKDAYS_MORE, _PT_WORKDAYS, strict=True)
]
# Month names of French and Swahili ("12 octobre", "Oktoba 12", "tarehe 12 Oktoba").
MONTHS_OTHER = {
    "janvier": 1,
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
    "januari": 1,
    "februari": 2,
    "machi": 3,
    "aprili": 4,
    "mei": 5,
    "juni": 6,
    "julai": 7,
    "agosti": 8,
    "septemba": 9,
    "oktoba": 10,
    "novemba": 11,
    "desemba": 12,
    # Russian and Ukrainian (the genitive a date takes: "12 октября", "12 жовтня"), Spanish
    # ("12 de octubre") and German ("12. Oktober").
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6,
    "июля": 7, "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
    "січня": 1, "лютого": 2, "березня": 3, "квітня": 4, "травня": 5, "червня": 6,
    "липня": 7, "серпня": 8, "вересня": 9, "жовтня": 10, "листопада": 11, "грудня": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "april": 4, "juli": 7, "august": 8,
    "september": 9, "oktober": 10, "november": 11, "dezember": 12,
    "ocak": 1, "şubat": 2, "mart": 3, "nisan": 4, "mayıs": 5, "haziran": 6, "temmuz": 7, "ağustos": 8,
    "eylül": 9, "ekim": 10, "kasım": 11, "aralık": 12,
    # Portuguese ("12 de outubro"; "abril" and "agosto" are Spanish's too).
    "janeiro": 1, "fevereiro": 2, "março": 3, "maio": 5, "junho": 6, "julho": 7, "setembro": 9,
    "outubro": 10, "novembro": 11, "dezembro": 12,
    # Urdu and Hindi ("12 اکتوبر", "12 अक्टूबर"), with Hindi's spellings with and without nukta
    # and anusvara.
    "جنوری": 1, "فروری": 2, "مارچ": 3, "اپریل": 4, "مئی": 5, "جون": 6, "جولائی": 7, "اگست": 8,
    "ستمبر": 9, "اکتوبر": 10, "نومبر": 11, "دسمبر": 12,
    "जनवरी": 1, "फरवरी": 2, "फ़रवरी": 2, "मार्च": 3, "अप्रैल": 4, "मई": 5, "जून": 6, "जुलाई": 7,
    "अगस्त": 8, "सितंबर": 9, "सितम्बर": 9, "अक्टूबर": 10, "अक्तूबर": 10, "नवंबर": 11, "नवम्बर": 11,
    "दिसंबर": 12, "दिसम्बर": 12,
}  # fmt: skip
_NAMES = "|".join(sorted(MONTHS_OTHER, key=len, reverse=True))
# "12 octobre", "1er mars", "12 de octubre", "12. Oktober".
DAY_MONTH_OTHER = re.compile(
    rf"\b(\d{{1,2}})(?:er|\.)?{_RANGE} (?:de )?({_NAMES})\b(?:,? (?:de )?(\d{{4}}))?", re.IGNORECASE
)
MONTH_DAY_OTHER = re.compile(rf"\b({_NAMES}) (\d{{1,2}})\b{_RANGE}(?:,? (\d{{4}}))?", re.IGNORECASE)

# Two days named as one span: "Thursday and Friday", "de mercredi à jeudi", "ليل الاثنين
# وصباح الثلاثاء". What lies between the two names: the parts of the day and these joins.
SPAN_JOINS = frozenset(
    {"and", "to", "through", "into", "-", "–", "et", "à", "au", "na", "hadi", "و", "اور", "और", "तक", "تا", "او"}
    # "в ночь с понедельника на вторник", "del lunes al martes", "von Montag auf Dienstag"
    | {"и", "на", "і", "та", "y", "al", "und", "bis", "auf", "zum"}
    # "da noite de segunda para terça-feira", "de segunda a quarta-feira"
    | {"e", "a", "ao", "para"}
)
PARTS_OF_DAY = frozenset(
    {
        "night", "morning", "evening", "afternoon", "soir", "matin", "nuit", "soirée", "usiku", "asubuhi",
        "ليل", "ليلة", "صباح", "مساء", "فجر", "يوم", "رات", "صبح", "شام", "شب", "روز", "शाम", "रात", "सुबह",
        "on", "late", "early", "le", "la", "du", "de", "d'", "الـ",
        "в", "во", "с", "со", "у", "з", "ночь", "ночью", "утром", "вечером", "ніч", "вночі", "вранці", "увечері",
        "el", "del", "noche", "mañana", "madrugada", "tarde", "am", "der", "nacht", "von", "in",
        "da", "na", "no", "noite", "manhã",
    }
)  # fmt: skip

# A source speaking on a day: the day of the statement, not of the event it reports. The
# verbs of saying only, never "announced": an outcome announced is dated the day it was
# announced. Before the day (English, French, Swahili, Arabic) or after it (Urdu, Dari,
# Pashto, Hindi, and English "Qatar on Friday welcomed").
_EN_SAY = (
    r"said|says|told(?:\s+[\w-]+){0,3}|added|stated|welcomed|condemned|expressed\s+\w+|accused\s+\w+|claimed|"
    r"denied|warned|acknowledged|confirmed|insisted|(?:statement|communiqu[eé])(?:\s+(?:issued|released|published|posted))?|"
    r"(?:news\s+|press\s+)?conference|briefing|interview|remarks"
)
_FR_SAY = (
    r"(?:a|ont|avait|avaient)\s+(?:déclaré|affirmé|indiqué|dit|assuré|dénoncé|accusé|salué|estimé|démenti|"
    r"confirmé|expliqué|précisé|réagi|condamné|averti|souligné|regretté|fait savoir)|"
    r"communiqué(?:\s+(?:publié|diffusé))?|conférence de presse"
)
_SW_SAY = r"\w*(?:sema|eleza)"
_AR_SAY = (
    r"و?(?:قال|قالت|أكد|أكدت|صرح|صرّح|أفاد|أفادت|ذكر|ذكرت|أعرب|أعربت|رحب|رحبت|نفى|نفت|أضاف|أضافت|"
    r"أقر|أقرت|اعترف|اعترفت|بيان)"
)
# Russian, Ukrainian, Spanish and German: the verb before the day, with its preposition or
# article ("заявил в понедельник", "dijo el lunes", "sagte am Montag"), or after it ("в
# понедельник заявил", "am Montag sagte").
_MORE_SAY = (
    r"заявил\w*|сообщил\w*|сказал\w*|отметил\w*|подчеркнул\w*|добавил\w*|опроверг\w*|осудил\w*|"
    r"заявив|повідомил\w*|повідомив|сказав|наголосил\w*|наголосив|додав|заперечил\w*|заперечив|засудив|"
    r"dijo|dijeron|afirmó|afirmaron|declaró|declararon|aseguró|aseguraron|informó|informaron|señaló|"
    r"señalaron|indicó|indicaron|añadió|negó|negaron|condenó|"
    r"sagte|sagten|erklärte|erklärten|teilte|teilten|betonte|betonten|bestätigte|bestätigten|dementierte|"
    r"verurteilte|berichtete|berichteten|"
    r"disse|disseram|afirmou|afirmaram|declarou|declararam|assegurou|garantiu|informou|informaram|"
    r"acrescentou|negou|negaram|condenou|sublinhou|ressaltou"
)
_MORE_ON = r"(?:\s+(?:в|во|у|el|este|am|an diesem|na|no|nesta|neste))?"
SAID_BEFORE = re.compile(
    rf"(?:\b(?:{_EN_SAY}|{_FR_SAY}|{_SW_SAY})"
    # "said in a statement on Sunday", "a déclaré lors d'une conférence jeudi"
    r"(?:\s+(?:in|at|to|during|dans|lors|devant)(?:\s+[\w'’-]+){1,4})?"
    # Arabic puts the subject, however long, between the verb and the day ("أقر رئيس مجلس
    # السيادة ... البرهان مساء الاثنين"), but not the object ("اتهمت ... بقتل ... يوم الثلاثاء").
    rf"|(?<!{LETTER}){_AR_SAY}(?:\s+(?!ب\S{{3}})[^\s،,.؛]+){{0,12}}"
    rf"|(?<!{LETTER})(?:{_MORE_SAY})(?:\s+[^\s,.;]+){{0,2}}?{_MORE_ON})"
    r"\s+(?:(?:late|early)\s+)?(?:(?:يوم|مساء|صباح)\s+)?$",
    re.IGNORECASE,
)
SAID_AFTER = re.compile(
    r"^(?:\s+(?:night|evening|morning|afternoon))?\s+(?:said|says|welcomed|condemned|told|accused|warned|denied|"
    r"claimed|confirmed|acknowledged)\b"
    # Urdu, Dari, Pashto, Hindi: the verb ends the clause, a few words on.
    rf"|^(?:\s+[^\s،,.؛]+){{0,5}}?\s+(?:بتایا|کہا|گفت|گفته|افزود|وویل|ویلي|وایي|ووایه|कहा|बताया|बयान)(?!{LETTER})"
    rf"|^\s+(?:{_MORE_SAY})(?!{LETTER})"
    # Turkish: "Pazartesi günü açıkladı".
    rf"|^(?:\s+günü)?\s+(?:söyledi|dedi|açıkladı|bildirdi)(?!{LETTER})",
    re.IGNORECASE,
)

# A weekday named as a day to come ("set for Sunday", "meet again next Saturday", "d'ouvrir
# mercredi", "samedi prochain", "شنبه آینده"), or as the end of what was decided ("a truce
# until Monday", "jusqu'à lundi", "bis Montag", "hasta el lunes"): the date of a plan or a
# deadline, never of the event told.
SCHEDULED_BEFORE = re.compile(
    r"(?:\b(?:(?:until|till)(?: (?:midnight|the end of|late|early))?(?: on)?|jusqu'(?:à|au)|bis(?: zum| am)?|"
    r"hasta el|next|coming|set for|scheduled for|slated for|planned for|due on|due|expected on|to resume|"
    r"to reconvene|to meet(?: again)?|to start|to begin|to open|will (?:meet|resume|start|begin|open)|"
    r"prévue?s? (?:pour |le )?|fixée?s? (?:au |à |pour )?|programmée?s? (?:pour |le )?|d'ouvrir|de reprendre|"
    r"de se retrouver|reprendront|commenceront|s'ouvriront)|(?:الموعد|المقرر|المقبل)"
    # "в следующий понедельник", "назначен на среду", "el próximo lunes", "am kommenden Montag"
    r"|(?<!\w)(?:следующ\w*|ближайш\w*|(?:назначен|запланирован|намечен|призначен|запланован)\w* на|наступн\w*|"
    r"próxim[oa]|(?:previst|fijad|programad)[oa] para el|(?:previst|marcad|agendad|programad)[oa]s? para (?:[ao] )?|"
    r"até(?: [ao])?|kommende[nm]?|nächste[nm]?|(?:angesetzt|geplant) für|"
    r"gelecek|önümüzdeki))\s*$",
    re.I,
)
SCHEDULED_AFTER = re.compile(
    r"^\s*(?:next\b|prochain|prochaine|آینده|بعد\b|المقبل|القادم|próximo\b|próxima\b|que viene\b|que vem\b)"
    # Turkish: "Pazartesi günü yapılacak görüşmeler" (the talks to be held on Monday).
    r"|^\s*(?:günü |akşamı |sabahı )?(?:yapılacak|düzenlenecek|toplanacak|görüşecek|bir araya gelecek)"
    # "Sunday's talks are off": the day of a meeting called off is the day it was planned for.
    r"|^['’]s (?:[\w-]+ ){0,2}(?:talks|meeting|round|session|summit|negotiations) "
    r"(?:is|are|was|were|has been|have been) "
    r"(?:now )?(?:off|called off|cancell?ed|postponed|scrapped)\b",
    re.I,
)
