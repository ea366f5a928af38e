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

from crawler.analysis.events.dates import names_today, read_event_date, resolve_event_date
from crawler.analysis.events.fields import casualties, entities
from crawler.analysis.events.lexicon import EXCHANGE_RE, OPINION_TEXT_RE, OPINION_TITLE_RE, Compiled, compile_language
from crawler.analysis.events.spans import event_span
from crawler.analysis.events.topical import TopicPatterns
from crawler.analysis.text import normalise

if TYPE_CHECKING:
    from crawler.analysis.events.ontology import Group
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
# Subtypes whose statement is followed by its content: what was agreed, or not.
CONTENT_AFTER = frozenset({"agreement", "no_agreement"})
# When two outcome statements tie, the more specific wins.
OUTCOME_PRIORITY = ["collapsed", "no_agreement", "ceasefire_extended", "next_round_set", "agreement"]
CLASH_PRIORITY = ["ceasefire_violation", "air_strike", "cross_border_attack", "border_clash"]

_SENTENCE_END = re.compile(r"(?<=[.!?۔।؟])\s+|\n+")
# Clause boundaries: a headline like "X blames Y for failure of talks, says truce will hold"
# states a fact and a promise; only the promise is hypothetical.
_GENRE_DATELINE = re.compile(
    r"(analysis|opinion|editorial|explainer|comment|analyse|décryptage|éditorial|tribune|تحليل|رأي|تحلیل)\s*[-–—:]"
)
_CLAUSE = re.compile(r"[,;:–—]|\b(?:but|while|and says?)\b")
# A dateline closed by a full stop ("CÚCUTA.", "TIBÚ, Norte de Santander.", "CALI, Colombia,
# June 10.") splits off as a sentence of its own: it names where the report was filed, and
# would take one of the two lede slots and the evidence. An upper-case first word, then only
# capitalised words, numbers and the short particles of place names.
_DATELINE_SENTENCE = re.compile(
    r"^[^\W\d_a-z]{2,}(?:[\s,]+(?:[^\W\d_a-z][\w'-]*|\d{1,4}|de|del|da|do|dos|das|la|el|of|du|des|le)){0,5}[.,]?$"
)


def _clause_bounds(folded: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in _CLAUSE.finditer(folded, 0, start)), default=0)
    right = next((m.start() for m in _CLAUSE.finditer(folded, end)), len(folded))
    return left, right


def _clause(folded: str, start: int, end: int) -> str:
    """The clause of ``folded`` around the span ``start:end``."""
    left, right = _clause_bounds(folded, start, end)
    return folded[left:right]


def _around(folded: str, start: int, end: int) -> str:
    """The clause around the span ``start:end``, without the span itself.

    What was agreed is often told in the future ("agreed that both sides would stop all
    firing"): the statement's own words are not a hedge on it, the words around it are.
    """
    left, right = _clause_bounds(folded, start, end)
    return folded[left:start] + " … " + folded[end:right]


@dataclass(frozen=True)
class EventResult:
    """What an article reports."""

    kind: str
    subtype: str
    evidence: str
    score: float
    event_date: date
    fields: dict[str, Any] = field(default_factory=dict)
    # The days the event lasted, when the report says it lasted days (spans.event_span).
    span: tuple[date, date] | None = None


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
    # The genre may open the body as a dateline would: "ANALYSIS - Three days after...".
    opening = normalise(text[:40]).strip()
    return bool(
        OPINION_TITLE_RE.search(folded)
        or _GENRE_DATELINE.match(opening)
        or OPINION_TEXT_RE.search(normalise(text[-600:]))
    )


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


@dataclass(frozen=True)
class Trace:
    """One statement the vocabulary found in a sentence, and what the classifier made of it.

    ``verdict`` is ``counted`` when it weighed in the decision, else why it was set aside
    (negated, hypothetical, a recap...): a near match that ``newswatch explain`` shows.
    """

    sentence: str
    language: str
    kind: str
    subtype: str
    # The vocabulary group: PLOVER category (and mode) and CAMEO code, or the config key.
    label: str
    matched: str
    verdict: str
    score: float = 0.0


@dataclass
class _Context:
    """What the whole article says, which each sentence's decision reads."""

    languages: list[str]
    topical: bool
    topic: TopicPatterns
    talks_in_title: bool = False
    title: str = ""
    talks_in_lede: bool = False
    force_in_lede: bool = False
    trace: list[Trace] | None = None
    # The publication's year: an accord named by an earlier year is background.
    year: int | None = None


def _outcome_verdict(p: Compiled, folded: str, match: re.Match[str], subtype: str, talks: bool, ctx: _Context) -> str:
    if not (talks or ctx.talks_in_title or (ctx.talks_in_lede and folded == normalise(ctx.title))):
        return "no talks, meeting or accord named in the sentence or headline"
    if not ctx.topical:
        return "the lede names none of the topic's parties, places or mediators"
    # "has not collapsed", "اوربند ماتوو نه": a negated statement reports nothing (each
    # language's negation, before or after the statement: lexicon.Compiled.negated).
    if p.negated(folded, match.start(), match.end()):
        return "negated"
    clause = _clause(folded, match.start(), match.end())
    # What was (or was not) agreed follows the statement and is often told in the future
    # ("agreed to set up a zone where fighters will gather", "without agreement on where
    # they would gather"): only the words before it hedge an accord or its absence.
    hedged = (
        folded[_clause_bounds(folded, match.start(), match.end())[0] : match.start()]
        if subtype in CONTENT_AFTER
        else _around(folded, match.start(), match.end())
    )
    if subtype not in FUTURE_SUBTYPES and p.hypothetical.search(hedged):
        return "hypothetical (a plan, threat or hope)"
    # "If Moscow wants peace, it must stop firing now": a sentence that opens on a condition
    # is conditional as a whole, though its clauses are split by the comma.
    if subtype not in FUTURE_SUBTYPES and p.hypothetical.match(folded.lstrip(" '\"«“")):
        return "hypothetical (a plan, threat or hope)"
    if p.recap.search(clause) or _opens_on_recap(p, folded):
        return "looks back at an earlier event (recap)"
    if subtype in _ACCORD_AS_OBJECT and _of_an_earlier_year(folded, match, ctx.year):
        return "an accord of an earlier year (background)"
    return "counted"


# Outcomes whose statement may have an old accord as its object: "dissidents who reject the
# 2016 peace accord" tells who they are, not a failure of talks today. (An old truce
# extended, or talks to revive an old deal that collapse, are news: other subtypes, or the
# year not next to the statement.)
_ACCORD_AS_OBJECT = frozenset({"no_agreement", "collapsed"})
# A year in the statement or within its next few words ("rejeitam o acordo de paz de 2016").
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
_YEAR_REACH = 25


def _of_an_earlier_year(folded: str, match: re.Match[str], year: int | None) -> bool:
    """The statement's accord is named by a year before the publication's."""
    if year is None:
        return False
    # Within the statement's clause: "collapsed on Friday, the worst since 2019" is not it.
    end = min(match.end() + _YEAR_REACH, _clause_bounds(folded, match.start(), match.end())[1])
    near = folded[match.start() : end]
    return any(int(found) < year for found in _YEAR.findall(near))


def _opens_on_recap(p: Compiled, folded: str) -> bool:
    """A sentence that opens on a look back ("Nine years ago on Monday, ...") is a recap as a whole."""
    return bool(p.recap.match(folded.lstrip(" '\"«“")))


def _clash_verdict(p: Compiled, folded: str, match: re.Match[str], subtype: str, force: bool, ctx: _Context) -> str:
    if not ctx.topical:
        return "the lede names none of the topic's parties, places or mediators"
    # "has not collapsed", "اوربند ماتوو نه": a negated statement reports nothing (each
    # language's negation, before or after the statement: lexicon.Compiled.negated).
    if p.negated(folded, match.start(), match.end()):
        return "negated"
    # "Fighting" and "clashes" are also the background of other news ("closed since the
    # fighting"): the plain clash needs harm or armed action nearby. Strikes, raids,
    # incursions and truce breaches are events by themselves.
    if subtype == "border_clash" and not (force or ctx.force_in_lede):
        return "no harm or armed action in the sentence or lede"
    clause = _clause(folded, match.start(), match.end())
    if p.recap.search(clause) or _opens_on_recap(p, folded):
        return "looks back at an earlier event (recap)"
    if p.hypothetical.search(clause):
        return "hypothetical (a plan, threat or hope)"
    return "counted"


def _sentence_hits(sentence: str, weight: float, ctx: _Context) -> list[_Hit]:
    folded = normalise(sentence)
    hits = []
    for code in ctx.languages:
        p = _patterns(code)
        preview = bool(p.preview.search(folded))
        talks = bool(p.talks.search(folded)) or ctx.topic.talks_named(folded)
        force = bool(p.force.search(folded))
        for rank, subtype in enumerate(OUTCOME_PRIORITY):
            match = p.outcome[subtype].search(folded)
            if not match:
                continue
            verdict = _outcome_verdict(p, folded, match, subtype, talks, ctx)
            score = weight * (1.0 - 0.02 * rank)
            if verdict == "counted":
                if preview and subtype not in ("collapsed", "no_agreement"):
                    score *= 0.6
                hits.append(_Hit("talks_outcome", subtype, score, sentence))
            _record(
                ctx, sentence, code, "talks_outcome", subtype, p.outcome[subtype].group_of(match), match, verdict, score
            )
        statements = [
            (rank, subtype, match, p.clash[subtype].group_of(match))
            for rank, subtype in enumerate(CLASH_PRIORITY)
            if (match := p.clash[subtype].search(folded))
        ]
        # The topic's own names: a named operation, one of its places taken (plain fighting).
        last = len(CLASH_PRIORITY) - 1
        statements += [(last, "border_clash", m, g) for m, g in ctx.topic.clash_statements(folded, code)]
        for rank, subtype, match, group in statements:
            verdict = _clash_verdict(p, folded, match, subtype, force or group.self_evident, ctx)
            score = weight * (1.0 - 0.02 * rank)
            if verdict == "counted":
                hits.append(_Hit("new_clash", subtype, score, sentence))
            _record(ctx, sentence, code, "new_clash", subtype, group, match, verdict, score)
    return hits


def _record(
    ctx: _Context,
    sentence: str,
    code: str,
    kind: str,
    subtype: str,
    group: Group,
    match: re.Match[str],
    verdict: str,
    score: float,
) -> None:
    if ctx.trace is not None:
        ctx.trace.append(Trace(sentence, code, kind, subtype, group.label, match.group(0), verdict, round(score, 3)))


def is_dateline(sentence: str) -> bool:
    """Whether a "sentence" is only a dateline ("BOGOTÁ.", "CALI, Colombia, June 10.")."""
    first = sentence.split(maxsplit=1)[0].strip(",.") if sentence.strip() else ""
    return first.isupper() and bool(_DATELINE_SENTENCE.match(sentence.strip()))


def _is_headline(sentence: str, title: str) -> bool:
    """Whether ``sentence`` only repeats the headline (many pages print it again as the first line)."""
    return normalise(sentence).rstrip(" .!?؟۔") == normalise(title).rstrip(" .!?؟۔")


def _lede(body: list[str], title: str) -> str:
    """The first body sentence that is not the headline again; the headline if there is none."""
    return next((s for s in body if not _is_headline(s, title)), title)


class EventClassifier:
    """Classifies articles into the event kinds of DESIGN.md, with fields and evidence.

    ``talks`` and ``clashes`` are the topic's own institutions and operations
    (``topic.events``): names of talks venues and bodies, and of military operations.
    """

    def __init__(self, gazetteer: Gazetteer, talks: list[str] | None = None, clashes: list[str] | None = None) -> None:
        self.gazetteer = gazetteer
        self.topic = TopicPatterns.build(gazetteer, talks, clashes)

    def _topical(self, text: str) -> bool:
        found = entities(self.gazetteer, text)
        return bool(found["parties"] or found["places"] or found["mediators"])

    def classify(self, title: str, text: str, published: datetime, language: str | None = None) -> EventResult | None:
        """The event the article reports, or None (preview, opinion, recap, or no event)."""
        return self._classify(title, text, published, language, None)

    def explain(
        self, title: str, text: str, published: datetime, language: str | None = None
    ) -> tuple[EventResult | None, list[Trace], str | None]:
        """The decision, every statement considered on the way, and why there is no event."""
        trace: list[Trace] = []
        if is_opinion(title, text):
            return None, trace, "opinion, analysis or explainer (headline or byline): never an event"
        result = self._classify(title, text, published, language, trace)
        why = None
        if result is None:
            counted = [t for t in trace if t.verdict == "counted"]
            if not trace:
                why = "no outcome or clash statement in the headline or the first two sentences"
            elif not counted:
                why = "every statement found was set aside (see each one's verdict)"
            else:
                why = f"the strongest statement weighs below {MIN_SCORE}, or dates weeks before publication"
        return result, trace, why

    def _classify(
        self, title: str, text: str, published: datetime, language: str | None, trace: list[Trace] | None
    ) -> EventResult | None:
        if is_opinion(title, text):
            return None
        languages = _languages(language)
        # Nothing past the fifth sentence is read (lede, evidence, fields); a dateline split
        # off as a sentence is not one.
        sentences = split_sentences(text, 6)
        body = [s for s in sentences if not is_dateline(s)][:5]
        candidates = [(title, TITLE_WEIGHT), *list(zip(body, LEDE_WEIGHTS, strict=False))]
        lede_text = normalise(title + "\n" + " ".join(body[:3]))
        folded_title = normalise(title)
        folded_lede = normalise(title + "\n" + " ".join(body[:2]))
        ctx = _Context(
            languages,
            self._topical(lede_text),
            self.topic,
            talks_in_title=any(_patterns(code).talks.search(folded_title) for code in languages)
            or self.topic.talks_named(folded_title),
            # A headline is short: "X, Y agree to gather fighters in a zone" names the deal
            # only in the lede ("The deal, signed on Friday, ...").
            title=title,
            talks_in_lede=any(_patterns(code).talks.search(folded_lede) for code in languages)
            or self.topic.talks_named(folded_lede),
            force_in_lede=any(_patterns(code).force.search(lede_text) for code in languages),
            trace=trace,
            year=published.year,
        )
        hits: list[_Hit] = []
        for sentence, weight in candidates:
            hits.extend(_sentence_hits(sentence[:1500], weight, ctx))
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
        # The headline (or the page printing it again as its first line) is not evidence: a
        # body sentence of the same event is, or else the lede.
        from_headline = _is_headline(best.sentence, title)
        evidence = (
            self._evidence_in_body(best, body, languages, title) or _lede(body, title)
            if from_headline
            else best.sentence
        )
        if best.subtype == "next_round_set" and names_today(evidence):
            # A meeting set for today is the round going on ("deadlock on day one, they sit
            # again today"), or a preview: no outcome yet.
            return None
        reading = read_event_date(evidence, published, [title, *body[:3]])
        event_day = reading.day
        if reading.basis in ("statement", "relative", "publication"):
            # The lede dates only the statement, or nothing: a later sentence that tells the
            # same event again may date it ("...after the third round closed on Friday").
            restated = self._restated_day(kind, body, languages, title, published)
            bound = event_day if reading.basis == "statement" else published.date()
            if restated is not None and bound - timedelta(days=RECAP_DAYS) <= restated <= bound:
                event_day = restated
        if from_headline:
            # The headline states the event and may date it ("after Sunday's drone attack")
            # where the body sentence dates its aftermath ("smoke still hung on Monday").
            headline = read_event_date(title, published, [])
            if headline.basis == "sentence" and headline.day < event_day:
                event_day = headline.day
        if event_day < published.date() - timedelta(days=RECAP_DAYS):
            if not from_headline:
                return None
            # The headline states the event as news; an old date in the body sentence
            # belongs to the background it gives.
            event_day = resolve_event_date(title, published, body[:1])
        # The dateline stays in what the fields read: it is a place the report names.
        lede = [title, *sentences[:5]]
        fields: dict[str, Any] = {"event_date": event_day.isoformat()}
        fields.update(entities(self.gazetteer, "\n".join(lede)))
        if kind == "new_clash":
            stated = casualties(lede, self.gazetteer)
            if stated:
                fields["casualties"] = stated
            if EXCHANGE_RE.search(lede_text):
                # Told as both sides firing ("exchange of fire", "responded to unprovoked
                # firing"): each side's report of one exchange names only its own sectors.
                fields["exchange"] = True
        span = event_span(title, evidence, body[:5], event_day, published)
        return EventResult(kind, best.subtype, evidence.strip(), round(totals[kind], 3), event_day, fields, span)

    def _restated_day(
        self, kind: str, body: list[str], languages: list[str], title: str, published: datetime
    ) -> date | None:
        """The day a body sentence of the same kind of event states for it, if one does."""
        ctx = _Context(languages, True, self.topic, talks_in_title=True, force_in_lede=True)
        for sentence in (s for s in body[:5] if not _is_headline(s, title)):
            if any(hit.kind == kind for hit in _sentence_hits(sentence, 1.0, ctx)):
                reading = read_event_date(sentence, published, [])
                if reading.basis == "sentence":
                    return reading.day
        return None

    def _evidence_in_body(self, best: _Hit, body: list[str], languages: list[str], title: str) -> str | None:
        """Prefer a body sentence of the same subtype as evidence: it carries the date."""
        ctx = _Context(languages, True, self.topic, talks_in_title=True, force_in_lede=True)
        for sentence in (s for s in body[:5] if not _is_headline(s, title)):
            for hit in _sentence_hits(sentence, 1.0, ctx):
                if hit.kind == best.kind:
                    return sentence
        return None
