"""The cache folder shared by the on-disk caches (derived names, the language model).

The folder is ``$NEWSWATCH_CACHE_DIR``, else ``$XDG_CACHE_HOME/newswatch``, else
``~/.cache/newswatch``; ``NEWSWATCH_CACHE_DIR=off`` turns every cache off. Files there are
caches and nothing else: each is written atomically, and a failure to write one only costs
the next run the work it would have saved.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from importlib import metadata
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

logger = logging.getLogger(__name__)

OFF = "off"


def cache_dir() -> Path | None:
    """Where the cache files go, or None when the cache is off."""
    explicit = os.environ.get("NEWSWATCH_CACHE_DIR")
    if explicit:
        return None if explicit.strip().lower() == OFF else Path(explicit)
    base = Path(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"))
    # No home to expand (a bare service account): no cache, rather than a "~" folder here.
    return base / "newswatch" if base.is_absolute() else None


def package_version(package: str) -> str:
    """An installed package's version, for a cache key ("none" when it is not installed)."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "none"


def write_atomically(path: Path, dump: Callable[[IO[bytes]], None], what: str) -> None:
    """Write ``path`` through ``dump`` into a temporary file renamed over it.

    Atomic because a crawl and the service may start at once; any error is logged (``what``
    names the cache) and swallowed: a cache not written only costs the next run.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            dir=path.parent, prefix=f".{path.stem[:16]}-", suffix=".tmp", delete=False
        ) as tmp:
            dump(tmp)
        try:
            os.replace(tmp.name, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp.name)
            raise
    except Exception as exc:  # an OSError, or a value the dump cannot write
        logger.debug("%s cache %s not written: %s", what, path, exc)
