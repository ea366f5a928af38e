"""German: talks outcomes and clashes as German-language news reports them.

Matched on whole words, as French; but German writes compounds as one word
("Friedensgespräche", "Drohnenangriff", "Waffenruhe"), so the head noun is matched at the
end of its word (``\\w*angriff\\w*``), and verbs with their endings. Text is case-folded
(``ß`` becomes ``ss``), so the patterns are lower case and spell ``ss``.
"""

from __future__ import annotations

from crawler.analysis.events.casualty_vocabulary import CasualtyTable
from crawler.analysis.events.ontology import Table, group

_ACCORD = r"(\w*abkommen\w*|\w*vereinbarung\w*|\w*vertrag\w*|\w*verträge\w*|\w*erklärung\w*|\w*protokoll\w*|memorandum|\w*deal|\w*fahrplan\w*)"
_TRUCE = r"(waffenruhe\w*|\w*waffenstillstand\w*|\w*waffenstillstände\w*|feuerpause\w*|\w*feuereinstellung\w*)"
_TALKS = r"(\w*gespräch\w*|\w*verhandlung\w*|dialog\w*|\w*vermittlung\w*|\w*prozess\w*|\w*runde\w*|\w*treffen\w*)"
_ART = r"(der |die |das |den |dem |des |ein |eine |einen |einer |ihre |ihren |seine |seinen |alle |)"
_MOD = r"((?!nicht |kein\w* )[\w-]+ ){0,3}"

OUTCOME: Table = {
    "collapsed": [
        group(
            "REJECT",
            "164",
            rf"{_TALKS} ((?!nicht |kein\w* )\w+ ){{0,4}}(gescheitert|scheiter\w*|abgebrochen|geplatzt|platzt\w*|zusammengebrochen)",
            rf"(scheitern|abbruch|zusammenbruch) {_ART}{_MOD}{_TALKS}",
        ),
        group(
            "SANCTION",
            "164",
            r"(verliess\w*|verlässt|verlassen) ((?!nicht |kein\w* )\w+ ){0,2}den verhandlungstisch",
            # Called off, as English "called off".
            rf"{_TALKS} ((?!nicht |kein\w* )\w+ ){{0,4}}(abgesagt|platzen gelassen)",
            rf"(sagt\w*|sagen) {_ART}{_MOD}{_TALKS} ((?!nicht |kein\w* )\w+ ){{0,2}}ab",
            rf"absage {_ART}{_MOD}{_TALKS}",
            rf"(setz\w*|setzte\w*|gesetzt) {_ART}{_MOD}{_TALKS} ((?!nicht |kein\w* )\w+ ){{0,2}}aus",
            rf"(brach\w*|bricht|brechen) {_ART}{_MOD}{_TALKS} ((?!nicht |kein\w* )\w+ ){{0,2}}ab",
            rf"(aussetzung|einfrieren|abbruch|beendigung) {_ART}{_MOD}{_TALKS}",
            rf"{_TALKS} ((?!nicht |kein\w* )\w+ ){{0,3}}(ausgesetzt|eingefroren|abgebrochen|beendet)",
            rf"(zog\w*|zieht|ziehen) sich ((?!nicht |kein\w* )\w+ ){{0,2}}aus {_ART}{_MOD}{_TALKS} zurück",
        ),
        group(
            "SANCTION",
            "160",
            rf"(setz\w*|setzte\w*) {_ART}{_MOD}{_ACCORD} ((?!nicht |kein\w* )\w+ ){{0,2}}aus",
            rf"(kündig\w*|aufkündig\w*|annullier\w*|widerrief\w*|widerruf\w*|zerriss\w*) {_ART}{_MOD}{_ACCORD}",
            rf"(aussetzung|kündigung|aufkündigung|annullierung) {_ART}{_MOD}{_ACCORD}",
            rf"{_ACCORD} ((?!nicht |kein\w* )\w+ ){{0,3}}(ausgesetzt|gekündigt|aufgekündigt|annulliert|widerrufen)",
            rf"(zog\w*|zieht|ziehen) sich ((?!nicht |kein\w* )\w+ ){{0,2}}aus {_ART}{_MOD}{_ACCORD} zurück",
        ),
    ],
    "no_agreement": [
        group(
            "REJECT",
            "125",
            r"ohne (jede |jedes |eine |ein |nennenswerte |konkrete )?(einigung|ergebnis\w*|durchbruch|fortschritt\w*|"
            r"kompromiss|annäherung|konsens)",
            r"(ergebnislos\w*|festgefahren\w*|sackgasse|stillstand|patt)",
            r"keine (einigung|annäherung|fortschritte|ergebnisse)",
            r"(konnten|könnten|kann) sich nicht ((?!nicht |kein\w* )\w+ ){0,3}einigen",
            r"(einigten|einigen) sich nicht",
            r"(frist|ultimatum) ((?!nicht |kein\w* )\w+ ){0,3}(verstrich\w*|verstrichen|abgelaufen|lief ab)",
        ),
        group("REJECT", "125", rf"ohne (eine |einen )?{_TRUCE}"),
        group(
            "REJECT",
            "120",
            rf"(lehnt\w*|lehnen) {_ART}{_MOD}({_TRUCE}|[\w-]*vorschlag\w*|[\w-]*plan\w*|[\w-]*angebot\w*|[\w-]*initiative\w*|"
            rf"{_ACCORD}) ((?!nicht |kein\w* )\w+ ){{0,2}}ab",
            r"(abgelehnt|zurückgewiesen|wies\w* zurück) ",
            rf"ablehnung {_ART}{_MOD}({_TRUCE}|[\w-]*vorschlag\w*|[\w-]*plan\w*|[\w-]*angebot\w*)",
        ),
    ],
    "ceasefire_extended": [
        group(
            "CONCEDE",
            "0871",
            rf"(verlänger\w*|verlängerung) {_ART}{_MOD}{_TRUCE}",
            rf"{_TRUCE} ((?!nicht |kein\w* )\w+ ){{0,4}}(verlängert|verlängern|hält|hielt|bleibt bestehen|gilt weiter)",
        ),
        group(
            "AGREE",
            "050",
            rf"(bekräftig\w*|bekenn\w* sich|bestätig\w*) ((?!nicht |kein\w* )\w+ ){{0,3}}(zur |zum |zu )?(\w+ )?{_TRUCE}",
        ),
    ],
    "next_round_set": [
        group(
            "AGREE",
            "036",
            r"(nächst\w*|neu\w*|weiter\w*) (\w*runde|\w*treffen|sitzung|gesprächsrunde|verhandlungsrunde) ((?!nicht |kein\w* )[\w.]+ ){0,4}"
            r"(geplant|angesetzt|vereinbart|soll|findet|stattfinden|erwartet)",
            r"(wollen|werden|wollten) sich ((?!nicht |kein\w* )\w+ ){0,3}(erneut|wieder) (treffen|zusammenkommen)",
            r"(vereinbart\w*|beschloss\w*|einigten sich (darauf|auf)?),? ((?!nicht |kein\w* )\w+ ){0,4}(gespräche|verhandlungen|dialog) "
            r"((?!nicht |kein\w* )\w+ ){0,4}(fortzusetzen|fortzuführen|wieder aufzunehmen)",
            r"(angesetzt|geplant) für (den )?\d{1,2}",
        ),
    ],
    "agreement": [
        group(
            "AGREE",
            "030",
            r"(einigten|einigen|geeinigt|verständigten|verständigen|verständigt) sich",
            r"sich ((?!nicht |kein\w* )\w+ ){0,3}(geeinigt|verständigt)",
            r"(einigung|kompromiss|durchbruch) ((?!nicht |kein\w* )\w+ ){0,3}(erzielt|erreicht|gelungen)",
            r"(erzielt\w*|erreicht\w*) ((?!nicht |kein\w* )\w+ ){0,2}(einigung|kompromiss|durchbruch)",
            r"(vereinbar(en|te|ten|t)|beschlossen|beschloss\w*)",
        ),
        group(
            "AGREE",
            "0356",
            r"(vermeid\w*|verhinder\w*|abbau\w*|entschärf\w*|deeskal\w*) ((?!nicht |kein\w* )\w+ ){0,2}(eskalation|spannung\w*|provokation\w*)",
            r"\w*spannungen ((?!nicht |kein\w* )\w+ ){0,2}(abzubauen|zu verringern|zu entschärfen)",
            r"(eskalation|\w*spannungen|provokation\w*) ((?!nicht |kein\w* )\w+ ){0,3}zu (vermeiden|verhindern)",
        ),
        group(
            "SUPPORT",
            "057",
            rf"(unterzeichne\w*|unterschrieb\w*|unterschreib\w*|paraphier\w*|ratifizier\w*|schloss\w*|schliess\w*) "
            rf"{_ART}{_MOD}({_ACCORD}|{_TRUCE})",
            rf"{_ACCORD} ((?!nicht |kein\w* )\w+ ){{0,3}}(unterzeichnet|unterschrieben|paraphiert|ratifiziert|geschlossen)",
            rf"(begrüsst\w*|begrüss\w*) {_ART}{_MOD}({_ACCORD}|{_TRUCE})",
            rf"(akzeptier\w*|nahm\w*|nehmen|nimmt) {_ART}{_MOD}({_TRUCE}|[\w-]*vorschlag\w*|[\w-]*plan\w*|[\w-]*angebot\w*)( an)?",
            rf"{_TRUCE} ((?!nicht |kein\w* )\w+ ){{0,3}}(vereinbart|in kraft|unterzeichnet|geschlossen)",
            r"(\w*austausch\w*|\w*korridor\w*|\w*hilfe|\w*gefangene\w*|geiseln) ((?!nicht |kein\w* )\w+ ){0,3}vereinbart",
        ),
        group(
            "CONCEDE",
            "0871",
            rf"(verkünde\w*|verkünd\w*|ruf\w*|rief\w*|erklär\w*|kündig\w*|verhängt\w*) {_ART}{_MOD}{_TRUCE}( aus| an)?",
            rf"einseitig\w* {_TRUCE}",
            r"(kämpfe|angriffe|kampfhandlungen|feindseligkeiten) ((?!nicht |kein\w* )\w+ ){0,2}(einzustellen|einstellen|eingestellt)",
        ),
        group(
            "CONSULT",
            "046",
            r"(abschlusserklärung|gemeinsame erklärung|kommuniqué|kommunique) ((?!nicht |kein\w* )\w+ ){0,6}(sieht|nennt|listet|enthält)",
            r"(deutliche|erhebliche|konkrete|positive|spürbare) fortschritte",
        ),
    ],
}

CLASH: Table = {
    "ceasefire_violation": [
        group(
            "ASSAULT",
            "196",
            rf"(verletzung\w*|verletzt\w*|verstoss\w*|verstösse|gebrochen|brach\w*|bruch) ((?!nicht |kein\w* )\w+ ){{0,2}}"
            rf"(gegen )?{_ART}{_MOD}({_TRUCE}|{_ACCORD})",
            rf"{_TRUCE}\w* ((?!nicht |kein\w* )\w+ ){{0,2}}(verletzt|gebrochen|missachtet)",
            rf"{_TRUCE}sverletzung\w*",
            rf"(trotz) {_ART}{_MOD}{_TRUCE}",
        ),
    ],
    "air_strike": [
        group(
            "ASSAULT:aerial",
            "195",
            r"(luftangriff\w*|luftschläge?n?|luftschlag\w*|bombardierung\w*|bombardier\w*|bombenangriff\w*)",
            r"(kampfjets?|kampfflugzeuge?|hubschrauber|luftwaffe) ((?!nicht |kein\w* )\w+ ){0,3}(griff\w*|angegriffen|bombardiert\w*|beschoss\w*)",
            r"verletzung ((?!nicht |kein\w* )\w+ ){0,1}luftraum\w*",
            r"luftraumverletzung\w*",
        ),
        group(
            "ASSAULT:drone",
            "1952",
            r"(drohnenangriff\w*|drohnenattacke\w*|drohnenschläge?n?|drohnenschlag\w*)",
            r"(\w*angriff\w*|attacke\w*|angegriffen|greift|griff\w*|greifen) ((?!nicht |kein\w* )[\w-]+ ){0,3}mit (\w+ )?(drohnen|kamikazedrohnen)",
            r"mit (\w+ )?(drohnen|kamikazedrohnen) an",
            r"(drohne|drohnen|kamikazedrohne\w*) ((?!nicht |kein\w* )\w+ ){0,3}(traf\w*|getroffen|schlug\w* ((?!nicht |kein\w* )\w+ ){0,3}ein|eingeschlagen|griff\w*|angegriffen)",
        ),
        group(
            "ASSAULT:missile",
            "195",
            r"(raketenangriff\w*|raketenbeschuss|raketenschläge?n?|raketenschlag\w*|raketeneinschl\w*|raketenhagel)",
            r"(\w*rakete|\w*raketen|marschflugkörper) ((?!nicht |kein\w* )\w+ ){0,3}(traf\w*|getroffen|schlug\w* ((?!nicht |kein\w* )\w+ ){0,5}ein|eingeschlagen)",
            r"(feuert\w*|schoss\w*|schiesst|schiessen|abgefeuert) ((?!nicht |kein\w* )\w+ ){0,4}(raketen|marschflugkörper)",
        ),
    ],
    "cross_border_attack": [
        group(
            "ASSAULT",
            "190",
            r"(grenzüberschreitend\w*) ((?!nicht |kein\w* )\w+ ){0,1}(angriff\w*|attacke\w*|überfall\w*|vorstoss\w*)",
            r"(einmarsch\w*|eingedrungen|drang\w* ((?!nicht |kein\w* )\w+ ){0,3}ein|vorstoss\w* auf|überschritt\w* ((?!nicht |kein\w* )\w+ ){0,2}grenze)",
            r"von jenseits der grenze",
            r"(dring\w*|drang\w*|eingedrungen|gelangt\w*) ((?!nicht |kein\w* )\w+ ){0,2}über die grenze",
        ),
        group(
            "ASSAULT:heavy-weapons",
            "194",
            r"(granaten|geschosse|raketen|mörsergranaten) ((?!nicht |kein\w* )\w+ ){0,3}(abgefeuert|geschossen) von",
        ),
        group("ASSAULT", "202", r"(massaker\w*|\w*massenmord\w*|hinrichtung\w* von zivilisten)"),
    ],
    "border_clash": [
        group(
            "ASSAULT:firearms",
            "190",
            r"(\w*gefecht\w*|kämpfe|(?:bei|nach|in|heftigen|schweren|blutigen) kämpfen|kampfhandlungen|\w*zusammenstöss\w*|\w*zusammenstoss\w*|schusswechsel\w*|\w*scharmützel\w*)",
            r"(eröffnete\w*|eröffnet) ((?!nicht |kein\w* )\w+ ){0,2}(das )?feuer",
            r"(\w*angriff\w*|\w*attacke\w*|\w*offensive\w*) (auf|gegen)",
            r"(griff\w*|greift|greifen) ((?!nicht |kein\w* )\w+ ){0,3}(stellung\w*|posten|stützpunkt\w*|basis|kaserne\w*) ((?!nicht |kein\w* )\w+ ){0,2}an",
        ),
        group(
            "ASSAULT:heavy-weapons",
            "194",
            r"(\w*beschuss|beschoss\w*|beschossen|beschiess\w*|\w*artillerie\w*|\w*granatenbeschuss|mörser\w*|granatwerfer\w*)",
        ),
        group(
            "ASSAULT:explosives",
            "1833",
            r"(mine|minen|landmine\w*|\w*personenmine\w*|sprengsatz\w*|sprengfalle\w*|bombe\w*) ((?!nicht |kein\w* )\w+ ){0,3}(explodiert\w*|detoniert\w*|getötet|verletzt)",
            r"auf (eine |einen )(mine|sprengsatz) (getreten|gefahren)",
        ),
        group(
            "ASSAULT:occupy",
            "197",
            r"(eroberte\w*|erobert|eingenommen|nahm\w* ((?!nicht |kein\w* )\w+ ){0,2}ein|brachte\w* ((?!nicht |kein\w* )\w+ ){0,3}unter (seine |ihre )?kontrolle)",
            r"(fiel|fällt|gefallen) ((?!nicht |kein\w* )\w+ ){0,2}(in die hände|unter die kontrolle)",
        ),
    ],
}

TALKS = [
    r"\w*gespräch\w*",
    r"\w*verhandlung\w*",
    r"dialog\w*",
    r"\w*runde",
    r"delegation\w*",
    r"\w*vermittl\w*",
    r"\w*treffen",
    r"\w*gipfel\w*",
    r"friedensprozess\w*",
    r"waffenruhe",
    r"\w*waffenstillstand\w*",
    r"feuerpause",
    r"\w*abkommen\w*",
    r"\w*vereinbarung\w*",
    r"\w*vertrag\w*",
    r"\w*erklärung",
    r"kommuniqué",
    r"(\w*kommission|\w*ausschuss|arbeitsgruppe)",
]
FORCE = [
    r"(getötet\w*|tote\w*|tot|todesopfer|ums leben|starben|starb|gefallen)",
    r"(verletzt\w*|verwundet\w*|verletzte)",
    r"(zerstört\w*|beschädigt\w*)",
    r"(\w*angriff\w*|\w*beschuss|beschoss\w*|beschossen|beschiess\w*|attacke\w*|getroffen|\w*feuer)",
    r"(explo\w*|abgeschossen|abgefangen|zurückgeschlagen)",
    r"(erobert\w*|gestürmt|\w*offensive)",
    r"(heftig\w*|schwer\w*)",
    r"(flohen|geflohen|evakuiert)",
    r"(brand\w*|in brand)",
]
HYPOTHETICAL = [
    r"(falls|wenn|sofern)",
    r"(könnte\w*|kann|können)",
    r"(droht|drohte\w*|drohen|androh\w*|gedroht)",
    r"(warnt\w*|warnen|gewarnt)",
    r"(befürcht\w*|fürcht\w*)",
    r"(hoff\w*)",
    r"(erwartet\w*|erwarten)",
    r"(soll|sollen|sollte\w*|müsse\w*|muss)",
    r"(wird|werden|würde\w*)",
    r"(bereit)",
    r"(forder\w*|ruf\w* ((?!nicht |kein\w* )\w+ ){0,3}auf|aufgerufen)",
    r"(plan\w*|beabsichtig\w*)",
    r"(möglich\w*)",
    # A denial reports no event either.
    r"(dementier\w*|bestreit\w*|bestritt\w*|wies (\w+ ){0,3}zurück)",
]
RECAP = [
    r"(im vergangenen|im letzten|vergangenen|letzten) (monat|woche|jahr)",
    r"(anfang|ende) (dieses|des) (jahres|monats)",
    r"im (januar|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember)",
    r"seit (januar|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember)",
    r"vor (\w+ )?(tagen|wochen|monaten|jahren)",
    r"(jahre|monate) (des |nach dem )?(krieg\w*|konflikt\w*)",
    r"(erinner\w*)",
    r"chronologie",
]
PREVIEW = [
    r"(beginn\w*|begann\w*|starte\w*|eröffne\w*)",
    r"(eingetroffen|traf\w* ((?!nicht |kein\w* )\w+ ){0,2}ein|reist\w* nach|angekommen)",
    r"(zweit\w*|dritt\w*|letzt\w*) (tag|verhandlungstag)",
    r"am vorabend",
    r"(fortgesetzt|dauern an|dauert an|wieder aufgenommen)",
]
# Negation: "nicht" and "kein" stand before a participle or noun ("sind nicht gescheitert",
# "keine Angriffe"), and "nicht" after a finite verb ("scheiterten nicht").
NEGATION_BEFORE = [r"\bnicht", r"\bkein\w*", r"\bnie", r"\bniemals", r"\bweder"]
NEGATION_AFTER = [r"nicht"]
CONCESSIVE = [r"\btrotz\b"]
CAPTURE_BEFORE = [r"(eroberte\w*|erobert|nahm\w*|eingenommen|rück\w* in|rückten in|marschierte\w* in|drang\w* in)"]
CAPTURE_AFTER = [r"(eingenommen|erobert|gefallen|fiel)"]
# A strike told as a repeat (identity: another strike on a place struck before).
REPEAT = [r"\berneut\b", r"\babermals\b", r"\bnoch einmal\b", r"\bzum zweiten mal\b"]

# Both sides firing (an exchange across a line, a reply to the other's fire): event identity
# reads it on the headline and lede (each side tells one exchange from its own sectors).
EXCHANGE = [
    r"\bschusswechsel\w*",
    r"\bfeuergefecht\w*",
    r"\berwiderten das feuer\b",
    r"\bfeuer erwidert\b",
]

# Casualty figures (crawler.analysis.events.fields.casualties): "12 Soldaten wurden getötet",
# "tötete 12 Zivilisten". The participle ends the clause, far from the noun.
CASUALTY = CasualtyTable(
    forces=r"soldat\w*|militärs|sicherheitskräfte|einsatzkräfte|polizist\w*|polizeibeamte\w*|grenzschützer\w*|"
    r"grenzsoldat\w*|streitkräfte",
    civilians=r"zivilist\w*|menschen|personen|kinder|frauen|dorfbewohner|bewohner|einwohner",
    militants=r"kämpfer\w*|extremist\w*|terrorist\w*|aufständische\w*|dschihadist\w*|militant\w*|angreifer|rebellen|"
    r"milizionär\w*",
    killed=r"getötet|tot|starben|gestorben|ums leben gekommen|ums leben|umgekommen|gefallen",
    injured=r"verletzt|verwundet",
    killing=r"tötete|töteten|starben|getötet wurden|wurden getötet|der tod von",
    injuring=r"verletzte|verletzten|verwundete|verwundeten|verletzt wurden|wurden verletzt",
    numbers={
        "ein": 1,
        "eine": 1,
        "zwei": 2,
        "drei": 3,
        "vier": 4,
        "fünf": 5,
        "sechs": 6,
        "sieben": 7,
        "acht": 8,
        "neun": 9,
        "zehn": 10,
        "elf": 11,
        "zwölf": 12,
        "fünfzehn": 15,
        "zwanzig": 20,
        "dutzende": 24,
        "hunderte": 200,
    },
    at_least=r"mindestens|wenigstens|mehr als|über|rund|etwa",
    negation=r"kein\w*|niemand|nicht|ohne",
    gap=5,
)
