"""Same seed, same bytes: the data paths (sampling, layouts, catalog and recipes, geometry,
annotations, imaging, writers, specs) draw randomness only from the `np.random.Generator` they are
handed, and read no clock, uuid or per-process salt. The scan reads the source with `ast`; it
imports nothing.

Forbidden there: the `random`, `uuid`, `secrets`, `time` and `datetime` modules; any
`np.random.<fn>` other than the explicit-seed constructors (`default_rng`, `Generator`,
`SeedSequence`, bit generators); `os.urandom`; the builtin `hash()` (salted per process for str).
Timing belongs to the pipeline and the renderer, which record it beside the data, never in it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA_PATHS = [
    "simgen/sampling", "simgen/annotations", "simgen/writers", "simgen/geometry", "simgen/catalog",
    "simgen/imaging", "simgen/specs", "simgen/seeds.py", "simgen/contract.py",
]
FORBIDDEN_MODULES = {"random", "uuid", "secrets", "time", "datetime"}
SEEDED_NUMPY = {"default_rng", "Generator", "SeedSequence", "BitGenerator", "PCG64", "PCG64DXSM", "Philox",
                "SFC64", "MT19937"}
NUMPY_RANDOM = ("np.random.", "numpy.random.")


def _dotted(node: ast.AST) -> str:
    """`np.random.rand` for the expression np.random.rand; '' for anything but a name chain."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ""
    return ".".join([node.id, *reversed(parts)])


def _import_offences(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [f"import {a.name}" for a in node.names
                if a.name.split(".")[0] in FORBIDDEN_MODULES or (a.name == "numpy.random" and a.asname)]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        if node.module.split(".")[0] in FORBIDDEN_MODULES:
            return [f"from {node.module} import ..."]
        if node.module == "numpy.random":
            return [f"from numpy.random import {a.name}" for a in node.names if a.name not in SEEDED_NUMPY]
        if node.module == "numpy" and any(a.name == "random" for a in node.names):
            return ["from numpy import random"]
    return []


def unseeded_calls(source: str) -> list[str]:
    """`line: what` for every global-RNG, clock, uuid or salted-hash use in this source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        found += [f"{node.lineno}: {what}" for what in _import_offences(node)]
        if isinstance(node, ast.Attribute):
            name = _dotted(node)
            if name.startswith(NUMPY_RANDOM) and name.split(".")[2] not in SEEDED_NUMPY:
                found.append(f"{node.lineno}: {name}")
            if name == "os.urandom":
                found.append(f"{node.lineno}: {name}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "hash":
            found.append(f"{node.lineno}: hash()")
    return found


def data_path_files() -> list[Path]:
    files = []
    for entry in DATA_PATHS:
        path = ROOT / entry
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


def test_the_data_paths_are_scanned():
    names = {p.relative_to(ROOT).as_posix() for p in data_path_files()}
    assert len(names) >= 40
    assert any(n.startswith("simgen/sampling/") for n in names) and any("recipes/" in n for n in names)
    assert any(n.startswith("simgen/writers/") for n in names) and any("annotations/" in n for n in names)


def test_no_global_rng_clock_or_uuid_in_data_paths():
    offences = [f"{path.relative_to(ROOT)}:{hit}" for path in data_path_files()
                for hit in unseeded_calls(path.read_text(encoding="utf-8"))]
    assert offences == []


@pytest.mark.parametrize("snippet", [
    "import random", "from random import choice", "import uuid", "import time", "from time import perf_counter",
    "from datetime import datetime", "import numpy as np\nx = np.random.rand(3)", "import numpy\nnumpy.random.seed(0)",
    "import numpy as np\nnp.random.shuffle(a)", "from numpy.random import randint", "from numpy import random",
    "import os\nk = os.urandom(8)", "key = hash(name)",
])
def test_the_scan_catches_each_pattern(snippet):
    assert unseeded_calls(snippet)


def test_the_scan_allows_explicit_seeds():
    seeded = ("import numpy as np\nfrom numpy.random import Generator, SeedSequence\n"
              "rng = np.random.default_rng(np.random.SeedSequence(3))\ndef f(rng: np.random.Generator): ...")
    assert unseeded_calls(seeded) == []
