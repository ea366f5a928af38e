"""Swahili: talks outcomes and clashes as East African news reports them.

Swahili attaches subject, tense and object markers to the verb (wa-li-kubali-ana,
zi-me-tia saini, ya-ji-ondoa), so patterns are stems matched inside words. "Usitishaji wa
mapigano" (stopping the fighting) is the ceasefire: "sitisha" alone is not a suspension.
"""

from __future__ import annotations

from crawler.analysis.events.casualty_vocabulary import CasualtyTable
from crawler.analysis.events.ontology import Table, group

_TRUCE = r"(usitishaji (wa )?mapigano|kusitisha mapigano|sitisho la mapigano|makubaliano ya kusitisha mapigano)"
_ACCORD = r"(mkataba|makubaliano|tamko|azimio|mfumo)"
_TALKS = r"(mazungumzo|majadiliano|mchakato|upatanishi|mashauriano)"

OUTCOME: Table = {
    "collapsed": [
        group(
            "REJECT",
            "164",
            rf"{_TALKS} (ya[\w ]{{0,20}})?(yamevunjika|yalivunjika|yamesambaratika|yameshindwa|yalishindwa|yamefeli)",
            rf"kuvunjika kwa {_TALKS}",
        ),
        group(
            "SANCTION",
            "164",
            rf"jiondoa (kwa muda )?(katika|kwenye|kutoka) ([\w]+ ){{0,2}}{_TALKS}",
            rf"(sitisha|simamisha|ahirisha) (kwa muda )?(ushiriki|{_TALKS})",
            rf"ondoka (katika|kwenye) {_TALKS}",
        ),
        group(
            "SANCTION",
            "160",
            rf"(sitisha|simamisha|futa|batilisha|jiondoa (katika|kwenye)) (utekelezaji wa )?{_ACCORD}",
            rf"{_ACCORD} ([\w]+ ){{0,3}}(umesitishwa|yamesitishwa|limesitishwa|umefutwa|yamefutwa|limefutwa)",
        ),
    ],
    "no_agreement": [
        group(
            "REJECT",
            "125",
            r"bila (ya )?(makubaliano|mafanikio|muafaka|matokeo|maelewano)",
            r"(hawakufikia|hazikufikia|kushindwa kufikia|zimeshindwa kufikia|wameshindwa kufikia) (makubaliano|muafaka|maelewano)",
            r"(mkwamo|yamekwama|yamekwama|umekwama|yamesimama)",
        ),
    ],
    "ceasefire_extended": [
        group(
            "CONCEDE",
            "0871",
            rf"(ongeza muda|ongezwa muda|endeleza|dumisha|heshimu|kuendelea na) (wa |kwa )?{_TRUCE}",
            rf"{_TRUCE} ([\w]+ ){{0,2}}(umeongezwa|yameongezwa|utaendelea|yataendelea|unaendelea)",
        ),
        group(
            "AGREE",
            "050",
            rf"(thibitisha|sisitiza|rudia) (tena )?(ahadi|dhamira|nia) ([\w]+ ){{0,3}}{_TRUCE}",
        ),
    ],
    "next_round_set": [
        group(
            "AGREE",
            "036",
            r"(duru|awamu|mkutano|kikao) (ijayo|ujao|unaofuata|inayofuata|kijacho) ([\w]+ ){0,3}(itafanyika|utafanyika|kitafanyika|imepangwa|umepangwa)",
            r"kukutana tena",
            r"kuendelea na (mazungumzo|majadiliano|mashauriano)",
            r"(kusaini|kutia saini|kutiwa saini) ([\w]+ ){0,3}(tarehe|ifikapo)",
        ),
    ],
    "agreement": [
        group(
            "AGREE",
            "030",
            r"kubaliana",
            r"(makubaliano|muafaka) (yamefikiwa|umefikiwa|yalifikiwa|ulifikiwa)",
            r"(fikia|wafikia|zafikia) (makubaliano|muafaka)",
            r"(kubali|kukubali) (kusitisha|kuondoa|kupeleka|kuanzisha|kubadilishana)",
        ),
        group(
            "AGREE",
            "0356",
            r"(kuepuka|epuka|kuzuia|kupunguza) (kuongezeka kwa |ongezeko la )?(mvutano|uhasama|machafuko|mapigano zaidi)",
        ),
        group(
            "SUPPORT",
            "057",
            r"tia saini",
            r"tiliana saini",
            r"tiwa saini",
            r"(sain|saini)(i|a|wa|ana) ",
            r"saini ",
        ),
        group(
            "CONSULT",
            "046",
            r"(taarifa ya pamoja|tamko la pamoja) ([\w]+ ){0,6}(ilisema|imesema|ilieleza|inaeleza|iliorodhesha)",
            r"(maendeleo|hatua) (chanya|nzuri|kubwa) ([\w]+ ){0,2}(yamepatikana|imepigwa|zimepigwa)",
        ),
    ],
}

CLASH: Table = {
    "ceasefire_violation": [
        group(
            "ASSAULT",
            "196",
            rf"(ukiukaji|ukiukwaji|kukiuka|kiuka|kuvunja|vunja) (wa |kwa )?([\w]+ ){{0,2}}({_TRUCE}|{_ACCORD}|makubaliano)",
            rf"licha ya {_TRUCE}",
        ),
    ],
    "air_strike": [
        group(
            "ASSAULT:aerial", "195", r"(mashambulizi|shambulio|shambulizi) (ya|la) (anga|angani)", r"ndege za kivita"
        ),
        group(
            "ASSAULT:drone",
            "1952",
            r"(ndege|ndeg[eo]) (isiyo|zisizo) na rubani",
            r"droni",
        ),
    ],
    "cross_border_attack": [
        group(
            "ASSAULT",
            "190",
            r"(kuvuka|walivuka|wamevuka|vuka) mpaka",
            r"kutoka (upande wa )?(pili wa |ng['’]ambo ya )?mpaka",
            r"uvamizi",
        ),
        group(
            "ASSAULT:heavy-weapons", "194", r"makombora ([\w]+ ){0,3}(yalianguka|yameanguka|yaliyorushwa|yalirushwa)"
        ),
    ],
    "border_clash": [
        group(
            "ASSAULT:firearms",
            "190",
            r"mapigano",
            r"mapambano",
            r"pambana",
            r"makabiliano",
            r"(mashambulizi|shambulio|shambulizi)",
            r"(milio|mlio) ya risasi",
            r"(mashambulizi|shambulio) dhidi",
        ),
        group("ASSAULT:heavy-weapons", "194", r"makombora", r"mizinga"),
        group(
            "ASSAULT:explosives",
            "1833",
            r"(bomu|mabomu) (la |ya )?(ardhini|kutegwa)",
            r"kilipuzi",
            r"mlipuko",
        ),
        group(
            "ASSAULT:occupy",
            "197",
            r"(teka|uteka|wateka|wauteka|dhibiti|chukua udhibiti|chukua mji|ingia (katika )?mji|waingia|wameingia)",
            r"(mji|uwanja wa ndege|kambi) ([\w]+ ){0,2}(umeangukia|umetekwa|ulitekwa|umechukuliwa)",
        ),
    ],
}


# One side rejecting or accepting the mediators' proposal, a truce declared by one side, talks
# ending without a truce, a massacre: the classes the Sudan set found missing (en, fr, ar).
OUTCOME["no_agreement"] += [
    group(
        "REJECT",
        "120",
        r"(amekataa|imekataa|wamekataa|limekataa|alikataa|walikataa|ilikataa|lilikataa) (\w+ ){0,3}"
        r"(pendekezo|mapendekezo|mpango)",
        rf"bila (ya )?{_TRUCE}",
    )
]
OUTCOME["agreement"] += [
    group(
        "AGREE",
        "030",
        r"(amekubali|imekubali|wamekubali|limekubali|alikubali|walikubali|ilikubali|lilikubali) (\w+ ){0,3}"
        r"(pendekezo|mapendekezo|mpango)",
    ),
    group(
        "CONCEDE",
        "0871",
        rf"{_TRUCE} (\w+ ){{0,2}}(wa|kwa) upande mmoja",
        rf"(ametangaza|imetangaza|wametangaza|alitangaza|walitangaza|ilitangaza) {_TRUCE}",
    ),
]
CLASH["cross_border_attack"] += [group("ASSAULT", "202", r"mauaji ya (halaiki|kimbari|kikatili)")]

TALKS = [
    r"mazungumzo",
    r"majadiliano",
    r"mashauriano",
    r"duru",
    r"awamu",
    r"ujumbe",
    r"wajumbe",
    r"upatanishi",
    r"mpatanishi",
    r"mkutano",
    r"kikao",
    r"usitishaji",
    r"kusitisha mapigano",
    r"mkataba",
    r"makubaliano",
    r"tamko",
    r"azimio",
    r"utaratibu",
    r"kamati",
    r"tume",
    r"mfumo",
    r"saini",
]
FORCE = [
    r"uawa",
    r"waliuawa",
    r"vifo",
    r"wafu",
    r"maiti",
    r"miili",
    r"jeruhiwa",
    r"majeruhi",
    r"haribiwa",
    r"shambuli",
    r"risasi",
    r"makombora",
    r"zuka",
    r"kimbia",
    r"makali",
    r"teka",
    r"lipuka",
    r"dhibiti",
    r"ingia",
]
HYPOTHETICAL = [
    r"ikiwa ",
    r"endapo",
    r"kama ",
    r"huenda",
    r"tishio",
    r"tishia",
    r"onya",
    r"hofu",
    r"tarajiwa",
    r"matarajio",
    r"inatarajiwa",
    r"wanatarajiwa",
    r"atakuwa",
    r"watakuwa",
    r"wito",
    r"taka ",
]
RECAP = [
    r"mwezi uliopita",
    r"wiki iliyopita",
    r"mwaka jana",
    r"tangu (januari|februari|machi|aprili|mei|juni|julai|agosti|septemba|oktoba|novemba|desemba)",
    r"mwezi (januari|februari|machi|aprili|mei|juni|julai|agosti|septemba|oktoba|novemba|desemba)",
    r"walipouteka",
    r"kumbuka",
]
PREVIEW = [
    r"(anza|kuanza|yameanza|imeanza|yanaanza)",
    r"(wamewasili|wawasili|wasili|waliwasili|kuwasili)",
    r"(siku ya pili|siku ya tatu)",
    r"yanaendelea",
]
# Negation: Swahili negates with verb prefixes (ha-, hawa-, haku-), which the statements
# themselves carry; no separate particle to look for.
NEGATION_BEFORE: list[str] = []
NEGATION_AFTER: list[str] = []
# Concession (identity: a step taken in answer to an earlier outcome).
CONCESSIVE = [r"licha ya", r"\bingawa"]
# A strike told as a repeat (identity: another strike on a place struck before); "tena"
# alone is also "and, moreover".
REPEAT = [r"kwa mara nyingine", r"kwa mara ya pili"]

# Both sides firing (an exchange across a line, a reply to the other's fire): event identity
# reads it on the headline and lede (each side tells one exchange from its own sectors).
EXCHANGE = [
    r"kurushiana risasi",
    r"walijibu mashambulizi",
    r"walijibu kwa risasi",
]
# A place of the topic changing hands (the place names come from the topic's gazetteer).
CAPTURE_BEFORE = [
    r"(teka|dhibiti|chukua udhibiti wa|twaa)",
    r"(waasi|wapiganaji|wanajeshi) (\w+ ){0,3}(waingia|wameingia|waliingia)",
]
CAPTURE_AFTER = [r"(umetekwa|imetekwa|ulitekwa|ilitekwa|umeangukia|imeangukia)"]

# Casualty figures (crawler.analysis.events.fields.casualties). Swahili puts the figure after
# the noun: "wanajeshi 12 waliuawa", "kuuawa kwa raia 5", "watu kumi na wawili walijeruhiwa".
CASUALTY = CasualtyTable(
    forces=r"wanajeshi|mwanajeshi|askari|polisi|maafisa wa usalama|walinzi|vikosi vya usalama",
    civilians=r"raia|watu|mtu|watoto|wanawake|wanakijiji|wakazi|wananchi",
    militants=r"wanamgambo|mwanamgambo|wapiganaji|mpiganaji|magaidi|gaidi|waasi|washambuliaji",
    killed=r"waliuawa|wameuawa|waliuliwa|wameuliwa|walikufa|wamekufa|walifariki|wamefariki|"
    r"walipoteza maisha|wamepoteza maisha|waliokufa|waliouawa",
    injured=r"walijeruhiwa|wamejeruhiwa|waliojeruhiwa",
    killing=r"kuuawa kwa|kuuliwa kwa|vifo vya|kifo cha|kuwaua|kuua",
    injuring=r"kujeruhiwa kwa|kuwajeruhi|kujeruhi",
    numbers={
        "mmoja": 1,
        "moja": 1,
        "wawili": 2,
        "mbili": 2,
        "watatu": 3,
        "tatu": 3,
        "wanne": 4,
        "nne": 4,
        "watano": 5,
        "tano": 5,
        "sita": 6,
        "saba": 7,
        "wanane": 8,
        "nane": 8,
        "tisa": 9,
        "kumi": 10,
        "kumi na moja": 11,
        "kumi na mmoja": 11,
        "kumi na wawili": 12,
        "kumi na mbili": 12,
        "kumi na tano": 15,
        "kumi na watano": 15,
        "ishirini": 20,
        "makumi": 24,
        "mamia": 200,
    },
    at_least=r"wasiopungua|wasiopunguwa|zaidi ya|takriban|angalau",
    negation=r"hakuna|bila|hawakuuawa|hawakujeruhiwa",
    figure_after_noun=True,
)
