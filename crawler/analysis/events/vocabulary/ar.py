"""Arabic: talks outcomes and clashes as Arabic-language news reports them.

Matched inside words (the article, conjunctions and prepositions attach: والاتفاق,
بالتزامهما). Text and patterns are folded alike (:func:`crawler.analysis.text.normalise`:
yeh, kaf, teh marbuta unified), but the hamza forms of alef are not, so patterns spell
them ``[اأإآ]``. No uppercase class escapes: patterns are case-folded before compiling.
"""

from __future__ import annotations

from crawler.analysis.events.casualty_vocabulary import CasualtyTable
from crawler.analysis.events.ontology import Table, group

_ALEF = "[اأإآ]"
_TRUCE = rf"(وقف {_ALEF}طلاق النار|لوقف {_ALEF}طلاق النار|الهدنة|هدنة)"
_ACCORD = rf"({_ALEF}تفاق|{_ALEF}علان|مذكرة|معاهدة|{_ALEF}طار|ميثاق)"
_TALKS = r"(المحادثات|المفاوضات|الحوار|المسار|العملية السياسية|الوساطة)"
_ANY = r"([^\s]+ ){0,3}"
_FAR = r"([^\s]+ ){0,8}"

OUTCOME: Table = {
    "collapsed": [
        group("REJECT", "164", rf"(انهيار|انهارت|فشل|فشلت|تعثر) {_ANY}{_TALKS}", rf"{_TALKS} {_ANY}(انهارت|فشلت)"),
        group(
            "SANCTION",
            "164",
            rf"(علق|علقت|تعليق|{_ALEF}وقف|{_ALEF}وقفت|{_ALEF}يقاف|انسحب|انسحبت|انسحاب|قطع|قطعت) {_ANY}(مشارکت{_ANY})?{_TALKS}",
        ),
        group(
            "SANCTION",
            "160",
            rf"(علق|علقت|تعليق|{_ALEF}لغاء|{_ALEF}لغى|{_ALEF}لغت|تجميد|جمد|جمدت|انسحب من|انسحبت من|الانسحاب من) {_ANY}{_ACCORD}",
        ),
    ],
    "no_agreement": [
        group(
            "REJECT",
            "125",
            rf"(دون|بدون|من دون) (التوصل {_ALEF}لی |تحقيق )?({_ALEF}تفاق|نتيجه|نتائج|اختراق|تقدم)",
            r"(طريق مسدود|جمود|الجمود)",
            rf"(لم|فشل|فشلت|فشلا) {_ANY}(التوصل|يتوصل|يتوصلا|يتوصلوا)",
            # "No agreement on a ceasefire" (the agreement pattern finds its noun too).
            rf"(^|\s)(لا|عدم|غياب) {_ALEF}تفاق",
            # Talks that end without the truce they sought.
            rf"(دون|بدون|من دون) (التوصل {_ALEF}لی |التوصل {_ALEF}لى )?{_TRUCE}",
        ),
        # One side rejecting the mediators' proposal.
        group(
            "REJECT",
            "120",
            rf"(يرفض|ترفض|رفض|رفضت|رفضه|رفضها|يرفضون|رفضوا) {_ANY}(المقترح|مقترح|الاقتراح|اقتراح|المبادره|مبادره|"
            rf"الورقه|ورقه|الخطه|خطه|{_TRUCE}|{_ACCORD})",
        ),
    ],
    "ceasefire_extended": [
        group(
            "CONCEDE",
            "0871",
            rf"(تمديد|تجديد|الحفاظ علی|استمرار|مواصله|تثبيت) {_ANY}{_TRUCE}",
            rf"{_TRUCE} {_ANY}(تمديد|مددت|تم تمديد)",
        ),
        group(
            "AGREE",
            "050",
            rf"(جدد|جددا|جددت|جددوا|{_ALEF}كد|{_ALEF}كدا|{_ALEF}كدت|{_ALEF}كدوا|تجديد) {_ANY}(التزام|تمسک){_ANY}{_TRUCE}",
        ),
    ],
    "next_round_set": [
        group(
            "AGREE",
            "036",
            r"(الجوله|الاجتماع|الجلسه) (المقبله|المقبل|القادمه|القادم|التاليه|التالی)",
            r"(سيجتمع|سيلتقي|الاجتماع مجددا|الاجتماع مره اخری)",
            rf"{_ALEF}تفق\w* {_ANY}(علی|علي) (مواصله|استمرار) (المحادثات|المفاوضات|الحوار)",
        ),
    ],
    "agreement": [
        group(
            "AGREE",
            "030",
            rf"(توصل|توصلا|توصلت|توصلوا|التوصل) {_ANY}({_ALEF}لی )?{_ALEF}تفاق",
            rf"(^|\s)و?{_ALEF}تفق(ا|وا|ت|تا)?\s",
            rf"{_ALEF}تفاق (في|علی) ",
            rf"(يلتزم|التزم|التزما|التزمت|تلتزم) {_ANY}{_TRUCE}",
            # Both sides pledging (the dual: a mutual commitment, as a signed declaration).
            r"(يتعهدان|تتعهدان|تعهدا |تعهد الطرفان|يلتزمان|تلتزمان|التزم الطرفان)",
            # One side accepting the mediators' proposal (rule 3: a new truce for it).
            rf"(توافق|وافق|وافقت|وافقوا|موافقتها|موافقته|موافقه|قبول|قبلت) {_ANY}(علی |على )?{_ANY}"
            rf"(المقترح|مقترح|الاقتراح|اقتراح|المبادره|مبادره|الخطه|خطه|{_TRUCE})",
        ),
        group("AGREE", "0356", rf"(تجنب|عدم|منع) {_ANY}(التصعيد|تصعيد)"),
        group(
            "SUPPORT",
            "057",
            rf"(وقع|وقعا|وقعت|وقعوا|توقيع|التوقيع) {_FAR}{_ACCORD}",
            # The signatories named at length: "signed ... in Jeddah on a declaration".
            rf"(وقع|وقعا|وقعت|وقعوا) ([^\s]+ ){{0,20}}علی \W?{_ACCORD}",
        ),
        # A truce declared, by one side alone too (PLOVER CONCEDE).
        group(
            "CONCEDE",
            "0871",
            rf"(يعلن|تعلن|{_ALEF}علن|{_ALEF}علنت|يعلنان) (عن )?{_TRUCE}",
            rf"{_TRUCE} ([^\s]+ ){{0,2}}(من طرف واحد|من جانب واحد|احاديه)",
        ),
        group(
            "CONSULT",
            "046",
            rf"(بيان مشترك|البيان المشترك|البيان الختامي) {_ANY}(اتفق|{_ALEF}كد|تضمن|نص)",
            rf"تقدم (ايجابي|{_ALEF}يجابي|ملموس)",
        ),
    ],
}

CLASH: Table = {
    "ceasefire_violation": [
        group("ASSAULT", "196", rf"(خرق|خروقات|انتهاك|انتهاكات|انتهک|خرقت) {_ANY}({_TRUCE}|{_ACCORD})"),
    ],
    "air_strike": [
        group("ASSAULT:aerial", "195", r"(غاره|غارات|ضربه|ضربات) (جويه|جوی)", r"قصف جوي", r"قصف جوی"),
        # Drones as the subject or instrument of an attack, not drones named as arms supplied.
        group(
            "ASSAULT:drone",
            "1952",
            r"(طائره|طائرات) (مسيره|مسیره|بدون طيار|بدون طیار)",
            rf"(مسيرات|المسيرات|مسيره) {_ANY}(تستهدف|استهدفت|تضرب|ضربت|قصفت|تقصف|هاجمت|تهاجم)",
            rf"(هجوم|هجمات|ضربات|ضربه|قصف|استهداف|استهدفت|تصدت|{_ALEF}سقطت|{_ALEF}سقاط) {_ANY}(بالمسيرات|مسيرات|المسيرات)",
        ),
    ],
    "cross_border_attack": [
        group("ASSAULT", "190", r"عبر الحدود", r"توغل", r"تسلل"),
        # Mass killing of civilians by one side (CAMEO 202).
        group("ASSAULT", "202", r"مجزره", r"مجازر", rf"(اعدامات|{_ALEF}عدام) ميداني"),
    ],
    "border_clash": [
        group("ASSAULT:firearms", "190", r"اشتباک", r"معارک", r"قتال", rf"تبادل {_ALEF}طلاق النار", r"هجوم"),
        group("ASSAULT:heavy-weapons", "194", r"قصف", r"قذائف"),
        group("ASSAULT:explosives", "1833", r"لغم", r"(عبوه|عبوات) ناسفه", r"انفجار"),
        group(
            "ASSAULT:occupy",
            "197",
            rf"(سيطر|سيطرت|السيطره علی|استولی|استولت|دخل|دخلت|دخول) {_ANY}(مدينه|بلده|مطار|قاعده)",
            # The losing side leaving a town: the same change of hands (the verb's past only:
            # the noun is also the withdrawal an accord demands).
            rf"(انسحب|انسحبت|انسحبنا|انسحبوا) {_ANY}من (مدينه|بلده|مطار|قاعده)",
        ),
    ],
}

TALKS = [
    r"المحادثات",
    r"المفاوضات",
    r"مفاوضات",
    r"محادثات",
    r"الحوار",
    r"جوله",
    r"وفد",
    r"وساطه",
    r"الوسطاء",
    r"اجتماع",
    r"لقاء",
    r"قمه",
    rf"وقف {_ALEF}طلاق النار",
    r"هدنه",
    rf"{_ALEF}تفاق",
    rf"{_ALEF}علان",
    r"بيان مشترك",
    r"لجنه",
    r"آليه",
]
FORCE = [
    r"قتل",
    r"قتلی",
    r"مقتل",
    r"مصرع",
    r"جرحی",
    r"جريح",
    rf"{_ALEF}صيب",
    rf"{_ALEF}صابه",
    r"دمر",
    r"استهدف",
    r"قصف",
    r"اندلع",
    r"هاجم",
    r"سيطر",
    r"نزوح",
]
HYPOTHETICAL = [
    rf"{_ALEF}ذا ",
    r"لو ",
    r"قد ",
    r"سوف",
    r"هدد",
    r"تهديد",
    r"حذر",
    r"تحذير",
    r"يتوقع",
    r"متوقع",
    r"احتمال",
    r"دعا",
    r"دعوه",
]
RECAP = [
    r"الشهر الماضي",
    r"الاسبوع الماضي",
    r"الأسبوع الماضي",
    r"العام الماضي",
    r"منذ (يناير|فبراير|مارس|ابريل|مايو|يونيو|يوليو|اغسطس|سبتمبر|اكتوبر|نوفمبر|ديسمبر)",
]
PREVIEW = [
    rf"(تبد{_ALEF}|بد{_ALEF}ت|انطلقت|تنطلق|انطلاق)",
    r"(وصل|وصلت|يصل|وصول) ",
    r"(يومها|اليوم) (الثاني|الثالث|الرابع)",
    r"تدخل",
]
# Negation: the particles of the past, future and nominal sentence stand before the verb
# ("لم تنهار", "لن نخرق"); لا is left out (لا يزال, "still", is its most common use here).
NEGATION_BEFORE = [r"(?<![^\s])(لم|لن|ليس|ليست)"]
NEGATION_AFTER: list[str] = []
# Concession (identity: a step taken in answer to an earlier outcome).
CONCESSIVE = [r"رغم", r"بالرغم"]
# A strike told as a repeat (identity: another strike on a place struck before).
REPEAT = [r"مرة أخرى", r"مرة ثانية", r"من جديد", r"مجددا"]

# Both sides firing (an exchange across a line, a reply to the other's fire): event identity
# reads it on the headline and lede (each side tells one exchange from its own sectors).
EXCHANGE = [
    r"تبادل (?:ل)?إطلاق النار",
    r"تبادل القصف",
    r"ردت على (?:مصادر )?النيران",
    r"ردت القوات",
]
# A place of the topic changing hands (the place names come from the topic's gazetteer).
CAPTURE_BEFORE = [
    r"(سيطر|سيطرت|سيطروا|السيطره علی|سيطرتها علی|استولی|استولت|اقتحم|اقتحمت|سقوط|دخول|دخلت|دخل)",
    # The losing side leaving it (the verb's past only).
    r"(انسحب|انسحبت|انسحبنا|انسحبوا) (\S+ ){0,2}من",
]
CAPTURE_AFTER = [r"(سقطت|تسقط)"]

# A war fought from the air between states with no shared border: air raids with the
# article on both words, missiles fired or hitting, a barrage of them (fa, en, fr alike).
CLASH["air_strike"] += [
    group(
        "ASSAULT:missile",
        "195",
        r"(ال)?(غاره|غارات|ضربه|ضربات) (ال)?جوي",
        rf"(صاروخ|صواريخ|الصواريخ) {_ANY}(تضرب|ضربت|تستهدف|استهدفت|سقطت|تسقط|{_ALEF}صابت|تصيب)",
        rf"({_ALEF}طلق|{_ALEF}طلقت|{_ALEF}طلاق|يطلق|تطلق) {_ANY}(صاروخ|صواريخ|الصواريخ|صاروخيه)",
        r"(رشقه|رشقات|موجه|موجات|وابل) (من )?(ال)?صواريخ",
        r"(هجوم|هجمات|ضربه|ضربات|قصف) صاروخ",
    )
]

# Casualty figures (crawler.analysis.events.fields.casualties). Arabic news puts the verbal
# noun first: "مقتل 12 جنديا", "أسفر عن مقتل ثلاثة مدنيين وإصابة 7"; the conjunction and
# preposition attach to it (``[وفب]?``). Nationality follows the noun ("جنديا شماليا"): the
# side then comes from the sentence.
CASUALTY = CasualtyTable(
    forces=r"جنود|جنديا|جندي|عسكريين|عسكريا|عسكري|أفراد الأمن|عناصر الأمن|رجال الأمن|رجال الشرطة|أفراد الشرطة|"
    r"شرطيين|شرطيا|شرطي|حرس الحدود|حراس|قوات الأمن",
    civilians=r"مدنيين|مدنيا|مدني|أشخاص|شخصا|شخص|أطفال|طفلا|نساء|مواطنين|مواطنا|سكان|قرويين",
    militants=r"مسلحين|مسلحا|مسلح|إرهابيين|إرهابيا|مقاتلين|مقاتلا|متشددين|متشددا|متمردين|متمردا|مهاجمين|جهاديين",
    killed=r"قتلوا|قتلى|لقوا حتفهم|لقوا مصرعهم|استشهدوا|شهداء|حتفهم|مصرعهم",
    injured=r"أصيبوا|جرحى|مصابين|بجروح",
    killing=r"[وفب]?(?:مقتل|قتل|استشهاد|مصرع|وفاة|لقي|اغتيال)",
    injuring=r"[وفب]?(?:إصابة|أصيب|جرح)",
    numbers={
        "واحد": 1,
        "اثنين": 2,
        "اثنان": 2,
        "ثلاثة": 3,
        "ثلاث": 3,
        "أربعة": 4,
        "أربع": 4,
        "خمسة": 5,
        "خمس": 5,
        "ستة": 6,
        "سبعة": 7,
        "سبع": 7,
        "ثمانية": 8,
        "تسعة": 9,
        "تسع": 9,
        "عشرة": 10,
        "أحد عشر": 11,
        "اثني عشر": 12,
        "اثنا عشر": 12,
        "خمسة عشر": 15,
        "عشرين": 20,
        "عشرون": 20,
        "عشرات": 24,
        "مئات": 200,
    },
    at_least=r"ما لا يقل عن|لا يقل عن|أكثر من|نحو|حوالي",
    negation=r"لم|لن|دون|بدون|عدم",
)
