"""Reading config.yaml's YAML in bounded time and memory, with the line of every key.

PyYAML's ``safe_load`` is safe from code execution but not from size: aliases (``*name``)
share one node, and anything that walks the loaded data (the line index, pydantic) expands
every alias again, so a few lines of nested aliases (a "billion laughs") become billions of
values. It also keeps the last of two equal keys without a word, and reports nesting
deeper than Python's recursion limit as a ``RecursionError``. This module composes the
node graph once, refuses those cases with the line and key path of the problem, and only
then builds the data.

Anchors and aliases stay allowed (sharing a list of places between two keys is a
legitimate use); what is bounded is how many values they repeat in all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

# Deepest nesting of mappings and lists, aliases expanded. The shipped config needs 5.
MAX_DEPTH = 50
# Values that aliases may repeat, in all, beyond the values written out in the file.
MAX_ALIAS_VALUES = 10_000

_MERGE_TAG = "tag:yaml.org,2002:merge"

Path = tuple[Any, ...]


class YamlProblem(Exception):
    """Raised by :func:`read_yaml` for well-formed YAML that config.yaml must not contain.

    ``line`` (1-based) and ``loc`` (the key path) say where; the message says what.
    """

    def __init__(self, line: int, loc: Path, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.loc = loc
        self.message = message


@dataclass(frozen=True)
class YamlDocument:
    """The loaded data and the 1-based line of each key path in it."""

    data: Any
    lines: dict[Path, int]


class _Refused(Exception):
    """A node the loader will not build; turned into a :class:`YamlProblem` with its path."""

    def __init__(self, node: yaml.Node, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.node = node
        self.message = message
        self.path = path


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that stops composing past :data:`MAX_DEPTH` and names the values it cannot build."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._path: list[Any] = []

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        # ``index`` is the key node for a mapping value, the position for a list item and
        # None for a mapping key: enough to name where the nesting went too deep.
        label = index.value if isinstance(index, yaml.ScalarNode) else index
        if len(self._path) > MAX_DEPTH:
            event = self.peek_event()
            raise _Refused(
                yaml.ScalarNode("", "", event.start_mark, event.end_mark),
                f"nested more than {MAX_DEPTH} levels deep",
                tuple(self._path[1:]),
            )
        self._path.append(label if label is not None else "?")
        try:
            return super().compose_node(parent, index)
        finally:
            self._path.pop()

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # PyYAML lets a few bad scalars escape as plain Python errors without a line
        # (``2025-02-30`` is a ValueError, ``!!timestamp x`` an AttributeError).
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, AttributeError, OverflowError) as exc:
            raise _Refused(node, f"cannot read this value: {exc}") from None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _child_paths(node: yaml.Node, path: Path) -> list[tuple[yaml.Node, Path]]:
    """Each child with the key path it is reached by (a merged mapping keeps its parent's)."""
    if isinstance(node, yaml.SequenceNode):
        return [(item, (*path, i)) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        out: list[tuple[yaml.Node, Path]] = []
        for key, value in node.value:
            out.append((key, path))
            out.append((value, path if key.tag == _MERGE_TAG else (*path, key.value)))
        return out
    return []


def _measure(root: yaml.Node) -> dict[int, Path]:
    """Refuse alias cycles, alias expansion past the budget and depth past the limit.

    Visits each distinct node once (iteratively: alias chains can be long), computing the
    size and height its value has with aliases expanded. Returns the first key path of
    every node, to name where a later problem is.
    """
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    first_path: dict[int, Path] = {}
    entered: set[int] = set()
    stack: list[tuple[yaml.Node, Path, bool]] = [(root, (), False)]
    while stack:
        node, path, leaving = stack.pop()
        key = id(node)
        if leaving:
            entered.discard(key)
            kids = _children(node)
            size[key] = 1 + sum(size[id(kid)] for kid in kids)
            height[key] = 1 + max((height[id(kid)] for kid in kids), default=0)
            # Every distinct node done so far is counted once in len(size), so what this
            # value has beyond that can only come from repeating aliases.
            if size[key] - len(size) > MAX_ALIAS_VALUES:
                raise _Refused(
                    node, f"aliases (*name) repeat more than {MAX_ALIAS_VALUES} values here", first_path[key]
                )
            if len(first_path[key]) + height[key] > MAX_DEPTH + 1:
                raise _Refused(node, f"nested more than {MAX_DEPTH} levels deep (aliases expanded)", first_path[key])
            continue
        if key in size:
            continue
        if key in entered:
            raise _Refused(node, "an alias (*name) inside this value refers back to the value itself", path)
        entered.add(key)
        first_path[key] = path
        stack.append((node, path, True))
        stack.extend((kid, kid_path, False) for kid, kid_path in reversed(_child_paths(node, path)))
    return first_path


def _key_identity(loader: _BoundedLoader, key: yaml.Node) -> Any:
    """What a scalar key becomes once loaded (``1`` and ``"1"`` differ, ``on`` and ``true`` do not)."""
    value = loader.construct_object(key)
    try:
        hash(value)
    except TypeError:
        return (key.tag, key.value)
    return value


def _index(loader: _BoundedLoader, root: yaml.Node) -> dict[Path, int]:
    """The line of every key path, refusing a key written twice in one mapping.

    Walks the data as it will be loaded (aliases expanded, bounded by :func:`_measure`).
    """
    lines: dict[Path, int] = {}
    checked: set[int] = set()

    def walk(node: yaml.Node, path: Path, merged: bool) -> None:
        lines.setdefault(path, _line(node))
        if isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, i), False)
            return
        if not isinstance(node, yaml.MappingNode):
            return
        seen: dict[Any, int] = {}
        for key, value in node.value:
            if key.tag == _MERGE_TAG:
                continue
            if isinstance(key, yaml.ScalarNode) and id(node) not in checked:
                identity = _key_identity(loader, key)
                if identity in seen:
                    raise _Refused(
                        key,
                        f"duplicate key: also set on line {seen[identity]} (YAML would keep only "
                        "the last one silently; remove one)",
                        (*path, key.value),
                    )
                seen[identity] = _line(key)
            child = (*path, key.value)
            # A key written in this mapping wins over the same key brought in by ``<<``.
            if merged:
                lines.setdefault(child, _line(key))
            else:
                lines[child] = _line(key)
            walk(value, child, False)
        checked.add(id(node))
        for key, value in node.value:
            if key.tag == _MERGE_TAG:
                for source in value.value if isinstance(value, yaml.SequenceNode) else [value]:
                    walk(source, path, True)

    walk(root, (), False)
    return lines


def read_yaml(text: str) -> YamlDocument:
    """Load one YAML document with the checks above.

    Raises ``yaml.YAMLError`` for text that is not YAML and :class:`YamlProblem` for YAML
    that config.yaml must not contain (duplicate keys, alias bombs, alias cycles, nesting
    past :data:`MAX_DEPTH`, values that cannot be built).
    """
    loader = _BoundedLoader(text)
    first_path: dict[int, Path] = {}
    try:
        root = loader.get_single_node()
        if root is None:
            return YamlDocument(None, {})
        first_path = _measure(root)
        lines = _index(loader, root)
        data = loader.construct_document(root)
    except _Refused as refused:
        path = refused.path if refused.path is not None else first_path.get(id(refused.node), ())
        raise YamlProblem(_line(refused.node), path, refused.message) from None
    finally:
        loader.dispose()
    return YamlDocument(data, lines)
