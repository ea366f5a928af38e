"""An article's fingerprint: the MinHash signature of its word shingles.

The words are :func:`crawler.analysis.text.words` (the compared form of the text). What the
fingerprint is compared against, the LSH index of stored articles, is cross-article state
and lives in :mod:`crawler.dedup`.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from operator import methodcaller

import numpy as np

from crawler.analysis.text import words

NUM_PERM = 128
SEED = 1
# Shingles hashed per MinHash.update_batch call (bounds its temporary matrices).
_CHUNK = 8192

# Below this many words a text is "short" (a title-only feed item): shingles of 3 words
# would be too few to estimate similarity, so single words and pairs are used instead.
SHORT_WORDS = 40


def shingles(tokens: list[str], size: int) -> set[bytes]:
    """Word ``size``-grams as UTF-8 bytes (what MinHash hashes)."""
    if len(tokens) < size:
        return {" ".join(tokens).encode("utf-8")} if tokens else set()
    if size == 3:  # the default: zip and an f-string, a third cheaper than slicing and join
        # strict=False: the shifted lists are shorter by design.
        return {f"{a} {b} {c}".encode() for a, b, c in zip(tokens, tokens[1:], tokens[2:], strict=False)}
    return {" ".join(tokens[i : i + size]).encode("utf-8") for i in range(len(tokens) - size + 1)}


def document_shingles(title: str, text: str, size: int = 3, body: list[str] | None = None) -> tuple[set[bytes], bool]:
    """Shingles for an article and whether it was treated as short.

    A long article is compared by its body alone: syndicated copies change the headline.
    A short item (title only, or a one-line summary) is compared by title and body words
    and word pairs, so "Talks end without deal" still finds its copies. ``body`` is
    ``words(text)`` when the caller has it already.
    """
    body = words(text) if body is None else body
    if len(body) >= SHORT_WORDS:
        return shingles(body, size), False
    tokens = words(title) + body
    return shingles(tokens, 1) | shingles(tokens, 2), True


# Stored signatures are datasketch's "affine32" MinHash (datasketch >= 2,
# ``MinHash(num_perm, seed=1)``): per shingle the first 4 bytes of SHA-1 (little-endian,
# ``sha1_hash32``), the MurmurHash3 32-bit finalizer, then h -> a*h + b mod 2^32 per
# permutation, minimum over the shingles. datasketch spends most of its time in one Python
# call per shingle and draws the permutations again for every MinHash; :func:`signature`
# does the same arithmetic in bulk, so old and new signatures stay comparable (a test
# checks it against datasketch). datasketch itself is not imported: it pulls in SciPy, which
# every extraction worker process would load for nothing.
_DIGEST = methodcaller("digest")


@functools.cache
def permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 parameters: odd ``a``, any ``b``, from ``RandomState(SEED)``."""
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (datasketch's ``_fmix`` at width 32)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def shingle_hashes(shingles: Iterable[bytes]) -> np.ndarray:
    """datasketch's ``sha1_hash32`` of every shingle, as one uint32 array.

    One SHA-1 per shingle is unavoidable (stored signatures depend on it), but the digests
    are joined and read by NumPy instead of unpacked one by one in Python.
    """
    digests = b"".join(map(_DIGEST, map(hashlib.sha1, shingles)))
    return np.frombuffer(digests, dtype="<u4").reshape(-1, 5)[:, 0].astype(np.uint32)


def signature(shingles: Iterable[bytes], num_perm: int = NUM_PERM) -> np.ndarray:
    """The MinHash signature (``num_perm`` uint32 values) of a set of shingles.

    Equal to datasketch's ``MinHash(num_perm, seed=SEED).update_batch(shingles)``.
    """
    perm_a, perm_b = permutations(num_perm)
    mixed = fmix32(shingle_hashes(shingles))
    out = np.full(num_perm, 0xFFFFFFFF, dtype=np.uint32)
    # The (n, num_perm) matrix is 512 bytes per shingle: in chunks memory stays bounded
    # (a 5 MB seed file once took 1 GB at once), and the minimum over chunks is the same.
    with np.errstate(over="ignore"):
        for start in range(0, len(mixed), _CHUNK):
            permuted = np.multiply.outer(mixed[start : start + _CHUNK], perm_a)
            permuted += perm_b
            np.minimum(out, permuted.min(axis=0), out=out)
    return out


def to_bytes(sig: np.ndarray) -> bytes:
    """Serialise a signature for storage (little-endian uint32)."""
    return np.ascontiguousarray(sig, dtype="<u4").tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    """Inverse of :func:`to_bytes`."""
    return np.frombuffer(blob, dtype="<u4").astype(np.uint32)


@dataclass(frozen=True)
class Fingerprint:
    """What dedup computes for one article."""

    signature: np.ndarray
    size: int
    short: bool

    def as_bytes(self) -> bytes:
        """The signature as stored in the database."""
        return to_bytes(self.signature)


def fingerprint(title: str, text: str, shingle_size: int = 3, body: list[str] | None = None) -> Fingerprint:
    """Shingle and MinHash an article (``body``: its ``words(text)``, if already known)."""
    shingles, short = document_shingles(title, text, shingle_size, body)
    return Fingerprint(signature(shingles), len(shingles), short)
