"""No import circles between the project's modules (the layers themselves: `lint-imports`).

import-linter's contracts in pyproject.toml keep imports going one way between packages;
inside a package two modules can still import each other. This finds every strongly
connected group of modules in the import graph (grimp, which import-linter uses; imports
under TYPE_CHECKING count too: a circle for the type checker is a circle in the design).
"""

from __future__ import annotations

import grimp

PACKAGES = ("core", "storage", "crawler", "notify", "web", "scheduler")
# No package is exempt: the circle that once ran through crawler/context.py went with the
# crawler's one write path (crawler.ingest). Add a package here only with the reason.
EXEMPT: tuple[str, ...] = ()


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Groups of two or more modules that import each other, directly or not (Tarjan)."""
    edges = {module: sorted(graph.find_modules_directly_imported_by(module)) for module in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    # Iterative, so a long chain of imports cannot hit the recursion limit.
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def test_cycle_finder_finds_a_circle():
    graph = grimp.ImportGraph()
    for module in ("a", "b", "c", "d"):
        graph.add_module(module)
    graph.add_import(importer="a", imported="b")
    graph.add_import(importer="b", imported="c")
    graph.add_import(importer="c", imported="a")
    graph.add_import(importer="c", imported="d")
    assert _cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycles():
    graph = grimp.build_graph(*PACKAGES)
    found = [group for group in _cycles(graph) if not all(m.split(".")[0] in EXEMPT for m in group)]
    assert found == [], f"import cycles: {found}"
