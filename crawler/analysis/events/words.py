"""How news in five languages says that talks ended or a ceasefire held, and that a clash happened.

The event words of :mod:`crawler.analysis.events.lexicon`, one table per language: each
maps an outcome or clash kind to its phrase patterns.

Patterns are written plain and folded by :mod:`crawler.analysis.events.lexicon` when it
compiles them; English ones are matched at word boundaries, the others inside words.
"""

from __future__ import annotations

# --- talks outcomes ---------------------------------------------------------------------

EN_OUTCOME = {
    "collapsed": [
        r"collapsed?",
        r"collapse of",
        r"broke (down|up|off)",
        r"break ?down",
        r"called off",
        r"walked out",
        r"walk-?out",
        r"suspend(ed|s)? (the )?(talks|negotiations|dialogue|process)",
        r"(talks|negotiations|dialogue|process) (have |has |had )?(failed|fail|ended in failure)",
        r"failure of (the )?([\w-]+ ){0,2}(talks|negotiations|dialogue)",
        r"abandon(ed|s)? (the )?(talks|negotiations|dialogue)",
        r"(talks|negotiations|dialogue) (are|is|were|was) (over|dead)",
        r"end(s|ed)? (the )?(talks|negotiations|dialogue)",
        r"no further (round|talks|meeting)s? (is |are |was |were )?(planned|scheduled)",
        r"walk(ed|s)? away",
        r"(shelv(ed|es|ing)|froze|freez(es|ing)|halt(ed|s)|pull(ed|s)? out of) (the )?([\w-]+ ){0,2}(talks|track|process|dialogue|negotiations)",
    ],
    "no_agreement": [
        r"without (an? |any )?(agreement|deal|breakthrough|accord|consensus|result|outcome|progress|headway)",
        r"no (agreement|deal|breakthrough|consensus|headway|progress|result|outcome)",
        r"fail(ed|s)? to (reach|agree|produce|secure|yield|bridge|narrow|strike|make)",
        r"inconclusive(ly)?",
        r"deadlock(ed)?",
        r"stalemate",
        r"impasse",
        r"(ended|ends|end) in disagreement",
        r"(could|did) not (agree|reach)",
        r"unable to (agree|reach|bridge)",
        r"without (a )?(joint|final) (statement|declaration)",
        r"fall(s|en)? short",
        r"fell short",
    ],
    "ceasefire_extended": [
        r"(extend(ed|s|ing)?|prolong(ed|s)?|renew(ed|s)?|maintain(ed|s|ing)?|uphold|upheld|continu(e|ed|es|ation)|keep|kept|preserve[ds]?|stand by)"
        r"( (the|their|a|an|existing|current|fragile))* (ceasefire|truce|cease-fire)",
        r"(ceasefire|truce|cease-fire) (will|would|to|shall) (continue|remain|hold|stay)",
        r"(ceasefire|truce|cease-fire) (has been |was |is )?(extended|prolonged|renewed)",
        r"(ceasefire|truce|cease-fire) remains? in (place|effect|force)",
        r"(truce|ceasefire|cease-fire|pause in (the )?fighting|lull) (has been |was |is )?(stretched|extended|prolonged)",
        r"(stretch(ed|es)?|extend(ed|s)?) (the |a )?([\w-]+ ){0,2}(pause|lull|truce|ceasefire)",
        r"keep (the |a )?([\w-]+ ){0,3}(truce|ceasefire) (alive|in place|going)",
    ],
    "next_round_set": [
        r"(next|another|fresh|new|fourth|third|second) round (of (talks|negotiations|dialogue) )?(will|would|is|was|to be|set|scheduled|slated|due)",
        r"agreed to (meet|reconvene|resume|hold (another|a further|further|more))",
        r"(will|would|to) (meet|reconvene) again",
        r"(to|will|would) reconvene",
        r"reconvene (on|in|next)",
        r"meet again (on|in|next)",
        r"next (meeting|session|round) (on|in|is|was|will)",
        r"(talks|negotiations|dialogue) (will|would|to) resume (on|in|next)",
        r"(set|scheduled|fixed|slated) (for|on) (monday|tuesday|wednesday|thursday|friday|saturday|sunday|\w+ \d{1,2}|\d{1,2} \w+)",
    ],
    "agreement": [
        r"agreed (to|on|that|upon)",
        # Headlines use the present tense: "Pakistan, Afghanistan agree ceasefire".
        r"agrees? (to |on |upon )?(an? |the )?([\w-]+ ){0,2}(ceasefire|truce|cease-fire|deal|mechanism|accord|framework)",
        r"agrees? not to",
        r"(hail(ed|s)?|welcom(e|ed|es)|announc(e|ed|es)|unveil(ed|s)?|seal(ed|s)?|clinch(ed|es)?) (the |a |an )?([\w-]+ ){0,3}(accord|deal|agreement|pact|truce|ceasefire|mechanism)",
        r"sign(ed|s)? up to",
        r"accept(ed|s)? (a |an |the )?([\w-]+ ){0,2}(truce|ceasefire|cease-fire|proposal|deal)",
        r"(immediate|lasting|permanent) (ceasefire|truce) (agreed|was agreed|has been agreed)",
        r"reach(ed|es)? (an? |the )?(agreement|deal|accord|understanding|consensus)",
        r"sign(ed|s)? (an? |the )?(agreement|deal|accord|memorandum|pact)",
        r"(struck|clinched|sealed) (a|an|the) (deal|agreement|pact)",
        r"(agreement|deal|accord|understanding) (was|has been|had been) (reached|signed|struck)",
        r"(mediators|statement|communiqu[eé]) (said|says) (both|the two|all) (sides|parties|countries) (had |have )?agreed",
        r"breakthrough",
    ],
}

UR_OUTCOME = {
    "collapsed": [r"مذاکرات (ختم|منسوخ|معطل)", r"تعطل", r"ناکام ہو", r"بات چیت ختم", r"مذاکرات ناکام"],
    "no_agreement": [
        r"بے نتیجہ",
        r"بغیر کسی (معاہدے|نتیجے|اتفاق)",
        r"نتیجے کے بغیر",
        r"معاہدے کے بغیر",
        r"اتفاق نہیں ہو",
        r"ڈیڈ لاک",
    ],
    "ceasefire_extended": [r"جنگ بندی (میں توسیع|برقرار|جاری)", r"سیز فائر (میں توسیع|برقرار|جاری)"],
    "next_round_set": [r"(اگلا|اگلے|آئندہ|نیا) (دور|اجلاس)", r"دوبارہ (ملاقات|مذاکرات)"],
    "agreement": [
        r"معاہدہ (طے|ہو گیا|ہوگیا)",
        r"(پر|میں) اتفاق (کیا|ہو گیا|ہوگیا|کر لیا)",
        r"اتفاق رائے",
        r"معاہدے پر دستخط",
        r"پر متفق",
    ],
}
PS_OUTCOME = {
    "collapsed": [r"خبرې (پای|ودرول|ناکامې)", r"ناکامې شوې", r"ناکام شول"],
    "no_agreement": [r"(پرته|بې) له (کومې )?(هوکړې|پایلې|تړون)", r"بې پایلې", r"پایله ونه", r"هوکړه ونه شوه"],
    "ceasefire_extended": [r"اوربند (وغځول|وغزول|ته دوام|به دوام|پر ځای|پرځای)", r"د اوربند (تمدید|غځول)"],
    "next_round_set": [r"(بل|راتلونکی|نوی) پړاو", r"بیا (سره )?ووینو", r"بیا به سره"],
    "agreement": [r"هوکړه (وشوه|وکړه|لاسلیک)", r"تړون (لاسلیک|وشو)", r"موافقه وکړه", r"موافقه وشوه"],
}
FA_OUTCOME = {
    "collapsed": [r"مذاکرات (متوقف|لغو|شکست)", r"شکست (خورد|مذاکرات)", r"به بن ?بست", r"قطع مذاکرات"],
    "no_agreement": [
        r"بدون (هیچ )?(توافق|نتیجه|دستاورد)",
        r"بی ?نتیجه",
        r"به توافق نرسید",
        r"توافقی حاصل نشد",
        r"بن ?بست",
    ],
    "ceasefire_extended": [r"آتش بس (تمدید|ادامه|پابرجا|حفظ)", r"(تمدید|حفظ|ادامه) آتش بس"],
    "next_round_set": [r"(دور|نشست) (بعدی|آینده|دیگر)", r"دوباره (دیدار|نشست|گفتگو)"],
    "agreement": [r"(به )?توافق (رسیدند|رسید|کردند|شد)", r"توافق نامه", r"امضا (کردند|شد)"],
}
HI_OUTCOME = {
    "collapsed": [r"वार्ता (टूट|विफल|नाकाम|रद्द|स्थगित)", r"बातचीत (टूट|विफल|नाकाम|रद्द)"],
    "no_agreement": [r"बिना (किसी )?(समझौते|नतीजे|सहमति|परिणाम)", r"बेनतीजा", r"सहमति नहीं बन", r"गतिरोध"],
    "ceasefire_extended": [
        r"(युद्धविराम|संघर्ष ?विराम|सीजफायर) (बढ़ा|जारी|बरकरार|कायम)",
        r"(युद्धविराम|संघर्ष ?विराम|सीजफायर) को (बढ़ा|जारी)",
    ],
    "next_round_set": [r"(अगले|अगला|नए) दौर", r"फिर (से )?(मिलेंगे|मिल|मुलाकात|बैठक)"],
    "agreement": [r"समझौता (हो|हुआ|किया)", r"समझौते पर (हस्ताक्षर|सहमति)", r"सहमति (बनी|बन गई|जताई)", r"(पर|को) सहमत"],
}

# --- new clashes ---------------------------------------------------------------------------

EN_CLASH = {
    "ceasefire_violation": [
        r"(violat(ed|ion|ions|ing|es)|breach(ed|es|ing)?|broke|broken) (of )?(the |a |their )?(ceasefire|truce|cease-fire)",
        r"(ceasefire|truce|cease-fire) (violation|breach)",
        r"(ceasefire|truce|cease-fire) (was|has been|had been) (violated|breached|broken)",
        r"despite (the |a )?(ceasefire|truce|cease-fire)",
        r"(tore|tear|tears|tearing|torn) up (the |a )?([\w-]+ ){0,2}(ceasefire|truce|cease-fire|accord|agreement)",
        r"first (serious |major )?(violation|breach)",
    ],
    "air_strike": [
        r"air ?strikes?",
        r"air raids?",
        r"aerial (strikes?|bombardment|bombing|attacks?)",
        r"drone (strikes?|attacks?)",
        r"bombard(ed|ment|ing)",
        r"bombing (raids?|runs?)",
        r"(jets|warplanes|aircraft|planes|drones) (\w+ )?(bombed|struck|hit|pounded|targeted)",
        r"(jets|warplanes|aircraft|drones) (struck|hit|bombed|targeted|attacked|pounded)",
        r"precision strikes?",
        r"strikes? (on|in|inside|against|targeting)",
        r"violat(ed|ing|ion of) (its |afghan |pakistani |the country's )?air ?space",
        r"(retaliatory|punitive) (strikes?|raids?)",
    ],
    "cross_border_attack": [
        r"cross-?border (attack|raid|incursion|assault|infiltration)s?",
        r"infiltrat(ion|e|ed|ing|ors)",
        r"(militants?|gunmen|attackers|fighters|terrorists|insurgents|infiltrators)( who| that)?( had)? (crossed|sneaked|slipped|came|entered)",
        r"(attack(ed|s)?|assault(ed)?|storm(ed)?|raid(ed)?) (on )?(a |the |several |two |three )?(border )?(post|posts|check-?posts?|outposts?)",
        r"incursion",
        r"from across the border",
        r"(hit|hits|struck|targeted|overran|overrun|ambushed) (a |the |two |three |several )?(pakistani |afghan |border |security |military |frontier )?(post|posts|check-?posts?|outposts?|checkpoints?)",
        r"repuls(ed|es|ing) (an? |the )?(attack|assault|incursion|infiltration)",
    ],
    "border_clash": [
        r"clash(ed|es)?",
        r"exchang(ed|e|es|ing) (of )?(heavy |intense |small-arms )?(fire|gunfire|artillery)",
        r"(heavy |intense |cross-border )?(firing|gunfire|shelling)",
        r"(heavy |intense )?fighting",
        r"gun ?battles?",
        r"skirmish(es)?",
        r"(opened|open) fire",
        r"fired (on|at|upon|mortars|shells|artillery)",
        r"(mortar|artillery) (fire|shells|rounds)",
        r"hostilities",
        r"retaliat\w* (operations?|fire|attacks?)",
        r"attacks? (along|on) (the )?(western |afghan |pakistani )?border",
    ],
}
UR_CLASH = {
    "ceasefire_violation": [r"(جنگ بندی|سیز فائر) کی خلاف ورزی"],
    "air_strike": [r"فضائی (حملہ|حملے|حملوں|کارروائی)", r"ڈرون (حملہ|حملے)", r"بمباری"],
    "cross_border_attack": [r"دراندازی", r"سرحد پار سے (حملہ|حملے|دہشت)", r"چیک پوسٹ پر حملہ"],
    "border_clash": [r"جھڑپ", r"جھڑپیں", r"فائرنگ کا تبادلہ", r"گولہ باری", r"شدید فائرنگ", r"لڑائی"],
}
PS_CLASH = {
    "ceasefire_violation": [r"(اوربند|د اوربند) (سرغړونه|ماتول|مات)", r"اوربند یې مات"],
    "air_strike": [r"هوايي (برید|بریدونه|حملې|حمله)", r"ډرون (برید|بریدونه)", r"بمبار"],
    "cross_border_attack": [r"د پولې هاخوا (برید|حمله)", r"نفوذ", r"پوستې (برید|حمله)"],
    "border_clash": [r"نښت", r"ډزې", r"جګړ", r"ډزو تبادله", r"توپچي"],
}
FA_CLASH = {
    "ceasefire_violation": [r"نقض (آتش بس|اتش بس)", r"آتش بس (را )?نقض"],
    "air_strike": [r"حمل(ه|ات) هوایی", r"حمله پهپادی", r"حملات پهپادی", r"بمباران"],
    "cross_border_attack": [r"نفوذ", r"حمله (فرا|برون) ?مرزی", r"حمله به پاسگاه"],
    "border_clash": [r"درگیری", r"تیراندازی", r"تبادل آتش", r"گلوله باری", r"جنگ مرزی"],
}
HI_CLASH = {
    "ceasefire_violation": [
        r"(युद्धविराम|संघर्ष ?विराम|सीजफायर) (का|के) उल्लंघन",
        r"टूटा (युद्धविराम|संघर्ष ?विराम|सीजफायर)",
        r"(युद्धविराम|संघर्ष ?विराम|सीजफायर) (टूटा|टूट गया)",
    ],
    "air_strike": [r"हवाई (हमला|हमले|हमलों)", r"एयर ?स्ट्राइक", r"ड्रोन (हमला|हमले)", r"बमबारी"],
    "cross_border_attack": [r"घुसपैठ", r"सीमा पार से (हमला|हमले)", r"चौकी पर हमला"],
    "border_clash": [r"झड़प", r"गोलीबारी", r"गोलाबारी", r"लड़ाई", r"फायरिंग"],
}
