"""The pure commands install and run without Blender (`bpy` is the optional `render` extra).

Each command runs in a subprocess whose import system cannot find `bpy`, `mathutils` or
`bmesh`, as in `pip install simgen` without `[render]`; rendering there is a clear exit 2.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.tiny import render_tiny

pytestmark = pytest.mark.blender  # the dataset the pure commands read is rendered once, with Blender

NO_BLENDER = """
import importlib.abc, runpy, sys
class NoBlender(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("bpy", "mathutils", "bmesh"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, NoBlender())
sys.argv = ["simgen", *sys.argv[1:]]
try:
    runpy.run_module("simgen", run_name="__main__")
finally:
    leaked = sorted(m for m in sys.modules if m.split(".")[0] in ("bpy", "mathutils", "bmesh"))
    assert not leaked, leaked
"""


def run_without_blender(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([sys.executable, "-c", NO_BLENDER, *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=600)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    return render_tiny(tmp_path_factory.mktemp("no_bpy") / "data", frames=2)


@pytest.mark.parametrize("argv", [
    ("plan", "frames=20", "output.dir={tmp}/plan"),
    ("validate", "{data}"),
    ("report", "{data}", "--out", "{tmp}/report.html"),
    ("preview", "{data}", "--out", "{tmp}/preview"),
    ("export", "yolo", "{data}", "--out", "{tmp}/yolo"),
    ("lineage", "{data}", "0"),
], ids=lambda argv: argv[0])
def test_a_pure_command_runs_without_bpy(dataset, tmp_path, argv):
    args = [a.format(data=dataset, tmp=tmp_path) for a in argv]
    result = run_without_blender(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr


def test_rendering_without_bpy_is_a_clear_exit_2_that_writes_nothing(tmp_path):
    out = tmp_path / "data"
    result = run_without_blender("frames=1", f"output.dir={out}", "output.progress=false", cwd=tmp_path)
    assert result.returncode == 2, result.stderr[-3000:]
    assert "simgen[render]" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists() or not any(out.iterdir())
