"""bench/dedup.py's synthetic corpus: articles, their MinHash signatures in bulk, the archive.

Imported by bench/dedup.py once it has put the repository root on ``sys.path``.
"""

from __future__ import annotations

import hashlib
import math
import multiprocessing
import time
from operator import methodcaller

import numpy as np
from harness import ROOT

from crawler.analysis.fingerprint import NUM_PERM, fmix32, permutations
from crawler.dedup.deduplicator import Deduplicator
from crawler.dedup.lsh import BandIndex

CHUNK = 5_000  # documents generated per work unit (deterministic per chunk index)
SHINGLE = 3


def pct(values: np.ndarray | list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=float), q)) if len(values) else float("nan")


def mib(n: float) -> float:
    return round(n / 1024**2, 1)


# --- MinHash in bulk ---------------------------------------------------------------------
# crawler.analysis.fingerprint.signature() is datasketch's MinHash(num_perm=128, seed=1) fed the
# shingles: sha1_hash32 (first 4 bytes of SHA-1, little-endian), the MurmurHash3 32-bit
# finalizer, then h -> a*h + b mod 2^32 per permutation, min over the shingles ("affine32"
# scheme of datasketch 2.x). The same arithmetic (crawler.analysis.fingerprint's permutations and
# finalizer) over many documents at once:

_PERM_A, _PERM_B = permutations(NUM_PERM)
_SHA1 = hashlib.sha1
_DIGEST = methodcaller("digest")


def minhash_bulk(hashes: np.ndarray, counts: np.ndarray, batch: int = 50) -> np.ndarray:
    """(n, NUM_PERM) signatures from the concatenated 32-bit shingle hashes of n documents."""
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    mixed = fmix32(hashes)
    out = np.empty((NUM_PERM, len(counts)), dtype=np.uint32)
    with np.errstate(over="ignore"):
        for s in range(0, len(counts), batch):
            e = min(len(counts), s + batch)
            lo, hi = starts[s], starts[e - 1] + counts[e - 1]
            permuted = np.multiply.outer(_PERM_A, mixed[lo:hi])
            permuted += _PERM_B[:, None]
            out[:, s:e] = np.minimum.reduceat(permuted, starts[s:e] - lo, axis=1)
    return np.ascontiguousarray(out.T)


# --- synthetic corpus --------------------------------------------------------------------


class Corpus:
    """Deterministic synthetic articles: Zipfian pseudo-words plus Zipfian stock phrases."""

    def __init__(
        self, seed: int, vocab: int, zipf: float, phrases: int, phrase_share: float, min_words: int, max_words: int
    ) -> None:
        self.seed, self.min_words, self.max_words, self.phrase_share = seed, min_words, max_words, phrase_share
        rng = np.random.default_rng([seed, 0])
        ranks = np.arange(1, vocab + 1)
        # Frequent words are short (as in real text): ~2-4 letters at the top, ~8-12 in the tail.
        lengths = np.clip(2 + (np.log10(ranks) * 1.7).astype(int) + rng.integers(0, 3, vocab), 2, 14)
        letters = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz", dtype=np.uint8)
        seen: set[bytes] = set()
        words: list[bytes] = []
        for length in lengths.tolist():
            while True:
                word = letters[rng.integers(0, 26, length)].tobytes()
                if word not in seen:
                    break
                length += 1  # short words run out of combinations
            seen.add(word)
            words.append(word)
        self.words = words
        self.word_len = np.array([len(w) for w in words], dtype=np.int64)
        weights = 1.0 / ranks**zipf
        self.cdf = np.cumsum(weights / weights.sum())
        self.phrase_len = rng.integers(2, 6, phrases)
        self.phrase_words = self.sample_words(rng, phrases * 5).reshape(phrases, 5)
        pweights = 1.0 / np.arange(1, phrases + 1) ** 1.0
        self.phrase_cdf = np.cumsum(pweights / pweights.sum())

    def sample_words(self, rng: np.random.Generator, n: int) -> np.ndarray:
        ids = np.searchsorted(self.cdf, rng.random(n))
        return np.minimum(ids, len(self.words) - 1).astype(np.int32)

    def generate(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        """n documents as (word ids, offsets)."""
        lengths = rng.integers(self.min_words, self.max_words + 1, n)
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        total = int(offsets[-1])
        tokens = self.sample_words(rng, total)
        if self.phrase_share > 0:
            k = int(total * self.phrase_share / self.phrase_len.mean())
            pos = rng.integers(0, total - 5, k)
            ids = np.minimum(np.searchsorted(self.phrase_cdf, rng.random(k)), len(self.phrase_cdf) - 1)
            lens = self.phrase_len[ids]
            within = np.arange(int(lens.sum())) - np.repeat(np.cumsum(lens) - lens, lens)
            tokens[np.repeat(pos, lens) + within] = self.phrase_words[np.repeat(ids, lens), within]
        return tokens, offsets

    def chunk(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        """Archive documents [index*CHUNK, (index+1)*CHUNK)."""
        return self.generate(np.random.default_rng([self.seed, 1, index]), CHUNK)

    def text(self, ids: np.ndarray) -> str:
        return b" ".join([self.words[i] for i in ids.tolist()]).decode("ascii")

    def signatures(self, tokens: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """MinHash signatures and distinct-shingle counts of the documents (word ids, offsets).

        Shingles are the word trigrams of the text (crawler.analysis.fingerprint with size 3): the
        distinct (document, trigram) pairs are found in NumPy, each distinct trigram of the
        batch is SHA-1 hashed once, from a slice of the batch's text bytes.
        """
        n = len(offsets) - 1
        lengths = np.diff(offsets)
        if lengths.min() < SHINGLE:
            raise ValueError("synthetic articles have at least 3 words")
        ids = tokens.astype(np.int64)
        doc = np.repeat(np.arange(n, dtype=np.int64), lengths)
        valid = np.flatnonzero(np.arange(len(ids)) < np.repeat(offsets[1:], lengths) - (SHINGLE - 1))
        v = np.int64(len(self.words))
        tri = (ids[valid] * v + ids[valid + 1]) * v + ids[valid + 2]  # < 2**47 for 50k words
        _, first = np.unique((doc[valid] << np.int64(47)) | tri, return_index=True)  # sorted by document
        pos = valid[first]
        counts = np.bincount(doc[pos], minlength=n)
        _, at, inverse = np.unique(tri[first], return_index=True, return_inverse=True)
        # Text of the batch: words joined by single spaces; byte offset of every token.
        word_len = self.word_len[ids]
        starts = np.concatenate([[0], np.cumsum(word_len + 1)[:-1]])
        text = b" ".join([self.words[i] for i in tokens.tolist()])
        lo = starts[pos[at]]
        hi = starts[pos[at] + SHINGLE - 1] + word_len[pos[at] + SHINGLE - 1]
        digests = b"".join(map(_DIGEST, map(_SHA1, map(text.__getitem__, map(slice, lo.tolist(), hi.tolist())))))
        raw = np.frombuffer(digests, dtype=np.uint8).reshape(-1, 20)
        hashes = np.ascontiguousarray(raw[:, :4]).view("<u4").ravel().astype(np.uint32)
        return minhash_bulk(hashes[inverse.ravel()], counts), counts


_CORPUS: Corpus | None = None  # set before forking workers


def _chunk_signatures(index: int) -> tuple[int, np.ndarray, np.ndarray]:
    assert _CORPUS is not None
    sigs, counts = _CORPUS.signatures(*_CORPUS.chunk(index))
    return index, sigs, counts


def split(tokens: np.ndarray, offsets: np.ndarray) -> list[np.ndarray]:
    return [tokens[offsets[d] : offsets[d + 1]] for d in range(len(offsets) - 1)]


def fixture_jaccard() -> dict[str, float] | None:
    """Random-pair shingle Jaccard of the English fixture articles reporting different events."""
    path = ROOT / "tests" / "fixtures" / "dedup" / "articles.yaml"
    if not path.is_file():
        return None
    import itertools

    import yaml

    from crawler.analysis.fingerprint import document_shingles

    arts = [a for a in yaml.safe_load(path.read_text("utf-8")) if a.get("language") == "en"]
    sets = [(a["event"], document_shingles(a["title"], a["text"], SHINGLE)[0]) for a in arts]
    js = [len(x & y) / len(x | y) for (ex, x), (ey, y) in itertools.combinations(sets, 2) if ex != ey or ex == "none"]
    return {
        "pairs": len(js),
        "mean": round(float(np.mean(js)), 5),
        "p99": round(pct(js, 99), 4),
        "mean_sq": float(np.mean(np.square(js))),
    }


def corpus_jaccard(corpus: Corpus, docs: list[np.ndarray]) -> dict[str, float]:
    """Exact random-pair trigram Jaccard of synthetic articles."""
    v = np.int64(len(corpus.words))
    sets = []
    for ids in docs:
        t = ids.astype(np.int64)
        sets.append(np.unique((t[:-2] * v + t[1:-1]) * v + t[2:]))
    js = []
    for i in range(len(sets)):
        for j in range(i + 1, len(sets)):
            inter = len(np.intersect1d(sets[i], sets[j], assume_unique=True))
            js.append(inter / (len(sets[i]) + len(sets[j]) - inter))
    return {
        "pairs": len(js),
        "mean": round(float(np.mean(js)), 5),
        "p99": round(pct(js, 99), 4),
        "mean_sq": float(np.mean(np.square(js))),
    }


def band_collision_rate(sigs: np.ndarray) -> float:
    """Share of random stored pairs that share at least one band (≈ candidates per query / N)."""
    hashes = BandIndex().band_hashes(sigs)
    n = len(sigs)
    colliding = 0
    for band in range(hashes.shape[1]):
        _, counts = np.unique(hashes[:, band], return_counts=True)
        colliding += int((counts * (counts - 1) // 2).sum())
    return colliding / (n * (n - 1) / 2)


# --- phases ------------------------------------------------------------------------------


def generate_archive(
    corpus: Corpus, total: int, workers: int, random_from: int | None
) -> tuple[np.ndarray, np.ndarray, dict]:
    global _CORPUS
    _CORPUS = corpus
    real = total if random_from is None else min(total, random_from)
    chunks = math.ceil(real / CHUNK)
    sigs = np.empty((max(total, chunks * CHUNK), NUM_PERM), dtype=np.uint32)
    counts = np.empty(len(sigs), dtype=np.int64)
    started = time.perf_counter()
    if workers > 1 and chunks > 1:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for done, (index, s, c) in enumerate(pool.imap_unordered(_chunk_signatures, range(chunks)), 1):
                sigs[index * CHUNK : (index + 1) * CHUNK] = s
                counts[index * CHUNK : (index + 1) * CHUNK] = c
                if done % 20 == 0 or done == chunks:
                    rate = done * CHUNK / (time.perf_counter() - started)
                    print(f"  signatures: {done * CHUNK:>9,} / {chunks * CHUNK:,}  ({rate:,.0f} docs/s)", flush=True)
    else:
        for index in range(chunks):
            _, s, c = _chunk_signatures(index)
            sigs[index * CHUNK : (index + 1) * CHUNK] = s
            counts[index * CHUNK : (index + 1) * CHUNK] = c
    elapsed = time.perf_counter() - started
    info = {
        "real_signatures": real,
        "seconds": round(elapsed, 1),
        "docs_per_s": round(chunks * CHUNK / elapsed),
        "workers": workers,
    }
    if random_from is not None and total > real:
        rng = np.random.default_rng([corpus.seed, 9])
        sigs[real:total] = rng.integers(0, 2**32, (total - real, NUM_PERM), dtype=np.uint32)
        counts[real:total] = rng.integers(int(counts[:real].min()), int(counts[:real].max()) + 1, total - real)
        info["random_signatures"] = total - real
    return sigs[:total], counts[:total], info


def verify(corpus: Corpus, dedup: Deduplicator, sigs: np.ndarray, counts: np.ndarray, rows: list[int]) -> dict:
    """Bulk signatures must equal what the crawler computes from the article text."""
    by_chunk: dict[int, list[int]] = {}
    for r in rows:
        by_chunk.setdefault(r // CHUNK, []).append(r)
    checked = mismatched = 0
    for index, members in by_chunk.items():
        tokens, offsets = corpus.chunk(index)
        for r in members:
            d = r - index * CHUNK
            fp = dedup.fingerprint("Synthetic headline", corpus.text(tokens[offsets[d] : offsets[d + 1]]))
            checked += 1
            if fp.short or fp.size != counts[r] or not np.array_equal(fp.signature, sigs[r]):
                mismatched += 1
    return {"checked": checked, "mismatched": mismatched}
