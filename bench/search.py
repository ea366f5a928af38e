#!/usr/bin/env python
"""Archive search benchmark: query latency of ``storage.search.search`` on SQLite FTS5.

Run by hand (not a test), from the repository root:

    .venv/bin/python bench/search.py [--sizes 100000 1000000] [--out bench/results/search.json]

One run, per size N:

  1. builds (once; reused by later runs) ``bench/results/search-<N>.db``: a SQLite archive
     migrated with ``storage.db.upgrade`` and filled with N synthetic articles: a 10-word
     title and 100-200 words of text drawn from 50,000 pseudo-words with a Zipfian
     frequency distribution (s = 1.05, like news text: a few words in most articles, most
     words rare); published over two years in storage order, 2 % stored late (backfill,
     up to 30 days before their neighbours), 5 % undated; ten languages (en 70 %, ps 3 %),
     24 sources, 10 % judged off-topic. The FTS5 index is filled by the triggers of
     migration 0004, as in production;
  2. picks query terms from the index's own document frequencies (fts5vocab): *rare*
     (in 0.001-0.03 % of articles: the tail of the vocabulary), *common* (in more than 25 %), *two-word* (two words
     each in 0.5-5 %), *two-common* (two words each in more than 25 %), and *common,
     filtered* (a common word with ``--language ps``);
  3. times ``storage.search.search(session, SearchFilters(query, order, limit=50))`` - what
     the CLI and the API call: candidates, snippets, rows - for ``newest`` and
     ``relevance``, --queries queries per shape after a warm-up, page cache warm; wall
     clock and thread CPU time (which leaves out waiting for a core on a shared machine),
     in a process whose start-up objects are frozen out of the garbage collector's full
     passes, as the API server's are (``core.gc_freeze.freeze_startup_objects``);
  4. baseline, in the same run: the scan search did before FTS, ``lower(title) LIKE
     '%term%' OR lower(text) LIKE ...`` for every word, newest first, limit 50, within
     --like-budget seconds per shape.

  5. with ``--postgres SERVER``: the same archive copied into PostgreSQL (migrated, so the
     tsvector column and GIN index are built by the server as in production) and the same
     queries timed there (wall clock; the CPU is the server's).

Target (issue): p99 under 50 ms for every query shape at 1M. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from harness.report import git_rev  # noqa: E402
from sqlalchemy import text  # noqa: E402

from core.gc_freeze import freeze_startup_objects  # noqa: E402
from storage.db import make_engine, make_sessionmaker, upgrade  # noqa: E402
from storage.search import SearchFilters, search  # noqa: E402

TARGET_P99_MS = 50.0
VOCABULARY = 50_000
ZIPF_S = 1.05
CHUNK = 20_000
LANGUAGES = [("en", 0.70), ("ur", 0.08), ("hi", 0.05), ("fa", 0.04), ("ps", 0.03), ("ar", 0.03)] + [
    (code, 0.0175) for code in ("tr", "ru", "fr", "de")
]
START = datetime(2024, 12, 1, tzinfo=UTC)
SPAN = timedelta(days=730)
SYLLABLES = [c + v for c in "bdfghjklmnprstvzw" for v in "aeiou"] + ["sha", "kho", "tan", "ist", "ran", "bul"]


def vocabulary(size: int, rng: np.random.Generator) -> list[str]:
    """``size`` distinct pronounceable pseudo-words, short ones first (frequent words are short)."""
    words: list[str] = []
    seen: set[str] = set()
    length = 1
    while len(words) < size:
        for _ in range(size * 2):
            word = "".join(SYLLABLES[i] for i in rng.integers(0, len(SYLLABLES), length + rng.integers(0, 2)))
            if word not in seen:
                seen.add(word)
                words.append(word)
                if len(words) == size:
                    break
        length += 1
    return words


def _when(value: datetime) -> str:
    # SQLAlchemy's SQLite DateTime storage format (UTC, naive), as UTCDateTime writes it.
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def build(path: Path, size: int, seed: int = 7) -> None:
    """Create the synthetic archive at ``path`` (migrated schema, triggers fill FTS5)."""
    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    url = f"sqlite:///{tmp}"
    make_engine(url).dispose()
    upgrade(url)
    rng = np.random.default_rng(seed)
    words = np.array(vocabulary(VOCABULARY, rng), dtype=object)
    ranks = np.arange(1, VOCABULARY + 1, dtype=np.float64)
    cdf = np.cumsum(ranks**-ZIPF_S)
    cdf /= cdf[-1]
    codes = [c for c, _ in LANGUAGES]
    weights = np.array([w for _, w in LANGUAGES])
    weights /= weights.sum()
    conn = sqlite3.connect(tmp)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-400000")
    now = _when(datetime.now(UTC))
    conn.executemany(
        "INSERT INTO sources (id, name, type, url, status, items_last_fetch, consecutive_errors, error_count,"
        " created_at) VALUES (?, ?, 'feed', ?, 'ok', 0, 0, 0, ?)",
        [(i, f"source{i}", f"https://source{i}.example/feed", now) for i in range(1, 25)],
    )
    started = time.perf_counter()
    for first in range(0, size, CHUNK):
        n = min(CHUNK, size - first)
        lengths = rng.integers(100, 201, n)
        draws = np.searchsorted(cdf, rng.random(int(lengths.sum()) + 10 * n))
        offsets = np.concatenate([[0], np.cumsum(lengths + 10)])
        language = rng.choice(len(codes), n, p=weights)
        late = rng.random(n) < 0.02
        undated = rng.random(n) < 0.05
        off_topic = rng.random(n) < 0.10
        sources = rng.integers(1, 25, n)
        rows = []
        for j in range(n):
            article_id = first + j + 1
            tokens = words[draws[offsets[j] : offsets[j + 1]]]
            fetched = START + SPAN * (article_id / size)
            published = fetched - timedelta(minutes=int(rng.integers(5, 240)))
            if late[j]:
                published -= timedelta(days=float(rng.uniform(1, 30)))
            rows.append(
                (
                    article_id,
                    f"https://source{sources[j]}.example/{article_id}",
                    " ".join(tokens[:10]).capitalize(),
                    " ".join(tokens[10:]),
                    codes[language[j]],
                    None if undated[j] else _when(published),
                    _when(fetched),
                    int(sources[j]),
                    f"{article_id:064x}",
                    0 if off_topic[j] else None,
                )
            )
        with conn:
            conn.executemany(
                "INSERT INTO articles (id, url, title, text, language, published_at, fetched_at, source_id,"
                " extraction, content_hash, is_seed, relevant) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'trafilatura', ?,"
                " 0, ?)",
                rows,
            )
        done = first + n
        rate = done / (time.perf_counter() - started)
        print(f"  built {done:,}/{size:,} articles ({rate:,.0f}/s)", file=sys.stderr, flush=True)
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    tmp.rename(path)


def load_postgres(sqlite_path: Path, server: str, size: int) -> str:
    """Copy the synthetic archive into a fresh PostgreSQL database; return its URL.

    The database (``newswatch_bench_<size>`` on ``server``, e.g.
    ``postgresql://postgres@127.0.0.1:5432``) is migrated with ``storage.db.upgrade``, so
    the ``search_vector`` column and its GIN index are computed by PostgreSQL as in
    production; reused when it already holds ``size`` articles.
    """
    import psycopg

    name = f"newswatch_bench_{size}"
    url = f"{server.rstrip('/')}/{name}"
    with psycopg.connect(f"{server.rstrip('/')}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    if exists:
        with psycopg.connect(url) as conn:
            try:
                if conn.execute("SELECT count(*) FROM articles").fetchone() == (size,):
                    return url.replace("postgresql://", "postgresql+psycopg://", 1)
            except psycopg.Error:
                pass
    with psycopg.connect(f"{server.rstrip('/')}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    sa_url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    upgrade(sa_url)
    source = sqlite3.connect(sqlite_path)
    started = time.perf_counter()
    with psycopg.connect(url) as conn:
        source_columns = "id, name, type, url, status, items_last_fetch, consecutive_errors, error_count, created_at"
        with conn.cursor().copy(f"COPY sources ({source_columns}) FROM STDIN") as copy:
            for row in source.execute(f"SELECT {source_columns} FROM sources"):
                copy.write_row(row)
        columns = (
            "id, url, title, text, language, published_at, fetched_at, source_id, extraction, content_hash,"
            " is_seed, relevant"
        )
        with conn.cursor().copy(f"COPY articles ({columns}) FROM STDIN") as copy:
            for row in source.execute(f"SELECT {columns} FROM articles"):
                values = list(row)
                values[10] = bool(values[10])
                values[11] = None if values[11] is None else bool(values[11])
                copy.write_row(values)
        conn.execute("SELECT setval(pg_get_serial_sequence('articles', 'id'), (SELECT max(id) FROM articles))")
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE articles")
    source.close()
    print(f"  loaded into {name} in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return sa_url


def document_frequencies(path: Path) -> list[tuple[str, int]]:
    """Every indexed term with the number of articles containing it."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, articles_fts, 'row')")
    rows = conn.execute("SELECT term, doc FROM temp.vocab").fetchall()
    conn.close()
    return rows


def pick_queries(df: list[tuple[str, int]], size: int, count: int, seed: int = 11) -> dict[str, list[dict]]:
    """Query strings (and filters) per shape, from the archive's own document frequencies."""
    rng = np.random.default_rng(seed)

    def band(low: float, high: float) -> list[str]:
        return sorted(t for t, d in df if low * size <= d <= high * size and t.isascii() and len(t) > 2)

    def sample(terms: list[str], k: int) -> list[str]:
        if not terms:
            return []
        return [terms[i] for i in rng.choice(len(terms), min(k, len(terms)), replace=len(terms) < k)]

    rare = band(0.00001, 0.0003)
    common = band(0.25, 1.0)
    mid = band(0.005, 0.05)
    pairs_mid = zip(sample(mid, count), sample(mid, count), strict=True)
    pairs_common = zip(sample(common, count), sample(common, count), strict=True)
    shapes = {
        "rare": [{"query": q} for q in sample(rare, count)],
        "common": [{"query": q} for q in sample(common, count)],
        "two-word": [{"query": f"{a} {b}"} for a, b in pairs_mid],
        "two-common": [{"query": f"{a} {b}"} for a, b in pairs_common],
        "common, filtered": [{"query": q, "language": "ps"} for q in sample(common, count)],
    }
    return {shape: queries for shape, queries in shapes.items() if queries}


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50/p90/p99/max in milliseconds."""
    ordered = sorted(samples)

    def at(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))] * 1000

    return {
        "n": len(ordered),
        "p50_ms": round(at(0.50), 2),
        "p90_ms": round(at(0.90), 2),
        "p99_ms": round(at(0.99), 2),
        "max_ms": round(ordered[-1] * 1000, 2),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 2),
    }


def time_search(sessions, shapes: dict[str, list[dict]], order: str, label: str = "") -> dict[str, dict]:
    results = {}
    for shape, queries in shapes.items():
        samples, cpu, found = [], [], []
        with sessions() as session:
            for spec in queries[:3]:  # warm-up
                search(session, SearchFilters(order=order, **spec))
            for spec in queries:
                started, started_cpu = time.perf_counter(), time.thread_time()
                rows = search(session, SearchFilters(order=order, **spec))
                cpu.append(time.thread_time() - started_cpu)
                samples.append(time.perf_counter() - started)
                found.append(len(rows))
        cpu_figures = percentiles(cpu)
        results[shape] = {
            **percentiles(samples),
            "cpu_p50_ms": cpu_figures["p50_ms"],
            "cpu_p99_ms": cpu_figures["p99_ms"],
            "rows_mean": round(statistics.fmean(found), 1),
        }
        print(f"  {label}{order:9} {shape:16} {results[shape]}", file=sys.stderr, flush=True)
    return results


def time_like(engine, shapes: dict[str, list[dict]], budget: float) -> dict[str, dict]:
    """The pre-FTS search: every word LIKE '%word%' in title or text, newest first."""
    results = {}
    for shape, queries in shapes.items():
        samples = []
        with engine.connect() as conn:
            deadline = time.perf_counter() + budget
            for spec in queries:
                words = spec["query"].split()
                where = " AND ".join(f"(lower(title) LIKE :w{i} OR lower(text) LIKE :w{i})" for i in range(len(words)))
                params: dict[str, object] = {f"w{i}": f"%{w.lower()}%" for i, w in enumerate(words)}
                if "language" in spec:
                    where += " AND language = :language"
                    params["language"] = spec["language"]
                sql = text(
                    f"SELECT id FROM articles WHERE {where} AND (relevant IS NULL OR relevant = 1)"
                    " ORDER BY coalesce(published_at, fetched_at) DESC, id DESC LIMIT 50"
                )
                started = time.perf_counter()
                conn.execute(sql, params).all()
                samples.append(time.perf_counter() - started)
                if time.perf_counter() > deadline:
                    break
        results[shape] = percentiles(samples)
        print(f"  LIKE      {shape:16} {results[shape]}", file=sys.stderr, flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200, help="distinct queries per shape and order")
    parser.add_argument("--like-budget", type=float, default=60.0, help="seconds of LIKE scans per shape")
    parser.add_argument("--db-dir", type=Path, default=BENCH / "results")
    parser.add_argument(
        "--postgres",
        metavar="SERVER",
        help="also time the same queries on PostgreSQL, e.g. postgresql://postgres@127.0.0.1:5432"
        " (wall clock only: the work is in the server process)",
    )
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "search.json")
    args = parser.parse_args()
    args.db_dir.mkdir(parents=True, exist_ok=True)
    report: dict[str, object] = {
        "meta": {
            "started": datetime.now(UTC).isoformat(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "cpus": os.cpu_count(),
            "loadavg_start": os.getloadavg(),
            "git": git_rev(""),
        },
        "sizes": {},
    }
    for size in args.sizes:
        path = args.db_dir / f"search-{size}.db"
        if not path.exists():
            print(f"building {path} ...", file=sys.stderr, flush=True)
            started = time.perf_counter()
            build(path, size)
            print(f"  built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        shapes = pick_queries(document_frequencies(path), size, args.queries)
        engine = make_engine(f"sqlite:///{path}")
        sessions = make_sessionmaker(engine)
        with sessions() as session:  # connected, statements compiled: the server once started
            search(session, SearchFilters(query=shapes["common"][0]["query"]))
        # As `newswatch serve` and `newswatch run` do once started (see the function).
        freeze_startup_objects()
        entry = {
            "db_bytes": path.stat().st_size,
            "queries": {k: [q["query"] for q in v[:5]] for k, v in shapes.items()},
            "newest": time_search(sessions, shapes, "newest"),
            "relevance": time_search(sessions, shapes, "relevance"),
            "like_newest": time_like(engine, shapes, args.like_budget),
        }
        engine.dispose()
        if args.postgres:
            pg_engine = make_engine(load_postgres(path, args.postgres, size))
            pg_sessions = make_sessionmaker(pg_engine)
            entry["postgres_newest"] = time_search(pg_sessions, shapes, "newest", label="pg ")
            entry["postgres_relevance"] = time_search(pg_sessions, shapes, "relevance", label="pg ")
            pg_engine.dispose()
        report["sizes"][str(size)] = entry  # type: ignore[index]
    report["meta"]["loadavg_end"] = os.getloadavg()  # type: ignore[index]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
