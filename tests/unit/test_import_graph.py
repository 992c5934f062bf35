"""Imports point down the layers drawn in docs/architecture.md, never up or sideways.

The layer table is read from docs/architecture.md (the rows after its `layer-table` marker), the
imports from the source with `ast` (nothing is imported). Function-local imports count. An edge
from unit A to unit B is allowed when A is B, or B's rank is lower than A's; anything else is a
back-edge and fails, unless `KNOWN_BACK_EDGES` names it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARCHITECTURE = ROOT / "docs" / "architecture.md"

# (importing module prefix, imported module prefix) -> why it is still there and what removes it.
# An entry that matches no edge fails `test_every_known_back_edge_still_occurs`.
KNOWN_BACK_EDGES: dict[tuple[str, str], str] = {}

HYDRA_ROOTS = {"hydra", "omegaconf"}
HYDRA_UNITS = ("simgen.cli", "simgen.commands", "simgen.config.compose", "simgen.config.overrides",
               "simgen.config.diagnose")


def layer_ranks(text: str) -> dict[str, int]:
    """unit -> rank, from the markdown table after the `layer-table` marker."""
    table = text.split("<!-- layer-table", 1)[1].split("\n\n", 1)[0]
    ranks = {}
    for row in table.splitlines():
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].isdigit():
            for unit in re.findall(r"`([\w.]+)`", cells[2]):
                ranks[unit] = int(cells[0])
    return ranks


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def source_files() -> list[Path]:
    return sorted((ROOT / "simgen").rglob("*.py"))


def imports_of(path: Path, known: set[str]) -> set[str]:
    """Every module this file imports (absolute names; `from a import b` is `a.b` when b is a module)."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return found


def import_graph() -> dict[str, set[str]]:
    """module -> the simgen modules and third-party top-level packages it imports."""
    files = source_files()
    known = {module_name(p) for p in files}
    graph: dict[str, set[str]] = {}
    for path in files:
        edges = {m if m.split(".")[0] == "simgen" else m.split(".")[0] for m in imports_of(path, known)}
        graph.setdefault(module_name(path), set()).update(edges)
    return graph


def unit_of(module: str, ranks: dict[str, int]) -> str | None:
    """The longest unit that is the module or a package holding it (`simgen` only as itself)."""
    if module == "simgen":
        return "simgen" if "simgen" in ranks else None
    matches = [u for u in ranks if u != "simgen" and (module == u or module.startswith(u + "."))]
    return max(matches, key=len, default=None)


def back_edges(graph: dict[str, set[str]], ranks: dict[str, int]) -> list[tuple[str, str]]:
    """(importer, imported) pairs that point to a higher rank or to another unit of the same rank."""
    found = []
    for module, targets in graph.items():
        source = unit_of(module, ranks)
        for target in targets:
            if not target.startswith("simgen"):
                continue
            unit = unit_of(target, ranks)
            if unit is not None and source is not None and unit != source and ranks[unit] >= ranks[source]:
                found.append((module, target))
    return sorted(found)


def _known(edge: tuple[str, str], known: tuple[str, str]) -> bool:
    return all(name == prefix or name.startswith(prefix + ".") for name, prefix in zip(edge, known, strict=True))


RANKS = layer_ranks(ARCHITECTURE.read_text(encoding="utf-8"))
GRAPH = import_graph()


def test_the_layer_table_is_read():
    assert RANKS["simgen.blender"] == RANKS["simgen.annotations"] == RANKS["simgen.imaging"]
    assert RANKS["simgen.specs"] < RANKS["simgen.config"] < RANKS["simgen.sampling"] < RANKS["simgen.pipeline"]
    assert RANKS["simgen.geometry.mesh"] < RANKS["simgen.catalog"] < RANKS["simgen.geometry"]


def test_every_module_has_a_layer():
    assert [m for m in GRAPH if unit_of(m, RANKS) is None] == []


def test_no_back_edges_between_layers():
    unexpected = [f"{a} -> {b}" for a, b in back_edges(GRAPH, RANKS)
                  if not any(_known((a, b), known) for known in KNOWN_BACK_EDGES)]
    assert unexpected == [], "imports against docs/architecture.md (fix them, or explain them in KNOWN_BACK_EDGES)"


def test_every_known_back_edge_still_occurs():
    edges = back_edges(GRAPH, RANKS)
    stale = [known for known in KNOWN_BACK_EDGES if not any(_known(edge, known) for edge in edges)]
    assert stale == [], "fixed: remove these from KNOWN_BACK_EDGES (and from docs/architecture.md)"


def test_only_the_cli_and_commands_know_hydra():
    leaks = [m for m, targets in GRAPH.items() if targets & HYDRA_ROOTS and not m.startswith(HYDRA_UNITS)]
    assert leaks == []


def test_a_back_edge_is_caught():
    ranks = {"simgen.specs": 0, "simgen.sampling": 4, "simgen.render": 4, "simgen.pipeline": 8}
    graph = {"simgen.sampling.camera": {"simgen.specs", "simgen.pipeline", "numpy"},
             "simgen.render.protocol": {"simgen.sampling.frame"}, "simgen.pipeline": {"simgen.render.protocol"}}
    assert back_edges(graph, ranks) == [("simgen.render.protocol", "simgen.sampling.frame"),
                                        ("simgen.sampling.camera", "simgen.pipeline")]

