"""Issue 13 acceptance on a real render: a scenario file's frames, seed, render.samples and
labels.depth_kind are what renders, and a command-line distribution of another kind replaces the
scenario's (the sampled pitch in frames/*.json comes from it)."""

from __future__ import annotations

import json

import pytest

from tests.e2e.tiny import run_simgen

pytestmark = pytest.mark.blender

SCENARIO = """# @package _global_
scenario_name: acceptance
frames: 2
seed: 23
render:
  samples: 1
  resolution: [80, 60]
  denoise: false
labels:
  depth_kind: ray
camera:
  pitch_deg: {uniform: [-6.0, -1.0]}
"""


def test_scenario_values_and_a_replaced_distribution_render(tmp_path):
    (tmp_path / "configs" / "scenario").mkdir(parents=True)
    (tmp_path / "configs" / "scenario" / "acceptance.yaml").write_text(SCENARIO)
    out = tmp_path / "out"
    result = run_simgen("--config-dir", str(tmp_path / "configs"), "scenario=acceptance",
                        "camera.pitch_deg={normal:[-3.0,0.0],clip:[-8.0,0.0]}", "output.progress=false",
                        f"output.dir={out}", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    run = json.loads((out / "run.json").read_text())
    config = run["config"]
    assert (config["frames"], config["seed"], config["render"]["samples"], config["labels"]["depth_kind"]) == \
        (2, 23, 1, "ray")
    assert config["camera"]["pitch_deg"] == {"normal": [-3.0, 0.0], "clip": [-8.0, 0.0]}
    records = sorted((out / "frames").glob("*.json"))
    assert len(records) == 2
    for path in records:
        record = json.loads(path.read_text())
        assert record["spec"]["camera"]["pitch_deg"] == pytest.approx(-3.0)  # std 0: exactly the mean
        assert record["spec"]["run_seed"] == 23
