"""Urdu: talks outcomes and clashes. Matched inside words (particles and case endings attach)."""

from __future__ import annotations

from crawler.analysis.events.casualty_vocabulary import CasualtyTable
from crawler.analysis.events.ontology import Table, group

_TRUCE = r"(جنگ بندی|سیز فائر|فائر بندی)"
_ACCORD = r"(معاہدہ|معاہدے|اعلامیہ|اعلامیے|سمجھوتہ|سمجھوتے|مفاہمت)"

OUTCOME: Table = {
    "collapsed": [
        group("REJECT", "164", r"ناکام ہو", r"مذاکرات ناکام", r"تعطل"),
        group("SANCTION", "164", r"مذاکرات (ختم|منسوخ|معطل)", r"بات چیت ختم", r"مذاکرات سے (دستبردار|علیحدہ)"),
        group(
            "SANCTION",
            "160",
            rf"{_ACCORD} ([^\s]+ ){{0,3}}(معطل|منسوخ|ختم|کالعدم)",
            rf"{_ACCORD} (پر عمل ?درآمد )?(روک|معطلی|منسوخی)",
            rf"{_ACCORD} سے (دستبردار|علیحدگی)",
        ),
    ],
    "no_agreement": [
        group(
            "REJECT",
            "125",
            r"بے نتیجہ",
            r"بغیر کسی (معاہدے|نتیجے|اتفاق)",
            r"نتیجے کے بغیر",
            r"معاہدے کے بغیر",
            r"اتفاق نہیں ہو",
            r"ڈیڈ لاک",
        ),
    ],
    "ceasefire_extended": [
        group("CONCEDE", "0871", rf"{_TRUCE} (میں توسیع|برقرار|جاری)", rf"{_TRUCE} (کو )?(برقرار رکھنے|جاری رکھنے)"),
        group("AGREE", "050", rf"{_TRUCE} ([^\s]+ ){{0,3}}(عزم|پابندی|کاربند)", rf"{_TRUCE} ([^\s]+ ){{0,3}}اعادہ"),
    ],
    "next_round_set": [
        group(
            "AGREE",
            "036",
            r"(اگلا|اگلے|آئندہ|نیا) (دور|اجلاس)",
            r"دوبارہ (ملاقات|مذاکرات)",
            r"(مذاکرات|بات چیت) (کا سلسلہ )?جاری رکھنے پر (اتفاق|متفق)",
        ),
    ],
    "agreement": [
        group(
            "AGREE",
            "030",
            r"معاہدہ (طے|ہو گیا|ہوگیا)",
            r"(پر|میں) اتفاق (کیا|ہو گیا|ہوگیا|کر لیا)",
            r"اتفاق رائے",
            r"پر متفق",
        ),
        group("AGREE", "0356", r"کشیدگی ([^\s]+ ){0,3}(بچنے|کم کرنے|نہ بڑھانے|گریز)"),
        group("SUPPORT", "057", rf"{_ACCORD} پر دستخط", r"دستخط (کیے|کر دیے|ہو گئے)"),
        group("CONSULT", "046", r"مشترکہ (اعلامیہ|اعلامیے|بیان)", r"مثبت پیش ?رفت"),
    ],
}

CLASH: Table = {
    "ceasefire_violation": [group("ASSAULT", "196", rf"{_TRUCE} کی خلاف ورزی", rf"{_ACCORD} کی خلاف ورزی")],
    "air_strike": [
        group("ASSAULT:aerial", "195", r"فضائی (حملہ|حملے|حملوں|کارروائی)", r"بمباری"),
        group("ASSAULT:drone", "1952", r"ڈرون (حملہ|حملے|حملوں)"),
    ],
    "cross_border_attack": [
        group("ASSAULT", "190", r"دراندازی", r"سرحد پار سے (حملہ|حملے|دہشت)", r"چیک پوسٹ پر حملہ"),
    ],
    "border_clash": [
        group("ASSAULT:firearms", "190", r"جھڑپ", r"جھڑپیں", r"فائرنگ کا تبادلہ", r"شدید فائرنگ", r"لڑائی"),
        group("ASSAULT:heavy-weapons", "194", r"گولہ باری"),
        group("ASSAULT:explosives", "1833", r"بارودی سرنگ", r"(آئی ای ڈی|دیسی ساختہ بم|بم) (دھماکہ|دھماکے|دھماکا)"),
    ],
}


# One side rejecting or accepting the mediators' proposal, a truce declared by one side, talks
# ending without a truce, a massacre: the classes the Sudan set found missing (en, fr, ar).
OUTCOME["no_agreement"] += [
    group(
        "REJECT",
        "120",
        rf"(تجویز|تجاویز|منصوبہ|منصوبے|پیشکش|{_TRUCE}) ([^\s]+ ){{0,3}}(مسترد|رد) کر",
        rf"{_TRUCE} کے بغیر",
    )
]
OUTCOME["agreement"] += [
    group("AGREE", "030", r"(تجویز|منصوبہ|منصوبے|پیشکش) ([^\s]+ ){0,3}(قبول|منظور) کر"),
    group("CONCEDE", "0871", rf"(یکطرفہ|یک طرفہ) {_TRUCE}", rf"{_TRUCE} کا اعلان"),
]
CLASH["cross_border_attack"] += [group("ASSAULT", "202", r"قتل عام")]

TALKS = [
    r"مذاکرات",
    r"بات چیت",
    r"وفد",
    r"دور",
    r"اجلاس",
    r"ثالث",
    r"جنگ بندی",
    r"کمیٹی",
    r"کمیشن",
    r"معاہد",
    r"اعلامی",
]
FORCE = [r"ہلاک", r"شہید", r"زخمی", r"جاں بحق", r"تبادل", r"حملہ کیا", r"حملے کیے", r"نشانہ", r"ناکام بنا", r"دھماک"]
HYPOTHETICAL = [r"اگر", r"تو ", r"(گا|گی|گے)(?![\u0600-\u06ff])", r"خبردار", r"دھمکی", r"امکان", r"توقع"]
RECAP = [r"گزشتہ (ماہ|ہفتے|سال)", r"پچھلے (ماہ|ہفتے|دور)", r"اکتوبر میں", r"سے جاری"]
PREVIEW = [r"(شروع|آغاز)", r"روانہ", r"پہنچ گیا", r"پہنچ گئے", r"جاری ہیں"]
# Negation: Urdu puts it after the verb or noun it negates ("خلاف ورزی نہیں کی"), or just
# before the verb ("نہیں توڑیں گے").
NEGATION_BEFORE = [r"(?<![^\s])(نہیں|نہ)"]
NEGATION_AFTER = [r"(نہیں|نہ)"]
# Concession (identity: a step taken in answer to an earlier outcome).
CONCESSIVE = [r"باوجود"]
# A strike told as a repeat (identity: another strike on a place struck before).
REPEAT = [r"دوبارہ", r"ایک بار پھر", r"پھر سے"]

# Both sides firing (an exchange across a line, a reply to the other's fire): event identity
# reads it on the headline and lede (each side tells one exchange from its own sectors).
EXCHANGE = [
    r"فائرنگ کا تبادلہ",
    r"گولہ باری کا تبادلہ",
    r"جوابی کارروائی",
    r"جوابی فائرنگ",
    r"مؤثر جواب",
    r"موثر جواب",
    r"بھرپور جواب",
    r"منہ توڑ جواب",
]
# A place of the topic changing hands (the place names come from the topic's gazetteer).
CAPTURE_AFTER = [r"(پر|کا) (قبضہ|کنٹرول)"]


# Classes the India–Pakistan set found missing: the military-press register of a war fought
# with missiles, drones and artillery along a ceasefire line ("missiles fired at", "drones
# shot down", "unprovoked firing met with an effective response", "enemy posts destroyed"),
# a truce told by what stops, and a truce breached hours after it began.
_FIRE = r"(فائرنگ|گولہ باری|فوجی کارروائی|کارروائیاں)"
CLASH["air_strike"] += [
    group(
        "ASSAULT:missile",
        "195",
        r"میزائل([^\s]*) ([^\s]+ ){0,3}(داغ|برسا)",
        r"میزائل([^\s]*) (سے|کے ذریعے) (حملہ|حملے|نشانہ)",
        r"میزائل (حملہ|حملے|حملوں)",
    ),
    group(
        "ASSAULT:drone",
        "1952",
        r"ڈرون([^\s]*) ([^\s]+ ){0,5}(مار گرا|گرا دی|گرا لی|تباہ کر)",
        r"ڈرون (گرنے|گر کر|گرا)",
    ),
    group("ASSAULT:aerial", "195", r"(ایئر ڈیفنس|فضائی دفاع)([^\s]*) ([^\s]+ ){0,5}(تباہ|نشانہ|ناکارہ)"),
]
CLASH["border_clash"] += [
    group("ASSAULT:firearms", "190", r"بلا اشتعال (فائرنگ|گولہ باری)"),
    # Posts destroyed in a claimed retaliation: fire across the line (CAMEO 190).
    group("ASSAULT", "190", r"(چوکیاں|چوکی|چوکیوں|مورچے|مورچوں|پوسٹیں) ([^\s]+ ){0,3}(تباہ|نیست و نابود)"),
]
CLASH["ceasefire_violation"] += [
    group(
        "ASSAULT",
        "196",
        # "Committed to the ceasefire; the violations were theirs": a breach, blamed.
        rf"{_TRUCE}[^۔]{{0,60}}خلاف ورزی",
        rf"خلاف ورزی[^۔]{{0,60}}{_TRUCE}",
        rf"{_TRUCE}( کے اعلان)? کے ([^\s]+ ){{0,3}}(بعد|اندر)[^۔]{{0,60}}(دھماک|{_FIRE}|ڈرون|حمل)",
    ),
]
OUTCOME["ceasefire_extended"] += [group("CONCEDE", "0871", rf"{_TRUCE} ([^\s]+ ){{0,4}}(توسیع|بڑھانے|بڑھا دی)")]
OUTCOME["agreement"] += [
    group("CONCEDE", "0871", rf"{_FIRE} ([^\s]+ ){{0,3}}(بند کرنے|روکنے|روک دینے)"),
    group("AGREE", "0356", r"(فوج|فوجوں|فوجیں|دستوں)([^\s]*) ([^\s]+ ){0,4}(واپس|کمی|پیچھے ہٹا)"),
]
# An effective answer to the other side's fire is the army's word for firing back.
FORCE += [
    r"جوابی فائرنگ",
    r"مؤثر جواب",
    r"موثر جواب",
    r"منہ توڑ جواب",
    r"بھرپور جواب",
    r"جوابی کارروائی",
    r"جانی نقصان",
    r"تباہ",
]
# "The power to suspend the treaty": a threat held in reserve, not the step.
HYPOTHETICAL += [r"کا اختیار"]
TALKS += [r"ہاٹ لائن", r"رابط"]

# Casualty figures (crawler.analysis.events.fields.casualties): "12 فوجی شہید ہو گئے",
# "حملے میں 12 افراد ہلاک اور 5 زخمی", "12 دہشت گردوں کو ہلاک کر دیا". The verb follows.
CASUALTY = CasualtyTable(
    forces=r"فوجیوں|فوجی|سپاہیوں|سپاہی|اہلکاروں|اہلکار|اہل کار|جوانوں|جوان|پولیس|سیکیورٹی فورسز",
    civilians=r"عام شہریوں|عام شہری|شہریوں|شہری|افراد|لوگوں|لوگ|بچوں|بچے|خواتین",
    militants=r"دہشت گردوں|دہشت گرد|دہشتگردوں|دہشتگرد|عسکریت پسندوں|عسکریت پسند|شدت پسندوں|شدت پسند|جنگجوؤں|جنگجو|"
    r"حملہ آوروں|حملہ آور|خوارج",
    killed=r"شہید|ہلاک|جاں بحق|جان بحق|مارے گئے|مارا گیا|جان کی بازی ہار گئے",
    injured=r"زخمی|مجروح",
    killing="",
    injuring="",
    numbers={
        "ایک": 1,
        "دو": 2,
        "تین": 3,
        "چار": 4,
        "پانچ": 5,
        "چھ": 6,
        "سات": 7,
        "آٹھ": 8,
        "نو": 9,
        "دس": 10,
        "گیارہ": 11,
        "بارہ": 12,
        "پندرہ": 15,
        "بیس": 20,
        "درجنوں": 24,
        "سینکڑوں": 200,
    },
    at_least=r"کم از کم",
    negation=r"کوئی|نہیں|بغیر",
)
