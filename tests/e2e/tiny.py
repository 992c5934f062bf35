"""Helpers for e2e tests that work on one tiny real dataset per module."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

# labels=keep_all: at 96x72 the training policy makes most objects ignore regions; these tests
# check labels and files, not the policy (tests/e2e/test_training.py runs the default policy).
TINY = ["render.resolution=[96,72]", "render.samples=2", "render.denoise=false", "output.progress=false",
        "labels=keep_all"]


def run_simgen(*args: str, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    """`python -m simgen ARGS` in a subprocess (the installed command as a user runs it)."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([sys.executable, "-m", "simgen", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=timeout)


def render_tiny(out: Path, *overrides: str, frames: int = 3) -> Path:
    """Render `frames` frames at 96x72, 2 samples, into `out`; fails the test on a non-zero exit."""
    result = run_simgen(f"frames={frames}", *TINY, *overrides, f"output.dir={out}", cwd=out.parent)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def copy_dataset(source: Path, target: Path) -> Path:
    """A private copy of a dataset that a test may corrupt."""
    shutil.copytree(source, target)
    return target
