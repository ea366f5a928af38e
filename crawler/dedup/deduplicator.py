"""Deciding whether a new article is a near-duplicate of a stored one, and remembering it.

Two indexes, one for full articles (body shingles) and one for short, title-only items
(word and word-pair shingles): a headline is not comparable with a 600-word body.
The indexes are rebuilt from the signatures stored with every article, so a restart
recomputes nothing.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from crawler.analysis.fingerprint import Fingerprint, fingerprint, from_bytes
from crawler.dedup.lsh import BandIndex, containment
from storage.articles import iter_signatures

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.config import DedupConfig

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Decision:
    """A duplicate decision: the original, how it was found, and how close it is."""

    original_id: int
    method: str  # minhash-jaccard | minhash-containment | minhash-title
    score: float


class Deduplicator:
    """Fingerprints articles and finds the stored original of a near-duplicate."""

    def __init__(self, config: DedupConfig) -> None:
        self.config = config
        self.long = BandIndex()
        self.short = BandIndex()

    def fingerprint(self, title: str, text: str, body: list[str] | None = None) -> Fingerprint:
        """Shingle and MinHash an article (``body``: its ``words(text)``, if already known)."""
        return fingerprint(title, text, self.config.shingle_size, body)

    def find(self, fp: Fingerprint) -> Decision | None:
        """The best stored original for ``fp``, if it is close enough to call a copy."""
        if fp.size == 0:
            return None
        index = self.short if fp.short else self.long
        best: Decision | None = None
        for candidate in index.candidates(fp.signature, limit=50):
            if fp.short:
                if candidate.jaccard >= self.config.short_duplicate_jaccard:
                    score, method = candidate.jaccard, "minhash-title"
                else:
                    continue
            elif candidate.jaccard >= self.config.duplicate_jaccard:
                score, method = candidate.jaccard, "minhash-jaccard"
            else:
                ratio = min(fp.size, candidate.size) / max(fp.size, candidate.size, 1)
                contained = containment(candidate.jaccard, fp.size, candidate.size)
                # A brief that quotes one paragraph of a long piece is not a copy of it:
                # only trimmed copies (a good part of the original kept) count.
                if contained >= self.config.duplicate_containment and ratio >= 0.3:
                    score, method = contained, "minhash-containment"
                else:
                    continue
            if best is None or score > best.score:
                best = Decision(candidate.key, method, round(score, 4))
        return best

    def add(self, article_id: int, fp: Fingerprint) -> None:
        """Index a stored article."""
        (self.short if fp.short else self.long).add(article_id, fp.signature, fp.size)

    def load(self, session: Session) -> int:
        """Rebuild both indexes from stored signatures; returns the number loaded."""
        started = time.perf_counter()
        parts: dict[bool, tuple[list[int], list[np.ndarray], list[int]]] = {False: ([], [], []), True: ([], [], [])}
        for batch in iter_signatures(session):
            for article_id, blob, size, short in batch:
                keys, sigs, sizes = parts[short]
                keys.append(article_id)
                sigs.append(from_bytes(blob))
                sizes.append(size)
        total = 0
        # One bulk load per index: a single sort per band instead of one per batch.
        for short, (keys, sigs, sizes) in parts.items():
            if keys:
                index = self.short if short else self.long
                index.add_many(np.array(keys, dtype=np.int64), np.vstack(sigs), np.array(sizes, dtype=np.int32))
                total += len(keys)
        logger.info("dedup index rebuilt: %d signatures in %.2fs", total, time.perf_counter() - started)
        return total
