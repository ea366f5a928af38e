"""A compact MinHash LSH index that holds a million signatures in well under 2 GiB.

datasketch's ``MinHashLSH`` keeps one Python dict entry per band per document; at a million
articles and 32+ bands that is tens of millions of Python objects (several GiB) and a
rebuild that takes minutes. Here each band is a sorted NumPy array of 64-bit band hashes
with the row it came from, looked up with ``searchsorted``; recent inserts sit in a small
dict until they are merged in bulk (a log-structured merge). Signatures are datasketch's
``MinHash(num_perm=128, seed=1)`` values, computed by
:func:`crawler.analysis.fingerprint.signature`.

Why banding works: two documents with Jaccard similarity *s* agree on a band of *r* rows
with probability *s^r*, so they share at least one of *b* bands with probability
``1 - (1 - s^r)^b`` (Leskovec, Rajaraman, Ullman, *Mining of Massive Datasets*, ch. 3).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from crawler.analysis.fingerprint import NUM_PERM

# Bands of NUM_PERM // BANDS rows each.
BANDS = 64

# Pending inserts merged into the sorted arrays once there are this many.
MERGE_EVERY = 20_000
# A band bucket holding more documents than this is made of shingles common to the whole
# archive, not of copies (copies share several small buckets): it is skipped at lookup.
# Without the cap one hot bucket turned a 0.4 ms lookup into 28 ms at a million articles.
MAX_BUCKET = 1_000
_LOW32 = np.uint64(0xFFFFFFFF)

_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93], dtype=np.uint64)


def estimate_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity: the share of equal MinHash values."""
    return float(np.count_nonzero(a == b)) / len(a)


def containment(jaccard: float, size_a: int, size_b: int) -> float:
    """|A ∩ B| / min(|A|, |B|) from Jaccard and the set sizes.

    Catches copies trimmed at the end: a wire story cut to its first half has Jaccard
    ~0.5 with the original but containment ~1.
    """
    if jaccard <= 0 or min(size_a, size_b) == 0:
        return 0.0
    intersection = jaccard * (size_a + size_b) / (1 + jaccard)
    return min(intersection / min(size_a, size_b), 1.0)


@dataclass(frozen=True)
class Candidate:
    """A stored document sharing at least one band with the query."""

    key: int
    jaccard: float
    size: int


class BandIndex:
    """LSH over MinHash signatures: ``bands`` bands of ``num_perm // bands`` rows."""

    def __init__(self, num_perm: int = NUM_PERM, bands: int = BANDS) -> None:
        if num_perm % bands:
            raise ValueError("num_perm must be a multiple of bands")
        self.num_perm = num_perm
        self.bands = bands
        self.rows = num_perm // bands
        self._sigs = np.empty((1024, num_perm), dtype=np.uint32)
        self._keys = np.empty(1024, dtype=np.int64)
        self._sizes = np.empty(1024, dtype=np.int32)
        self._count = 0
        # Per band, sorted ``band hash << 32 | signature row`` keys: one array holds both,
        # sorts with np.sort (faster than argsort) and is searched by hash range.
        self._band_keys: list[np.ndarray] = [np.empty(0, dtype=np.uint64) for _ in range(bands)]
        self._pending: dict[tuple[int, int], list[int]] = {}
        self._pending_rows: list[int] = []
        self._known: set[int] = set()

    def __len__(self) -> int:
        return self._count

    def __contains__(self, key: int) -> bool:
        return key in self._known

    def band_hashes(self, sigs: np.ndarray) -> np.ndarray:
        """(n, bands) uint32 band hashes of (n, num_perm) signatures.

        32 bits are enough: a chance collision only adds a candidate that the signature
        comparison then rejects, and it halves the index's memory.
        """
        sigs = np.atleast_2d(sigs).astype(np.uint64)
        shaped = sigs.reshape(len(sigs), self.bands, self.rows)
        mixed = np.zeros((len(sigs), self.bands), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for row in range(self.rows):
                mixed = (mixed ^ (shaped[:, :, row] * _MIX[row % len(_MIX)])) * np.uint64(0x100000001B3)
            # Different bands must never collide with each other by construction.
            mixed ^= np.arange(self.bands, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        return (mixed >> np.uint64(32)).astype(np.uint32)

    def _grow(self, needed: int) -> None:
        capacity = len(self._keys)
        if needed <= capacity:
            return
        new = max(needed, capacity * 2)
        self._sigs = np.resize(self._sigs, (new, self.num_perm))
        self._keys = np.resize(self._keys, new)
        self._sizes = np.resize(self._sizes, new)

    def add(self, key: int, sig: np.ndarray, size: int) -> None:
        """Index one document. Re-adding a known key is ignored (idempotent rebuilds)."""
        if key in self._known:
            return
        row = self._count
        self._grow(row + 1)
        self._sigs[row] = sig
        self._keys[row] = key
        self._sizes[row] = size
        self._count += 1
        self._known.add(key)
        for band, value in enumerate(self.band_hashes(sig)[0]):
            self._pending.setdefault((band, int(value)), []).append(row)
        self._pending_rows.append(row)
        if len(self._pending_rows) >= MERGE_EVERY:
            self.merge()

    def add_many(self, keys: np.ndarray, sigs: np.ndarray, sizes: np.ndarray) -> None:
        """Bulk load (rebuild at start): one sort per band for the whole batch."""
        fresh = np.array([k not in self._known for k in keys.tolist()], dtype=bool)
        keys, sigs, sizes = keys[fresh], sigs[fresh], sizes[fresh]
        if len(keys) == 0:
            return
        self.merge()
        start = self._count
        self._grow(start + len(keys))
        self._sigs[start : start + len(keys)] = sigs
        self._keys[start : start + len(keys)] = keys
        self._sizes[start : start + len(keys)] = sizes
        self._count += len(keys)
        self._known.update(keys.tolist())
        self._merge_rows(np.arange(start, start + len(keys), dtype=np.int32))

    def merge(self) -> None:
        """Move pending inserts into the sorted arrays."""
        if not self._pending_rows:
            return
        rows = np.asarray(self._pending_rows, dtype=np.int32)
        self._pending.clear()
        self._pending_rows.clear()
        self._merge_rows(rows)

    def _merge_rows(self, rows: np.ndarray) -> None:
        # Band hashes in chunks: the uint64 temporaries of a million rows at once would
        # briefly triple the index's memory.
        fresh: list[list[np.ndarray]] = [[] for _ in range(self.bands)]
        for start in range(0, len(rows), 65_536):
            chunk = rows[start : start + 65_536]
            hashes = self.band_hashes(self._sigs[chunk])
            packed_rows = chunk.astype(np.uint64)
            for band in range(self.bands):
                fresh[band].append((hashes[:, band].astype(np.uint64) << np.uint64(32)) | packed_rows)
        for band in range(self.bands):
            merged = np.concatenate([self._band_keys[band], *fresh[band]])
            merged.sort(kind="stable")
            self._band_keys[band] = merged
            fresh[band] = []

    def candidates(self, sig: np.ndarray, *, limit: int = 200) -> list[Candidate]:
        """Stored documents sharing a band with ``sig``, most similar first."""
        hashes = self.band_hashes(sig)[0]
        parts: list[np.ndarray] = []
        for band, band_hash in enumerate(hashes.tolist()):
            keys = self._band_keys[band]
            # Until the first merge (a fresh archive, the first 20,000 inserts of a run) the
            # sorted arrays are empty and everything is in the pending dict.
            if len(keys):
                value = np.uint64(band_hash << 32)
                lo = int(np.searchsorted(keys, value, side="left"))
                hi = int(np.searchsorted(keys, value | _LOW32, side="right"))
                if 0 < hi - lo <= MAX_BUCKET:
                    parts.append((keys[lo:hi] & _LOW32).astype(np.int64))
            pending = self._pending.get((band, band_hash))
            if pending:
                parts.append(np.asarray(pending, dtype=np.int64))
        if not parts:
            return []
        found = np.unique(np.concatenate(parts))
        similarity = np.count_nonzero(self._sigs[found] == sig, axis=1) / self.num_perm
        order = np.argsort(-similarity, kind="stable")[:limit]
        return [Candidate(int(self._keys[found[i]]), float(similarity[i]), int(self._sizes[found[i]])) for i in order]

    def memory_bytes(self) -> int:
        """Bytes held by the arrays (what grows with the archive)."""
        arrays: list[np.ndarray] = [self._sigs, self._keys, self._sizes, *self._band_keys]
        return sum(int(a.nbytes) for a in arrays)
