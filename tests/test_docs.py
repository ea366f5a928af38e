"""The README and docs/ keep their promises: the two commands on top, every config key
documented, screenshots present and small, and no link pointing at a moved section."""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from core.config import Config
from tests.conftest import ROOT

README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
CONFIG_DOC = ROOT / "docs" / "configuration.md"
FENCE = re.compile(r"^```.*?^```", re.M | re.S)


def _prose(text: str) -> str:
    """The Markdown without its fenced code blocks (their brackets are not links)."""
    return FENCE.sub("", text)


def test_readme_opens_with_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    first_section = text.index("\n## ", text.index("## Quick start") + 1)
    blocks = re.findall(r"^```bash\n(.*?)\n```", text[:first_section], re.M | re.S)
    # One command installs and runs the service, the other installs and runs the tests.
    assert len(blocks) == 2, blocks
    assert blocks[0].endswith("&& newswatch run")
    assert blocks[1].endswith("&& python -m pytest")
    # .ci/run extracts the block right after the marker: the test command, nothing else.
    assert re.search(r"<!-- test-command[^\n]*-->\n```bash\n" + re.escape(blocks[1]) + "\n```", text)


def test_readme_screenshots_exist_and_are_small() -> None:
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README.read_text(encoding="utf-8"))
    assert {"docs/dashboard.png", "docs/digest.png"} <= set(images)
    for image in images:
        data = (ROOT / image).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n"), image
        assert len(data) < 300_000, (image, len(data))


def _models(annotation: object) -> list[type[BaseModel]]:
    """The config models inside a field's type (through Optional, list, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for argument in typing.get_args(annotation):
            found += _models(argument)
    return found


def _keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Every leaf key of the config, dotted (`crawl.timeout`); list items as `sources[]`."""
    keys = []
    for name, field in model.model_fields.items():
        if field.exclude:
            continue
        is_list = typing.get_origin(field.annotation) is list or "list[" in str(field.annotation)
        key = prefix + name + ("[]" if is_list and _models(field.annotation) else "")
        nested = _models(field.annotation)
        if nested:
            keys += [child for sub in nested for child in _keys(sub, key + ".")]
        else:
            keys.append(key)
    return keys


def _documented(key: str, rows: list[str]) -> bool:
    """The key in backticks, or its leaf named in the row of its nearest documented parent
    (`sources[]` lists `name`, `type`, ...; `alerts.channels.webhook` lists `{url, secret_env}`)."""
    if any(f"`{key}`" in row for row in rows):
        return True
    parts = key.split(".")
    leaf = parts[-1]
    for depth in range(len(parts) - 1, 0, -1):
        parent = ".".join(parts[:depth])
        parent_rows = [row for row in rows if row.startswith(f"| `{parent}`")]
        if parent_rows:
            return any(re.search(rf"\b{re.escape(leaf)}\b", row) for row in parent_rows)
    return False


def test_every_config_key_is_documented() -> None:
    rows = [line for line in CONFIG_DOC.read_text(encoding="utf-8").splitlines() if line.startswith("| `")]
    keys = _keys(Config)
    assert "crawl.timeout" in keys and "sources[].link_pattern" in keys  # the walk reaches both kinds
    missing = [key for key in keys if not _documented(key, rows)]
    assert missing == [], f"config keys missing from docs/configuration.md: {missing}"


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    headings = re.findall(r"^#+ (.+)$", _prose(path.read_text(encoding="utf-8")), re.M)
    return {_slug(heading) for heading in headings}


@pytest.mark.parametrize("page", [README, *DOCS], ids=lambda path: str(path.relative_to(ROOT)))
def test_relative_links_resolve(page: Path) -> None:
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", _prose(page.read_text(encoding="utf-8"))):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        linked = (page.parent / file).resolve() if file else page
        if not linked.exists() or (anchor and linked.suffix == ".md" and anchor not in _anchors(linked)):
            broken.append(target)
    assert broken == [], f"{page.name}: links to nothing: {broken}"
