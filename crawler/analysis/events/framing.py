"""The words around an event that change what it means, per language.

Whether a sentence is about talks or about force at all, whether it speaks of what may
happen, looks back at an earlier event or previews one, and whether the article is
opinion: the filters :mod:`crawler.analysis.events.lexicon` compiles beside the event words.

Patterns are written plain and folded by :mod:`crawler.analysis.events.lexicon` when it
compiles them; English ones are matched at word boundaries, the others inside words.
"""

from __future__ import annotations

# --- context and filters ---------------------------------------------------------------------

TALKS_CONTEXT = {
    "en": [
        r"talks?",
        r"negotiat\w*",
        r"dialogue",
        r"round",
        r"delegations?",
        r"mediat\w*",
        r"meeting",
        r"parleys?",
        r"peace process",
        r"ceasefire",
        r"truce",
        r"accords?",
        r"agreements?",
        r"deal",
        r"pact",
        r"mechanism",
        r"table",
        r"track",
    ],
    "ur": [r"مذاکرات", r"بات چیت", r"وفد", r"دور", r"اجلاس", r"ثالث", r"جنگ بندی"],
    "ps": [r"خبرې", r"مذاکرات", r"پلاوی", r"پړاو", r"غونډ", r"منځګړ", r"اوربند"],
    "fa": [r"مذاکرات", r"گفتگو", r"هیئت", r"دور", r"نشست", r"میانجی", r"آتش بس"],
    "hi": [r"वार्ता", r"बातचीत", r"प्रतिनिधिमंडल", r"दौर", r"बैठक", r"मध्यस्थ", r"युद्धविराम"],
}
# Harm or force: a "clash" with nobody armed and nothing hit is a metaphor.
FORCE_CONTEXT = {
    # Verbs and nouns of harm and armed action: "fighting" as the background of a trade
    # story ("closed since the fighting") has none of these in its sentence.
    "en": [
        r"kill(ed|s|ing)",
        r"dead",
        r"died",
        r"deaths?",
        r"wounded",
        r"injur(ed|ies|ing)",
        r"martyred",
        r"casualt\w+",
        r"destroy(ed|ing)",
        r"damag(ed|ing)",
        r"shelled",
        r"pounded",
        r"fired",
        r"erupted",
        r"broke out",
        r"raged",
        r"flared",
        r"exchanged",
        r"attack(ed|ing)",
        r"repuls(ed|ing)",
        r"retaliat(ed|ing)",
        r"clashed",
        r"stormed",
        r"ambushed",
        r"targeted",
        r"struck",
        r"hit",
        r"carried out",
        r"conducted",
        r"launched",
    ],
    "ur": [r"ہلاک", r"شہید", r"زخمی", r"جاں بحق", r"تبادل", r"حملہ کیا", r"حملے کیے", r"نشانہ", r"ناکام بنا"],
    "ps": [r"وژل", r"ووژل", r"ټپي", r"مړه", r"ووهل", r"برید وکړ", r"تبادله"],
    "fa": [r"کشته", r"زخمی", r"شهید", r"جان باختند", r"تبادل", r"هدف قرار"],
    "hi": [r"मारे", r"मौत", r"घायल", r"शहीद", r"हमला किया", r"निशाना", r"गोलीबारी", r"फायरिंग", r"हमले"],
}
# The sentence speaks of something that has not happened (or may never).
HYPOTHETICAL = {
    "en": [
        r"if",
        r"unless",
        r"would",
        r"could",
        r"might",
        r"may",
        r"threat(en|ens|ened)",
        r"warn(ed|s|ing)?",
        r"vow(ed|s)?",
        r"fears?",
        r"feared",
        r"risk",
        r"likely",
        r"unlikely",
        r"hopes?",
        r"hoped",
        r"expected",
        r"will",
        r"shall",
        r"plans? to",
        r"ready to",
        r"prepared to",
        r"seeks?",
        r"aims? to",
        r"set to",
        r"due to (begin|start|resume|open)",
        r"ahead of",
        r"possible",
        r"prospects?",
        r"whether",
        r"should",
        r"urged?",
        r"call(ed|s)? for",
    ],
    "ur": [r"اگر", r"تو ", r"گا", r"گی", r"گے", r"خبردار", r"دھمکی", r"امکان", r"توقع"],
    "ps": [r"که ", r"به ", r"ګواښ", r"خبرداری", r"امکان"],
    "fa": [r"اگر", r"خواهد", r"هشدار", r"تهدید", r"احتمال", r"انتظار"],
    "hi": [r"अगर", r"यदि", r"गा", r"गी", r"गे", r"चेतावनी", r"धमकी", r"संभावना", r"उम्मीद"],
}
# The sentence looks back at an earlier event.
RECAP = {
    "en": [
        r"last (month|week|year)",
        r"earlier this (month|year)",
        r"in (january|february|march|april|may|june|july|august|september|october|november|december)",
        r"since (january|february|march|april|may|june|july|august|september|october|november|december|the)",
        r"(weeks|months|days) (of|after|since)",
        r"following (last|the (deadly|recent|earlier|october|november))",
        r"after (last|the (deadly|recent|earlier|october|november))",
        r"(had|have) (clashed|fought|agreed|collapsed|broken down)",
        r"(in the )?aftermath of",
        r"(a|one|two|three|six) (days?|weeks?|months?|years?) (on|after|later|since)",
        r"(january|february|march|april|may|june|july|august|september|october|november|december)'s",
        r"(previous|earlier|last|first|second) round",
        r"recalled?",
        r"were (also )?killed in",
        r"the (deadly|worst|recent|earlier) (clashes|fighting|strikes)",
        r"which (killed|left)",
        r"timeline",
        r"background",
    ],
    "ur": [r"گزشتہ (ماہ|ہفتے|سال)", r"پچھلے (ماہ|ہفتے|دور)", r"اکتوبر میں", r"سے جاری"],
    "ps": [r"تېره (میاشت|اونۍ)", r"پخوا", r"د اکتوبر"],
    "fa": [r"(ماه|هفته) گذشته", r"پیش از این", r"در ماه اکتبر"],
    "hi": [r"पिछले (महीने|हफ्ते|सप्ताह|दौर)", r"अक्टूबर में", r"पहले दौर", r"(हुए|हुई|हुआ) (थे|थी|था)"],
}
PREVIEW = {
    "en": [
        r"(begin|began|begins|start|started|starts|open|opened|opens|get under way|got under way|gets under way|kick(ed|s)? off)",
        r"(arrive|arrived|arrives|land|landed|lands|depart|departed|departs|flew|flies|fly|head(ed|s|ing)? for|leave|left|leaves) (in|for|to)",
        r"(second|third|fourth|final) day",
        r"ahead of",
        r"(talks|negotiations|dialogue) (continue|continued|continues|resumed|resume|resumes|stretch(ed|es)? into)",
        r"under way",
    ],
    "ur": [r"(شروع|آغاز)", r"روانہ", r"پہنچ گیا", r"پہنچ گئے", r"جاری ہیں"],
    "ps": [r"(پیل|شروع)", r"ورسید", r"روان"],
    "fa": [r"(آغاز|شروع)", r"وارد .* شد", r"عازم"],
    "hi": [r"(शुरू|आरंभ)", r"पहुंच", r"रवाना", r"जारी है", r"आज से"],
}
OPINION_TITLE = [
    r"^(opinion|editorial|comment|analysis|explainer|explained|column|op-ed|view|viewpoint|perspective|q&a|timeline|factbox)\b",
    r"\b(opinion|editorial|analysis|explainer|timeline|factbox)\s*[:|-]",
    r"^(why|how|what|will|can|should|is|are|does)\b.*\?$",
]
OPINION_TEXT = [r"the writer is", r"the author is", r"views expressed", r"the views in this", r"this is an opinion"]
