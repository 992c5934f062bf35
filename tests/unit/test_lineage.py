"""Lineage helpers: config values as Hydra overrides, the reproduce command, the content config."""

from __future__ import annotations

import pytest
from hydra.core.override_parser.overrides_parser import OverridesParser

from simgen.dataset.lineage import content_config, hydra_value, reproduce_argv


@pytest.mark.parametrize("value", [1.5, -3, 0.0, 1e-07, True, "urban_day", "a b's", "/tmp/x y/out", [96, 72],
                                   {"uniform": [1.3, 1.6]}, {"normal": [0.0, 2.0], "clip": [-6.0, 6.0]},
                                   {"choice": ["a", "b"], "weights": [0.5, 0.5]}, "true", "AgX"])
def test_hydra_value_round_trips_through_hydras_parser(value):
    (override,) = OverridesParser.create().parse_overrides([f"key={hydra_value(value)}"])
    parsed = override.value()
    plain = _plain(parsed)
    assert plain == (list(value) if isinstance(value, tuple) else value)


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def test_reproduce_argv_selects_one_frame():
    argv = reproduce_argv({"seed": 3, "camera.height_m": {"uniform": [1.0, 2.0]}, "labels.categories.car": 1},
                          frames=10, image_id=7, output_dir="out/f7")
    assert argv == ["simgen", "seed=3", "camera.height_m={uniform:[1.0,2.0]}", "labels.categories.car=1",
                    "frames=10", "frames_per_shard=1", "shard=7", "output.dir=out/f7"]


def test_content_config_drops_run_only_fields():
    plain = {"frames": 3, "seed": 1, "output": {"dir": "x", "depth_float": "npy"}, "render": {"device": "cpu"}}
    assert content_config(plain, ("frames", "output.dir", "render.device")) == {
        "seed": 1, "output": {"depth_float": "npy"}, "render": {}}
    assert plain["output"]["dir"] == "x"  # the input is not modified
