"""The configs, catalog and scene layouts ship inside the wheel: a non-editable install works."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_install_renders(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(wheels), str(ROOT)], check=True, capture_output=True)
    (wheel,) = wheels.glob("simgen-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for expected in ("simgen/configs/config.yaml", "simgen/configs/scenario/urban_day.yaml",
                     "simgen/assets/catalog.yaml", "simgen/catalog/recipes/vehicles.py",
                     "simgen/sampling/layouts/urban_street.py", "simgen/blender/renderer.py",
                     "simgen/configs/hydra/launcher/simgen_slurm.yaml", "simgen/configs/hydra/sweeper/shards.yaml"):
        assert expected in names
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(target)}
    work = tmp_path / "elsewhere"
    work.mkdir()
    where = subprocess.run([sys.executable, "-c", "import simgen.configs, simgen.assets; "
                            "print(simgen.configs.__file__, simgen.assets.__file__)"],
                           cwd=work, env=env, capture_output=True, text=True, check=True)
    assert str(target) in where.stdout.split()[0] and str(target) in where.stdout.split()[1]
    result = subprocess.run([sys.executable, "-m", "simgen", "frames=1", "render.resolution=[48,32]",
                             "render.samples=1", "render.denoise=false", "output.progress=false"],
                            cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (work / "outputs" / "urban_day" / "annotations.json").exists()
