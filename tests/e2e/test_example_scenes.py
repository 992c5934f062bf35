"""Every scenario folder in scenes/ plans and renders from the repository root, as its README says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCENES = sorted(p for p in (ROOT / "scenes").iterdir() if (p / "scenario").is_dir())
TINY = ["render.resolution=[96,72]", "render.samples=1", "render.denoise=false", "output.progress=false"]


def _simgen(*argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([sys.executable, "-m", "simgen", *argv], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=600)


def test_scenes_holds_at_least_one_example():
    assert [p.name for p in SCENES] and all((p / "scenario" / f"{p.name}.yaml").is_file() for p in SCENES)


@pytest.mark.blender
@pytest.mark.parametrize("folder", SCENES, ids=lambda p: p.name)
def test_an_example_scene_plans_and_renders(folder, tmp_path):
    scenario = f"scenario={folder.name}"
    planned = _simgen("plan", "--config-dir", str(folder), scenario, "frames=20", f"output.dir={tmp_path / 'plan'}")
    assert planned.returncode == 0, planned.stderr[-3000:]
    rendered = _simgen("--config-dir", str(folder), scenario, "frames=2", f"output.dir={tmp_path / 'data'}", *TINY)
    assert rendered.returncode == 0, rendered.stderr[-3000:]
    coco = json.loads((tmp_path / "data" / "annotations.json").read_text())
    assert len(coco["images"]) == 2
    assert coco["info"]["scenario"] == folder.name
