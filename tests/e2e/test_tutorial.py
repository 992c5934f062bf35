"""The tutorial (docs/tutorial.md) works as written: its files, its commands (at a tiny size)."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.blender

TUTORIAL = Path(__file__).resolve().parents[2] / "docs" / "tutorial.md"
TINY = ["render.resolution=[160,120]", "render.samples=2", "render.denoise=false", "output.progress=false"]


def tutorial_blocks() -> tuple[dict[str, str], list[str]]:
    text = TUTORIAL.read_text(encoding="utf-8")
    files = dict(re.findall(r"<!-- tutorial-file: (\S+) -->\n```yaml\n(.*?)```", text, re.S))
    (commands,) = re.findall(r"<!-- tutorial-command -->\n```bash\n(.*?)```", text, re.S)
    return files, [line for line in commands.splitlines() if line.strip()]


def test_the_tutorial_runs(tmp_path):
    files, commands = tutorial_blocks()
    assert set(files) == {"my_scenarios/assets/pallets.yaml", "my_scenarios/obstacles/pallets.yaml",
                          "my_scenarios/scenario/lost_cargo.yaml"}
    for name, body in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(body)
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    for command in commands:
        argv = shlex.split(command)
        assert argv[0] == "simgen"
        extra = []
        if len(argv) > 1 and argv[1] not in ("plan", "preview"):
            argv = [a for a in argv if not a.startswith("frames=")] + ["frames=4"]
            extra = TINY
        result = subprocess.run([sys.executable, "-m", "simgen", *argv[1:], *extra], cwd=tmp_path,
                                capture_output=True, text=True, env=env, timeout=600)
        assert result.returncode == 0, f"{command}\n{result.stderr[-3000:]}"
    coco = json.loads((tmp_path / "outputs" / "lost_cargo" / "annotations.json").read_text())
    assert {"id": 100, "name": "pallet", "supercategory": "pallet"} in coco["categories"]
    pallets = [a for a in coco["annotations"] if a["category_id"] == 100]
    assert len({a["image_id"] for a in pallets}) >= 2  # quota 0.5 over 4 frames: at least 2 frames
    assert all(a["asset"] == "pallet" and a["bbox_amodal"] is not None for a in pallets)
