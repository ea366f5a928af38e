"""Near-duplicate detection in process: shingling, MinHash LSH (BandIndex), the Deduplicator.

The probabilistic checks use fixed seeds, so they are deterministic; their bounds are loose
enough (several standard deviations) to survive a change of seed.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

import numpy as np
import pytest

from core.config import DedupConfig
from crawler.analysis import fingerprint
from crawler.analysis.fingerprint import SHORT_WORDS, document_shingles, from_bytes, shingles, signature, to_bytes
from crawler.analysis.text import normalise, words
from crawler.dedup import lsh
from crawler.dedup.deduplicator import Deduplicator
from crawler.dedup.lsh import BandIndex, containment, estimate_jaccard
from storage.articles import ArticleRecord, store_article
from storage.db import transaction

WIRE_TITLE = "Pakistan, Afghanistan talks end without deal on ceasefire monitoring"
WIRE = (
    "ISTANBUL, Nov 7 (Reuters) - Pakistani and Afghan delegations ended a third round of talks in "
    "Istanbul on Friday without agreeing on how to monitor a fragile ceasefire, two officials "
    "familiar with the negotiations said, raising fears that fighting along their shared border "
    "could resume within days. The talks, mediated by Turkey and Qatar, were meant to settle a "
    "verification mechanism after deadly clashes in October killed dozens of soldiers and "
    "civilians near the Chaman and Torkham crossings. Islamabad wants Kabul to give written "
    "guarantees that militants of the Pakistani Taliban will not use Afghan soil to launch "
    "attacks, while the Taliban administration insists it cannot be held responsible for "
    "security inside Pakistan. A Pakistani security source said the Afghan side kept shifting "
    "its position and that the mediators had proposed a joint monitoring committee, which Kabul "
    "refused to sign. Afghan spokesman Zabihullah Mujahid said his delegation had negotiated in "
    "good faith and blamed the failure on demands he described as unreasonable. Trade through "
    "the main border crossings has been suspended for nearly a month, stranding thousands of "
    "trucks loaded with fruit, cement and medicine on both sides. Turkish officials said they "
    "would keep channels open and hoped the two neighbours could meet again before the end of "
    "the month."
)
# The same event reported independently: shared names and facts, different sentences.
INDEPENDENT = (
    "Negotiators from Islamabad and Kabul walked away from the Turkish city on Friday with no "
    "deal, according to people briefed on the meeting. It was the third time the neighbours had "
    "sat down since October's border fighting, in which troops exchanged artillery fire for "
    "several nights. Diplomats from Ankara and Doha who hosted the meeting had hoped to lock in "
    "a way of checking whether both armies respect the truce. Pakistan's demand is simple, a "
    "senior minister told local television: stop the TTP from operating out of Afghanistan. The "
    "Taliban government says the group is a Pakistani problem. With the frontier still closed to "
    "commerce, exporters in Peshawar say they are losing millions of rupees a day, and lorry "
    "drivers have been sleeping in their cabs for weeks. Mujahid, speaking for Kabul, accused "
    "Pakistan of making impossible demands. No date has been set for another meeting, although "
    "the hosts say they remain ready to help."
)
URDU = (
    "استنبول میں پاکستان اور افغانستان کے درمیان مذاکرات کا تیسرا دور جمعے کو کسی معاہدے کے بغیر ختم ہو گیا۔ "
    "سرکاری ذرائع کے مطابق ترکی اور قطر کی ثالثی میں ہونے والی بات چیت میں جنگ بندی کی نگرانی کے طریقہ کار پر "
    "اتفاق نہیں ہو سکا۔ پاکستان کا مطالبہ ہے کہ کابل تحریری ضمانت دے کہ کالعدم تحریک طالبان پاکستان افغان سرزمین "
    "استعمال نہیں کرے گی، جبکہ طالبان حکومت کا کہنا ہے کہ پاکستان کے اندر سکیورٹی اس کی ذمہ داری نہیں۔ "
    "چمن اور طورخم کی سرحدی گزرگاہیں تقریباً ایک ماہ سے بند ہیں اور ہزاروں ٹرک دونوں جانب پھنسے ہوئے ہیں۔ "
    "ترک حکام نے کہا ہے کہ وہ رابطے جاری رکھیں گے۔"
)
HINDI = (
    "इस्तांबुल में पाकिस्तान और अफ़ग़ानिस्तान के बीच वार्ता का तीसरा दौर शुक्रवार को बिना किसी समझौते के "
    "समाप्त हो गया। अधिकारियों के अनुसार तुर्की और क़तर की मध्यस्थता में हुई बातचीत में संघर्ष विराम की "
    "निगरानी के तरीके पर सहमति नहीं बन सकी। पाकिस्तान चाहता है कि काबुल लिखित गारंटी दे कि तहरीक-ए-तालिबान "
    "पाकिस्तान अफ़ग़ान ज़मीन का इस्तेमाल नहीं करेगा, जबकि तालिबान सरकार का कहना है कि पाकिस्तान के भीतर "
    "सुरक्षा उसकी ज़िम्मेदारी नहीं है। चमन और तोरख़म सीमा चौकियाँ लगभग एक महीने से बंद हैं और हज़ारों ट्रक "
    "दोनों तरफ़ फँसे हुए हैं।"
)
BOILERPLATE = (
    "\n\nFollow us on X for the latest updates. Read more: Pakistan closes border crossings as "
    "trade halts. Subscribe to our newsletter."
)
SHORT_TITLE = "Pakistan and Afghanistan agree to extend ceasefire after third round of Istanbul talks"


@pytest.fixture
def dedup() -> Deduplicator:
    return Deduplicator(DedupConfig())


# --- shingles ---------------------------------------------------------------------------


def test_normalise_folds_arabic_letters_to_persian_forms_and_zwnj_to_space():
    # Arabic yeh (ي), alef maksura (ى) and kaf (ك) are the Farsi yeh (ی) and keheh (ک).
    assert normalise("\u064a\u0649\u0643") == "\u06cc\u06cc\u06a9"
    assert normalise("علي كتاب") == normalise("علی کتاب") == "علی کتاب"
    # ZWNJ splits a Persian compound into words, like a space would.
    assert normalise("کتاب\u200cها") == "کتاب ها"
    assert words("کتاب\u200cها") == ["کتاب", "ها"]
    assert normalise("Ａ TALKS") == "a talks"  # NFKC and case folding


def test_normalise_folds_every_variant_in_mixed_text():
    # Each folded character once, among Latin text and marks: the same as one simultaneous
    # character mapping (the successive replacements must not feed each other).
    text = "Talks \u064a\u0649\u0643\u0629\u06c1 a\u200cb\u200dc \u0640\u0628\u064e END \u0915\u093c"
    assert normalise(text) == "talks \u06cc\u06cc\u06a9\u0647\u0647 a bc \u0628 end \u0915"
    assert normalise("Plain ASCII, Text.") == "plain ascii, text."


def test_trigram_shingles_are_the_joined_words():
    tokens = ["a", "bb", "c", "dd", "a", "bb", "c"]
    assert shingles(tokens, 3) == {b"a bb c", b"bb c dd", b"c dd a", b"dd a bb"}
    assert shingles(["\u06a9\u062a\u0627\u0628", "x", "y"], 3) == {"\u06a9\u062a\u0627\u0628 x y".encode()}
    assert shingles(tokens, 2) == {b"a bb", b"bb c", b"c dd", b"dd a"}


def test_words_keeps_hindi_words_whole():
    tokens = words("पाकिस्तान और अफ़ग़ानिस्तान के बीच वार्ता")
    assert tokens[0] == "पाकिस्तान"
    assert len(tokens) == 6
    # The nukta is optional in running text: both spellings are one word.
    assert words("अफ़ग़ानिस्तान") == words("अफगानिस्तान") == ["अफगानिस्तान"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("پاکستان اور افغانستان کے درمیان مذاکرات", ["پاکستان", "اور", "افغانستان", "کے", "درمیان", "مذاکرات"]),
        ("د پاکستان او افغانستان ترمنځ خبرې اترې", ["د", "پاکستان", "او", "افغانستان", "ترمنځ", "خبرې", "اترې"]),
        # Harakat are dropped; the word survives.
        ("پاکِستان", ["پاکستان"]),
    ],
    ids=["urdu", "pashto", "urdu-diacritics"],
)
def test_words_keeps_urdu_and_pashto_words(text, expected):
    assert words(text) == expected


def test_document_shingles_uses_trigrams_for_long_text():
    body = " ".join(f"w{i}" for i in range(SHORT_WORDS + 10))
    found, short = document_shingles("Ignored headline", body)
    assert short is False
    assert found == shingles(words(body), 3)
    assert len(found) == SHORT_WORDS + 10 - 2
    assert all(len(s.split()) == 3 for s in found)
    assert not any(b"ignored" in s for s in found), "a long article is compared by its body alone"


def test_document_shingles_uses_words_and_pairs_for_short_items():
    found, short = document_shingles("Talks end without deal", "in Istanbul")
    assert short is True
    assert b"talks" in found and b"istanbul" in found
    assert b"talks end" in found and b"deal in" in found
    assert {len(s.split()) for s in found} == {1, 2}
    assert len(found) == 6 + 5
    # Just below the threshold is still short.
    _, short = document_shingles("", " ".join(f"w{i}" for i in range(SHORT_WORDS - 1)))
    assert short is True


def test_document_shingles_of_nothing_is_empty():
    assert document_shingles("", "") == (set(), True)


# --- lsh --------------------------------------------------------------------------------


def _pair(jaccard: float, seed: int, union: int = 200) -> tuple[set[bytes], set[bytes]]:
    """Two shingle sets with exactly the given Jaccard similarity."""
    shared = round(jaccard * union)
    own = (union - shared) // 2
    tag = f"{seed}-{jaccard}"
    common = {f"c{tag}-{i}".encode() for i in range(shared)}
    a = common | {f"a{tag}-{i}".encode() for i in range(own)}
    b = common | {f"b{tag}-{i}".encode() for i in range(own)}
    return a, b


def _true_jaccard(a: set[bytes], b: set[bytes]) -> float:
    return len(a & b) / len(a | b)


def _band_probability(s: float, rows: int, bands: int) -> float:
    return 1 - (1 - s**rows) ** bands


def test_signature_is_deterministic():
    items = {f"shingle {i}".encode() for i in range(500)}
    first = signature(items)
    assert first.dtype == np.uint32 and first.shape == (lsh.NUM_PERM,)
    assert np.array_equal(first, signature(list(reversed(sorted(items)))))
    assert np.array_equal(first, signature(iter(items)))
    assert np.array_equal(signature(set()), signature([]))
    assert not np.array_equal(first, signature({b"something else"}))


def test_signature_of_many_shingles_equals_the_minimum_over_parts():
    # More shingles than one hashing batch: the result is the element-wise minimum.
    items = [f"s{i}".encode() for i in range(20_000)]
    whole = signature(items)
    assert np.array_equal(whole, np.minimum(signature(items[:7_000]), signature(items[7_000:])))


@pytest.mark.parametrize(
    ("count", "num_perm"),
    [(n, lsh.NUM_PERM) for n in (0, 1, 500, fingerprint._CHUNK, fingerprint._CHUNK + 1, 20_000)] + [(300, 64)],
)
def test_signature_equals_datasketch_minhash(count, num_perm):
    # Signatures stored by earlier versions came from datasketch's MinHash.update_batch:
    # the bulk computation must give the same values, or stored articles stop matching.
    from datasketch import MinHash

    rng = random.Random(count)
    items = {rng.randbytes(rng.randint(0, 40)) for _ in range(count)}
    items |= {"باكستان و افغانستان".encode(), "पाकिस्तान अफ़ग़ानिस्तान".encode()} if count else set()
    minhash = MinHash(num_perm=num_perm, seed=fingerprint.SEED)
    minhash.update_batch(list(items))
    assert np.array_equal(signature(items, num_perm), np.asarray(minhash.hashvalues, dtype=np.uint32))


def test_signature_bytes_round_trip():
    sig = signature({b"a", b"b", b"c"})
    blob = to_bytes(sig)
    assert isinstance(blob, bytes) and len(blob) == 4 * lsh.NUM_PERM
    back = from_bytes(blob)
    assert back.dtype == np.uint32
    assert np.array_equal(back, sig)
    back[0] ^= 1  # a writable copy, not a view of the immutable bytes
    assert np.array_equal(from_bytes(blob), sig)


@pytest.mark.parametrize("jaccard", [0.2, 0.5, 0.8])
def test_estimate_jaccard_is_close_to_the_true_value(jaccard):
    errors = []
    for seed in range(10):
        a, b = _pair(jaccard, seed)
        assert _true_jaccard(a, b) == pytest.approx(jaccard, abs=0.01)
        errors.append(estimate_jaccard(signature(a), signature(b)) - _true_jaccard(a, b))
    assert max(abs(e) for e in errors) <= 0.12, errors
    assert abs(sum(errors) / len(errors)) <= 0.04, errors


def test_estimate_jaccard_extremes():
    a, _ = _pair(0.5, 1)
    assert estimate_jaccard(signature(a), signature(a)) == 1.0
    assert estimate_jaccard(signature({b"x", b"y"}), signature({b"p", b"q"})) < 0.1


def test_containment_formula():
    # |A| = 100, |B| = 50, B inside A: Jaccard 50/100 = 0.5, containment 1.
    assert containment(0.5, 100, 50) == pytest.approx(1.0)
    # |A| = |B| = 100 sharing 50: Jaccard 50/150, containment 0.5.
    assert containment(50 / 150, 100, 100) == pytest.approx(0.5)
    assert containment(0.9, 10, 1000) == 1.0  # capped
    assert containment(0.0, 100, 100) == 0.0
    assert containment(0.5, 0, 100) == 0.0


def test_band_index_finds_a_near_copy_and_not_an_unrelated_document():
    index = BandIndex()
    original, copy = _pair(0.5, 7)
    unrelated, _ = _pair(0.5, 8)
    index.add(1, signature(original), len(original))
    found = index.candidates(signature(copy))
    assert [c.key for c in found] == [1]
    assert found[0].size == len(original)
    assert found[0].jaccard == pytest.approx(0.5, abs=0.12)
    assert index.candidates(signature(unrelated)) == []


def test_band_index_candidate_rate_follows_the_banding_curve():
    trials = 300
    index = BandIndex()
    queries: dict[float, list[tuple[int, np.ndarray]]] = {0.05: [], 0.4: []}
    key = 0
    for jaccard, pairs in queries.items():
        for seed in range(trials):
            a, b = _pair(jaccard, seed)
            index.add(key, signature(a), len(a))
            pairs.append((key, signature(b)))
            key += 1
    rates = {
        jaccard: sum(k in {c.key for c in index.candidates(sig, limit=10_000)} for k, sig in pairs) / trials
        for jaccard, pairs in queries.items()
    }
    low = _band_probability(0.05, index.rows, index.bands)  # about 0.15
    high = _band_probability(0.4, index.rows, index.bands)  # about 1.0
    assert rates[0.05] == pytest.approx(low, abs=0.08), rates
    assert rates[0.4] == pytest.approx(high, abs=0.03), rates
    assert rates[0.05] < 0.3 and rates[0.4] > 0.95


def test_band_index_add_is_idempotent():
    index = BandIndex()
    a, b = _pair(0.8, 3)
    index.add(5, signature(a), len(a))
    memory = index.memory_bytes()
    index.add(5, signature(b), 999)  # same key, other content: ignored
    index.add_many(np.array([5], dtype=np.int64), signature(b)[None, :], np.array([999], dtype=np.int32))
    assert len(index) == 1 and 5 in index
    assert index.memory_bytes() == memory
    found = index.candidates(signature(a))
    assert [(c.key, c.jaccard, c.size) for c in found] == [(5, 1.0, len(a))]


def _results(index: BandIndex, queries: list[np.ndarray]) -> list[set[tuple[int, float, int]]]:
    return [{(c.key, c.jaccard, c.size) for c in index.candidates(q, limit=10_000)} for q in queries]


def test_bulk_load_matches_incremental_adds_across_merges(monkeypatch):
    monkeypatch.setattr(lsh, "MERGE_EVERY", 7)
    docs, queries = [], []
    for seed in range(30):
        a, b = _pair((0.3, 0.5, 0.9)[seed % 3], seed)
        docs.append((seed + 100, signature(a), len(a)))
        queries.append(signature(b))
    keys = np.array([d[0] for d in docs], dtype=np.int64)
    sigs = np.vstack([d[1] for d in docs])
    sizes = np.array([d[2] for d in docs], dtype=np.int32)

    incremental = BandIndex()
    for key, sig, size in docs:
        incremental.add(key, sig, size)
    # Four merges happened (at 7, 14, 21 and 28 inserts); two inserts are still pending.
    assert len(incremental._band_keys[0]) == 28
    assert len(incremental._pending_rows) == 2

    bulk = BandIndex()
    bulk.add_many(keys, sigs, sizes)

    mixed = BandIndex()
    for key, sig, size in docs[:10]:
        mixed.add(key, sig, size)
    mixed.add_many(keys, sigs, sizes)  # the first ten are known and skipped

    expected = _results(incremental, queries)
    assert sum(1 for r in expected if r) >= 20, "most queries should find their original"
    assert _results(bulk, queries) == expected
    assert _results(mixed, queries) == expected
    assert len(incremental) == len(bulk) == len(mixed) == 30


def test_band_index_memory_grows_linearly():
    rng = np.random.default_rng(0)

    def loaded(n: int) -> int:
        index = BandIndex()
        sigs = rng.integers(0, 2**32, size=(n, lsh.NUM_PERM), dtype=np.uint32)
        index.add_many(np.arange(n, dtype=np.int64), sigs, np.full(n, 100, dtype=np.int32))
        return index.memory_bytes()

    small, large = loaded(2048), loaded(4096)
    per_doc = (large - small) / 2048
    assert large == pytest.approx(2 * small, rel=0.01)
    # Signature (512 B), key and size (12 B), a hash and a row per band (8 B x 64).
    assert per_doc == 4 * lsh.NUM_PERM + 12 + 8 * lsh.BANDS
    assert per_doc * 1_000_000 < 2 * 2**30, "a million signatures must fit in 2 GiB"


def test_band_index_rejects_bands_not_dividing_permutations():
    with pytest.raises(ValueError, match="multiple of bands"):
        BandIndex(num_perm=128, bands=48)


# --- deduplicator -----------------------------------------------------------------------


def test_syndicated_copy_with_new_headline_and_boilerplate_is_a_duplicate(dedup):
    original = dedup.fingerprint(WIRE_TITLE, WIRE)
    assert original.short is False
    dedup.add(1, original)
    copy = dedup.fingerprint("Istanbul talks collapse as Kabul refuses monitoring pact", WIRE + BOILERPLATE)
    decision = dedup.find(copy)
    assert decision is not None
    assert (decision.original_id, decision.method) == (1, "minhash-jaccard")
    assert decision.score >= 0.8


def test_copy_trimmed_to_its_first_sixty_percent_is_a_duplicate(dedup):
    dedup.add(1, dedup.fingerprint(WIRE_TITLE, WIRE))
    tokens = WIRE.split()
    trimmed = dedup.fingerprint(WIRE_TITLE, " ".join(tokens[: int(len(tokens) * 0.6)]))
    decision = dedup.find(trimmed)
    assert decision is not None and decision.original_id == 1
    assert decision.method in ("minhash-jaccard", "minhash-containment")


def test_independent_reports_of_one_event_are_not_duplicates(dedup):
    dedup.add(1, dedup.fingerprint(WIRE_TITLE, WIRE))
    assert dedup.find(dedup.fingerprint("No deal in Istanbul as Pakistan-Afghan talks fail", INDEPENDENT)) is None


def test_short_items_match_on_headline_with_small_changes(dedup):
    original = dedup.fingerprint(SHORT_TITLE, "")
    assert original.short is True
    dedup.add(1, original)
    for variant in (
        SHORT_TITLE + " - Dawn",
        "Pakistan, Afghanistan agree to extend ceasefire after third round of Istanbul talks: officials",
    ):
        decision = dedup.find(dedup.fingerprint(variant, ""))
        assert decision is not None, variant
        assert (decision.original_id, decision.method) == (1, "minhash-title")
    different = "Pakistan and Afghanistan fail to agree on ceasefire monitoring in Istanbul talks"
    assert dedup.find(dedup.fingerprint(different, "")) is None
    assert dedup.find(dedup.fingerprint("Pakistan and Afghanistan troops exchange fire at Chaman", "")) is None


def test_short_and_long_items_are_never_compared(dedup):
    dedup.add(1, dedup.fingerprint(SHORT_TITLE, ""))
    assert dedup.find(dedup.fingerprint(SHORT_TITLE, WIRE)) is None


def test_empty_text_does_not_crash(dedup):
    dedup.add(1, dedup.fingerprint(SHORT_TITLE, ""))
    empty = dedup.fingerprint("", "")
    assert empty.size == 0
    assert dedup.find(empty) is None
    dedup.add(2, empty)  # harmless
    assert dedup.find(dedup.fingerprint("  ", "\n\n")) is None


def test_five_megabytes_of_text_is_fingerprinted_and_finds_its_copy(dedup):
    rng = random.Random(5)
    vocabulary = [f"word{i}" for i in range(20_000)]
    parts, length = [], 0
    while length < 5_000_000:
        parts.append(rng.choice(vocabulary))
        length += len(parts[-1]) + 1
    huge = " ".join(parts)
    original = dedup.fingerprint("A very long page", huge)
    assert original.size > 500_000 and original.short is False
    dedup.add(1, original)
    decision = dedup.find(dedup.fingerprint("Its copy", huge + BOILERPLATE))
    assert decision is not None and decision.original_id == 1


@pytest.mark.parametrize(
    ("text", "copy"),
    [
        # An Urdu copy typed with Arabic yeh and kaf, plus a "follow us" line.
        (URDU, URDU.replace("ی", "ي").replace("ک", "ك") + " مزید خبروں کے لیے ہمیں فالو کریں۔"),
        # A Hindi copy without nuktas, plus a "follow us" line.
        (HINDI, HINDI.replace("\u093c", "") + " ताज़ा ख़बरों के लिए हमें फ़ॉलो करें।"),
    ],
    ids=["urdu", "hindi"],
)
def test_urdu_and_hindi_copies_are_duplicates(dedup, text, copy):
    dedup.add(1, dedup.fingerprint("original", text))
    dedup.add(2, dedup.fingerprint(WIRE_TITLE, WIRE))
    decision = dedup.find(dedup.fingerprint("copy", copy))
    assert decision is not None
    assert (decision.original_id, decision.method) == (1, "minhash-jaccard")
    assert decision.score >= 0.8


def test_urdu_and_hindi_reports_are_not_copies_of_each_other(dedup):
    dedup.add(1, dedup.fingerprint("", URDU))
    assert dedup.find(dedup.fingerprint("", HINDI)) is None


def test_load_rebuilds_both_indexes_from_storage(sessions, dedup):
    fetched = datetime(2025, 11, 7, 12, 0, tzinfo=UTC)
    items = {
        "wire": (WIRE_TITLE, WIRE),
        "urdu": ("مذاکرات ناکام", URDU),
        "short": (SHORT_TITLE, ""),
    }
    ids: dict[str, int] = {}
    with transaction(sessions) as session:
        for name, (title, text) in items.items():
            fp = dedup.fingerprint(title, text)
            record = ArticleRecord(
                url=f"https://example.com/{name}",
                title=title,
                text=text,
                source_id=None,
                fetched_at=fetched,
                signature=fp.as_bytes(),
                shingle_count=fp.size,
                short_text=fp.short,
            )
            ids[name] = store_article(session, record).article_id
        # An article stored without a signature is not indexed.
        store_article(
            session, ArticleRecord(url="https://example.com/old", title="Old", text=INDEPENDENT, source_id=None)
        )

    rebuilt = Deduplicator(DedupConfig())
    with transaction(sessions) as session:
        assert rebuilt.load(session) == 3
    assert len(rebuilt.long) == 2 and len(rebuilt.short) == 1

    decision = rebuilt.find(rebuilt.fingerprint("Another headline", WIRE + BOILERPLATE))
    assert decision is not None and (decision.original_id, decision.method) == (ids["wire"], "minhash-jaccard")
    decision = rebuilt.find(rebuilt.fingerprint("copy", URDU.replace("ی", "ي")))
    assert decision is not None and decision.original_id == ids["urdu"]
    decision = rebuilt.find(rebuilt.fingerprint(SHORT_TITLE + " - Dawn", ""))
    assert decision is not None and (decision.original_id, decision.method) == (ids["short"], "minhash-title")
    assert rebuilt.find(rebuilt.fingerprint("", INDEPENDENT)) is None

    # Loading again is idempotent.
    with transaction(sessions) as session:
        rebuilt.load(session)
    assert len(rebuilt.long) == 2 and len(rebuilt.short) == 1
