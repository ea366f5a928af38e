"""py3langid's model kept decompressed in the cache folder (crawler.analysis.langid_cache)."""

from __future__ import annotations

from pathlib import Path

import pytest
from py3langid import langid

from crawler.analysis.langid_cache import cache_path, load_language_model

TEXTS = [
    "The two delegations ended the third round of talks in Istanbul without an agreement on the border.",
    "Les deux délégations ont achevé le troisième cycle de pourparlers à Istanbul sans accord sur la frontière.",
    "Die beiden Delegationen beendeten die dritte Verhandlungsrunde in Istanbul ohne Einigung über die Grenze.",
    "اختتم الوفدان الجولة الثالثة من المحادثات في إسطنبول دون التوصل إلى اتفاق بشأن الحدود.",
]


def _ranks() -> list[list[tuple[str, float]]]:
    identifier = langid.IDENTIFIER
    assert identifier is not None
    return [identifier.rank(text)[:5] for text in TEXTS]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # The identifier is process-wide: each test starts without one and leaves the old one back.
    monkeypatch.setenv("NEWSWATCH_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(langid, "IDENTIFIER", None)
    return tmp_path


def test_the_model_is_read_back_from_the_cache_as_py3langid_loaded_it(cache: Path, monkeypatch) -> None:
    load_language_model()
    path = cache_path()
    assert path is not None and path.parent == cache and path.is_file()
    loaded = _ranks()
    # A second process (here: the same one, its identifier dropped) never decompresses the model.
    monkeypatch.setattr(langid, "IDENTIFIER", None)

    def decompress(*args, **kwargs):
        raise AssertionError("py3langid loaded its model file although the cache has it")

    monkeypatch.setattr(langid, "_load_identifier", decompress)
    load_language_model()
    assert _ranks() == loaded
    assert [langid.classify(text)[0] for text in TEXTS] == ["en", "fr", "de", "ar"]


def test_an_unreadable_cache_file_falls_back_to_the_model_and_is_replaced(cache: Path, monkeypatch) -> None:
    path = cache_path()
    assert path is not None
    path.write_bytes(b"not a pickle")
    load_language_model()
    assert langid.classify(TEXTS[1])[0] == "fr"
    assert path.stat().st_size > 1_000_000, "rewritten with the loaded model"


def test_the_cache_off_writes_nothing(cache: Path, monkeypatch) -> None:
    monkeypatch.setenv("NEWSWATCH_CACHE_DIR", "off")
    assert cache_path() is None
    load_language_model()
    assert langid.classify(TEXTS[2])[0] == "de"
    assert list(cache.iterdir()) == []
