"""py3langid's language model kept decompressed on disk between runs (:func:`load_language_model`).

Why: py3langid ships its model LZMA-compressed (4.5 MB, 68 MB unpacked) and decompresses it
on every load: ~0.4 s of CPU (0.55-0.65 s on a loaded machine), the largest single cost of
the extraction workers' fork server, which every ``newswatch crawl`` waits for before its
first article. Unpickling the loaded identifier (NumPy arrays and byte arrays: copies, no
parsing) takes a fifth of that.

The file is a cache and nothing else: the identifier it holds is the one py3langid built
from its own model file, and it is used only when py3langid's version, that model file
(size and modification time), NumPy's version and the Python version all match the ones it
was written with (they name the file). Any error reading or writing it falls back to
py3langid's own load. The folder is the derived names' one
(:func:`crawler.analysis.cache_files.cache_dir`); ``NEWSWATCH_CACHE_DIR=off`` turns it off.
It is written from the cache folder's owner's own process, like any file there.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import sys
from pathlib import Path
from typing import Any

from crawler.analysis.cache_files import cache_dir, package_version, write_atomically

logger = logging.getLogger(__name__)

# The layout of the file; bump when it changes.
FORMAT = 1


def load_language_model() -> None:
    """Load py3langid's model now (it loads on first use otherwise), from the cache folder when it has it."""
    import py3langid
    from py3langid import langid

    if getattr(langid, "IDENTIFIER", None) is not None:
        return
    path = cache_path()
    if path is not None and _read(path, langid):
        return
    py3langid.classify("model")
    identifier = getattr(langid, "IDENTIFIER", None)
    if path is not None and identifier is not None:
        write_atomically(
            path, lambda out: pickle.dump(identifier, out, protocol=pickle.HIGHEST_PROTOCOL), "language model"
        )


def cache_path() -> Path | None:
    """Where the cached identifier of this py3langid, model file, NumPy and Python goes (None: cache off)."""
    folder = cache_dir()
    if folder is None:
        return None
    from py3langid import langid

    try:
        model = Path(langid.MODEL_DIR) / langid.MODEL_FILE
        stat = model.stat()
    except (AttributeError, OSError, TypeError):
        return None  # not the layout this was written for: py3langid loads as it always did
    parts: list[Any] = [
        FORMAT,
        package_version("py3langid"),
        package_version("numpy"),
        sys.version,
        str(model),
        stat.st_size,
        stat.st_mtime_ns,
    ]
    key = hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:32]
    return folder / f"langid-{key}.pickle"


def _read(path: Path, langid: Any) -> bool:
    """Install the cached identifier as py3langid's own; False when there is none usable."""
    try:
        with path.open("rb") as file:
            identifier = pickle.load(file)
    except FileNotFoundError:
        return False
    except Exception as exc:  # a truncated or foreign file: any unpickling error, then load anew
        logger.debug("language model cache %s unreadable, loading the model: %s", path, exc)
        return False
    if not isinstance(identifier, langid.LanguageIdentifier):
        return False
    langid.IDENTIFIER = identifier
    return True
