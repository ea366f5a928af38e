"""Spanish: talks outcomes and clashes as Spanish-language news reports them.

Matched on whole words, as French; verbs are given with their endings (``\\w*``), since
Spanish conjugates them, and nouns with their plural.
"""

from __future__ import annotations

from crawler.analysis.events.casualty_vocabulary import CasualtyTable
from crawler.analysis.events.ontology import Table, group

_ACCORD = r"(acuerdos?|pactos?|tratados?|declaración|protocolo|memorando|entendimiento|hoja de ruta|marco)"
_TRUCE = r"(alto el fuego|cese al fuego|cese el fuego|cese del fuego|cese de hostilidades|tregua|armisticio)"
_TALKS = r"(conversaciones|negociaciones?|diálogo|diálogos|mediación|proceso de paz|proceso|ronda|participación)"
_ART = r"(el |la |los |las |un |una |su |sus |del |de la |de los |de las |al )?"
_MOD = r"((?!no |ni )[\w-]+ ){0,3}"

OUTCOME: Table = {
    "collapsed": [
        group(
            "REJECT",
            "164",
            rf"{_TALKS} ((?!no |ni )\w+ ){{0,4}}(han |ha |habían |había )?(fracasad\w*|fracasaron|fracasó|colapsad\w*|colapsaron|"
            rf"colapsó|se rompieron|se rompió|rotas?)",
            rf"(fracaso|colapso|ruptura) (de |del |de la |de las |de los )?{_MOD}{_TALKS}",
            rf"(fracasa|fracasan|fracasó|fracasaron|colapsa|colapsan|colapsó|colapsaron) {_ART}{_MOD}{_TALKS}",
        ),
        group(
            "SANCTION",
            "164",
            r"(abandon\w*|se levant\w*) (de )?la mesa( de negociaciones?)?",
            # Called off, as English "called off".
            rf"(cancel\w*|anul\w*) {_ART}{_MOD}({_TALKS}|reunión|cumbre|encuentro)",
            rf"({_TALKS}|reunión|cumbre|encuentro) ((?!no |ni )\w+ ){{0,4}}(cancelad\w*|anulad\w*|suspendid\w*)",
            rf"(suspend\w*|suspensión de|congel\w*|interrump\w*|pon\w* fin a|puso fin a|rompi\w*|romp\w*|"
            rf"se retir\w* de|abandon\w*) {_ART}{_MOD}{_TALKS}",
        ),
        group(
            "SANCTION",
            "160",
            rf"(suspend\w*|suspensión de|revoc\w*|anul\w*|denunci\w*|derog\w*|se retir\w* de|romp\w*|rompi\w*) "
            rf"{_ART}{_MOD}(aplicación (de |del |de la )?{_ART}{_MOD})?{_ACCORD}",
            rf"{_ACCORD} ((?!no |ni )\w+ ){{0,3}}(suspendid\w*|revocad\w*|anulad\w*|congelad\w*|derogad\w*)",
        ),
    ],
    "no_agreement": [
        group(
            "REJECT",
            "125",
            r"sin (ningún |un |una |el menor |la menor )?(acuerdos?|resultados?|avances?|avance|progresos?|compromiso|"
            r"consenso|entendimiento)",
            r"(estancad\w*|estancamiento|punto muerto|callejón sin salida|bloquead\w*|bloqueo)",
            r"no (han |ha |hemos )?(logrado|conseguido|podido|alcanzado) ((?!no |ni )\w+ ){0,2}(acuerdo|consenso|pactar|acordar|"
            r"ponerse de acuerdo)",
            r"no (hubo|hay) acuerdo",
            r"(fracas\w*|fracaso) (en|al) (alcanzar|lograr|cerrar|firmar|acordar)",
            r"(plazo|ultimátum|fecha límite) ((?!no |ni )\w+ ){0,3}(venci\w*|expir\w*|pas\w* sin)",
        ),
        group("REJECT", "125", rf"sin (lograr |alcanzar |acordar )?(un |una |ningún |ninguna )?{_TRUCE}"),
        group(
            "REJECT",
            "120",
            rf"(rechaz\w*|rechazo) {_ART}{_MOD}({_TRUCE}|propuesta|plan|oferta|iniciativa|proyecto|{_ACCORD})",
        ),
    ],
    "ceasefire_extended": [
        group(
            "CONCEDE",
            "0871",
            rf"(prorrog\w*|prórroga|extend\w*|extien\w*|prolong\w*|extensión|amplí\w*|ampli\w*|manten\w*|mantien\w*|mantuv\w*|"
            rf"preserv\w*|renov\w*) (de |del |de la )?{_ART}{_TRUCE}",
            rf"{_TRUCE} ((?!no |ni )\w+ ){{0,4}}(prorrogad\w*|extendid\w*|ampliad\w*|renovad\w*|se mantiene|sigue vigente|resiste)",
        ),
        group(
            "AGREE",
            "050",
            rf"(reafirm\w*|reiter\w*|renov\w*|confirm\w*) ((?!no |ni )\w+ ){{0,2}}(su )?(compromiso|adhesión) ((?!no |ni )\w+ ){{0,3}}{_TRUCE}",
        ),
    ],
    "next_round_set": [
        group(
            "AGREE",
            "036",
            r"(próxim\w*|nuev\w*) (ronda|reunión|sesión|encuentro|cita) ((?!no |ni )\w+ ){0,3}"
            r"(prevista|previsto|fijad\w*|programad\w*|tendrá lugar|se celebrará|se realizará)",
            r"(volverán a reunirse|volverán a verse|se reunirán de nuevo|se reunirán nuevamente|volver a reunirse)",
            r"(acord\w*|decidi\w*|acept\w*|comprometi\w*) ((?!no |ni )\w+ ){0,1}(continuar|seguir|reanudar|proseguir) "
            r"(con )?(las |el |los )?(conversaciones|negociaciones|diálogo|contactos)",
            r"(prevista|previsto|fijad\w*|programad\w*) para el \d{1,2}",
        ),
    ],
    "agreement": [
        group(
            "AGREE",
            "030",
            r"(acordaron|acordó|acordado|acordamos|pactaron|pactó|pactado|convinieron|convino|convenido)",
            rf"(alcanz\w*|logr\w*|cerr\w*|sell\w*) {_ART}{_MOD}(acuerdo|compromiso|consenso|entendimiento)",
            r"acuerdo ((?!no |ni )\w+ ){0,2}(alcanzado|logrado|cerrado|sellado|firmado)",
            r"(han |ha )?(decidido|resuelto) ",
        ),
        # A commitment one party takes on at the table ("asumió el compromiso de suspender...",
        # "se compromete a no atacar"): an outcome told from one side (CAMEO 057 sign formal
        # agreement is the two-sided form; 030 express intent to cooperate covers the pledge).
        group(
            "AGREE",
            "030",
            r"(asumi\w*|asum\w*|adquiri\w*|adquier\w*) ((?!no |ni )\w+ ){0,3}(el |un |los )?compromisos? de",
            r"se (compromet\w*|comprometi\w*) ((?!no |ni )[\w-]+ ){0,6}a (no )?\w+",
        ),
        group(
            "AGREE",
            "0356",
            r"(evitar|prevenir|reducir|rebajar|desactivar|desescal\w*) ((?!no |ni )\w+ ){0,2}(escalada|tensión|tensiones|"
            r"hostilidades|provocaciones)",
        ),
        group(
            "SUPPORT",
            "057",
            r"firm\w* la paz",
            rf"(firm\w*|rubric\w*|suscrib\w*|suscri\w*|ratific\w*|adopt\w*) {_ART}{_MOD}({_ACCORD}|texto)",
            rf"{_ACCORD} ((?!no |ni )\w+ ){{0,3}}(fue |han sido |ha sido )?(firmad\w*|rubricad\w*|suscrit\w*|ratificad\w*)",
            rf"(celebr\w*|saludó|saludaron|acog\w*) {_ART}{_MOD}({_ACCORD}|{_TRUCE})",
            rf"acept\w* {_ART}{_MOD}({_TRUCE}|propuesta|plan|oferta|iniciativa)",
            rf"{_TRUCE} ((?!no |ni )\w+ ){{0,3}}(firmad\w*|pactad\w*|acordad\w*|entr\w* en vigor)",
            r"acuerdo (sobre|para) ((?!no |ni )\w+ ){0,2}(corredores?|acceso|ayuda|humanitari\w*|prisioneros|rehenes|canje|"
            r"intercambio)",
        ),
        group(
            "CONCEDE",
            "0871",
            rf"(decret\w*|anunci\w*|proclam\w*|declar\w*) {_ART}{_MOD}{_TRUCE}",
            rf"{_TRUCE} ((?!no |ni )\w+ ){{0,2}}unilateral",
            r"(cesar|detener|suspender) ((?!no |ni )\w+ ){0,2}(los combates|las hostilidades|los ataques|las operaciones militares)",
        ),
        group(
            "CONSULT",
            "046",
            r"(comunicado|declaración conjunta|acta) ((?!no |ni )\w+ ){0,6}(enumera|detalla|recoge|establece|prevé)",
            r"progresos? (positivos?|significativos?|notables?|tangibles?|concretos?)",
            r"avances? (positivos?|significativos?|notables?|tangibles?|concretos?)",
        ),
    ],
}

CLASH: Table = {
    "ceasefire_violation": [
        group(
            "ASSAULT",
            "196",
            rf"(violación|violaciones|viol\w*|ruptura|romp\w*|rompi\w*|incumpl\w*) (flagrante )?"
            rf"(del |de la |de los |el |la |los )?{_MOD}({_TRUCE}|acuerdos?|compromisos)",
            rf"{_TRUCE} ((?!no |ni )\w+ ){{0,2}}(violad\w*|rot\w*|quebrantad\w*)",
            rf"(pese a|a pesar de|pese al|a pesar del) {_ART}{_TRUCE}",
        ),
    ],
    "air_strike": [
        group(
            "ASSAULT:aerial",
            "195",
            r"(ataques?|bombardeos?|incursiones?) aére\w*",
            r"(aviones?|cazas?|helicópteros?|aviación) ((?!no |ni )\w+ ){0,2}(bombarde\w*|atac\w*|golpe\w*)",
            # Latin American usage: an army's "bombardeo" of a camp is from the air.
            r"bombardeos? ((?!no |ni )\w+ ){0,4}(contra |a |sobre |en )(un |el |los )?(campamentos?|guerrill\w*|disidencias?)",
            r"bombardeos? (de |del )(las |la |el )?(fuerzas (militares|armadas)|fuerza aérea|ejército|aviación|militares)",
            # "La masacre con el bombardeo", "murieron en el bombardeo": the noun alone, not shelling.
            r"(en|con|tras|por) (el|un|los) bombardeos?(?! (de|con) (artillería|morteros?|cañones|obuses))",
            r"viol\w* (del |el )?espacio aéreo",
        ),
        group(
            "ASSAULT:drone",
            "1952",
            r"(ataques?|bombardeos?) ((?!no |ni )\w+ ){0,2}(con |de |desde )?(drones?|dron)",
            r"(drones?|dron) ((?!no |ni )\w+ ){0,2}(kamikazes?|armados?|atac\w*|impact\w*|alcanz\w*|golpe\w*)",
            # Explosives dropped from drones, an aircraft attacked with one.
            r"(explosivos?|artefactos?|granadas?|bombas?|cargas?) ((?!no |ni )\w+ ){0,2}(con|desde) (un |una |los )?(drones?|dron)",
            r"atacad\w* con (un |una )?(drones?|dron)",
        ),
        # An aircraft brought down (ACLED: battles involving an aircraft shot down).
        group(
            "ASSAULT:aerial",
            "195",
            r"derrib\w* ((?!no |ni )[\w-]+ ){0,3}(helicópteros?|avi[oó]n\w*|aeronaves?|avionetas?)",
            r"(helicópteros?|avi[oó]n\w*|aeronaves?|avionetas?) ((?!no |ni )[\w-]+ ){0,6}(derribad\w*)",
        ),
        group(
            "ASSAULT:missile",
            "195",
            r"(misiles?|cohetes?) ((?!no |ni )\w+ ){0,3}(impact\w*|alcanz\w*|cay\w*|golpe\w*)",
            r"(lluvia|oleadas?|andanadas?|salvas?|ataques?) de (\w+ )?(misiles|cohetes)",
            r"(lanz\w*|dispar\w*) ((?!no |ni )\w+ ){0,4}(misiles|cohetes)",
        ),
    ],
    "cross_border_attack": [
        group(
            "ASSAULT",
            "190",
            r"(ataques?|incursiones?|infiltraciones?) ((?!no |ni )\w+ ){0,2}transfronteriz\w*",
            r"(incursión|incursiones|infiltración|infiltraciones)",
            r"(cruz\w*|atraves\w*|penetr\w*) ((?!no |ni )\w+ ){0,3}(frontera|territorio)",
            r"desde el otro lado de la frontera",
        ),
        group(
            "ASSAULT:heavy-weapons",
            "194",
            r"(proyectiles?|obuses?|cohetes?|morteros?) ((?!no |ni )\w+ ){0,3}(disparad\w*|lanzad\w*) desde",
        ),
        group("ASSAULT", "202", r"(masacres?|matanzas?|ejecuciones sumarias)"),
        # Bombings and waves of attacks on posts, bases and cities (CAMEO 183 bombing;
        # ACLED: explosions/remote violence): the armed group's one-directional attack.
        group(
            "ASSAULT:explosives",
            "183",
            r"(oleadas?|olas?|series?|cadenas?) de (atentados|ataques)",
            r"atentados? ((?!no |ni )\w+ ){0,2}(con|de) (explosivos|bombas?|motos?|carros?|coches?|camión|cilindros|granadas?)",
            r"ataques? ((?!no |ni )\w+ ){0,1}(coordinad\w*|simultáne\w*)",
            r"(explosión|estallido|detonación) de (un |una )?(carros?|coches?|camión|camioneta|motos?|motocicletas?|vehículos?)",
            r"(carros?|coches?|camión|camiones|motos?|motocicletas?)[ -]bombas? ((?!no |ni )\w+ ){0,3}(explot\w*|estall\w*|mat\w*|dej\w*)",
            r"(muert\w*|herid\w*|murieron) ((?!no |ni )\w+ ){0,4}por (el |la |un |una )?(atentado|explosión|estallido)",
            r"perpetr\w* ((?!no |ni )\w+ ){0,3}(atentados?|ataques?)",
            r"(atentados?|ataques?) ((?!no |ni )\w+ ){0,3}contra (estaciones|estación|puestos?|bases?|cuartel\w*|batallones?) "
            r"(de |del )?(policía|militar\w*|ejército)",
        ),
    ],
    "border_clash": [
        group(
            "ASSAULT:firearms",
            "190",
            r"(enfrentamientos?|combates?|choques? armados?|escaramuzas?|tiroteos?|intercambios? de disparos)",
            r"abri\w* fuego",
            r"hostilidades",
            r"ofensiva ((del |de la |de los |de )((?!no |ni )[\w-]+ ){1,3})?(sobre|contra|hacia|en)",
            r"(atac\w*) ((?!no |ni )\w+ ){0,2}(posiciones?|puestos?|base|bases|cuartel\w*)",
            r"ataques? (armad\w* )?((del |de la |de los |de )((?!no |ni )[\w-]+ ){1,3})?(contra|sobre) ",
        ),
        group(
            "ASSAULT:heavy-weapons",
            "194",
            r"(fuego de artillería|disparos de artillería|artillería|cañone\w*|morteros?|proyectiles?|obuses?|bombarde\w*)",
        ),
        group(
            "ASSAULT:explosives",
            "1833",
            r"(minas? (antipersona|terrestres?)?|artefactos? explosivos?( improvisados?)?|bombas? caseras?) ((?!no |ni )\w+ ){0,3}"
            r"(explot\w*|estall\w*|mat\w*|hiri\w*)",
            r"pis\w* una mina",
            r"(muert\w*|herid\w*|mutilad\w*) ((?!no |ni )\w+ ){0,5}por (una |un )(mina|artefacto explosivo|bomba)",
        ),
        group(
            "ASSAULT:occupy",
            "197",
            r"(tom\w*|captur\w*|conquist\w*|se apoder\w* de|entr\w* en) (el control de )?(la |el )?(ciudad|localidad|"
            r"pueblo|aldea|aeropuerto|base|colina|posición|capital)",
            r"(cay\w*|cae) ((?!no |ni )\w+ ){0,2}(en manos|bajo (el )?control)",
            r"pas\w* a (manos|control)",
        ),
    ],
}

TALKS = [
    r"conversaciones",
    r"negociaci\w*",
    r"diálogo",
    r"ronda",
    r"delegaci\w*",
    r"mediaci\w*",
    r"mediador\w*",
    r"reuni\w*",
    r"encuentro",
    r"cumbre",
    r"proceso de paz",
    r"alto el fuego",
    r"cese (al|el|del) fuego",
    r"tregua",
    r"acuerdos?",
    r"pacto",
    r"tratado",
    r"declaración",
    r"comunicado",
    r"protocolos?",
    r"memorando",
    r"mesa de (diálogo|negociaci\w*|conversaciones|paz)",
    r"(comité|comisión|grupo de trabajo|mecanismo) (conjunt\w*|mixt\w*|de seguimiento|de verificación)",
]
FORCE = [
    r"muert\w*",
    r"(mató|mataron|matando|matado|matar)",
    r"fallecid\w*",
    r"herid\w*",
    r"víctimas",
    r"bajas",
    r"destruid\w*",
    r"dañad\w*",
    r"bombarde\w*",
    r"disparos?",
    r"atac\w*",
    r"ataques?",
    r"repel\w*",
    r"explos\w*",
    r"estall\w*",
    r"impact\w*",
    r"violent\w*",
    r"huy\w*",
    r"asalto",
    r"incendi\w*",
    r"derrib\w*",
    r"intercept\w*",
]
HYPOTHETICAL = [
    r"si",
    r"salvo que",
    r"a menos que",
    r"podría\w*",
    r"podrían",
    r"pued\w*",
    r"riesgo",
    r"amenaz\w*",
    r"advirti\w*",
    r"advert\w*",
    r"(teme|temen|temor\w*)",
    r"esper\w*",
    r"deber\w*",
    r"debe",
    r"deben",
    r"(será|serán|habrá|tendrá|tendrán)",
    r"dispuest\w* a",
    r"(planea\w*|prevé|previsto)",
    r"(pidi\w*|pide|piden|inst\w*|llam\w*) a",
    r"posible",
    # A denial reports no event either.
    r"(niega|niegan|negó|negaron|desmient\w*|desminti\w*)",
]
RECAP = [
    r"(el mes|la semana|el año) pasad\w*",
    r"(a principios|a comienzos) de (este|esta) (año|mes)",
    r"(en|desde) (enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)",
    r"hace (\w+ )?(días|semanas|meses|años?)",
    r"(años?|meses) de (guerra|conflicto|combates)",
    r"record\w*",
    r"cronología",
    # "Un mes después del inicio de la ofensiva": singular too.
    r"(\w+ )?(días?|semanas?|mes|meses|años?) después",
]
PREVIEW = [
    r"(comienz\w*|comenz\w*|empiez\w*|empez\w*|inici\w*|arranc\w*|se abre|se abren|abrirá\w*)",
    r"(lleg\w*|aterriz\w*|viaj\w*) (a|al|en)",
    r"(segund\w*|tercer\w*|últim\w*) (día|jornada)",
    r"en vísperas",
    r"(continú\w*|prosigu\w*|se reanud\w*)",
    r"en curso",
]
# Negation: "no" stands before the verb ("no han fracasado", "no hubo ataques"), "ni",
# "ningún" before the noun.
NEGATION_BEFORE = [r"\bno", r"\bnunca", r"\bjamás", r"\bni", r"\bningun\w*", r"\bningún"]
NEGATION_AFTER: list[str] = []
CONCESSIVE = [r"\bpese a", r"\ba pesar de"]
CAPTURE_BEFORE = [
    r"(tom\w*|captur\w*|conquist\w*|se apoder\w* de|tom\w* el control de|entr\w* en|recuper\w*)",
]
CAPTURE_AFTER = [r"(cay\w*|cae) (en manos|bajo (el )?control)", r"pas\w* a (manos|control)", r"en manos de"]
# A strike told as a repeat (identity: another strike on a place struck before).
REPEAT = [r"\bde nuevo\b", r"\bnuevamente\b", r"\botra vez\b", r"\bpor segunda vez\b"]

# Both sides firing (an exchange across a line, a reply to the other's fire): event identity
# reads it on the headline and lede (each side tells one exchange from its own sectors).
EXCHANGE = [
    r"\bintercambios? de disparos\b",
    r"\bintercambiaron disparos\b",
    r"\brespondieron al fuego\b",
    r"\brepelieron\b",
]

# Casualty figures (crawler.analysis.events.fields.casualties): "12 soldados murieron",
# "murieron 12 soldados", "mató a 12 civiles".
CASUALTY = CasualtyTable(
    forces=r"soldados?|militares|efectivos|agentes|policías?|uniformados|guardias fronterizos|guardias|tropas|"
    r"miembros de las fuerzas de seguridad|carabineros",
    civilians=r"civiles|civil|personas|niños|mujeres|aldeanos|habitantes|pobladores|vecinos",
    militants=r"milicianos|combatientes|terroristas|insurgentes|rebeldes|yihadistas|guerrilleros|atacantes|militantes",
    killed=r"murieron|muertos?|fallecieron|fallecidos?|asesinados?|perdieron la vida|abatidos?",
    injured=r"heridos?|lesionados?",
    killing=r"murieron|mató a|mataron a|matando a|asesinó a|asesinaron a|asesinando a|la muerte de|"
    r"fallecieron|perdieron la vida|abatió a|abatieron a",
    injuring=r"hirió a|hirieron a|hiriendo a|resultaron heridos|quedaron heridos",
    numbers={
        "un": 1,
        "una": 1,
        "dos": 2,
        "tres": 3,
        "cuatro": 4,
        "cinco": 5,
        "seis": 6,
        "siete": 7,
        "ocho": 8,
        "nueve": 9,
        "diez": 10,
        "once": 11,
        "doce": 12,
        "quince": 15,
        "veinte": 20,
        "decenas": 24,
        "cientos": 200,
        "centenares": 200,
    },
    at_least=r"al menos|por lo menos|como mínimo|más de|unos|unas|cerca de",
    negation=r"ningún|ninguna|ninguno|nadie|no|sin",
)
