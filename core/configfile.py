"""Reading ``config.yaml`` into a :class:`core.config.Config`.

Every problem is a :class:`ConfigError` naming the file, the line and the key path (the CLI
exits 2 with it): unreadable or non-UTF-8 files, YAML errors, unknown or invalid keys,
missing seed files.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import ConfigError

if TYPE_CHECKING:
    from core.config import Config

DEFAULT_CONFIG = "config.yaml"


def _format_loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    # pydantic adds validator names such as 'function-before[...]' or 'constrained-int';
    # users only know their own keys and list indexes.
    return tuple(p for p in loc if isinstance(p, int) or not re.search(r"[\[\]-]", str(p)))


def _describe(error: Any) -> str:
    message = str(error.get("msg", "invalid"))
    message = message.removeprefix("Value error, ")
    if error.get("type") == "extra_forbidden":
        return "unknown key (check the spelling; see the configuration reference in docs/configuration.md)"
    if error.get("type") == "missing":
        return "required key is missing"
    return message


def config_error(path: Path, lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...], why: str) -> ConfigError:
    """Build a :class:`ConfigError` naming file, line and key path."""
    line = None
    probe = loc
    while probe and line is None:
        line = lines.get(probe)
        probe = probe[:-1]
    where = f"{path}:{line}" if line else str(path)
    return ConfigError(f"{where}: {_format_loc(loc)}: {why}")


def load_config(path: str | os.PathLike[str] | None = None, *, env: dict[str, str] | None = None) -> Config:
    """Read, merge over the defaults and validate a config file.

    ``path`` defaults to ``$NEWSWATCH_CONFIG`` or ``config.yaml``; ``$NEWSWATCH_DATABASE_URL``
    overrides ``database.url``. Raises :class:`ConfigError` on any problem.
    """
    env = dict(os.environ) if env is None else env
    config_path = Path(path or env.get("NEWSWATCH_CONFIG") or DEFAULT_CONFIG)
    return parse_config(config_path, read_config_bytes(config_path), env=env)


def read_config_bytes(config_path: Path) -> bytes:
    """The config file's bytes; :class:`ConfigError` when it is missing or unreadable."""
    try:
        return config_path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{config_path}: config file not found") from None
    except OSError as exc:
        raise ConfigError(f"{config_path}: cannot read config file: {exc.strerror}") from None


def parse_config(config_path: Path, raw_bytes: bytes, *, env: dict[str, str]) -> Config:
    """Validate ``raw_bytes``, the content of the config file at ``config_path``, as :func:`load_config` does.

    Raises :class:`ConfigError` naming the file, the line and the key path on any problem.
    """
    # Here, not at the top: a command that reads its validated config from the CLI's cache
    # (scheduler.cli.config_cache) imports neither YAML nor the config models' validators.
    import yaml
    from pydantic import ValidationError

    from core.config import Config
    from core.yamlfile import YamlProblem, read_yaml

    try:
        text = raw_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{config_path}: config file is not UTF-8 ({exc.reason} at byte {exc.start})") from None
    try:
        document = read_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{config_path}:{mark.line + 1}" if mark else str(config_path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{where}: not valid YAML: {problem}") from None
    except YamlProblem as exc:
        raise ConfigError(f"{config_path}:{exc.line}: {_format_loc(exc.loc)}: {exc.message}") from None
    data, lines = document.data, document.lines
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{config_path}:1: (top level): expected a mapping of sections, got {type(data).__name__}")
    override = env.get("NEWSWATCH_DATABASE_URL")
    if override:
        database = data.get("database") or {}
        if not isinstance(database, dict):
            raise config_error(config_path, lines, ("database",), "expected a mapping")
        data = {**data, "database": {**database, "url": override}}
    base_dir = config_path.resolve().parent
    try:
        config = Config.model_validate({**data, "base_dir": base_dir})
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = _clean_loc(tuple(first["loc"]))
        if first.get("type") == "value_error" and loc == () and ": " in first["msg"]:
            # Model-level checks put the key path into their own message.
            raise ConfigError(f"{config_path}: {_describe(first)}") from None
        raise config_error(config_path, lines, loc, _describe(first)) from None
    for index, seed in enumerate(config.seed_paths()):
        if not seed.is_file():
            seed_loc: tuple[Any, ...] = ("topic", "seed", index) if len(config.topic.seed) > 1 else ("topic", "seed")
            raise config_error(config_path, lines, seed_loc, f"seed file not found: {seed}")
    return config
