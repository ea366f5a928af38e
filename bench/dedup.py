#!/usr/bin/env python
"""Near-duplicate index benchmark: lookup latency, memory and rebuild time of the dedup index.

Run by hand (not a test), from the repository root:

    /work/venv/bin/python bench/dedup.py [--sizes 10000 100000 1000000] [--out bench/results/dedup.json]

One run:

  1. generates a synthetic archive of max(--sizes) articles (300-500 words each) over a
     vocabulary of 50k pseudo-words with a Zipfian frequency distribution, plus a share of
     Zipf-distributed stock phrases ("according to the", ...) so that unrelated articles share
     about as many 3-word shingles as real news does (the random-pair Jaccard is reported,
     next to the one measured on tests/fixtures/dedup). MinHash signatures are computed in
     bulk (worker processes, vectorised NumPy over the permutations of datasketch's MinHash)
     and checked to equal crawler.dedup.lsh.signature() on a sample and on every query;
  2. for each size N, in a forked child (so RSS deltas start from a clean heap): bulk-builds a
     BandIndex from the first N signatures (what a restart costs), measures
     BandIndex.memory_bytes(), the RSS delta and the RSS peak during the build, and times
     --queries Deduplicator.find() lookups (wall clock, and thread CPU time, which leaves out
     preemption on a busy machine): half are light rewrites of a stored article
     (~10% of words replaced, or trimmed to 40-80%), half are fresh articles. Recall is the
     share of rewrites whose planted original is found, precision the share of decisions that
     name the planted original;
  3. baseline: the exact scan an index avoids - the query signature compared with every
     stored signature in NumPy, plus the same decision rule - within --brute-budget seconds
     per size;
  4. rebuild from a real database: --db-size articles (text, signature, shingle count) bulk
     inserted into a migrated SQLite file, then Deduplicator.load(session) timed;
  5. profiles the lookups at the largest size with cProfile when p99 misses its target.

Generating 1M signatures takes ~5-11 minutes on 2 cores (SHA-1 of ~400M shingles); --cache DIR
keeps them for the next run with the same corpus options.

Targets (issue): lookup p99 < 5 ms at 1M stored articles, growing far slower than the
archive; index memory < 2 GiB at 1M. See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import hashlib
import io
import json
import math
import multiprocessing
import os
import platform
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from operator import methodcaller
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from core.config import DedupConfig  # noqa: E402
from crawler.dedup.deduplicator import Deduplicator, Fingerprint  # noqa: E402
from crawler.dedup.lsh import BANDS, NUM_PERM, BandIndex, fmix32, permutations  # noqa: E402
from crawler.dedup.shingles import SHORT_WORDS  # noqa: E402

TARGET_P99_MS = 5.0
TARGET_MEMORY = 2 * 1024**3
CHUNK = 5_000  # documents generated per work unit (deterministic per chunk index)
SHINGLE = 3

# --- MinHash in bulk ---------------------------------------------------------------------
# crawler.dedup.lsh.signature() is datasketch's MinHash(num_perm=128, seed=1) fed the
# shingles: sha1_hash32 (first 4 bytes of SHA-1, little-endian), the MurmurHash3 32-bit
# finalizer, then h -> a*h + b mod 2^32 per permutation, min over the shingles ("affine32"
# scheme of datasketch 2.x). The same arithmetic (crawler.dedup.lsh's permutations and
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

        Shingles are the word trigrams of the text (crawler.dedup.shingles with size 3): the
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


# --- measuring helpers -------------------------------------------------------------------


def proc_status(field: str) -> int:
    """A /proc/self/status value in bytes (VmRSS, VmHWM)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def pct(values: np.ndarray | list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=float), q)) if len(values) else float("nan")


def mib(n: float) -> float:
    return round(n / 1024**2, 1)


def brute_find(
    stored: np.ndarray, sizes: np.ndarray, fp: Fingerprint, cfg: DedupConfig, chunk: int = 16384
) -> int | None:
    """The exact scan: the query against every stored signature, then Deduplicator's rule."""
    n = len(stored)
    equal = np.empty(n, dtype=np.uint16)
    for s in range(0, n, chunk):
        equal[s : s + chunk] = (stored[s : s + chunk] == fp.signature).sum(axis=1, dtype=np.uint16)
    rows = np.flatnonzero(equal)
    if len(rows) == 0:
        return None
    jac = equal[rows] / NUM_PERM
    other = sizes[rows].astype(np.float64)
    small = np.minimum(fp.size, other)
    ratio = small / np.maximum(np.maximum(fp.size, other), 1)
    contained = np.minimum(jac * (fp.size + other) / (1 + jac) / np.maximum(small, 1), 1.0)
    score = np.where(
        jac >= cfg.duplicate_jaccard,
        jac,
        np.where((contained >= cfg.duplicate_containment) & (ratio >= 0.3), contained, -1.0),
    )
    best = int(np.argmax(score))
    return int(rows[best]) + 1 if score[best] >= 0 else None


def accuracy(found: list[int | None], planted: list[int | None]) -> dict[str, float | int]:
    positives = sum(p is not None for p in planted)
    hits = sum(f is not None and f == p for f, p in zip(found, planted, strict=True))
    decisions = sum(f is not None for f in found)
    return {
        "queries": len(found),
        "planted": positives,
        "found": hits,
        "decisions": decisions,
        "recall": round(hits / positives, 4) if positives else float("nan"),
        "precision": round(hits / decisions, 4) if decisions else float("nan"),
    }


def fixture_jaccard() -> dict[str, float] | None:
    """Random-pair shingle Jaccard of the English fixture articles reporting different events."""
    path = ROOT / "tests" / "fixtures" / "dedup" / "articles.yaml"
    if not path.is_file():
        return None
    import itertools

    import yaml

    from crawler.dedup.shingles import document_shingles

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


def build_queries(corpus: Corpus, dedup: Deduplicator, n_queries: int, pool_size: int, seed: int) -> dict:
    """Rewrites of stored articles (planted duplicates) and fresh articles, shuffled."""
    rng = np.random.default_rng([seed, 2])
    n_pos = n_queries // 2
    originals = np.sort(rng.choice(pool_size, n_pos, replace=False))
    cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    docs: list[np.ndarray] = []
    planted: list[int | None] = []
    variants: list[str] = []
    for i, row in enumerate(originals.tolist()):
        index = row // CHUNK
        if index not in cache:
            cache[index] = corpus.chunk(index)
        tokens, offsets = cache[index]
        d = row - index * CHUNK
        ids = tokens[offsets[d] : offsets[d + 1]].copy()
        if i % 2 == 0:
            k = round(0.10 * len(ids))
            pos = rng.choice(len(ids), k, replace=False)
            ids[pos] = corpus.sample_words(rng, k)
            variants.append("replace10")
        else:
            keep = int(len(ids) * rng.uniform(0.4, 0.8))
            ids = ids[:keep]
            variants.append("trim40-80")
        assert len(ids) >= SHORT_WORDS
        docs.append(ids)
        planted.append(row + 1)  # article id = row + 1
    fresh_tokens, fresh_offsets = corpus.generate(np.random.default_rng([seed, 3]), n_queries - n_pos)
    for ids in split(fresh_tokens, fresh_offsets):
        docs.append(ids)
        planted.append(None)
        variants.append("fresh")
    order = rng.permutation(len(docs))
    docs = [docs[i] for i in order]
    planted = [planted[i] for i in order]
    variants = [variants[i] for i in order]
    # Query fingerprints through the crawler's own path (text -> shingles -> datasketch), timed.
    fps: list[Fingerprint] = []
    fp_ms = []
    texts = [corpus.text(ids) for ids in docs]
    for text in texts:
        t0 = time.perf_counter_ns()
        fps.append(dedup.fingerprint("Synthetic headline", text))
        fp_ms.append((time.perf_counter_ns() - t0) / 1e6)
    bulk_sigs, bulk_counts = corpus.signatures(
        np.concatenate(docs), np.concatenate([[0], np.cumsum([len(d) for d in docs])])
    )
    mismatched = sum(
        1
        for fp, s, c in zip(fps, bulk_sigs, bulk_counts, strict=True)
        if fp.short or fp.size != c or not np.array_equal(fp.signature, s)
    )
    return {
        "fps": fps,
        "planted": planted,
        "variants": variants,
        "fingerprint_ms": fp_ms,
        "verify": {"checked": len(fps), "mismatched": mismatched},
    }


def time_lookups(dedup: Deduplicator, fps: list[Fingerprint]) -> tuple[np.ndarray, np.ndarray, list[int | None]]:
    """Wall-clock and thread-CPU milliseconds per Deduplicator.find(), and what it found.

    CPU time leaves out time the thread spent preempted, so comparing the two separates
    the code's own tail from a busy machine's.
    """
    wall = np.empty(len(fps))
    cpu = np.empty(len(fps))
    found: list[int | None] = []
    for i, fp in enumerate(fps):
        c0 = time.thread_time_ns()
        t0 = time.perf_counter_ns()
        decision = dedup.find(fp)
        wall[i] = (time.perf_counter_ns() - t0) / 1e6
        cpu[i] = (time.thread_time_ns() - c0) / 1e6
        found.append(decision.original_id if decision else None)
    return wall, cpu, found


def in_child(func, *args):
    """Run func(*args) in a forked child and return its result (memory measured from a clean heap)."""
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)

    def target() -> None:
        try:
            sender.send(("ok", func(*args)))
        except BaseException as exc:
            sender.send(("error", repr(exc)))
            raise
        finally:
            sender.close()

    child = ctx.Process(target=target)
    child.start()
    status, value = receiver.recv()
    child.join()
    if status != "ok":
        raise RuntimeError(f"child failed: {value}")
    return value


def malloc_trim() -> None:
    """Give freed heap memory back to the OS, so an RSS delta counts only new allocations."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)


def profile_lookups(dedup: Deduplicator, fps: list[Fingerprint], top: int = 14) -> list[dict]:
    profiler = cProfile.Profile()
    profiler.enable()
    for fp in fps:
        dedup.find(fp)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    rows = []
    for (file, line, func), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append(
            {
                "function": f"{Path(file).name}:{line}({func})",
                "calls": ncalls,
                "tottime_ms_per_lookup": tottime * 1000 / len(fps),
                "cumtime_ms_per_lookup": cumtime * 1000 / len(fps),
            }
        )
    rows.sort(key=lambda r: -r["tottime_ms_per_lookup"])
    for r in rows:
        r["tottime_ms_per_lookup"] = round(r["tottime_ms_per_lookup"], 4)
        r["cumtime_ms_per_lookup"] = round(r["cumtime_ms_per_lookup"], 4)
    return rows[:top]


class SizeBench:
    """Everything measured at one archive size N (run in a forked child per size)."""

    def __init__(
        self,
        cfg: DedupConfig,
        keys: np.ndarray,
        sigs: np.ndarray,
        sizes: np.ndarray,
        fps: list[Fingerprint],
        planted: list[int | None],
        variants: list[str],
        warmup: list[Fingerprint],
        brute_budget: float,
        profile: str,
    ) -> None:
        self.cfg, self.keys, self.sigs, self.sizes = cfg, keys, sigs, sizes
        self.fps, self.planted, self.variants, self.warmup = fps, planted, variants, warmup
        self.brute_budget, self.profile = brute_budget, profile

    def run(self, n: int, largest: bool) -> tuple[dict, list[dict] | None]:
        cfg, fps, planted, variants = self.cfg, self.fps, self.planted, self.variants
        # Build (what a restart costs) and its memory, from a clean heap.
        gc.collect()
        malloc_trim()
        rss0 = proc_status("VmRSS")
        peak_ok = reset_peak()
        dedup = Deduplicator(cfg)
        started = time.perf_counter()
        dedup.long.add_many(self.keys[:n], self.sigs[:n], self.sizes[:n])
        build_s = time.perf_counter() - started
        gc.collect()
        malloc_trim()
        rss_delta = proc_status("VmRSS") - rss0
        peak_delta = proc_status("VmHWM") - rss0 if peak_ok else None
        memory = dedup.long.memory_bytes()
        print(
            f"  build {build_s:.2f}s; memory_bytes {mib(memory)} MiB, RSS +{mib(rss_delta)} MiB"
            + (f" (peak +{mib(peak_delta)} MiB during the build)" if peak_delta is not None else ""),
            flush=True,
        )

        time_lookups(dedup, self.warmup)
        lat, cpu, found = time_lookups(dedup, fps)
        acc = accuracy(found, planted)
        by_variant = {}
        for v in sorted(set(variants)):
            idx = [i for i, x in enumerate(variants) if x == v]
            by_variant[v] = accuracy([found[i] for i in idx], [planted[i] for i in idx])
        ncand = np.array([len(dedup.long.candidates(fp.signature, limit=10**9)) for fp in fps])
        slow = ncand[lat >= pct(lat, 99)]
        print(
            f"  LSH   p50 {pct(lat, 50):.3f} ms  p99 {pct(lat, 99):.3f} ms  max {lat.max():.3f} ms "
            f"(thread CPU p50 {pct(cpu, 50):.3f} p99 {pct(cpu, 99):.3f}); "
            f"candidates mean {ncand.mean():.0f} p99 {pct(ncand, 99):.0f}; "
            f"recall {acc['recall']} precision {acc['precision']}",
            flush=True,
        )

        blat = []
        bfound: list[int | None] = []
        bstart = time.perf_counter()
        stored, stored_sizes = self.sigs[:n], self.sizes[:n]
        for fp in fps:
            t0 = time.perf_counter_ns()
            bfound.append(brute_find(stored, stored_sizes, fp, cfg))
            blat.append((time.perf_counter_ns() - t0) / 1e6)
            if time.perf_counter() - bstart > self.brute_budget:
                break
        bacc = accuracy(bfound, planted[: len(bfound)])
        agree = sum(a == b for a, b in zip(found, bfound, strict=False))
        print(
            f"  brute p50 {pct(blat, 50):.3f} ms  p99 {pct(blat, 99):.3f} ms over {len(blat)} queries; "
            f"recall {bacc['recall']} precision {bacc['precision']}; p50 ratio {pct(blat, 50) / pct(lat, 50):.0f}x",
            flush=True,
        )
        result = {
            "n": n,
            "build_s": round(build_s, 3),
            "memory_bytes": memory,
            "memory_mib": mib(memory),
            "rss_delta_mib": mib(rss_delta),
            "rss_peak_delta_mib": mib(peak_delta) if peak_delta is not None else None,
            "lsh": {
                "p50_ms": round(pct(lat, 50), 4),
                "p90_ms": round(pct(lat, 90), 4),
                "p99_ms": round(pct(lat, 99), 4),
                "max_ms": round(float(lat.max()), 4),
                "mean_ms": round(float(lat.mean()), 4),
                "cpu_p50_ms": round(pct(cpu, 50), 4),
                "cpu_p99_ms": round(pct(cpu, 99), 4),
                **acc,
                "by_variant": by_variant,
                "candidates_mean": round(float(ncand.mean()), 1),
                "candidates_p50": pct(ncand, 50),
                "candidates_p99": pct(ncand, 99),
                "candidates_max": int(ncand.max()),
                "candidates_of_slowest_1pct_mean": round(float(slow.mean()), 1),
            },
            "brute": {
                "p50_ms": round(pct(blat, 50), 3),
                "p99_ms": round(pct(blat, 99), 3),
                **bacc,
                "agrees_with_lsh": agree,
            },
            "brute_over_lsh_p50": round(pct(blat, 50) / pct(lat, 50), 1),
            "brute_over_lsh_p99": round(pct(blat, 99) / pct(lat, 99), 1),
        }
        profile = None
        if largest and (self.profile == "always" or (self.profile == "auto" and pct(lat, 99) > TARGET_P99_MS)):
            print("  profiling lookups (cProfile)...", flush=True)
            profile = profile_lookups(dedup, fps)
        return result, profile


def sqlite_rebuild(corpus: Corpus, sigs: np.ndarray, counts: np.ndarray, n: int, tmp: Path) -> dict:
    """Store n articles in a migrated SQLite archive and time Deduplicator.load()."""
    from sqlalchemy import insert

    from crawler.dedup.lsh import to_bytes
    from storage.articles import content_hash, iter_signatures
    from storage.db import make_engine, make_sessionmaker, transaction, upgrade
    from storage.models import Article

    path = tmp / "dedup-bench.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = make_engine(url)
    started = time.perf_counter()
    now = datetime.now(UTC)
    with engine.begin() as conn:
        for index in range(math.ceil(n / CHUNK)):
            tokens, offsets = corpus.chunk(index)
            batch = []
            for d in range(min(CHUNK, n - index * CHUNK)):
                row = index * CHUNK + d
                text = corpus.text(tokens[offsets[d] : offsets[d + 1]])
                title = f"Synthetic article {row + 1}"
                batch.append(
                    {
                        "id": row + 1,
                        "url": f"https://bench.example/{row + 1}",
                        "title": title,
                        "text": text,
                        "fetched_at": now,
                        "extraction": "trafilatura",
                        "content_hash": content_hash(title, text),
                        "is_seed": False,
                        "signature": to_bytes(sigs[row]),
                        "shingle_count": int(counts[row]),
                        "short_text": False,
                    }
                )
            conn.execute(insert(Article.__table__), batch)
    insert_s = time.perf_counter() - started
    factory = make_sessionmaker(engine)
    # Read alone (iter_signatures) and the whole rebuild; the file is in the page cache.
    started = time.perf_counter()
    with transaction(factory) as session:
        read = sum(len(batch) for batch in iter_signatures(session))
    read_s = time.perf_counter() - started
    dedup = Deduplicator(DedupConfig())
    gc.collect()
    started = time.perf_counter()
    with transaction(factory) as session:
        loaded = dedup.load(session)
    load_s = time.perf_counter() - started
    engine.dispose()
    result = {
        "articles": n,
        "db_mib": mib(path.stat().st_size),
        "insert_s": round(insert_s, 1),
        "read_signatures_s": round(read_s, 2),
        "load_s": round(load_s, 2),
        "loaded": loaded,
        "read_rows": read,
        "note": "warm page cache (file just written)",
    }
    path.unlink(missing_ok=True)
    return result


# --- main --------------------------------------------------------------------------------


def versions() -> dict[str, str]:
    import datasketch
    import sqlalchemy

    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "datasketch": datasketch.__version__,
        "sqlalchemy": sqlalchemy.__version__,
    }


def git_rev() -> str:
    try:
        rev = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain"], capture_output=True, text=True, check=True
        ).stdout.strip()
        return rev + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--brute-budget", type=float, default=60.0, help="seconds of brute-force lookups per size")
    parser.add_argument("--db-size", type=int, default=100_000, help="articles for the SQLite rebuild (0: skip)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--phrase-share",
        type=float,
        default=0.15,
        help="share of tokens drawn from stock phrases (0: independent Zipfian words)",
    )
    parser.add_argument("--zipf", type=float, default=1.05)
    parser.add_argument(
        "--random-bulk",
        action="store_true",
        help="random uint32 signatures beyond the first min(--sizes) articles (faster, "
        "but no realistic band collisions between unrelated articles)",
    )
    parser.add_argument("--profile", choices=["auto", "always", "never"], default="auto")
    parser.add_argument("--seed", type=int, default=20251125)
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "dedup.json")
    parser.add_argument(
        "--cache",
        type=Path,
        help="directory to keep the generated signatures in (.npz) and reuse on the next run with the same corpus",
    )
    args = parser.parse_args(argv)
    sizes = sorted(set(args.sizes))
    total = max([*sizes, args.db_size])
    cfg = DedupConfig()
    run_started = time.perf_counter()
    meta = {
        "started": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S%z"),
        "git": git_rev(),
        "cpus": os.cpu_count(),
        "versions": versions(),
        "sizes": sizes,
        "queries": args.queries,
        "num_perm": NUM_PERM,
        "bands": BANDS,
        "rows_per_band": NUM_PERM // BANDS,
        "config": cfg.model_dump(),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
    }
    print(f"dedup bench: sizes {sizes}, {args.queries} queries, {NUM_PERM} perms x {BANDS} bands", flush=True)

    corpus = Corpus(
        args.seed,
        vocab=50_000,
        zipf=args.zipf,
        phrases=5_000,
        phrase_share=args.phrase_share,
        min_words=300,
        max_words=500,
    )
    meta["corpus"] = {
        "vocabulary": len(corpus.words),
        "zipf_s": args.zipf,
        "phrases": 5_000,
        "phrase_share": args.phrase_share,
        "words_per_article": [300, 500],
        "shingle": SHINGLE,
        "mean_word_letters": round(float((corpus.word_len * np.diff(np.concatenate([[0], corpus.cdf]))).sum()), 2),
    }

    random_from = sizes[0] if args.random_bulk else None
    cached = None
    if args.cache:
        name = f"dedup-sigs-{args.seed}-{total}-{args.zipf}-{args.phrase_share}-{random_from}.npz"
        cached = args.cache / name
    if cached and cached.is_file():
        with np.load(cached) as data:
            sigs, counts = data["sigs"], data["counts"]
            gen_info = json.loads(str(data["info"]))
        gen_info["cached"] = str(cached)
        print(f"signatures of {total:,} articles loaded from {cached}", flush=True)
    else:
        print(f"generating {total:,} articles and their MinHash signatures ({args.workers} workers)...", flush=True)
        sigs, counts, gen_info = generate_archive(corpus, total, args.workers, random_from)
        if cached:
            cached.parent.mkdir(parents=True, exist_ok=True)
            np.savez(cached, sigs=sigs, counts=counts, info=json.dumps(gen_info))
    meta["generation"] = gen_info
    print(
        f"  generation took {gen_info['seconds']}s; mean {counts[: gen_info['real_signatures']].mean():.0f} "
        "shingles/article",
        flush=True,
    )

    dedup_tools = Deduplicator(cfg)
    rng = np.random.default_rng([args.seed, 5])
    sample = sorted(set(rng.choice(gen_info["real_signatures"], 40, replace=False).tolist()) | {0})
    meta["verify_archive"] = verify(corpus, dedup_tools, sigs, counts, sample)
    pool_size = min(sizes[0], gen_info["real_signatures"])
    queries = build_queries(corpus, dedup_tools, args.queries, pool_size, args.seed)
    meta["verify_queries"] = queries["verify"]
    fp_ms = queries["fingerprint_ms"]
    meta["fingerprint_ms"] = {
        "p50": round(pct(fp_ms, 50), 3),
        "p99": round(pct(fp_ms, 99), 3),
        "note": "Deduplicator.fingerprint(title, text) on the query texts",
    }
    print(
        f"verified bulk signatures == signature(): archive {meta['verify_archive']}, queries {meta['verify_queries']}",
        flush=True,
    )
    if meta["verify_archive"]["mismatched"] or meta["verify_queries"]["mismatched"]:
        print("ERROR: bulk signatures differ from crawler.dedup.lsh.signature()", file=sys.stderr)
        return 1

    calib_docs = split(*corpus.chunk(0))[:200]
    meta["similarity"] = {
        "synthetic_random_pairs_jaccard": corpus_jaccard(corpus, calib_docs),
        "fixture_en_different_event_pairs_jaccard": fixture_jaccard(),
        "synthetic_band_collision_rate": band_collision_rate(sigs[: min(20_000, gen_info["real_signatures"])]),
    }
    fps, planted, variants = queries["fps"], queries["planted"], queries["variants"]
    warmup = [
        dedup_tools.fingerprint("w", corpus.text(ids))
        for ids in split(*corpus.generate(np.random.default_rng([args.seed, 4]), 50))
    ]

    keys = np.arange(1, total + 1, dtype=np.int64)
    sizes_arr = counts.astype(np.int32)
    gc.collect()
    bench = SizeBench(cfg, keys, sigs, sizes_arr, fps, planted, variants, warmup, args.brute_budget, args.profile)
    results = []
    profile = None
    for n in sizes:
        print(f"\n== N = {n:,}", flush=True)
        result, prof = in_child(bench.run, n, n == sizes[-1])
        results.append(result)
        profile = prof or profile
    db = None
    if args.db_size:
        print(f"\n== SQLite rebuild at {args.db_size:,} articles", flush=True)
        tmp = Path(tempfile.mkdtemp(prefix="newswatch-dedup-bench-"))
        try:
            db = sqlite_rebuild(corpus, sigs, counts, args.db_size, tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        print(
            f"  insert {db['insert_s']}s ({db['db_mib']} MiB file); iter_signatures {db['read_signatures_s']}s; "
            f"Deduplicator.load {db['load_s']}s",
            flush=True,
        )

    largest = results[-1]
    first = results[0]
    growth = largest["lsh"]["p99_ms"] / first["lsh"]["p99_ms"] if first["lsh"]["p99_ms"] else float("nan")
    targets = {
        "at_n": largest["n"],
        "p99_ms": largest["lsh"]["p99_ms"],
        "cpu_p99_ms": largest["lsh"]["cpu_p99_ms"],
        "p99_under_5ms": largest["lsh"]["p99_ms"] < TARGET_P99_MS,
        "memory_bytes": largest["memory_bytes"],
        "rss_delta_bytes": int(largest["rss_delta_mib"] * 1024**2),
        "memory_under_2gib": max(largest["memory_bytes"], largest["rss_delta_mib"] * 1024**2) < TARGET_MEMORY,
        "archive_growth": largest["n"] / first["n"],
        "p99_growth": round(growth, 2),
    }
    meta["total_s"] = round(time.perf_counter() - run_started, 1)
    meta["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]

    width = 128
    print("\n" + "=" * width)
    print("latencies in ms per lookup; 'cpu p99' is thread CPU time (no preemption); 'x p50' = brute p50 / LSH p50")
    print(
        f"{'N':>9} | {'build s':>7} | {'index MiB':>9} | {'RSS+ MiB':>8} | {'LSH p50':>7} | {'LSH p99':>7} | "
        f"{'cpu p99':>7} | {'cand':>6} | {'recall':>6} | {'prec':>6} | {'brute p50':>9} | {'brute p99':>9} | "
        f"{'n brute':>7} | {'x p50':>6}"
    )
    print("-" * width)
    for r in results:
        print(
            f"{r['n']:>9,} | {r['build_s']:>7.2f} | {r['memory_mib']:>9.1f} | {r['rss_delta_mib']:>8.1f} | "
            f"{r['lsh']['p50_ms']:>7.3f} | {r['lsh']['p99_ms']:>7.3f} | {r['lsh']['cpu_p99_ms']:>7.3f} | "
            f"{r['lsh']['candidates_mean']:>6.0f} | "
            f"{r['lsh']['recall']:>6.3f} | {r['lsh']['precision']:>6.3f} | {r['brute']['p50_ms']:>9.2f} | "
            f"{r['brute']['p99_ms']:>9.2f} | {r['brute']['queries']:>7} | {r['brute_over_lsh_p50']:>6.0f}"
        )
    print("-" * width)
    if db:
        print(
            f"SQLite rebuild: Deduplicator.load of {db['articles']:,} articles {db['load_s']}s "
            f"(reading signatures {db['read_signatures_s']}s)"
        )
    print(
        f"fingerprint (text -> signature): p50 {meta['fingerprint_ms']['p50']} ms, "
        f"p99 {meta['fingerprint_ms']['p99']} ms"
    )
    sim = meta["similarity"]
    fx = sim["fixture_en_different_event_pairs_jaccard"]
    print(
        f"random-pair Jaccard: synthetic mean {sim['synthetic_random_pairs_jaccard']['mean']}"
        + (f", fixture (same topic, different events) mean {fx['mean']}" if fx else "")
        + f"; band collision rate {sim['synthetic_band_collision_rate']:.2e}/pair"
    )
    print(
        f"targets at {targets['at_n']:,}: p99 {targets['p99_ms']:.3f} ms "
        f"{'OK' if targets['p99_under_5ms'] else 'MISSED'} (< {TARGET_P99_MS} ms; CPU-time p99 "
        f"{targets['cpu_p99_ms']:.3f} ms); index "
        f"{mib(targets['memory_bytes'])} MiB / RSS +{largest['rss_delta_mib']} MiB "
        f"{'OK' if targets['memory_under_2gib'] else 'MISSED'} (< 2 GiB); p99 grew {targets['p99_growth']}x "
        f"for a {targets['archive_growth']:.0f}x archive"
    )
    if profile:
        print("profile of the lookups at the largest size (ms per lookup, by own time):")
        for row in profile:
            print(
                f"  {row['tottime_ms_per_lookup']:>8.4f} own {row['cumtime_ms_per_lookup']:>8.4f} cum "
                f"{row['calls']:>8}  {row['function']}"
            )
    print(f"total {meta['total_s']}s")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {"meta": meta, "sizes": results, "sqlite_rebuild": db, "targets": targets, "profile": profile},
            indent=2,
            default=float,
        )
        + "\n",
        "utf-8",
    )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
