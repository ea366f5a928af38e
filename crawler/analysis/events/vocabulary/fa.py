"""Persian (Dari and Farsi): talks outcomes and clashes. Matched inside words; a zero-width
non-joiner is folded to a space, so ``آتش‌بس`` and ``آتش بس`` are one spelling."""

from __future__ import annotations

from crawler.analysis.events.casualty_vocabulary import CasualtyTable
from crawler.analysis.events.ontology import Table, group

_TRUCE = r"(آتش ?بس|اتش ?بس)"
_ACCORD = r"(توافق ?نامه|توافق|اعلامیه|قرارداد|تفاهم ?نامه|موافقتنامه)"

OUTCOME: Table = {
    "collapsed": [
        group("REJECT", "164", r"شکست (خورد|مذاکرات)", r"به بن ?بست", r"مذاکرات ([^\s]+ ){0,2}شکست"),
        group("SANCTION", "164", r"مذاکرات (متوقف|لغو)", r"قطع مذاکرات", r"(تعلیق|توقف) (مذاکرات|گفتگو)"),
        group(
            "SANCTION",
            "160",
            rf"(تعلیق|لغو|توقف اجرای|فسخ|ابطال) ([^\s]+ ){{0,2}}{_ACCORD}",
            rf"{_ACCORD} ([^\s]+ ){{0,4}}(را )?(معلق|لغو|فسخ|متوقف) (کرد|کردند|شد)",
        ),
    ],
    "no_agreement": [
        group(
            "REJECT",
            "125",
            r"بدون (هیچ )?(توافق|نتیجه|دستاورد)",
            r"بی ?نتیجه",
            r"به توافق نرسید",
            r"توافقی حاصل نشد",
            r"بن ?بست",
        ),
    ],
    "ceasefire_extended": [
        group(
            "CONCEDE",
            "0871",
            rf"{_TRUCE} ([^\s]+ )?(تمدید|ادامه|پابرجا|حفظ|تداوم)",
            rf"(تمدید|حفظ|ادامه|تداوم|ادامهٔ|استمرار) ([^\s]+ )?{_TRUCE}",
        ),
        group(
            "AGREE",
            "050",
            rf"(تعهد|پایبندی|پابندی) ([^\s]+ ){{0,3}}{_TRUCE}",
            rf"{_TRUCE} ([^\s]+ ){{0,3}}(تعهد|پایبندی|تاکید)",
        ),
    ],
    "next_round_set": [
        group(
            "AGREE",
            "036",
            r"(دور|نشست) (بعدی|آینده|دیگر)",
            r"دوباره (دیدار|نشست|گفتگو)",
            r"(بر |به )?ادامه (مذاکرات|گفتگو|گفتگوها) ([^\s]+ ){0,2}(توافق|موافقت)",
        )
    ],
    "agreement": [
        group("AGREE", "030", r"(به )?توافق (رسیدند|رسید|کردند|شد)", r"توافق نامه", r"توافقنامه"),
        group("AGREE", "0356", r"(جلوگیری|پرهیز|خودداری) ([^\s]+ ){0,2}(تشدید|افزایش) ([^\s]+ ){0,2}(تنش|درگیری)"),
        group("SUPPORT", "057", r"امضا (کردند|شد|کرد)"),
        group("CONSULT", "046", r"(اعلامیه|بیانیه) (مشترک|پایانی)", r"پیشرفت (مثبت|خوب|قابل توجه)"),
    ],
}

CLASH: Table = {
    "ceasefire_violation": [
        group("ASSAULT", "196", rf"نقض ([^\s]+ )?{_TRUCE}", rf"{_TRUCE} (را )?نقض", rf"نقض {_ACCORD}")
    ],
    "air_strike": [
        group("ASSAULT:aerial", "195", r"حمل(ه|ات) هوایی", r"بمباران"),
        group("ASSAULT:drone", "1952", r"حمله پهپادی", r"حملات پهپادی", r"پهپاد"),
    ],
    "cross_border_attack": [group("ASSAULT", "190", r"نفوذ", r"حمله (فرا|برون) ?مرزی", r"حمله به پاسگاه")],
    "border_clash": [
        group("ASSAULT:firearms", "190", r"درگیری", r"تیراندازی", r"تبادل آتش", r"جنگ مرزی"),
        group("ASSAULT:heavy-weapons", "194", r"گلوله باری", r"خمپاره", r"توپخانه"),
        group("ASSAULT:explosives", "1833", r"ماین", r"مین (زمینی|کنار جاده)", r"بمب کنار جاده", r"انفجار ماین"),
    ],
}


# One side rejecting or accepting the mediators' proposal, a truce declared by one side, talks
# ending without a truce, a massacre: the classes the Sudan set found missing (en, fr, ar).
OUTCOME["no_agreement"] += [
    group(
        "REJECT",
        "120",
        rf"(پیشنهاد|طرح|{_TRUCE}) ([^\s]+ ){{0,3}}را رد (کرد|کردند)",
        rf"بدون ([^\s]+ )?{_TRUCE}",
    )
]
OUTCOME["agreement"] += [
    group("AGREE", "030", r"(پیشنهاد|طرح) ([^\s]+ ){0,3}را (پذیرفت|پذیرفتند)"),
    group("CONCEDE", "0871", rf"{_TRUCE} ([^\s]+ )?یک ?جانبه", rf"{_TRUCE} ([^\s]+ ){{0,2}}اعلام (کرد|کردند)"),
]
CLASH["cross_border_attack"] += [group("ASSAULT", "202", r"قتل ?عام")]

TALKS = [
    r"مذاکرات",
    r"گفتگو",
    r"هیئت",
    r"دور",
    r"نشست",
    r"میانجی",
    r"آتش بس",
    r"کمیسیون",
    r"کمیته",
    r"توافق",
    r"اعلامیه",
]
FORCE = [r"کشته", r"زخمی", r"شهید", r"جان باختند", r"تبادل", r"هدف قرار", r"انفجار"]
HYPOTHETICAL = [r"اگر", r"خواهد", r"هشدار", r"تهدید", r"احتمال", r"انتظار"]
RECAP = [r"(ماه|هفته) گذشته", r"پیش از این", r"در ماه اکتبر"]
PREVIEW = [r"(آغاز|شروع)", r"وارد .* شد", r"عازم"]
# Negation: Dari and Persian negate the verb with a prefix (نکرد, نشد, نمی‌کند, نخواهد),
# which follows the noun the statement names ("آتش‌بس را نقض نکرده").
NEGATION_BEFORE: list[str] = []
NEGATION_AFTER = [r"(نکرد|نکرده|نشد|نشده|نمی|نخواهد|نیست|نه)"]
# Concession (identity: a step taken in answer to an earlier outcome).
CONCESSIVE = [r"با وجود", r"باوجود", r"علی ?رغم", r"به رغم"]
# A strike told as a repeat (identity: another strike on a place struck before).
REPEAT = [r"بار دیگر", r"دوباره", r"مجددا"]

# Both sides firing (an exchange across a line, a reply to the other's fire): event identity
# reads it on the headline and lede (each side tells one exchange from its own sectors).
EXCHANGE = [
    r"تبادل آتش",
    r"تیراندازی متقابل",
    r"پاسخ متقابل",
]
# A place of the topic changing hands (the place names come from the topic's gazetteer).
CAPTURE_BEFORE = [r"(تصرف|سقوط|کنترل)"]
CAPTURE_AFTER = [r"(را )?(تصرف|اشغال) (کرد|کردند)", r"سقوط کرد"]

# A war fought from the air between states with no shared border: missiles and strikes
# named by what they hit (a site, a reactor, a base), and talks told as called off, ended
# without reaching a deal, or with differences remaining.
CLASH["air_strike"] += [
    group(
        "ASSAULT:missile",
        "195",
        r"حمل(ه|ات) موشکی",
        r"موشک(ها|های)? ([^\s]+ ){0,3}(اصابت|شلیک)",
        r"اصابت ([^\s]+ ){0,2}موشک",
        r"(هدف|مورد) حمله قرار (داد|دادند|گرفت|گرفتند)",
        r"حمل(ه|ات) ([^\s]+ ){0,3}به ([^\s]+ ){0,2}(سایت|تاسیسات|تأسیسات|رآکتور|راکتور|پایگاه|نیروگاه|زندان|ساختمان)",
    )
]
OUTCOME["collapsed"] += [
    group("SANCTION", "164", r"(مذاکرات|نشست|دور|گفتگو)[^\s]* ([^\s]+ ){0,4}لغو (شد|شده)"),
]
OUTCOME["no_agreement"] += [
    group(
        "REJECT",
        "125",
        r"بدون (دستیابی به |رسیدن به )(هیچ )?توافق",
        r"به توافقی? (هنوز )?نرسید",
        r"اختلاف ?(ها|نظرها|نظر)? ([^\s]+ ){0,8}باقی (است|ماند|مانده)",
    )
]
OUTCOME["agreement"] += [
    group("CONCEDE", "0871", rf"{_TRUCE} ([^\s]+ ){{0,6}}(آغاز شد|آغاز شده|برقرار شد|اجرایی شد|به اجرا درآمد)"),
]

# Casualty figures (crawler.analysis.events.fields.casualties): "۱۲ نظامی کشته شدند",
# "۱۲ نفر کشته و ۵ نفر زخمی شدند", "کشته شدن ۱۲ غیرنظامی". "نفر" and "تن" count people.
CASUALTY = CasualtyTable(
    forces=r"نظامیان|نظامی|سربازان|سرباز|نیروهای امنیتی|نیروی امنیتی|ماموران|مامور|مأموران|مأمور|پلیس|"
    r"مرزبانان|مرزبان|پاسداران|پاسدار",
    civilians=r"غیرنظامیان|غیرنظامی|غیر نظامی|نفر|تن|شهروندان|شهروند|کودکان|کودک|زنان|فرد|افراد",
    militants=r"شبه نظامیان|شبه نظامی|شبه‌نظامی|شبه‌نظامیان|تروریست‌ها|تروریستها|تروریست|ستیزه‌جویان|ستیزه‌جو|"
    r"شورشیان|شورشی|جنگجویان|جنگجو|مهاجمان|افراد مسلح|مسلح",
    killed=r"کشته|جان باختند|جان باخت|جان خود را از دست دادند|هلاک|شهید|به شهادت رسیدند",
    injured=r"زخمی|مجروح|مصدوم",
    killing=r"کشته شدن|کشته‌شدن|کشتن|قتل|شهادت|جان باختن|مرگ",
    injuring=r"زخمی شدن|زخمی‌شدن|مجروح شدن|مجروح‌شدن",
    numbers={
        "یک": 1,
        "دو": 2,
        "سه": 3,
        "چهار": 4,
        "پنج": 5,
        "شش": 6,
        "هفت": 7,
        "هشت": 8,
        "ده": 10,
        "یازده": 11,
        "دوازده": 12,
        "پانزده": 15,
        "بیست": 20,
        "ده‌ها": 24,
        "صدها": 200,
    },
    at_least=r"دست کم|دست‌کم|حداقل|بیش از",
    negation=r"هیچ|بدون|نشدند|نشد|نشده",
)
