"""The validated config kept on disk between command runs, so a command does not validate it again.

Why: validating ``config.yaml`` (YAML with line numbers, a pydantic validator built for every
section, CLDR's country names, the digest's cron) cost ~0.1 s of every command's start, a
fifth of the 0.5 s that ``newswatch search`` may take (issue 20), for a file that rarely
changes. After a command has validated the file, the next one reads the validated
:class:`core.config.Config` back (unpickled: no YAML, no validation) when everything the
validation depended on is as it was:

* the file's bytes and its resolved path (relative paths in it are resolved against its folder);
* ``$NEWSWATCH_DATABASE_URL`` (it overrides ``database.url``);
* the validating code: every module of the ``core`` package;
* the installed packages (the ``*.dist-info`` folders beside pydantic: names and versions,
  so an upgraded pydantic, Babel or APScheduler validates anew) and the Python version.

Anything else validates the file anew, so a changed file is refused exactly as before (exit
2, naming the file, the line and the key). The seed files are checked on every read: their
presence is not in the key. One file per config path in the folder of
:func:`crawler.analysis.cache_files.cache_dir` (``NEWSWATCH_CACHE_DIR=off`` turns it off),
written atomically and readable by its owner only (``database.url`` may hold a password, as
the config file does). Any error reading it (truncated, foreign, from another version) is
the same as no file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING

import core
from core import configfile

if TYPE_CHECKING:
    from core.config import Config

logger = logging.getLogger(__name__)

# The layout of the file; bump when it changes.
FORMAT = 1


def _code_digest() -> str:
    """A digest of every module of ``core`` (the config models, their validators and helpers)."""
    package = Path(core.__file__).parent
    digest = hashlib.sha256()
    for module in sorted(package.rglob("*.py")):
        digest.update(module.relative_to(package).as_posix().encode())
        digest.update(module.read_bytes())
    return digest.hexdigest()


def _installed_packages() -> list[str]:
    """The distributions installed beside pydantic, with their versions (their metadata folders' names).

    Why not ``importlib.metadata.version`` per package: that scans the path for each, ~5 ms
    a package, where one listing of the folder costs well under one.
    """
    import pydantic  # loaded already: Typer coerces every option through it

    site = Path(pydantic.__file__).resolve().parent.parent
    try:
        return sorted(name for name in os.listdir(site) if name.endswith((".dist-info", ".egg-info")))
    except OSError:
        return []


def cache_key(config_path: Path, content: bytes, env: dict[str, str]) -> str:
    """A digest of everything validating the file at ``config_path`` (holding ``content``) depends on."""
    parts = [
        FORMAT,
        sys.version,
        str(config_path.resolve()),
        hashlib.sha256(content).hexdigest(),
        hashlib.sha256(env.get("NEWSWATCH_DATABASE_URL", "").encode()).hexdigest(),
        _code_digest(),
        _installed_packages(),
    ]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def cache_file(config_path: Path) -> Path | None:
    """Where the validated config of the file at ``config_path`` is kept (None: the cache is off)."""
    from crawler.analysis.cache_files import cache_dir

    folder = cache_dir()
    if folder is None:
        return None
    name = hashlib.sha256(str(config_path.resolve()).encode()).hexdigest()[:16]
    return folder / f"config-{name}.pickle"


def _read(path: Path, key: str) -> Config | None:
    """The config kept in ``path`` under ``key``; None when there is none usable."""
    from core.config import Config

    try:
        with path.open("rb") as file:
            # The key first, on its own: a file kept for other content is not unpickled further.
            if pickle.load(file) != key:
                return None
            config = pickle.load(file)
    except FileNotFoundError:
        return None
    except Exception as exc:  # a truncated or foreign file: any unpickling error, then validate
        logger.debug("config cache %s unreadable, validating the config: %s", path, exc)
        return None
    return config if isinstance(config, Config) else None


def _write(path: Path, key: str, config: Config) -> None:
    from crawler.analysis.cache_files import write_atomically

    def dump(out: IO[bytes]) -> None:
        pickle.dump(key, out, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(config, out, protocol=pickle.HIGHEST_PROTOCOL)

    write_atomically(path, dump, "config")


def load_config(config_path: Path, env: dict[str, str] | None = None) -> Config:
    """:func:`core.configfile.load_config` of ``config_path``, read from the cache when it was validated before.

    ``env`` defaults to the process environment. Raises :class:`core.errors.ConfigError`
    exactly as :func:`core.configfile.load_config` does.
    """
    env = dict(os.environ) if env is None else env
    content = configfile.read_config_bytes(config_path)
    path = cache_file(config_path)
    if path is None:
        return configfile.parse_config(config_path, content, env=env)
    key = cache_key(config_path, content, env)
    config = _read(path, key)
    if config is not None and all(seed.is_file() for seed in config.seed_paths()):
        return config
    # Validated from the same bytes the key was made of: a file changed meanwhile is not
    # kept under the old content's key.
    config = configfile.parse_config(config_path, content, env=env)
    _write(path, key, config)
    return config
