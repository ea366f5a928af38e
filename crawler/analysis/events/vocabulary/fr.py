"""French: talks outcomes and clashes as francophone news reports them.

Matched on whole words like English; verbs are given with their endings (``\\w*``), since
French conjugates them. Apostrophes may be straight or curly.
"""

from __future__ import annotations

from crawler.analysis.events.casualty_vocabulary import CasualtyTable
from crawler.analysis.events.ontology import Table, group

_A = r"['’]"  # either apostrophe
_ACCORD = r"(accords?|entente|déclaration|protocole|mémorandum|traité|pacte|feuille de route|cadre)"
_TRUCE = r"(cessez-le-feu|trêve|armistice)"
_TALKS = r"(pourparlers|négociations?|discussions|dialogue|processus|médiation|participation)"
_ART = rf"(le |la |les |l{_A}|un |une |sa |son |leur |leurs |ses |du |des |de la |de l{_A})?"
_MOD = r"([\w'’-]+ ){0,3}"

OUTCOME: Table = {
    "collapsed": [
        group(
            "REJECT",
            "164",
            rf"{_TALKS} (ont |a |avaient |avait )?(échoué|capoté|avorté|rompu)",
            rf"échec (des |du |de la )?{_MOD}{_TALKS}",
            rf"rupture (des |du )?{_TALKS}",
            r"tomb\w* à l['’]eau",
            rf"{_TALKS} (\w+ ){{0,2}}(sont|est) (terminée?s?|morte?s?|enterrée?s?)",
        ),
        group(
            "SANCTION",
            "164",
            r"claqu\w* la porte",
            rf"quitt\w* (la table|{_ART}{_MOD}{_TALKS})",
            rf"(suspend\w*|gel\w*|interromp\w*|interromp|mis fin|met fin|mettent fin|rompt|rompent|rompu|se retir\w*|retir\w*) "
            rf"(à |de |du |des )?{_ART}{_MOD}(participation (aux |au |à la )?)?{_MOD}{_TALKS}",
            rf"suspension (de |des |du )?{_ART}{_MOD}{_TALKS}",
        ),
        group(
            "SANCTION",
            "160",
            rf"(suspend\w*|gel\w*|révoqu\w*|annul\w*|dénonc\w*|abrog\w*|déchir\w*|se retir\w* de|retir\w* de) "
            rf"{_ART}{_MOD}(mise en œuvre (de |du |des )?{_ART}{_MOD})?{_ACCORD}",
            rf"{_ACCORD} (\w+ ){{0,3}}(suspendue?s?|révoquée?s?|annulée?s?|gelée?s?|dénoncée?s?)",
        ),
    ],
    "no_agreement": [
        group(
            "REJECT",
            "125",
            r"sans (aucun |un |une |la moindre |le moindre )?(accord|résultat|avancée|percée|compromis|consensus|entente|progrès)",
            r"(au point mort|dans l['’]impasse|impasse|blocage|bloquée?s?)",
            r"(n['’]ont|n['’]a|ne sont|n['’]est) pas (pu |réussi à )?(parven\w*|abouti|trouvé|conclu|s['’]entendre|"
            r"réussi à s['’]entendre)",
            r"pas d['’](accord|entente)",
            r"(échou\w*|échec) à (s['’]entendre|conclure|trouver|signer)",
            r"(échéance|date butoir|délai) (\w+ ){0,3}(passe|passée|dépassée|expire|expirée|manquée)",
        ),
        # Talks that end without the truce they sought.
        group("REJECT", "125", rf"sans (parvenir à |obtenir |aboutir à )?(un |une |de |d{_A}|aucun |aucune )?{_TRUCE}"),
        # One side rejecting the mediators' proposal.
        group(
            "REJECT",
            "120",
            rf"(rejet\w*|rejett\w*|refus\w*) {_ART}{_MOD}({_TRUCE}|proposition|plan|offre|initiative|projet|{_ACCORD})",
        ),
    ],
    "ceasefire_extended": [
        group(
            "CONCEDE",
            "0871",
            rf"(prolong\w*|reconduct\w*|reconduit\w*|maint\w*|maintien|préserv\w*|poursuiv\w*|poursuite) "
            rf"(du |de la |le |la |leur )?{_TRUCE}",
            rf"{_TRUCE} (\w+ ){{0,2}}(prolongée?|prolongés?|reconduite?s?|maintenue?s?|tient|tiendra)",
        ),
        group(
            "AGREE",
            "050",
            rf"(réaffirm\w*|réitér\w*|renouvel\w*|confirm\w*) (\w+ ){{0,2}}(leur |son |sa )?(engagement|attachement|adhésion)"
            rf" (\w+ ){{0,3}}{_TRUCE}",
            rf"(rest\w*|demeur\w*) (pleinement |fermement )?(engagée?s?|attachée?s?) (au |à la |en faveur du )?{_TRUCE}",
        ),
    ],
    "next_round_set": [
        group(
            "AGREE",
            "036",
            r"(prochain\w*|nouveau|nouvelle|nouvel) (round|cycle|session|réunion|rencontre|séance) (\w+ ){0,3}"
            r"(prévue?|fixée?|programmée?|aura lieu|se tiendra|est attendue?)",
            r"(se retrouver\w*|se réuni\w* (à nouveau|de nouveau)|se revoir|se reverront|se retrouveront)",
            r"(convenu\w*|décidé|accept\w*|engag\w*) (de |à )?(poursuivre|continuer|reprendre) (les |le |leurs |leur )?(discussions|pourparlers|négociations|dialogue)",
            r"(signature|cérémonie) (\w+ ){0,2}(prévue|fixée|programmée|attendue) (le|au|pour)",
            r"(fixée?s?|prévue?s?|programmée?s?) (au|le|pour le) \d{1,2}",
        ),
    ],
    "agreement": [
        group(
            "AGREE",
            "030",
            rf"(se sont |s{_A}|se )(accord\w*|entend\w*|engag\w*) ([\w'’-]+ ){{0,3}}?(sur|à|pour|de|d{_A})",
            rf"(sont |est )?convenu\w* (de |d{_A}|que)",
            rf"parven\w* à (un |une )?{_MOD}(accord|compromis|consensus|entente)",
            r"(ont |a )?(décidé|acté|résolu) (de |d['’])",
            r"accord (\w+ ){0,2}(conclu|trouvé|obtenu|atteint|scellé|signé)",
            rf"accord (sur|pour) (un |une |le |la |l{_A})?{_MOD}({_TRUCE}|mécanisme|retrait|échange|feuille)",
        ),
        group(
            "AGREE",
            "0356",
            r"(évit\w*|prévenir|refus\w*|s['’]abstenir de|désamorc\w*) (\w+ ){0,2}(escalade|tensions?|hostilités|provocations?)",
            r"(désescalade|apaisement) (\w+ ){0,2}(convenue?|décidée?|annoncée?)",
        ),
        group(
            "SUPPORT",
            "057",
            rf"(sign(e|ent|é|ée|és|ées|ons)|paraph(e|ent|é|ée|és|ées)|conclu|concluent|scell(é|ée|ent)|entérin\w*|adopt(é|ée|ent)) ([\w'’-]+ ){{0,5}}?{_ART}{_MOD}({_ACCORD}|texte)",
            r"apposé (\w+ ){0,2}signatures? (sur|au bas)",
            rf"{_ACCORD} (\w+ ){{0,3}}(a été |ont été |est |sont )?(signée?s?|paraphée?s?|conclue?s?|adoptée?s?)",
            rf"(salu\w*|accueill\w*|annonc\w*) {_ART}{_MOD}({_ACCORD}|{_TRUCE})",
            # "Une trêve signée": a truce signed (singular: "des trêves signées" is a recap).
            rf"{_TRUCE} ([\w'’-]+ ){{0,4}}?(a été |est )?(signée?|conclue?|scellée?|paraphée?)",
            # A side accepting the mediators' proposal; commitments won from the sides.
            rf"accept\w* {_ART}{_MOD}({_TRUCE}|proposition|plan|offre|initiative)",
            rf"(obten\w*|arrach\w*) ([\w'’-]+ ){{0,2}}{_ART}(engagements?|garanties)",
            rf"accord (sur|pour) {_ART}{_MOD}(corridors?|couloirs?|accès|acheminement|aide|humanitaire\w*|"
            rf"prisonniers|otages)",
        ),
        group(
            "CONCEDE",
            "0871",
            rf"(décrèt\w*|décrét\w*|annonc\w*|proclam\w*|déclar\w*) {_ART}{_MOD}{_TRUCE}",
            rf"{_TRUCE} ([\w'’-]+ ){{0,2}}unilatérale?",
            r"(engag\w*|promet\w*|annonc\w*|ordonn\w*) (\w+ ){0,2}(à |de |d['’])(cesser|arrêter|suspendre) "
            r"(les |toutes les |ses |leurs )?(combats|hostilités|attaques|opérations militaires)",
        ),
        group(
            "CONSULT",
            "046",
            r"(communiqué|déclaration commune|compte rendu|procès-verbal) (\w+ ){0,6}(énumère|liste|détaille|précise|prévoit)",
            r"(réunion|session|rencontre|séance) (s['’]est )?(achevée|terminée|conclue|clôturée) (\w+ ){0,2}(par|sur) "
            r"(un |une )?(accord|décision|consensus|communiqué|déclaration)",
            r"issue de la (réunion|session|rencontre)",
            r"progrès (positifs|significatifs|notables|tangibles|concrets)",
        ),
    ],
}

CLASH: Table = {
    "ceasefire_violation": [
        group(
            "ASSAULT",
            "196",
            rf"(violation|violations|violé|violée?s?|viol\w*|rupture|rompu|romp\w*|non-respect) (flagrante? )?"
            rf"(du |de la |des |de l{_A}|le |la |les |l{_A})?{_MOD}({_TRUCE}|accords?|engagements)",
            rf"{_TRUCE} (\w+ ){{0,2}}(violée?|rompue?|bafouée?)",
            rf"(malgré|en dépit) (du |de la |d{_A}un |d{_A}une )?{_TRUCE}",
        ),
    ],
    "air_strike": [
        group(
            "ASSAULT:aerial",
            "195",
            r"frappes? (aérienne|aériennes)",
            r"raids? (aérien|aériens)",
            r"bombardements? (aérien|aériens)",
            r"(avions?|chasseurs?|hélicoptères?) (\w+ ){0,2}(ont |a )?(bombardé|frappé|visé)",
            r"viol\w* (de )?(l['’])?espace aérien",
        ),
        group(
            "ASSAULT:drone",
            "1952",
            r"frappes? (de |par )?drones?",
            r"attaques? (de |par )?drones?",
            r"drones? (\w+ ){0,2}(kamikazes?|armés?|ont frappé|a frappé|ont visé|a visé|ont touché|a touché|ont bombardé)",
            r"visée?s? par (des |un )?drones?",
        ),
        # An aircraft brought down ("un hélicoptère abattu par un drone").
        group(
            "ASSAULT:aerial",
            "195",
            r"abattus? par (un |une |des )?(drones?|missiles?|roquettes?|tirs?)",
            r"(abat\w*|abattu\w*) (un |une |l['’]|le |deux |trois )?(hélicoptères?|avions?|appareils?|aéronefs?)",
            r"(hélicoptères?|avions?|appareils?|aéronefs?) ((?!ne |n['’])[\w'’-]+ ){0,4}(abattus?|descendus?)",
        ),
    ],
    "cross_border_attack": [
        group(
            "ASSAULT",
            "190",
            r"(attaque|incursion|raid|infiltration)s? (\w+ ){0,2}transfrontali\w+",
            r"(incursions?|infiltrations?)",
            r"(entrée|entré|entrées|entrés|franchi|traversé) (\w+ ){0,3}(frontière|territoire)",
            r"depuis l['’]autre côté de la frontière",
        ),
        group(
            "ASSAULT:heavy-weapons",
            "194",
            r"(obus|roquettes?|mortiers?|projectiles?) (\w+ ){0,3}(tirée?s?|lancée?s?) depuis",
            r"(obus|roquettes?|mortiers?|projectiles?) (\w+ ){0,2}(tombée?s?|abattue?s?|ont atterri|ont frappé)",
        ),
        # Mass killing of civilians by one side (CAMEO 202).
        group("ASSAULT", "202", r"massacres?", r"tueries?", r"exécutions? sommaires?"),
        # Bombings and waves of attacks on posts and cities (CAMEO 183; ACLED: remote violence).
        group(
            "ASSAULT:explosives",
            "183",
            r"explosion d['’](un|une) (voiture|camion|moto|véhicule)s?( piégée?s?)?",
            r"(voitures?|camions?|motos?|véhicules?) piégée?s? (\w+ ){0,3}(a |ont )?(explosé|fait|tué|blessé)",
            r"(vagues?|séries?|série) d['’](attentats|attaques)",
            r"attaques? (\w+ ){0,1}(coordonnées|simultanées)",
        ),
    ],
    "border_clash": [
        group(
            "ASSAULT:firearms",
            "190",
            r"affrontements?",
            r"combats?",
            r"accrochages?",
            r"échanges? de tirs",
            r"(tirs|fusillade)",
            r"ouvert le feu",
            r"hostilités",
            r"offensive (sur|contre|vers)",
            r"(attaqu\w*) (\w+ ){0,2}(positions?|poste|postes|base|camp)",
        ),
        group(
            "ASSAULT:heavy-weapons",
            "194",
            r"(bombardements?|pilonnages?|pilonn\w+)",
            r"tirs (d['’]artillerie|de mortiers?|de roquettes?)",
        ),
        group(
            "ASSAULT:explosives",
            "1833",
            r"(mines? antipersonnel|mines? terrestres?|mine|engins? explosifs?|engins? explosifs? improvisés?|eei|ied|"
            r"bombes? artisanales?) (\w+ ){0,3}(explos\w*|détonation|a sauté|ont sauté|tué|tués|blessé|blessés)",
            r"(sauté|marché) sur (une |un )(mine|engin)",
            r"(tuée?s?|blessée?s?|mutilée?s?) (\w+ ){0,5}par (une |un )(mine|engin explosif|bombe)",
            r"explosion d['’](une mine|un engin)",
        ),
        group(
            "ASSAULT:occupy",
            "197",
            r"(pris|prise|prend|prennent|s['’]empar\w*|emparé|emparée?s?|conquis|entr\w* dans|pénétr\w* dans) "
            r"(le contrôle )?(de |du |de la |d['’])?(la |le |l['’])?(ville|localité|cité|village|aéroport|base|colline|"
            r"position|chef-lieu|centre|territoire|cité)",
            r"(tombe|tombée|tombé|est tombée?) (\w+ ){0,2}(aux mains|entre les mains|sous (le )?contrôle)",
            r"passe sous (le )?contrôle",
            r"(ville|localité|aéroport|cité|centre|village) (\w+ ){0,2}(tombe|est tombée?)",
        ),
    ],
}

TALKS = [
    r"pourparlers",
    r"négociat\w*",
    r"dialogue",
    r"discussions",
    r"(round|cycle|session)",
    r"délégations?",
    r"médiat\w*",
    r"réunion",
    r"rencontre",
    r"processus de paix",
    r"processus",
    r"cessez-le-feu",
    r"trêve",
    r"accords?",
    r"déclaration",
    r"protocole",
    r"mécanisme",
    r"(comité|commission|groupe de travail|mécanisme) (conjoint|mixte|de suivi|de surveillance|de vérification)",
    r"communiqué",
    r"sommet",
    r"traité",
    r"texte",
]
FORCE = [
    r"tuée?s?",
    r"morts?",
    r"décès",
    r"blessée?s?",
    r"victimes",
    r"pertes",
    r"détruite?s?",
    r"endommagée?s?",
    r"(pilonné|bombardé|frappé)e?s?",
    r"tirs?",
    r"attaqu\w*",
    r"repouss\w*",
    r"riposté",
    r"éclaté",
    r"emparée?s?",
    r"conquis",
    r"explos\w*",
    r"visée?s?",
    r"(mené|lancé|menée|lancée)s?",
    r"violents?",
    r"fuyant|fui|fuient",
    r"(ont|a) opposé",
    r"assaut",
    r"incendiée?s?",
    r"(chassée?s?|délogée?s?)",
]
HYPOTHETICAL = [
    r"si",
    r"sauf si",
    r"pourrai\w*",
    r"pourrait",
    r"risqu\w*",
    r"menac\w*",
    r"mett\w* en garde",
    r"averti\w*",
    r"craint\w*",
    r"espèr\w*",
    r"espoir",
    r"attendu\w*",
    r"devrai\w*",
    r"devrait",
    r"(ira|iront|sera|seront|aura|auront)",
    r"prêts? à",
    r"envisag\w*",
    r"appel\w* à",
    r"exhort\w*",
    r"à l['’]approche",
    r"perspectives?",
    r"possible",
    r"doi(t|vent)",
    r"en vue de",
]
RECAP = [
    r"(le mois|la semaine|l['’]année) (dernier|dernière|passé|passée)",
    r"(plus tôt|au début) (cette année|ce mois)",
    r"(en|de) (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)",
    r"depuis (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|la prise|le)",
    r"(il y a|voilà) (\w+ )?(jours?|semaines?|mois|ans?|années?)",
    r"(ans?|mois|années?) de (guerre|conflit|combats)",
    r"(après|depuis) la (chute|prise)",
    r"rappel\w*",
    r"chronologie",
    r"retour sur",
    r"(avait|avaient) (fait|été|causé)",
    r"(\w+ )?(jours|semaines|mois|ans) après",
    r"lors des (combats|affrontements)",
]
PREVIEW = [
    r"(s['’]ouvr\w*|début\w*|commenc\w*|s['’]ouvrent|s['’]ouvre|démarr\w*|entam\w*)",
    r"(arrivée?s?|arrivent|arrive|atterri|partie?s?|s['’]envol\w*) (à|pour|au|en)",
    r"(deuxième|troisième|quatrième|dernier) jour",
    r"à la veille",
    r"(se poursuiv\w*|reprennent|reprise)",
    r"en cours",
]
# Negation: French wraps the verb ("n'ont pas violé"); the second particle stands before
# the participle, within two words of the statement.
NEGATION_BEFORE = [r"\bpas", r"\bjamais", r"\bni", r"\bnullement"]
NEGATION_AFTER: list[str] = []
# Concession (identity: a step taken in answer to an earlier outcome).
CONCESSIVE = [r"\bmalgré", r"\ben dépit d"]
# A strike told as a repeat (identity: another strike on a place struck before).
REPEAT = [r"\bà nouveau\b", r"\bde nouveau\b", r"\bune nouvelle fois\b", r"\bune seconde fois\b"]

# Both sides firing (an exchange across a line, a reply to the other's fire): event identity
# reads it on the headline and lede (each side tells one exchange from its own sectors).
EXCHANGE = [
    r"\béchanges? de tirs\b",
    r"\béchangé des tirs\b",
    r"\bont riposté\b",
    r"\ba riposté\b",
    r"\briposte aux tirs\b",
]
# A place of the topic changing hands (the place names come from the topic's gazetteer).
CAPTURE_BEFORE = [
    r"(s['’]empar\w* d[e'’]|pris (le )?contrôle d[e'’]|prennent (le contrôle d[e'’])?|prise d[e'’]|conqu\w*|"
    r"reprennent|repris|investi\w*)",
    r"(rebelles|combattants|troupes|forces|soldats|militaires|m23) (\w+ ){0,2}(entr\w* dans|entre à|entrent à|pénètr\w* dans)",
    r"(entr\w* dans|pénètr\w* dans)",
]
CAPTURE_BEFORE += [
    # The losing side leaving it (past only: a withdrawal promised at talks is a plan).
    # Leaving a town is not enough (a president leaves his capital for a summit), nor is the
    # noun "retrait", which accords demand: the past of the verb only.
    r"(se sont retirée?s?|s['’]est retirée?|s['’]étai(en)?t retirée?s?)",
]
CAPTURE_AFTER = [
    r"(tombe|tombée|tombé|est tombée?|tombent)",
    r"(passe|est passée?) sous (le )?contrôle",
    r"aux mains d",
]

# A war fought from the air between states with no shared border: missiles and bombs as
# the agent of a strike, salvos of missiles, a country bombing sites (en, fa, ar alike).
CLASH["air_strike"] += [
    group(
        "ASSAULT:missile",
        "195",
        r"(missiles?|bombes?) (\w+ ){0,3}(frappent|frappe|ont frappé|a frappé|s'abattent|se sont abattus|"
        r"ont touché|a touché|ont visé|a visé|visaient|visait|tombent|sont tombés)",
        r"(salves?|vagues?|tirs?|pluie|barrage) de (\w+ )?missiles",
        r"(ont |a |avaient |avait )?(tiré|lancé) (\w+ ){0,6}missiles",
        r"(ont|a|avaient|avait) bombardé",
        r"bombard(ent|e)\b",
        r"largu(é|ent|e) (\w+ ){0,4}bombes?",
    )
]

# Casualty figures (crawler.analysis.events.fields.casualties): "12 soldats ont été tués",
# "tuant 12 civils". French puts the nationality after the noun ("soldats nordlandais"): the
# side then comes from the sentence.
CASUALTY = CasualtyTable(
    forces=r"soldats?|militaires?|policiers?|gendarmes?|agents?|gardes?-frontières|gardes?|casques bleus|"
    r"membres des forces de (?:sécurité|l['’]ordre)|troupes",
    civilians=r"civils?|personnes|enfants|femmes|villageois|habitants",
    militants=r"militants?|combattants?|terroristes|insurgés|rebelles|jihadistes|djihadistes|assaillants|miliciens",
    killed=r"tuée?s?|morte?s?|péri|décédée?s?|perdu la vie|abattue?s?|tombée?s?",
    injured=r"blessée?s?",
    killing=r"tuant|tuée?s?|la mort de|coûté la vie à|coûtant la vie à|abattant",
    injuring=r"blessant|blessée?s?",
    numbers={
        "un": 1,
        "une": 1,
        "deux": 2,
        "trois": 3,
        "quatre": 4,
        "cinq": 5,
        "six": 6,
        "sept": 7,
        "huit": 8,
        "neuf": 9,
        "dix": 10,
        "onze": 11,
        "douze": 12,
        "quinze": 15,
        "vingt": 20,
        "dizaines": 24,
        "centaines": 200,
    },
    at_least=r"au moins|plus de|près de|environ",
    negation=r"aucune?|personne|sans|n['’]|pas",
)
