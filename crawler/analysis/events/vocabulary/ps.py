"""Pashto: talks outcomes and clashes. Matched inside words (particles and case endings attach)."""

from __future__ import annotations

from crawler.analysis.events.casualty_vocabulary import CasualtyTable
from crawler.analysis.events.ontology import Table, group

_ACCORD = r"(تړون|هوکړ|اعلامیه|موافقتنامه)"

OUTCOME: Table = {
    "collapsed": [
        group("REJECT", "164", r"ناکامې شوې", r"ناکام شول"),
        group("SANCTION", "164", r"خبرې (پای|ودرول|ناکامې)"),
        group(
            "SANCTION",
            "160",
            rf"{_ACCORD}([^\s]*) ([^\s]+ ){{0,3}}(وځنډاوه|وځنډول|ځنډول|لغوه|لغو|ودراوه|ودرول|تعلیق)",
        ),
    ],
    "no_agreement": [
        group("REJECT", "125", r"(پرته|بې) له (کومې )?(هوکړې|پایلې|تړون)", r"بې پایلې", r"پایله ونه", r"هوکړه ونه شوه"),
    ],
    "ceasefire_extended": [
        group(
            "CONCEDE",
            "0871",
            r"اوربند ته درناوی",
            r"اوربند (وغځول|وغزول|ته دوام|به دوام|پر ځای|پرځای)",
            r"د اوربند (تمدید|غځول|دوام)",
        ),
        group("AGREE", "050", r"اوربند ([^\s]+ ){0,3}(ژمن|ژمنتیا|ټینګار)", r"(ژمنتیا|ژمن) ([^\s]+ ){0,3}اوربند"),
    ],
    "next_round_set": [
        group(
            "AGREE",
            "036",
            r"(بل|راتلونکی|نوی) پړاو",
            r"بیا (سره )?ووینو",
            r"بیا به سره",
            r"خبرو ته (د )?دوام ([^\s]+ ){0,2}(هوکړه|موافقه)",
        )
    ],
    "agreement": [
        group("AGREE", "030", r"هوکړه (وشوه|وکړه)", r"موافقه وکړه", r"موافقه وشوه"),
        group("AGREE", "0356", r"(کړکیچ|تاوتریخوالي|تشنج) ([^\s]+ ){0,3}(مخنیوی|مخه|کمولو|کموي)"),
        group("SUPPORT", "057", r"هوکړه (لاسلیک)", r"تړون (لاسلیک|وشو)", r"لاسلیک (کړ|شو)"),
        group("CONSULT", "046", r"ګډه (اعلامیه|بیانیه)", r"مثبت پرمختګ"),
    ],
}

CLASH: Table = {
    "ceasefire_violation": [group("ASSAULT", "196", r"(اوربند|د اوربند) (سرغړونه|ماتول|مات)", r"اوربند یې مات")],
    "air_strike": [
        group("ASSAULT:aerial", "195", r"هوايي (برید|بریدونه|حملې|حمله)", r"بمبار"),
        group("ASSAULT:drone", "1952", r"ډرون (برید|بریدونه)"),
    ],
    "cross_border_attack": [group("ASSAULT", "190", r"د پولې هاخوا (برید|حمله)", r"نفوذ", r"پوستې (برید|حمله)")],
    "border_clash": [
        group("ASSAULT:firearms", "190", r"نښت", r"ډزې", r"جګړ", r"ډزو تبادله"),
        group("ASSAULT:heavy-weapons", "194", r"توپچي", r"توغندي"),
        group("ASSAULT:explosives", "1833", r"ماین", r"چاودن"),
    ],
}


# One side rejecting or accepting the mediators' proposal, a truce declared by one side, talks
# ending without a truce, a massacre: the classes the Sudan set found missing (en, fr, ar).
OUTCOME["no_agreement"] += [
    group("REJECT", "120", r"(وړاندیز|طرح|پلان) ([^\s]+ ){0,3}رد (کړ|شو)", r"(پرته|بې) له (د )?اوربند"),
]
OUTCOME["agreement"] += [
    group("CONCEDE", "0871", r"(یو ?اړخیز|یواړخیز) اوربند", r"اوربند ([^\s]+ ){0,2}اعلان (کړ|شو)"),
]
CLASH["cross_border_attack"] += [group("ASSAULT", "202", r"قتل عام", r"ډله ?ییزه وژنه")]

TALKS = [r"خبرې", r"مذاکرات", r"پلاوی", r"پړاو", r"غونډ", r"منځګړ", r"اوربند", r"کمیټ", r"کمیسیون", r"تړون", r"هوکړ"]
FORCE = [r"وژل", r"ووژل", r"ټپي", r"مړه", r"ووهل", r"برید وکړ", r"تبادله", r"چاودن"]
HYPOTHETICAL = [r"که ", r"به ", r"ګواښ", r"خبرداری", r"امکان"]
RECAP = [r"تېره (میاشت|اونۍ)", r"پخوا", r"د اکتوبر"]
PREVIEW = [r"(پیل|شروع)", r"ورسید", r"روان"]
# Negation: Pashto puts نه after the verb it negates ("اوربند ماتوو نه") or before it, and
# ونه inside compound verbs ("ډز ونه کړي").
NEGATION_BEFORE = [r"(?<![^\s])نه"]
NEGATION_AFTER = [r"(نه|ونه)"]
# Concession (identity: a step taken in answer to an earlier outcome): له ... سره سره.
CONCESSIVE = [r"سره سره"]
# A strike told as a repeat (identity: another strike on a place struck before); "بیا"
# alone is also "then".
REPEAT = [r"یو ځل بیا", r"دوباره"]

# Both sides firing (an exchange across a line, a reply to the other's fire): event identity
# reads it on the headline and lede (each side tells one exchange from its own sectors).
EXCHANGE = [
    r"د ډزو تبادله",
    r"متقابلې ډزې",
    r"ځوابي برید",
]
# A place of the topic changing hands (the place names come from the topic's gazetteer).
CAPTURE_AFTER = [r"(ونیو|ونیوله|تر کنټرول لاندې)"]

# Casualty figures (crawler.analysis.events.fields.casualties): "۱۲ سرتیري ووژل شول",
# "۵ ملکي وګړي ټپیان شول". The verb follows; "تنه" and "کسان" count people.
CASUALTY = CasualtyTable(
    forces=r"سرتیري|سرتېري|سرتیرو|پوځیان|پوځیانو|پوځي|عسکر|امنیتي ځواکونه|پولیس|ساتونکي",
    civilians=r"ملکي وګړي|ملکي|وګړي|کسان|تنه|ماشومان|ښځې|خلک|اوسیدونکي",
    militants=r"وسله ?وال\w*|جنګیال\w*|ترهګر\w*|اورپک\w*|بریدګر\w*",
    killed=r"ووژل|وژل|مړه|شهیدان|شهید",
    injured=r"ټپیان|ټپي|زخمیان|زخمي",
    killing="",
    injuring="",
    # Not "یو" (one): "یو شمېر" is "a number of".
    numbers={
        "دوه": 2,
        "درې": 3,
        "څلور": 4,
        "پنځه": 5,
        "شپږ": 6,
        "اووه": 7,
        "اته": 8,
        "نهه": 9,
        "لس": 10,
        "یوولس": 11,
        "دولس": 12,
        "پنځلس": 15,
        "شل": 20,
        "لسګونه": 24,
        "سلګونه": 200,
    },
    at_least=r"لږ تر لږه|لږترلږه",
    negation=r"هیڅ|پرته",
)
