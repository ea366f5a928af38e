"""Why an article is or is not on topic, and which event statements it makes: for a person.

``newswatch explain`` shows this to a user tuning a new topic: which of the topic's names
the headline and lede matched (as spelled there, in which script) and which keywords (in
which configured language), the relevance rule that decided, and every outcome or clash
statement the event vocabulary found, with its PLOVER class and what the classifier made of
it (counted, or set aside as negated, hypothetical, a recap...). It runs the same analysis
as the crawl (:class:`crawler.analysis.prepare.Analyser`), on the stored text.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from crawler.analysis.events.classifier import split_sentences
from crawler.analysis.relevance import LEDE_SENTENCES
from crawler.analysis.text import normalise, words

if TYPE_CHECKING:
    from datetime import datetime

    from core.config import TopicConfig
    from crawler.analysis.prepare import Analyser


def script(text: str) -> str:
    """The script a name is written in ("Latin", "Arabic", "Devanagari", "CJK"...)."""
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            return name.split(" ")[0].title() if name else "unknown"
    return "unknown"


def names_matched(analyser: Analyser, text: str) -> list[dict[str, str]]:
    """The topic's names in ``text``: canonical name, the spelling found, its kind and script.

    Longest match first, as :meth:`crawler.analysis.gazetteer.Gazetteer.find` decides.
    """
    gazetteer = analyser.gazetteer
    found: dict[tuple[str, str], dict[str, str]] = {}
    # As the judge finds them: phrases, then inflected words and names inside unspaced text.
    for name, alias in gazetteer.matches(words(text)):
        # A name listed both as a place and as a party (a capital) counts as a party.
        kind = "party" if name in analyser.relevance.parties else gazetteer.kinds.get(name, "place")
        found.setdefault((name, alias), {"name": name, "as": alias, "kind": kind, "script": script(alias)})
    return sorted(found.values(), key=lambda n: (n["kind"], n["name"], n["as"]))


def keyword_languages(topic: TopicConfig, keywords: list[str]) -> list[dict[str, Any]]:
    """Each matched keyword with the ``topic.keywords`` languages that list it."""
    by_phrase: dict[str, list[str]] = {}
    for language, phrases in topic.keywords.items():
        for phrase in phrases:
            by_phrase.setdefault(normalise(phrase).strip(), []).append(language)
    return [{"keyword": k, "languages": sorted(set(by_phrase.get(k, [])))} for k in keywords]


def explain_text(
    analyser: Analyser, topic: TopicConfig, title: str, text: str, language: str | None, published: datetime
) -> dict[str, Any]:
    """Relevance and event decisions on one article, with their reasons."""
    judged = analyser.relevance.judge(title, text, language)
    lede = "\n".join([title, *split_sentences(text, LEDE_SENTENCES)])
    result, trace, why_not = analyser.events.explain(title, text, published, language)
    event: dict[str, Any] | None = None
    if result is not None:
        event = {
            "kind": result.kind,
            "subtype": result.subtype,
            "score": result.score,
            "evidence": result.evidence,
            "fields": result.fields,
            "span": [d.isoformat() for d in result.span] if result.span else None,
        }
    if not judged.relevant:
        why_not = "not relevant: events are only looked for in relevant articles"
        event = None
    return {
        "relevance": {
            "relevant": judged.relevant,
            "score": judged.score,
            "reason": judged.reason,
            "language": language,
            "names": names_matched(analyser, lede),
            "keywords": keyword_languages(topic, judged.keywords),
        },
        "event": event,
        "event_why_not": None if event else why_not,
        "statements": [
            {
                "sentence": t.sentence,
                "language": t.language,
                "kind": t.kind,
                "subtype": t.subtype,
                "class": t.label,
                "matched": t.matched,
                "verdict": t.verdict,
            }
            for t in trace
        ],
    }
