"""The published event ontologies our kinds and subtypes rest on: PLOVER, and CAMEO before it.

Every pattern group of the vocabulary (:mod:`crawler.analysis.events.vocabulary`) names the
PLOVER category (with its mode, PLOVER's "how") and the CAMEO code of what it recognises, so a
reader can check a group against the ontology's definition, and ``newswatch explain`` can say
which class of statement an article made. PLOVER is the Political Language Ontology for
Verifiable Event Records (https://github.com/openeventdata/PLOVER, CC BY-SA 4.0); CAMEO is
its predecessor's codebook (http://eventdata.parusanalytics.com/data.dir/cameo.html). The
mapping follows /work/shared/research/event-ontology.md; ACLED's event types break ties
between clash subtypes (the more specific weapon wins: aerial before shelling before firearms).
"""

from __future__ import annotations

from dataclasses import dataclass

# PLOVER v2 categories the vocabulary uses, and what each means for us.
PLOVER = {
    "AGREE": "agree to a course of action, a future meeting, a de-escalation (CAMEO 03x, 05x)",
    "CONSULT": "meet, negotiate; a standing body's meeting and its communique (CAMEO 036, 046)",
    "SUPPORT": "sign or endorse a formal agreement (CAMEO 057)",
    "CONCEDE": "declare a ceasefire or a withdrawal (CAMEO 0871, 0874)",
    "RETREAT": "implement a ceasefire, a withdrawal, access for observers (CAMEO 086x, 087x)",
    "REJECT": "reject a proposal; talks that end without agreement (CAMEO 12x)",
    "SANCTION": "halt negotiations or mediation; suspend or revoke an agreement (CAMEO 16x)",
    "ACCUSE": "allege a ceasefire violation (CAMEO 1123)",
    "ASSAULT": "use of force; modes firearms, heavy-weapons, aerial, drone, explosives (CAMEO 18x, 19x)",
}

# Which PLOVER categories may stand for each of our subtypes (DESIGN.md, "Event kinds").
SUBTYPE_CLASSES = {
    "agreement": ("AGREE", "CONSULT", "SUPPORT", "CONCEDE"),
    "ceasefire_extended": ("CONCEDE", "RETREAT", "AGREE"),
    "no_agreement": ("REJECT",),
    "collapsed": ("SANCTION", "REJECT"),
    "next_round_set": ("AGREE", "CONSULT"),
    "border_clash": ("ASSAULT",),
    "air_strike": ("ASSAULT",),
    "cross_border_attack": ("ASSAULT",),
    "ceasefire_violation": ("ASSAULT", "ACCUSE"),
}


@dataclass(frozen=True)
class Group:
    """Patterns that say one thing: a PLOVER category (and mode) and its CAMEO code."""

    plover: str  # "SANCTION" or "ASSAULT:explosives" (category:mode)
    cameo: str  # the CAMEO code, e.g. "164" (halt negotiations)
    patterns: tuple[str, ...]
    # Where the words come from when not from the vocabulary ("topic.events.clashes").
    source: str = ""

    @property
    def self_evident(self) -> bool:
        """A statement that is an armed event by itself (a town taken), needing no harm nearby."""
        return self.plover.endswith(":occupy")

    @property
    def label(self) -> str:
        """How explain shows the class: ``PLOVER SANCTION / CAMEO 164``."""
        label = f"PLOVER {self.plover} / CAMEO {self.cameo}"
        return f"{label} ({self.source})" if self.source else label


def group(plover: str, cameo: str, *patterns: str) -> Group:
    """One tagged pattern group (checked: the category is one of :data:`PLOVER`)."""
    if plover.split(":")[0] not in PLOVER:
        raise ValueError(f"unknown PLOVER category {plover}")
    return Group(plover, cameo, patterns)


Table = dict[str, list[Group]]
