"""Only simgen/blender/ may import bpy, mathutils or bmesh; `import simgen` imports neither
Blender nor Hydra."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BLENDER_MODULES = {"bpy", "mathutils", "bmesh"}


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_only_the_blender_package_imports_bpy():
    offenders = []
    for folder in ("simgen", "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.is_relative_to(ROOT / "simgen" / "blender"):
                continue
            leaked = _imported_roots(path) & BLENDER_MODULES
            if leaked:
                offenders.append(f"{path.relative_to(ROOT)} imports {sorted(leaked)}")
    assert offenders == []


def test_the_scan_sees_blender_imports():
    roots = _imported_roots(ROOT / "simgen" / "blender" / "build.py")
    assert {"bpy", "mathutils"} <= roots


def test_import_simgen_pulls_neither_blender_nor_hydra():
    code = ("import sys, simgen, simgen.pipeline, simgen.sampling.frame, simgen.catalog.entries; "
            "bad = sorted(m for m in ('bpy', 'mathutils', 'hydra') if m in sys.modules); print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
