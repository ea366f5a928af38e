"""Does an article report a talks outcome or a new clash? Which one, when, where, and why we think so.

News puts its event in the headline and the lede; analysis, recaps and previews mention
events too, but as background, as plans, or as threats. So the classifier reads the
headline and the first sentences, finds the strongest outcome or clash statement there,
and discards statements that are hypothetical (warnings, plans), that look back (a date
weeks before publication, "last month"), or that belong to an opinion piece. The
sentence that carries the event is kept as evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from crawler.analysis.events.dates import resolve_event_date
from crawler.analysis.events.fields import casualties, entities
from crawler.analysis.events.lexicon import OPINION_TEXT_RE, OPINION_TITLE_RE, Compiled, compile_language
from crawler.analysis.text import normalise

if TYPE_CHECKING:
    from crawler.analysis.gazetteer import Gazetteer

# Sentences of the body read besides the headline, and their weights: the lede carries the news.
# Only the headline and the first two sentences decide: a story whose top does not state an
# outcome or a clash is about something else (trade, refugees, analysis) even when it
# mentions one further down.
LEDE_WEIGHTS = (0.9, 0.7)
TITLE_WEIGHT = 1.0
# An event dated this many days before publication is old news (a recap).
RECAP_DAYS = 3
MIN_SCORE = 0.5
# Subtypes that speak of the future by nature: "will meet again", "the truce will hold".
FUTURE_SUBTYPES = frozenset({"next_round_set", "ceasefire_extended"})
# When two outcome statements tie, the more specific wins.
OUTCOME_PRIORITY = ["collapsed", "no_agreement", "ceasefire_extended", "next_round_set", "agreement"]
CLASH_PRIORITY = ["ceasefire_violation", "air_strike", "cross_border_attack", "border_clash"]

_SENTENCE_END = re.compile(r"(?<=[.!?۔।؟])\s+|\n+")
# Clause boundaries: a headline like "X blames Y for failure of talks, says truce will hold"
# states a fact and a promise; only the promise is hypothetical.
_CLAUSE = re.compile(r"[,;:–—]|\b(?:but|while|and says?)\b")


# "has not collapsed", "did not violate": a negated statement reports nothing.
_NEGATION = re.compile(r"\b(not|never|no longer|n't|neither|nor)\s+(\w+\s+){0,2}$")


def _negated(folded: str, start: int) -> bool:
    return bool(_NEGATION.search(folded[max(0, start - 40) : start]))


def _clause(folded: str, start: int, end: int) -> str:
    """The clause of ``folded`` around the span ``start:end``."""
    left = max((m.end() for m in _CLAUSE.finditer(folded, 0, start)), default=0)
    right = next((m.start() for m in _CLAUSE.finditer(folded, end)), len(folded))
    return folded[left:right]


@dataclass(frozen=True)
class EventResult:
    """What an article reports."""

    kind: str
    subtype: str
    evidence: str
    score: float
    event_date: date
    fields: dict[str, Any] = field(default_factory=dict)


def split_sentences(text: str, limit: int | None = None) -> list[str]:
    """Sentences (and paragraph breaks) of a text, in any of our scripts.

    With ``limit``, only the first ``limit`` sentences: callers read the lede, and splitting
    a whole 6,000-character body for it cost more than reading it.
    """
    out: list[str] = []
    start = 0
    for boundary in _SENTENCE_END.finditer(text):
        sentence = text[start : boundary.start()].strip()
        start = boundary.end()
        if sentence:
            out.append(sentence)
            if limit is not None and len(out) >= limit:
                return out
    sentence = text[start:].strip()
    if sentence and (limit is None or len(out) < limit):
        out.append(sentence)
    return out


@cache
def _patterns(language: str) -> Compiled:
    return compile_language(language)


def is_opinion(title: str, text: str) -> bool:
    """Opinion, analysis and explainer pieces discuss events; they do not report them."""
    folded = normalise(title).strip()
    return bool(OPINION_TITLE_RE.search(folded) or OPINION_TEXT_RE.search(normalise(text[-600:])))


def _languages(language: str | None) -> list[str]:
    # A page's declared language can be wrong and quotes mix languages: English patterns
    # always run too.
    code = (language or "en").split("-")[0].lower()
    if code == "prs":
        code = "fa"
    return [code, "en"] if code != "en" else ["en"]


@dataclass(frozen=True)
class _Hit:
    kind: str
    subtype: str
    score: float
    sentence: str


def _sentence_hits(
    sentence: str,
    weight: float,
    languages: list[str],
    topical: bool,
    *,
    talks_in_title: bool = False,
    force_in_lede: bool = False,
) -> list[_Hit]:
    folded = normalise(sentence)
    hits = []
    for code in languages:
        p = _patterns(code)
        hypothetical = bool(p.hypothetical.search(folded))
        recap = bool(p.recap.search(folded))
        preview = bool(p.preview.search(folded))
        talks = bool(p.talks.search(folded))
        force = bool(p.force.search(folded))
        for rank, subtype in enumerate(OUTCOME_PRIORITY):
            match = p.outcome[subtype].search(folded)
            if not match or not (talks or talks_in_title) or not topical or _negated(folded, match.start()):
                continue
            if (
                hypothetical
                and subtype not in FUTURE_SUBTYPES
                and p.hypothetical.search(_clause(folded, match.start(), match.end()))
            ):
                continue
            if recap and p.recap.search(_clause(folded, match.start(), match.end())):
                continue
            score = weight * (1.0 - 0.02 * rank)
            if preview and subtype not in ("collapsed", "no_agreement"):
                score *= 0.6
            hits.append(_Hit("talks_outcome", subtype, score, sentence))
        for rank, subtype in enumerate(CLASH_PRIORITY):
            match = p.clash[subtype].search(folded)
            if not match or not topical or _negated(folded, match.start()):
                continue
            # "Fighting" and "clashes" are also the background of other news ("closed since
            # the fighting"): the plain clash needs harm or armed action nearby. Strikes,
            # raids, incursions and truce breaches are events by themselves.
            if subtype == "border_clash" and not (force or force_in_lede):
                continue
            clause = _clause(folded, match.start(), match.end())
            if (recap and p.recap.search(clause)) or (hypothetical and p.hypothetical.search(clause)):
                continue
            hits.append(_Hit("new_clash", subtype, weight * (1.0 - 0.02 * rank), sentence))
    return hits


class EventClassifier:
    """Classifies articles into the event kinds of DESIGN.md, with fields and evidence."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def _topical(self, text: str) -> bool:
        found = entities(self.gazetteer, text)
        return bool(found["parties"] or found["places"] or found["mediators"])

    def classify(self, title: str, text: str, published: datetime, language: str | None = None) -> EventResult | None:
        """The event the article reports, or None (preview, opinion, recap, or no event)."""
        if is_opinion(title, text):
            return None
        languages = _languages(language)
        # Nothing past the fifth sentence is read (lede, evidence, fields).
        body = split_sentences(text, 5)
        candidates = [(title, TITLE_WEIGHT), *list(zip(body, LEDE_WEIGHTS, strict=False))]
        lede_text = normalise(title + "\n" + " ".join(body[:3]))
        article_topical = self._topical(lede_text)
        talks_in_title = any(_patterns(code).talks.search(normalise(title)) for code in languages)
        force_in_lede = any(_patterns(code).force.search(lede_text) for code in languages)
        hits: list[_Hit] = []
        for sentence, weight in candidates:
            if len(sentence) > 1500:
                sentence = sentence[:1500]
            hits.extend(
                _sentence_hits(
                    sentence,
                    weight,
                    languages,
                    article_topical,
                    talks_in_title=talks_in_title,
                    force_in_lede=force_in_lede,
                )
            )
        if not hits:
            return None
        # The kind with the most weight across headline and lede wins; within it, the
        # strongest statement is the evidence.
        totals: dict[str, float] = {}
        for hit in hits:
            totals[hit.kind] = totals.get(hit.kind, 0.0) + hit.score
        kind = max(totals, key=lambda k: totals[k])
        best = max((h for h in hits if h.kind == kind), key=lambda h: h.score)
        if best.score < MIN_SCORE:
            return None
        evidence = best.sentence if best.sentence != title else self._evidence_in_body(best, body, languages) or title
        event_day = resolve_event_date(evidence, published, [title, *body[:3]])
        if event_day < published.date() - timedelta(days=RECAP_DAYS):
            if best.sentence != title:
                return None
            # The headline states the event as news; an old date in the body sentence
            # belongs to the background it gives.
            event_day = resolve_event_date(title, published, body[:1])
        lede = [title, *body[:5]]
        fields: dict[str, Any] = {"event_date": event_day.isoformat()}
        fields.update(entities(self.gazetteer, "\n".join(lede)))
        if kind == "new_clash":
            stated = casualties(lede)
            if stated:
                fields["casualties"] = stated
        return EventResult(kind, best.subtype, evidence.strip(), round(totals[kind], 3), event_day, fields)

    def _evidence_in_body(self, best: _Hit, body: list[str], languages: list[str]) -> str | None:
        """Prefer a body sentence of the same subtype as evidence: it carries the date."""
        for sentence in body[:5]:
            for hit in _sentence_hits(sentence, 1.0, languages, True, talks_in_title=True, force_in_lede=True):
                if hit.kind == best.kind:
                    return sentence
        return None
