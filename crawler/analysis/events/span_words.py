"""The words that say an event lasted days, in every language the classifier reads.

Two forms, read by :mod:`crawler.analysis.events.spans`:

* a **duration** of hostilities: a cardinal number of days and a word for fighting that goes
  on ("three days of attacks", "a three-day assault", "deux jours d'assaut", "ثلاثة أيام من
  الهجمات", "siku tatu za mapigano", "تین روزہ لڑائی", "तीन दिन की लड़ाई", "سه روز درگیری",
  "трёх дней боёв", "tres días de combates", "drei Tage Kämpfe", "üç gün süren çatışmalar");
* the **start** of the event: "since", "began", "depuis", "a commencé", "منذ", "بدأ",
  "tangu", "с", "з", "desde", "seit", before the day; Urdu "سے", Hindi "से", Pashto "راهیسې", and the verbs of
  beginning of Urdu, Hindi, Dari and Pashto, after it.

Ordinals are not spans: "the third consecutive day of strikes", "لليوم الثالث على التوالي",
"deuxième jour de combats" count the days of a series, each day's strikes an event of their
own (two drone attacks on one city two days apart, in the labeled sets, are two events).
"""

from __future__ import annotations

import re

from crawler.analysis.events.date_words import LETTER, words

# Cardinal numbers of days, 2 to 7 (a longer span is a campaign, not one event), by language.
DAYS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7,
    "mbili": 2, "tatu": 3, "nne": 4, "tano": 5, "sita": 6, "saba": 7,
    "يومين": 2, "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "اربعة": 4, "خمسة": 5, "ستة": 6, "سبعة": 7,
    "دو": 2, "تین": 3, "چار": 4, "پانچ": 5,
    "दो": 2, "तीन": 3, "चार": 4, "पांच": 5, "पाँच": 5,
    "سه": 3, "چهار": 4, "پنج": 5,
    "دوه": 2, "درې": 3, "څلور": 4,
    # Russian and Ukrainian, with the genitive "after three days of" takes ("трёх дней").
    "два": 2, "две": 2, "двух": 2, "три": 3, "трёх": 3, "трех": 3, "четыре": 4, "четырёх": 4, "четырех": 4,
    "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7,
    "дві": 2, "двох": 2, "трьох": 3, "чотири": 4, "чотирьох": 4, "п'ять": 5, "п'яти": 5, "шість": 6, "сім": 7,
    "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7,
    "iki": 2, "üç": 3, "dört": 4, "beş": 5, "altı": 6, "yedi": 7,
    # Portuguese ("cinco" and "seis" are Spanish's too).
    "dois": 2, "duas": 2, "três": 3, "quatro": 4, "sete": 7,
}  # fmt: skip
_N = "|".join(sorted(DAYS, key=len, reverse=True)) + r"|[2-7]"

# Fighting that goes on: an assault and its attacks, shelling, clashes, a siege. Not strikes
# or raids: each drone or air strike is an act of its own, and "three days of strikes" on a
# city is a series of events, as the ordinals below.
_EN = (
    r"fighting|attacks?|assaults?|shelling|clash(?:es)?|bombardments?|bombing|siege|offensive|violence"
    r"|battles?|combat"
)
_FR = r"assauts?|attaques|combats|affrontements|bombardements|siège|offensive|violences|tirs"
_AR = r"(?:ال)?(?:قتال|هجمات|هجوم|معارك|قصف|اشتباكات|حصار)"
_SW = r"mapigano|mashambulizi|mashambulio"
_UR = r"لڑائی|حملے|حملوں|حملہ|جھڑپیں|جھڑپوں|گولہ باری"
_HI = r"लड़ाई|हमले|हमलों|हमला|झड़पें|झड़पों|गोलाबारी"
_FA = r"درگیری|درگیری‌ها|حملات|حمله|جنگ|نبرد"
_PS = r"جګړې|جګړه|بریدونه|بريدونه|نښتې"
_RU_UK = r"боёв|боев|обстрелов|атак|штурма|наступления|столкновений|боїв|обстрілів|штурму|наступу|зіткнень|облоги|осады"
_ES = r"combates|ataques|bombardeos|enfrentamientos|asedio|ofensiva|asalto|violencia"
_DE = r"kämpfen?|angriffen?|beschuss|gefechten?|offensive|belagerung|bombardierungen"
_PT = r"combates|ataques|bombardeios|confrontos|cerco|ofensiva|assalto|violência"
_TR = r"(?:çatışma|saldırı|bombardıman|kuşatma|taarruz|muharebe)\w*"

DURATION = [
    # "three days of attacks", "a three-day assault", "a 48-hour assault" (hours: group 2)
    re.compile(rf"\b({_N}) days? of (?:\w+ ){{0,2}}?(?:{_EN})\b", re.I),
    re.compile(rf"\b({_N})[- ]day (?:\w+ )?(?:{_EN})\b", re.I),
    re.compile(rf"\b(?:{_EN}) (?:that |which )?(?:lasted|raged for|went on for|continued for) ({_N}) days\b", re.I),
    re.compile(rf"\b({_N}) jours (?:d'|d’|de )(?:{_FR})\b", re.I),
    re.compile(rf"\b(?:{_FR}) (?:\w+ )?de ({_N}) jours\b", re.I),
    words(rf"({_N})(?: أيام)? من {_AR}"),
    words(rf"{_AR}(?:\s+[^\s،,.؛]+){{0,4}}\s+(?:استمر|استمرت|دام|دامت) ({_N})(?: أيام)?"),
    re.compile(rf"\bsiku ({_N}) za (?:{_SW})\b", re.I),
    # "трёх дней боёв", "двох діб обстрілів", "tres días de combates", "drei Tage (lang) Kämpfe",
    # "dreitägige Offensive"
    words(rf"({_N}) (?:дня|дней|суток|дні|днів|діб|доби) (?:[^\s,.;]+ )?(?:{_RU_UK})"),
    re.compile(rf"\b({_N}) días de (?:\w+ )?(?:{_ES})\b", re.I),
    # "três dias de combates"
    re.compile(rf"\b({_N}) dias de (?:\w+ )?(?:{_PT})\b", re.I),
    re.compile(rf"\b({_N}) tagen? (?:lang )?(?:\w+ )?(?:{_DE})\b", re.I),
    re.compile(rf"\b({_N})[- ]?tägigen? (?:{_DE})\b", re.I),
    # "üç gün süren çatışmalar", "iki günlük saldırı", "üç gündür süren bombardıman"
    re.compile(words(rf"({_N}) gün(?:lük|dür| boyunca)?(?: süren)? {_TR}").pattern, re.I),
    words(rf"({_N}) (?:دن|روز|روزہ|روزه|दिन|दिवसीय|ورځې|ورځنۍ)(?: (?:کی|کے|की|के|د))? (?:{_UR}|{_HI}|{_FA}|{_PS})"),
]

# The start of the event, and which side of it the day is on. "Since Friday" dates whatever
# it follows; a verb of beginning only fighting named before it ("the assault that began on
# Friday", "les attaques ont commencé vendredi", "الهجوم الذي بدأ يوم الجمعة"), not "began
# burying the dead on Tuesday".
_BEGIN = r"(?:began|begun|started|(?:a|ont) (?:commencé|débuté)|(?:بدأ|بدأت))"
_FIGHTING = rf"(?:{_EN}|{_FR}|{_AR}|{_SW})"
START_BEFORE_DAY = re.compile(
    rf"(?:(?<!{LETTER})(?:since|depuis|tangu|منذ|с|со|з|із|desde(?: el| [ao])?|seit(?: dem)?)"
    rf"|(?<!{LETTER}){_FIGHTING}(?:\s+[^\s,.;،؛]+){{0,5}}?\s+{_BEGIN})"
    r"(?:\s+(?:on|le|يوم))?\s+$",
    re.IGNORECASE,
)
# Urdu, Hindi, Pashto put "since" after the day ("جمعہ سے", "शुक्रवार से", "له جمعې راهیسې"),
# and, like Dari, the verb of beginning a few words on ("फ़ायरिंग गुरुवार रात शुरू हुई",
# "درگیری‌ها روز جمعه در مرز آغاز شد"), after fighting named before the day.
# Turkish: "Cuma'dan bu yana", "Cumadan beri".
START_AFTER_DAY = re.compile(rf"^\s*(?:سے|से|راهیسې|راهيسې)(?!{LETTER})|^['’]?(?:dan|den|tan|ten) (?:beri|bu yana)")
BEGIN_AFTER_DAY = re.compile(rf"^(?:\s+[^\s,.;،؛]+){{0,4}}?\s+(?:شروع|शुरू|آغاز|پیل)(?!{LETTER})")
FIGHTING_BEFORE = re.compile(rf"(?<!{LETTER})(?:{_UR}|{_HI}|{_FA}|{_PS}|فائرنگ|फ़ायरिंग|फायरिंग)(?!{LETTER})")
