"""Consumer tests run in their own environment (`make consumers`: torch, torchvision, Ultralytics,
supervision, datumaro, FiftyOne, with simgen installed without its dependencies). The dataset
is rendered by the main environment's simgen (bpy needs numpy < 2, datumaro needs numpy >= 2)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SIMGEN_PYTHON = os.environ.get("SIMGEN_PYTHON", str(REPO / ".venv" / "bin" / "python"))


def simgen(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """`python -m simgen ARGS` with the main environment's interpreter."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([SIMGEN_PYTHON, "-m", "simgen", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=1200)


@pytest.fixture(scope="session")
def dataset(tmp_path_factory) -> Path:
    """6 frames at 160x120 with the default label policy: splits 4 / 1 / 1."""
    out = tmp_path_factory.mktemp("consumers") / "ds"
    result = simgen("frames=6", "seed=3", "render.resolution=[160,120]", "render.samples=1", "render.denoise=false",
                    "output.progress=false", f"output.dir={out}", cwd=out.parent)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture(scope="session")
def layout(dataset) -> Path:
    out = dataset.parent / "layout"
    result = simgen("export", "coco-layout", str(dataset), "--out", str(out), cwd=dataset.parent)
    assert result.returncode == 0, result.stderr[-2000:]
    return out
