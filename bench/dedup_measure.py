"""bench/dedup.py's measures at one archive size: lookups against planted rewrites, the
brute-force baseline, profiles, and the rebuild from SQLite."""

from __future__ import annotations

import cProfile
import gc
import io
import math
import pstats
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from dedup_corpus import CHUNK, Corpus, mib, pct, split
from harness.procfs import malloc_trim, proc_status, reset_peak

from core.config import DedupConfig
from crawler.analysis.fingerprint import NUM_PERM, SHORT_WORDS, Fingerprint
from crawler.dedup.deduplicator import Deduplicator

TARGET_P99_MS = 5.0


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

    from crawler.analysis.fingerprint import to_bytes
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
