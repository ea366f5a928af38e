"""What an article looks like to story clustering: weighted terms, named entities, a time.

Terms are content words of the headline (counted twice) and the lead; entities are the
topic's configured places, parties and mediators (with their aliases in any language,
so an Urdu report can meet an English one) plus capitalised names found in Latin text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from itertools import repeat
from operator import mul
from typing import TYPE_CHECKING

from crawler.dedup.shingles import normalise, words

if TYPE_CHECKING:
    from collections.abc import Iterable

    from core.config import TopicConfig

# Words that carry no story identity in news prose (English; other languages rely on
# IDF weighting, which discounts their function words the same way).
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "said",
        "same",
        "says",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yesterday",
        "today",
        "tomorrow",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "news",
        "report",
        "reports",
        "reported",
        "according",
        "told",
        "officials",
        "official",
        "statement",
        "added",
        "week",
        "month",
        "year",
        "new",
        "one",
        "two",
        "three",
        "first",
        "second",
        "last",
    ]
)
LEAD_WORDS = 250
_NAME = re.compile(r"\b([A-Z][\w'’-]+(?:\s+(?:[A-Z][\w'’-]+|al|bin|ul|e|of|de))*)")


@dataclass
class Gazetteer:
    """Configured entity names and their aliases, matched on normalised text."""

    # normalised alias -> canonical entity name
    aliases: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # canonical -> place | party | mediator
    # First word of an alias -> the most words of an alias starting with it: find() only
    # tries phrases that can match, instead of every phrase of up to four words of a text.
    starts: dict[str, int] = field(default_factory=dict, repr=False)

    @classmethod
    def from_topic(cls, topic: TopicConfig) -> Gazetteer:
        """Build from ``topic.places``, ``parties``, ``mediators`` and ``aliases``."""
        gazetteer = cls()
        for kind, names in (("place", topic.places), ("party", topic.parties), ("mediator", topic.mediators)):
            for name in names:
                gazetteer.add(name, name, kind)
        for canonical, aliases in topic.aliases.items():
            kind = gazetteer.kinds.get(canonical, "place")
            gazetteer.add(canonical, canonical, kind)
            for alias in aliases:
                gazetteer.add(alias, canonical, kind)
        return gazetteer

    def add(self, alias: str, canonical: str, kind: str) -> None:
        """Register one spelling of an entity."""
        tokens = words(alias)
        if tokens:
            self.aliases[" ".join(tokens)] = canonical
            self.kinds.setdefault(canonical, kind)
            self.starts[tokens[0]] = max(self.starts.get(tokens[0], 0), len(tokens))

    def find(self, tokens: list[str]) -> set[str]:
        """Canonical entities mentioned in a token list (phrases up to four words).

        Longest match wins: "Pakistani Taliban" is the TTP, not also the Afghan Taliban.
        """
        found: set[str] = set()
        taken = [False] * len(tokens)
        starts = self.starts
        # Only positions where an alias begins can match (same order as trying them all).
        positions = [(i, starts[token]) for i, token in enumerate(tokens) if token in starts]
        for size in (4, 3, 2, 1):
            for i, longest in positions:
                if size > longest or i + size > len(tokens) or any(taken[i : i + size]):
                    continue
                name = self.aliases.get(" ".join(tokens[i : i + size]))
                if name:
                    found.add(name)
                    taken[i : i + size] = [True] * size
        return found


@dataclass
class Features:
    """An article as story clustering sees it."""

    article_id: int
    when: datetime
    terms: Counter[str]
    entities: set[str]
    language: str | None
    # The event kind the article reports (talks_outcome, new_clash), if any.
    event_kind: str | None = None
    is_seed: bool = False


def article_features(
    article_id: int,
    title: str,
    text: str,
    when: datetime,
    language: str | None,
    gazetteer: Gazetteer,
    event_kind: str | None = None,
    body: list[str] | None = None,
) -> Features:
    """Compute the clustering features of one article (``body``: ``words(text)``, if known)."""
    title_tokens = words(title)
    body_tokens = (words(text) if body is None else body)[:LEAD_WORDS]
    terms: Counter[str] = Counter()
    for token in title_tokens:
        if token not in STOPWORDS and len(token) > 1 and not token.isdigit():
            terms[token] += 2
    for token in body_tokens:
        if token not in STOPWORDS and len(token) > 1 and not token.isdigit():
            terms[token] += 1
    entities = gazetteer.find(title_tokens) | gazetteer.find(body_tokens)
    # Capitalised names in Latin-script text (people, organisations) not in the gazetteer.
    lead = " ".join(text.split()[:LEAD_WORDS])
    for match in _NAME.finditer(f"{title}. {lead}"):
        # Connectors belong inside a name ("Tehreek-e-Taliban", "Bin Salman"), never at its end.
        name = re.sub(r"(\s+(al|bin|ul|e|of|de))+$", "", match.group(1))
        key = normalise(name)
        if " " in name and name.split()[0].lower() not in STOPWORDS and " ".join(words(name)) not in gazetteer.aliases:
            entities.add(key)
    return Features(article_id, when, terms, entities, language, event_kind)


def idf(document_frequency: int, documents: int) -> float:
    """Smoothed inverse document frequency."""
    return math.log((1 + documents) / (1 + document_frequency)) + 1.0


def term_weight(count: int, document_frequency: int, documents: int) -> float:
    """One term's sublinear tf-idf weight (what :func:`tfidf` gives it before normalising)."""
    return (1 + math.log(count)) * idf(document_frequency, documents)


def tfidf(terms: Counter[str], df: Counter[str], documents: int, *, normalise: bool = True) -> dict[str, float]:
    """Sublinear tf-idf weights, L2-normalised unless ``normalise`` is false."""
    # A story pools thousands of terms but few distinct counts and document frequencies:
    # each factor is computed once per distinct value (the same expression, so the same
    # floats), which made re-weighting a story after every article several times cheaper.
    idf_of: dict[int, float] = {}
    tf_of: dict[int, float] = {}
    weights: dict[str, float] = {}
    get_df = df.get
    for t, c in terms.items():
        d = get_df(t, 0)
        w_idf = idf_of.get(d)
        if w_idf is None:
            w_idf = idf_of[d] = idf(d, documents)
        w_tf = tf_of.get(c)
        if w_tf is None:
            w_tf = tf_of[c] = 1 + math.log(c)
        weights[t] = w_tf * w_idf
    if not normalise:
        return weights
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: w / norm for t, w in weights.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Dot product of two sparse vectors: their cosine when both are L2-normalised."""
    if len(a) > len(b):
        a, b = b, a
    # map() in C rather than a generator: a story is scored against every article, and
    # this is most of the scoring (-40 % measured).
    return sum(map(mul, a.values(), map(b.get, a, repeat(0.0))))


def all_terms(features: Iterable[Features]) -> Counter[str]:
    """Document frequencies of terms over a set of articles."""
    df: Counter[str] = Counter()
    for f in features:
        df.update(f.terms.keys())
    return df
