"""English context of a statement: talks or force nearby, hypothetical, a recap, a preview.

The classifier's filters (:mod:`crawler.analysis.events.classifier`) read these lists; the
statements themselves are in :mod:`crawler.analysis.events.vocabulary.en`.
"""

from __future__ import annotations

TALKS = [
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
    r"declaration",
    r"treaty",
    r"(joint|border|standing) (committee|commission|working group|statement)",
    r"working group",
    # A military hotline between two armies is a talks channel (its calls are rounds).
    r"hotline",
    r"communiqu[eé]",
    r"summit",
    r"process",
    r"frameworks?",
    r"protocols?",
    r"principles",
    r"memorandum",
    r"road ?map",
]
# Harm or armed action: a "clash" with nobody armed and nothing hit is a metaphor. "Fighting"
# as the background of a trade story ("closed since the fighting") has none of these.
FORCE = [
    r"kill(ed|s|ing)",
    r"dead",
    r"(death )?toll",
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
    r"seized",
    r"captured",
    r"overran",
    r"exploded",
    r"detonated",
]
# The sentence speaks of something that has not happened (or may never).
HYPOTHETICAL = [
    r"if",
    r"unless",
    r"would",
    r"could",
    r"might",
    # Not the month in a dateline ("JEDDAH, May 12").
    r"may(?! \d)",
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
    # "The meeting is meant to agree on...": the aim of a round, not its result.
    r"(meant|supposed|intended) to",
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
    # "Reserves the right to suspend the treaty": a threat, not the step.
    r"reserv(e|es|ed|ing) the right",
]
# The sentence looks back at an earlier event.
RECAP = [
    r"last (month|week|year)",
    r"earlier this (month|year)",
    # Not a round set for a month: "to resume in November", "meet again in May".
    r"(?<!resume )(?<!resumes )(?<!again )(?<!reconvene )(?<!meet )"
    r"in (january|february|march|april|may|june|july|august|september|october|november|december)",
    r"since (january|february|march|april|may|june|july|august|september|october|november|december|the)",
    r"(weeks|months|days) (of|after|since)",
    r"following (last|the (deadly|recent|earlier|october|november))",
    r"after (last|the (deadly|recent|earlier|october|november))",
    # "Had agreed" looks back; "have agreed to set up a zone" is the news, told in the present perfect.
    r"had (clashed|fought|agreed|collapsed|broken down)",
    r"have (clashed|fought|collapsed|broken down)",
    r"(in the )?aftermath of",
    r"(a|one|two|three|four|five|six|seven|eight|nine|ten|\d+) (days?|weeks?|months?|years?) (on|after|later|since)",
    r"during the (fighting|clashes|offensive|battle|war|assault)",
    # An anniversary piece: "a year of war", "two years into the conflict".
    r"(years?|months?) (of|into (the|its)) (war|fighting|conflict)",
    r"(january|february|march|april|may|june|july|august|september|october|november|december)'s",
    # "After the first round failed..."; not "a second round of talks ended".
    r"(previous|earlier|last) round",
    r"(after|since|at|during|in|following) the (first|second) round",
    r"recalled?",
    r"were (also )?killed in",
    r"the (deadly|worst|recent|earlier) (clashes|fighting|strikes)",
    r"which (killed|left)",
    r"timeline",
    # An anniversary piece: "nine years ago on Monday, X signed the accord".
    r"(a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+|several|many) (years?|decades?) ago",
    r"(anniversary|anniversaries)",
    r"background",
]
PREVIEW = [
    r"(begin|began|begins|start|started|starts|open|opened|opens|get under way|got under way|gets under way|kick(ed|s)? off)",
    r"(arrive|arrived|arrives|land|landed|lands|depart|departed|departs|flew|flies|fly|head(ed|s|ing)? for|leave|left|"
    r"leaves) (in|for|to)",
    r"(second|third|fourth|final) day",
    r"ahead of",
    r"(talks|negotiations|dialogue) (continue|continued|continues|resumed|resume|resumes|stretch(ed|es)? into)",
    r"under way",
]

# Negation: a statement with one of these within two words before it reports nothing
# ("has not collapsed", "did not violate"). English puts the negation before the verb.
NEGATION_BEFORE = [r"\bnot", r"\bnever", r"\bno longer", r"n't", r"\bneither", r"\bnor"]
# After it, only a stop: "Operation X only paused", "shelling halted": a clash that ended is
# not a new one.
NEGATION_AFTER = [r"(paused|halted|suspended|stopped)"]
# Concession: "despite the failure, the truce holds" states a step taken in answer to an
# earlier outcome (crawler.analysis.events.identity: a reaction, its own event).
CONCESSIVE = [r"\bdespite", r"\bin spite of", r"\bnotwithstanding", r"\bregardless of"]
# A strike told as a repeat: "struck Fordow again", "hit once more" (identity: another strike
# on a place struck before, not the earlier one told a day later).
REPEAT = [r"\bagain\b", r"\bonce more\b", r"\ba second time\b", r"\banew\b"]

# Both sides firing (an exchange across a line, a reply to the other's fire): event identity
# reads it on the headline and lede (each side tells one exchange from its own sectors).
EXCHANGE = [
    r"\bexchanges? of (?:\w+ )?fire\b",
    r"\bexchang(?:e|ed|ing) (?:\w+ )?fire\b",
    r"\btrad(?:ed|ing) (?:\w+ )?fire\b",
    r"\breturned fire\b",
    r"\b(?:troops|army|soldiers|forces|posts) (?:\w+ )?(?:responded|responds|retaliated|retaliates|hit back)\b",
    r"\brespond(?:ed|ing)? to (?:the )?(?:\w+ )?(?:firing|fire|shelling)\b",
    r"\bfiring from across\b",
    r"\beffective(?:ly)? respon",
]
