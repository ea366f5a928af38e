"""Portuguese: talks outcomes and clashes as Portuguese-language news reports them.

Matched on whole words, as Spanish; verbs are given with their endings (``\\w*``), since
Portuguese conjugates them, and nouns with their plural. Brazilian and European spellings
both ("controle"/"controlo", "cúpula"/"cimeira", "contatos"/"contactos"). Negation is
"não", "nem", "nunca", "nenhum": never "no", which in Portuguese is "in the".
"""

from __future__ import annotations

from crawler.analysis.events.casualty_vocabulary import CasualtyTable
from crawler.analysis.events.ontology import Table, group

_ACCORD = r"(acordos?|pactos?|tratados?|declaração|protocolo|memorando|entendimento|roteiro)"
_TRUCE = r"(cessar-fogo|cessar fogo|cessação (das |de )?hostilidades|trégua|tréguas|armistício)"
_TALKS = (
    r"(conversações|conversas|negociações|negociação|diálogo|diálogos|mediação|processo de paz|processo|rodada|ronda)"
)
_ART = r"(o |a |os |as |um |uma |seu |sua |seus |suas |do |da |dos |das |ao |à |aos |às |no |na |nos |nas )?"
# Up to three words, none a negation.
_MOD = r"((?!não |nem )[\w-]+ ){0,3}"
_GAP = r"((?!não |nem )\w+ )"

OUTCOME: Table = {
    "collapsed": [
        group(
            "REJECT",
            "164",
            rf"{_TALKS} {_GAP}{{0,4}}(fracassaram|fracassou|fracassad\w*|colapsaram|colapsou|ruíram|ruiu|"
            rf"desmoronaram|romperam-se|foram rompidas|terminaram em fracasso)",
            rf"(fracasso|colapso|ruptura) (de |do |da |dos |das )?{_MOD}{_TALKS}",
            rf"(fracassa|fracassam|fracassou|fracassaram|colapsa|colapsam|colapsou|colapsaram) {_ART}{_MOD}{_TALKS}",
        ),
        group(
            "SANCTION",
            "164",
            r"(abandon\w*|deix\w*|se levant\w*|levant\w*-se) (d)?a mesa( (de|das) negociaç\w*)?",
            # Called off, as English "called off".
            rf"(cancel\w*|anul\w*|desmarc\w*) {_ART}{_MOD}({_TALKS}|reunião|cúpula|cimeira|encontro)",
            # "O encontro entre os chanceleres de A e B foi cancelado": the parties' names between.
            rf"({_TALKS}|reunião|cúpula|cimeira|encontro) {_GAP}{{0,7}}(foi |foram )?(cancelad\w*|anulad\w*|suspens[ao]s?)",
            rf"(suspend\w*|suspensão d\w*|congel\w*|interromp\w*|p\w* fim (a|à|às|ao|aos)|romp\w*|abandon\w*) "
            rf"{_ART}{_MOD}{_TALKS}",
            rf"(se retir\w*|retir\w*-se) d[aoe]s? {_MOD}{_TALKS}",
        ),
        group(
            "SANCTION",
            "160",
            rf"(suspend\w*|suspensão d\w*|revog\w*|anul\w*|denunci\w*|romp\w*) "
            rf"{_ART}{_MOD}(aplicação (de |do |da )?{_ART}{_MOD})?{_ACCORD}",
            rf"(se retir\w*|retir\w*-se) d[aoe]s? {_MOD}{_ACCORD}",
            rf"{_ACCORD} {_GAP}{{0,3}}(suspens[ao]s?|revogad\w*|anulad\w*|congelad\w*)",
        ),
    ],
    "no_agreement": [
        group(
            "REJECT",
            "125",
            r"sem (nenhum |nenhuma |um |uma |qualquer )?(acordo|resultados?|avanços?|progressos?|compromisso|"
            r"consenso|entendimento)",
            r"(impasse|estagnad\w*|estagnação|ponto morto|beco sem saída|paralisad\w*)",
            r"não (conseguiram|conseguiu|chegaram|chegou|lograram|alcançaram|alcançou|puderam) "
            r"((?!não |nem )\w+ ){0,3}(acordo|consenso|entendimento|acordar)",
            r"não (houve|há) acordo",
            r"fracass\w* (em|ao) (alcançar|chegar|fechar|assinar|obter)",
            r"(prazo|ultimato) ((?!não |nem )\w+ ){0,3}(venc\w*|expir\w*|pass\w* sem|termin\w* sem)",
        ),
        group("REJECT", "125", rf"sem (alcançar |acordar |chegar a )?(um |uma |nenhum |nenhuma )?{_TRUCE}"),
        group(
            "REJECT",
            "120",
            rf"(rejeit\w*|rejeição|recus\w*) {_ART}{_MOD}({_TRUCE}|proposta|plano|oferta|iniciativa|projeto|{_ACCORD})",
        ),
    ],
    "ceasefire_extended": [
        group(
            "CONCEDE",
            "0871",
            rf"(prorrog\w*|prorrogação|estend\w*|extensão|prolong\w*|ampli\w*|mant\w*|preserv\w*|renov\w*) "
            rf"(de |do |da )?{_ART}{_TRUCE}",
            rf"{_TRUCE} {_GAP}{{0,4}}(prorrogad\w*|estendid\w*|ampliad\w*|renovad\w*|se mantém|continua em vigor|"
            rf"segue em vigor|resiste)",
        ),
        group(
            "AGREE",
            "050",
            rf"(reafirm\w*|reiter\w*|renov\w*|confirm\w*) {_GAP}{{0,2}}(o |seu )?(compromisso|adesão) {_GAP}{{0,3}}{_TRUCE}",
        ),
    ],
    "next_round_set": [
        group(
            "AGREE",
            "036",
            r"(próxim\w*|nov[ao]) (rodada|ronda|reunião|sessão|encontro) ((?!não |nem )\w+ ){0,3}"
            r"(prevista|previsto|marcad\w*|agendad\w*|fixad\w*|programad\w*|terá lugar|será realizad\w*|acontecerá)",
            r"(voltarão a (se )?reunir(-se)?|voltam a (se )?reunir(-se)?|vão (se )?reunir(-se)? novamente|"
            r"se reunirão (novamente|de novo)|reunir-se-ão (novamente|de novo)|voltar a (se )?reunir(-se)?)",
            r"(acord\w*|decidi\w*|aceit\w*|comprometer\w*) ((?!não |nem )\w+ ){0,1}(em |a )?(continuar|prosseguir|retomar) "
            r"(com )?(as |o |os )?(conversações|conversas|negociações|diálogo|contatos|contactos)",
            r"(prevista|previsto|marcad\w*|agendad\w*|fixad\w*|programad\w*) para (o dia |dia )?\d{1,2}",
        ),
    ],
    "agreement": [
        group(
            "AGREE",
            "030",
            # Not "acordou" alone: "acordar" is also to wake up ("a cidade acordou com explosões").
            r"(acordaram|acordou|concordaram|concordou|combinaram) em \w+r",
            r"(pactuaram|pactuou|pactuado)",
            rf"(alcanç\w*|cheg\w* a|fech\w*|sel\w*|obt\w*) {_ART}{_MOD}(acordo|compromisso|consenso|entendimento)",
            r"acordo ((?!não |nem )\w+ ){0,2}(alcançado|obtido|fechado|selado|firmado|assinado)",
            r"(decidiram|resolveram) ",
        ),
        group(
            "AGREE",
            "0356",
            r"(evitar|prevenir|reduzir|diminuir|desativar|desescal\w*|distender) ((?!não |nem )\w+ ){0,2}(escalada|tensão|"
            r"tensões|hostilidades|provocações)",
        ),
        group(
            "SUPPORT",
            "057",
            r"(assin\w*|firm\w*) a paz",
            rf"(assin\w*|firm\w*|rubric\w*|subscrev\w*|ratific\w*|adot\w*|adopt\w*) {_ART}{_MOD}({_ACCORD}|texto)",
            rf"{_ACCORD} {_GAP}{{0,3}}(foi |foram )?(assinad\w*|firmad\w*|rubricad\w*|subscrit\w*|ratificad\w*)",
            rf"(celebr\w*|saud\w*|acolh\w*) {_ART}{_MOD}({_ACCORD}|{_TRUCE})",
            rf"aceit\w* {_ART}{_MOD}({_TRUCE}|proposta|plano|oferta|iniciativa)",
            rf"{_TRUCE} {_GAP}{{0,3}}(assinad\w*|pactuad\w*|acordad\w*|entr\w* em vigor)",
            r"acordo (sobre|para) ((?!não |nem )\w+ ){0,2}(corredores?|acesso|ajuda|humanitári\w*|prisioneiros|reféns|"
            r"troca|intercâmbio)",
        ),
        group(
            "CONCEDE",
            "0871",
            rf"(decret\w*|anunci\w*|proclam\w*|declar\w*) {_ART}{_MOD}{_TRUCE}",
            rf"{_TRUCE} {_GAP}{{0,2}}unilateral",
            r"(cessar|interromper|suspender|parar) ((?!não |nem )\w+ ){0,2}(os combates|as hostilidades|os ataques|"
            r"as operações militares)",
        ),
        group(
            "CONSULT",
            "046",
            r"(comunicado|declaração conjunta|ata) ((?!não |nem )\w+ ){0,6}(enumera|detalha|estabelece|prevê)",
            r"(progressos?|avanços?) (positivos?|significativos?|notáveis|tangíveis|concretos?)",
        ),
    ],
}

CLASH: Table = {
    "ceasefire_violation": [
        group(
            "ASSAULT",
            "196",
            rf"(violação|violações|viol\w*|ruptura|romp\w*|descumpr\w*|desrespeit\w*) (flagrante )?"
            rf"(do |da |dos |das |o |a |os |as )?{_MOD}({_TRUCE}|acordos?|compromissos)",
            rf"{_TRUCE} {_GAP}{{0,2}}(violad\w*|rompid\w*|quebrad\w*|desrespeitad\w*)",
            rf"(apesar d[aoe]s?|mesmo com) {_ART}{_TRUCE}",
        ),
    ],
    "air_strike": [
        group(
            "ASSAULT:aerial",
            "195",
            r"(ataques?|bombardeios?|incursões|incursão|raides?) aére\w*",
            r"(aviões|avião|caças?|helicópteros?|aviação) ((?!não |nem )\w+ ){0,2}(bombarde\w*|atac\w*|atingi\w*)",
            r"viol\w* (o |do )?(seu |sua )?espaço aéreo",
        ),
        group(
            "ASSAULT:drone",
            "1952",
            r"(ataques?|bombardeios?) ((?!não |nem )\w+ ){0,1}(com |de )?drones?",
            r"drones? ((?!não |nem )\w+ ){0,2}(kamikazes?|armados?|atac\w*|atingi\w*|explod\w*)",
        ),
        group(
            "ASSAULT:missile",
            "195",
            r"(mísseis|míssil|foguetes?) ((?!não |nem )\w+ ){0,3}(atingi\w*|caí\w*|caiu|impact\w*)",
            r"(chuva|ondas?|salvas?|ataques?|disparos?) de (\w+ )?(mísseis|foguetes)",
            r"(lanç\w*|dispar\w*) ((?!não |nem )\w+ ){0,4}(mísseis|foguetes)",
        ),
    ],
    "cross_border_attack": [
        group(
            "ASSAULT",
            "190",
            r"(ataques?|incursões|incursão|infiltrações|infiltração) ((?!não |nem )\w+ ){0,2}transfronteiriç\w*",
            r"(incursão|incursões|infiltração|infiltrações)",
            r"(cruz\w*|atravess\w*|penetr\w*|invad\w*) ((?!não |nem )\w+ ){0,3}(fronteira|território)",
            r"do outro lado da fronteira",
        ),
        group(
            "ASSAULT:heavy-weapons",
            "194",
            r"(projéteis|projécteis|obuses|granadas|foguetes?|morteiros?) ((?!não |nem )\w+ ){0,3}(disparad\w*|lançad\w*) "
            r"(de|do|da|a partir)",
        ),
        group("ASSAULT", "202", r"(massacres?|chacinas?|execuções sumárias)"),
        # Bombings and waves of attacks on posts, bases and cities (CAMEO 183 bombing), as
        # Spanish has them: an armed group's one-directional attack.
        group(
            "ASSAULT:explosives",
            "183",
            r"(ondas?|séries?|onda) de (atentados|ataques)",
            r"atentados? ((?!não |nem )\w+ ){0,2}(com|a) (explosivos|bombas?|motos?|carros?|caminhões|caminhão|camião)",
            r"ataques? ((?!não |nem )\w+ ){0,1}(coordenad\w*|simultâne\w*)",
            r"(explosão|detonação) de (um |uma )?(carros?|caminhão|caminhões|camião|camiões|motos?|veículos?|"
            r"carro-bomba|caminhão-bomba|camião-bomba)",
            r"(carros?|caminhão|caminhões|camião|camiões|motos?)[ -]bombas? ((?!não |nem )\w+ ){0,3}"
            r"(explod\w*|mat\w*|deix\w*)",
            r"(mort\w*|ferid\w*|morreram) ((?!não |nem )\w+ ){0,4}(pelo|pela|no|na|em um|num|numa) (atentado|explosão)",
            r"(atentados?|ataques?) ((?!não |nem )\w+ ){0,3}contra (delegacias?|postos?|bases?|quart[ée]is|batalhões|batalhão) "
            r"(de |da |do )?(polícia|militar\w*|exército)",
        ),
    ],
    "border_clash": [
        group(
            "ASSAULT:firearms",
            "190",
            # Not "confronto" alone: Brazilian sport calls every match one.
            r"(confrontos|confrontos? armados?|combates?|choques? armados?|escaramuças?|tiroteios?|trocas? de tiros)",
            r"abri\w* fogo",
            r"hostilidades",
            r"ofensiva (sobre|contra|em|rumo)",
            r"atac\w* ((?!não |nem )\w+ ){0,2}(posições|posição|postos?|base|bases|quartel|quartéis)",
            r"ataques? (armad\w* )?contra ",
            # Raids on villages, as insurgencies are reported ("homens armados atacam aldeia").
            r"atac\w* ((?!não |nem )\w+ ){0,2}(aldeias?|povoados?|aldeamentos?)",
            r"(homens armados|insurgentes|jihadistas|guerrilheiros) ((?!não |nem )\w+ ){0,3}(atac\w*|invad\w*|incend\w*)",
        ),
        group(
            "ASSAULT:heavy-weapons",
            "194",
            r"(fogo de artilharia|disparos de artilharia|artilharia|canhone\w*|morteiros?|projéteis|obuses|bombarde\w*)",
        ),
        group(
            "ASSAULT:explosives",
            "1833",
            # Not "minas" alone: Minas Gerais.
            r"(minas? (antipessoal|terrestres?)|artefatos? explosivos?( improvisados?)?|engenhos? explosivos?|"
            r"bombas? caseiras?) ((?!não |nem )\w+ ){0,3}(explod\w*|detonad\w*|mat\w*|feri\w*)",
            r"pis\w* (em )?uma mina",
            r"(mort\w*|ferid\w*|mutilad\w*) ((?!não |nem )\w+ ){0,5}por (uma |um )(mina|artefato explosivo|bomba|explosivo)",
        ),
        group(
            "ASSAULT:occupy",
            "197",
            r"(tom\w*|captur\w*|conquist\w*|se apoder\w* d\w*|apoder\w*-se d\w*) (o controle d[aoe] |o controlo d[aoe] )?"
            r"(a |o )?(cidade|localidade|vila|aldeia|povoado|aeroporto|base|colina|posição|capital)",
            r"(caiu|caíram|cai|caem) ((?!não |nem )\w+ ){0,2}(nas mãos|sob (o )?controle|sob (o )?controlo)",
            r"pass\w* (para as mãos|ao controle|ao controlo|para o controle|para o controlo)",
        ),
    ],
}

TALKS = [
    r"conversações",
    r"conversas",
    r"negociaç\w*",
    r"diálogo",
    r"rodada",
    r"ronda",
    r"delegaç\w*",
    r"mediaç\w*",
    r"mediador\w*",
    r"reuni\w*",
    r"encontro",
    r"cúpula",
    r"cimeira",
    r"processo de paz",
    r"cessar-fogo",
    r"cessar fogo",
    r"trégua",
    r"acordos?",
    r"pacto",
    r"tratado",
    r"declaração",
    r"comunicado",
    r"(comitê|comité|comissão|grupo de trabalho|mecanismo) (conjunt\w*|mist\w*|de acompanhamento|de verificação|"
    r"de monitoramento|de monitorização)",
]
FORCE = [
    r"mort\w*",
    # Not "mata" (also a forest: "Mata Atlântica").
    r"(matou|mataram|matam|matando|matado|matar)",
    r"(morreu|morreram|falecid\w*)",
    r"ferid\w*",
    r"vítimas",
    r"baixas",
    r"destruíd\w*",
    r"danificad\w*",
    r"bombarde\w*",
    r"disparos?",
    r"tiros?",
    r"atac\w*",
    r"ataques?",
    r"repel\w*",
    r"explos\w*",
    r"explod\w*",
    r"impact\w*",
    r"atingi\w*",
    r"violent\w*",
    r"fugi\w*",
    r"assalto",
    r"incêndi\w*",
    r"incend\w*",
    r"derrub\w*",
    r"intercept\w*",
]
HYPOTHETICAL = [
    # Not "se" ("if"): it is also the reflexive pronoun ("as negociações se romperam").
    r"caso",
    r"salvo se",
    r"a menos que",
    r"pode",
    r"podem",
    r"poder\w*",
    r"risco",
    r"ameaç\w*",
    r"advert\w*",
    r"(teme|temem|temor\w*|receio\w*|receia\w*)",
    r"esper\w*",
    r"(deve|devem|deveria\w*|deverá|deverão)",
    r"(será|serão|haverá|terá|terão)",
    r"dispost\w* a",
    r"(planej\w*|planei\w*|prevê|previsto)",
    r"(pedi\w*|pede|pedem|apel\w*|exort\w*) (a|ao|à|aos|às|para)",
    r"possível",
    # A denial reports no event either.
    r"(nega|negam|negou|negaram|desment\w*)",
]
RECAP = [
    r"(n?o mês|n?a semana|n?o ano) passad\w*",
    r"(no início|no começo) (deste|desta) (ano|mês)",
    r"(em|desde) (janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro)",
    r"há (\w+ )?(dias|semanas|meses|anos?)",
    r"(dias|semanas|meses|anos?) atrás",
    r"(anos?|meses) de (guerra|conflito|combates)",
    # Not "record\w*": "recorde" is a record.
    r"(relembr\w*|record(a|ou|am|aram|ando))",
    r"cronologia",
    r"(\w+ )?(dias|semanas|meses|anos) depois",
]
PREVIEW = [
    r"(começ\w*|inici\w*|arranc\w*|se abre|se abrem|abrirá\w*)",
    # Arriving, not "chegaram a um acordo" (reached an agreement).
    r"(cheg\w*|aterriss\w*|aterr\w*|viaj\w*) (a|ao|à|em|para)(?! (um |uma )?(acordo|consenso|entendimento))",
    r"(segund\w*|terceir\w*|últim\w*) (dia|jornada)",
    r"(na|em|às) vésperas?",
    r"(continua|continuam|prossegue|prosseguem|retomad\w*)",
    r"(em curso|em andamento)",
]
# Negation: "não" stands before the verb ("não fracassaram", "não houve ataques"), "nem",
# "nenhum" before the noun. Not "no" (in the).
NEGATION_BEFORE = [r"\bnão", r"\bnunca", r"\bjamais", r"\bnem", r"\bnenhum\w*"]
NEGATION_AFTER: list[str] = []
CONCESSIVE = [r"\bapesar d", r"\bmesmo com\b"]
CAPTURE_BEFORE = [
    r"(tom\w*|captur\w*|conquist\w*|se apoder\w* d\w*|apoder\w*-se d\w*|tom\w* o control\w* d\w*|recuper\w*)",
]
CAPTURE_AFTER = [
    r"(caiu|caíram|cai|caem) (nas mãos|sob (o )?control\w*)",
    r"pass\w* (para as mãos|ao control\w*|para o control\w*)",
    r"nas mãos d\w*",
]
# A strike told as a repeat (identity: another strike on a place struck before).
REPEAT = [r"\bde novo\b", r"\bnovamente\b", r"\boutra vez\b", r"\bpela segunda vez\b"]

# Both sides firing (an exchange across a line, a reply to the other's fire): event identity
# reads it on the headline and lede (each side tells one exchange from its own sectors).
EXCHANGE = [
    r"\btroca de tiros\b",
    r"\btrocaram tiros\b",
    r"\brevidaram\b",
    r"\brespond(?:eram|eu) aos disparos\b",
]

# Casualty figures (crawler.analysis.events.fields.casualties): "12 soldados morreram",
# "morreram 12 soldados", "matou 12 civis" (no "a" before the object, unlike Spanish).
CASUALTY = CasualtyTable(
    forces=r"soldados?|militares|efetivos|efectivos|agentes|policiais|polícias|guardas de fronteira|"
    r"guardas fronteiriços|guardas|tropas|membros das forças de segurança|fuzileiros|marinheiros",
    civilians=r"civis|civil|pessoas|crianças|mulheres|aldeões|moradores|habitantes|residentes",
    militants=r"milicianos|combatentes|terroristas|insurgentes|rebeldes|jihadistas|guerrilheiros|atacantes|"
    r"militantes|extremistas",
    killed=r"morreram|mortos?|mortas?|faleceram|falecidos?|assassinados?|assassinadas?|perderam a vida|abatidos?",
    injured=r"feridos?|feridas?",
    killing=r"morreram|matou|mataram|matando|assassinou|assassinaram|a morte de|faleceram|perderam a vida|"
    r"abateu|abateram",
    injuring=r"feriu|feriram|ferindo|ficaram feridos|ficaram feridas|saíram feridos|resultaram feridos",
    numbers={
        "um": 1,
        "uma": 1,
        "dois": 2,
        "duas": 2,
        "três": 3,
        "quatro": 4,
        "cinco": 5,
        "seis": 6,
        "sete": 7,
        "oito": 8,
        "nove": 9,
        "dez": 10,
        "onze": 11,
        "doze": 12,
        "quinze": 15,
        "vinte": 20,
        "dezenas": 24,
        "centenas": 200,
    },
    at_least=r"pelo menos|ao menos|no mínimo|mais de|cerca de|aproximadamente",
    negation=r"nenhum|nenhuma|ninguém|não|sem",
)
