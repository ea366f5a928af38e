"""Hindi: talks outcomes and clashes. Matched inside words (postpositions attach to nouns)."""

from __future__ import annotations

from crawler.analysis.events.casualty_vocabulary import CasualtyTable
from crawler.analysis.events.ontology import Table, group

_TRUCE = r"(युद्धविराम|संघर्ष ?विराम|सीजफायर|सीज़फायर)"
_ACCORD = r"(समझौत(ा|े)|घोषणा ?पत्र|घोषणा|संधि|करार)"

OUTCOME: Table = {
    "collapsed": [
        group("REJECT", "164", r"वार्ता (टूट|विफल|नाकाम)", r"बातचीत (टूट|विफल|नाकाम)"),
        group(
            "SANCTION",
            "164",
            r"वार्ता (रद्द|स्थगित)",
            r"बातचीत (रद्द|स्थगित)",
            # Talks halted, and no round to come ("no further round is planned").
            r"(वार्ता|बातचीत) पर (लगा |लगी )?(विराम|रोक)",
            r"(कोई )?(अगला|अगले|और) दौर नहीं",
        ),
        group("SANCTION", "160", rf"{_ACCORD} ([^\s]+ ){{0,3}}(निलंबित|रद्द|स्थगित|खत्म|ख़त्म)", rf"{_ACCORD} से (बाहर|हट)"),
    ],
    "no_agreement": [
        group("REJECT", "125", r"बिना (किसी )?(समझौते|नतीजे|सहमति|परिणाम)", r"बेनतीजा", r"सहमति नहीं बन", r"गतिरोध"),
    ],
    "ceasefire_extended": [
        group("CONCEDE", "0871", rf"{_TRUCE} (बढ़ा|जारी|बरकरार|कायम)", rf"{_TRUCE} को (बढ़ा|जारी|बनाए)"),
        group(
            "AGREE",
            "050",
            rf"{_TRUCE} ([^\s]+ ){{0,3}}(प्रतिबद्धता|प्रतिबद्ध)",
            rf"(प्रतिबद्धता|प्रतिबद्ध) ([^\s]+ ){{0,3}}{_TRUCE}",
        ),
    ],
    "next_round_set": [
        group(
            "AGREE",
            "036",
            r"(अगले|अगला|नए) दौर",
            r"फिर (से )?(मिलेंगे|मिल|मुलाकात|बैठक)",
            r"(बातचीत|वार्ता) जारी रखने पर (सहमति|सहमत)",
        )
    ],
    "agreement": [
        group("AGREE", "030", r"समझौता (हो|हुआ|किया)", r"समझौते पर सहमति", r"सहमति (बनी|बन गई|जताई)", r"(पर|को) सहमत"),
        group("AGREE", "0356", r"तनाव ([^\s]+ ){0,2}(कम करने|न बढ़ाने|टालने)"),
        group("SUPPORT", "057", rf"{_ACCORD} पर हस्ताक्षर", r"हस्ताक्षर (किए|किये)"),
        group("CONSULT", "046", r"संयुक्त (बयान|घोषणा)", r"सकारात्मक प्रगति"),
    ],
}

CLASH: Table = {
    "ceasefire_violation": [
        group(
            "ASSAULT",
            "196",
            rf"{_TRUCE} (का|के) उल्लंघन",
            rf"टूटा {_TRUCE}",
            rf"{_TRUCE} (टूटा|टूट गया)",
        ),
    ],
    "air_strike": [
        group("ASSAULT:aerial", "195", r"हवाई (हमला|हमले|हमलों)", r"एयर ?स्ट्राइक", r"बमबारी"),
        group("ASSAULT:drone", "1952", r"ड्रोन (हमला|हमले|हमलों)"),
    ],
    "cross_border_attack": [group("ASSAULT", "190", r"घुसपैठ", r"सीमा पार से (हमला|हमले)", r"चौकी पर हमला")],
    "border_clash": [
        group("ASSAULT:firearms", "190", r"झड़प", r"गोलीबारी", r"लड़ाई", r"फायरिंग"),
        group("ASSAULT:heavy-weapons", "194", r"गोलाबारी"),
        group("ASSAULT:explosives", "1833", r"बारूदी सुरंग", r"आईईडी", r"(विस्फोट|धमाका|धमाके)"),
    ],
}


# One side rejecting or accepting the mediators' proposal, a truce declared by one side, talks
# ending without a truce, a massacre: the classes the Sudan set found missing (en, fr, ar).
OUTCOME["no_agreement"] += [
    group(
        "REJECT",
        "120",
        rf"(प्रस्ताव|योजना|पेशकश|{_TRUCE}) ([^\s]+ ){{0,3}}(खारिज|ख़ारिज|ठुकरा|अस्वीकार)",
        rf"{_TRUCE} के बिना",
        rf"बिना (किसी )?{_TRUCE}",
    )
]
OUTCOME["agreement"] += [
    group("AGREE", "030", r"(प्रस्ताव|योजना|पेशकश) ([^\s]+ ){0,3}(स्वीकार|मंजूर|मंज़ूर)"),
    group("CONCEDE", "0871", rf"एकतरफा {_TRUCE}", rf"{_TRUCE} (का|की) (ऐलान|घोषणा)"),
]
CLASH["cross_border_attack"] += [group("ASSAULT", "202", r"नरसंहार", r"कत्लेआम|क़त्लेआम")]

TALKS = [r"वार्ता", r"बातचीत", r"प्रतिनिधिमंडल", r"दौर", r"बैठक", r"मध्यस्थ", r"युद्धविराम", r"समिति", r"आयोग", r"समझौत"]
FORCE = [r"मारे", r"मौत", r"घायल", r"शहीद", r"हमला किया", r"निशाना", r"गोलीबारी", r"फायरिंग", r"हमले", r"विस्फोट"]
# The future tense ends the verb's stem vowel with गा/गी/गे (करेगा, होंगे); लगा (past) is not it.
HYPOTHETICAL = [r"अगर", r"यदि", r"(े|ें|ूं|ूँ|ो|ओ|ए|एं)(गा|गी|गे)(?![\u0900-\u097f])", r"चेतावनी", r"धमकी", r"संभावना", r"उम्मीद"]
RECAP = [r"पिछले (महीने|हफ्ते|सप्ताह|दौर)", r"अक्टूबर में", r"पहले दौर", r"(हुए|हुई|हुआ) (थे|थी|था)"]
PREVIEW = [r"(शुरू|आरंभ)", r"पहुंच", r"रवाना", r"जारी है", r"आज से"]
# Negation: Hindi puts it after the noun phrase it negates ("कोई अगला दौर नहीं") or just
# before the verb ("नहीं तोड़ेंगे").
NEGATION_BEFORE = [r"(?<![^\s])(नहीं|न)"]
NEGATION_AFTER = [r"(नहीं|न)"]
# Concession (identity: a step taken in answer to an earlier outcome).
CONCESSIVE = [r"बावजूद"]
# A strike told as a repeat (identity: another strike on a place struck before).
REPEAT = [r"दोबारा", r"फिर से", r"एक बार फिर"]

# Both sides firing (an exchange across a line, a reply to the other's fire): event identity
# reads it on the headline and lede (each side tells one exchange from its own sectors).
EXCHANGE = [
    r"गोलीबारी का आदान-प्रदान",
    r"के बीच (?:भारी )?गोलीबारी",
    r"जवाबी कार्रवाई",
    r"जवाबी फायरिंग",
    r"जवाब दिया",
    r"मुंहतोड़ जवाब",
    r"माकूल जवाब",
]
# A place of the topic changing hands (the place names come from the topic's gazetteer).
CAPTURE_AFTER = [r"(पर|का) (कब्जा|क़ब्ज़ा|नियंत्रण)"]


# Classes the India–Pakistan set found missing: strikes told by their weapons (missiles
# fired, drones shot down, air defences destroyed), a truce told by what stops ("firing
# stops from five"), a truce breached hours after it began, troops pulled back by agreement.
_FIRE = r"(गोलीबारी|फायरिंग|गोलाबारी|सैन्य कार्रवाई)"
_STOPS = r"(बंद|रोकने|रोक|रुकेगी|थमेगी|थम)"
CLASH["air_strike"] += [
    group(
        "ASSAULT:missile",
        "195",
        r"मिसाइल([^\s]*) ([^\s]+ ){0,3}(दाग|दागी|दागे|बरसा)",
        r"मिसाइल (हमला|हमले|हमलों)",
        r"(ड्रोन|मिसाइल|मिसाइलों|रॉकेट|रॉकेटों)[^।]{0,60}से (हमला|हमले)",
    ),
    group("ASSAULT:drone", "1952", r"ड्रोन([^\s]*) ([^\s]+ ){0,5}(मार गिरा|गिराए|गिराया|गिरा दि|नष्ट|गिरा|गिरे)"),
    group("ASSAULT:aerial", "195", r"(एयर डिफेंस|वायु रक्षा)[^।]{0,60}(नष्ट|तबाह|ध्वस्त|निशाना बनाया)"),
]
CLASH["ceasefire_violation"] += [
    group(
        "ASSAULT",
        "196",
        rf"{_TRUCE}[^।]{{0,60}}उल्लंघन",
        rf"{_TRUCE}( की घोषणा)? के ([^\s]+ ){{0,3}}(बाद|भीतर)[^।]{{0,60}}(धमाक|विस्फोट|{_FIRE}|ड्रोन|हमल)",
    ),
]
OUTCOME["agreement"] += [
    group("CONCEDE", "0871", rf"{_FIRE} ([^\s]+ ){{0,3}}{_STOPS}"),
    group("AGREE", "0356", r"(सैनिकों|सेनाओं|सेना|फौज)([^\s]*) ([^\s]+ ){0,4}(वापस|कम करने|कटौती|पीछे हटा)"),
]
OUTCOME["next_round_set"] += [group("AGREE", "036", r"फिर (से )?(बात|बातचीत|वार्ता) (करेंगे|होगी|करने)")]
OUTCOME["ceasefire_extended"] += [group("CONCEDE", "0871", rf"{_TRUCE} ([^\s]+ ){{0,4}}(बढ़ाने|बढ़ा दि|विस्तार)")]
# Firing that stops ("गोलीबारी बंद") is a truce, not a clash: the plain clash words give way.
CLASH["border_clash"] = [
    group(
        "ASSAULT:firearms",
        "190",
        r"झड़प",
        rf"(गोलीबारी|फायरिंग)(?! ?([^\s]+ )?{_STOPS})",
        r"लड़ाई",
    ),
    *CLASH["border_clash"][1:],
]
TALKS += [r"संघर्ष ?विराम", r"सीज़?फायर", r"हॉटलाइन"]
# "The right to suspend the treaty": a threat held in reserve, not the step.
HYPOTHETICAL += [r"का अधिकार"]

# Casualty figures (crawler.analysis.events.fields.casualties): "12 जवान शहीद हो गए",
# "12 लोगों की मौत", "5 नागरिक घायल". The verb follows the noun.
CASUALTY = CasualtyTable(
    forces=r"सैनिकों|सैनिक|जवानों|जवान|फौजियों|फौजी|फ़ौजियों|फ़ौजी|सिपाहियों|सिपाही|पुलिसकर्मियों|पुलिसकर्मी|"
    r"सुरक्षाकर्मियों|सुरक्षाकर्मी|सुरक्षा बलों|सैन्यकर्मियों|सैन्यकर्मी|पुलिस",
    civilians=r"नागरिकों|नागरिक|लोगों|लोग|बच्चों|बच्चे|महिलाओं|महिलाएं|ग्रामीणों|ग्रामीण|व्यक्तियों|व्यक्ति",
    militants=r"आतंकवादियों|आतंकवादी|आतंकियों|आतंकी|उग्रवादियों|उग्रवादी|चरमपंथियों|चरमपंथी|लड़ाकों|लड़ाके|"
    r"हमलावरों|हमलावर|नक्सलियों|नक्सली",
    killed=r"मारे गए|मारे गये|मारा गया|मरे|शहीद|की मौत|मौत|ढेर|जान गंवा\S*|जान गँवा\S*",
    injured=r"घायल|जख्मी|ज़ख्मी",
    killing="",
    injuring="",
    numbers={
        "एक": 1,
        "दो": 2,
        "तीन": 3,
        "चार": 4,
        "पांच": 5,
        "पाँच": 5,
        "छह": 6,
        "सात": 7,
        "आठ": 8,
        "नौ": 9,
        "दस": 10,
        "ग्यारह": 11,
        "बारह": 12,
        "पंद्रह": 15,
        "बीस": 20,
        "दर्जनों": 24,
        "सैकड़ों": 200,
    },
    at_least=r"कम से कम",
    negation=r"कोई|नहीं|बिना",
)
