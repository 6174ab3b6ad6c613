"""The architecture holds: the layer contracts of pyproject.toml, and no import cycles.

``lint-imports`` checks the contracts (the command line and the window above the core, each
part of the core above what it uses, no Qt in the core). Cycles are found in the same import
graph (grimp's, type-only imports included): a module may not, through any chain of imports,
import itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contracts_hold(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import sys; from importlinter.cli import lint_imports; "
                "sys.exit(lint_imports(no_cache=True, no_logo=True))"
            ),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "broken" in done.stdout and " 0 broken" in done.stdout


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, without
    recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
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
                    work.append((child, iter(sorted(graph.get(child, ())))))
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
                    found.append(sorted(group))
    return found


def test_the_cycle_finder_finds_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


@pytest.fixture(scope="module")
def import_graph() -> dict[str, set[str]]:
    sys.path.insert(0, str(ROOT))
    try:
        graph = grimp.build_graph("metaflash", cache_dir=None)
    finally:
        sys.path.remove(str(ROOT))
    return {
        module: set(graph.find_modules_directly_imported_by(module)) for module in graph.modules
    }


def test_the_graph_is_this_checkout(import_graph: dict[str, set[str]]) -> None:
    assert "metaflash.core.collection.store" in import_graph
    assert "metaflash.core.collection.answers" in import_graph["metaflash.core.collection.store"]


def test_no_module_imports_itself_through_others(import_graph: dict[str, set[str]]) -> None:
    assert cycles(import_graph) == []
