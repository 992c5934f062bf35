"""Precedence: built-in defaults < scenario file < command line, for every top-level group, as
`simgen --cfg job` shows it and as the typed config holds it (issue 13)."""

from __future__ import annotations

import sys

import pytest
import yaml

from simgen import cli
from simgen.config.compose import compose_config
from simgen.config.distributions import Constant

# top-level group -> (a key in it, the scenario's value, the command line's value)
SCENARIO_VALUES = {
    "frames": (None, 3, 4),
    "seed": (None, 11, 12),
    "catalog": (None, "", ""),
    "camera": ("clip_end_m", 500.0, 400.0),
    "lighting": ("lights_on_below_deg", 5.0, 6.0),
    "weather": ("fog_mode", "volumetric", "depth"),
    "layout": ("name", "highway", "rural_road"),
    "traffic": ("clearance_m", 0.5, 0.6),
    "obstacles": ("quota_min_visible_fraction", 0.7, 0.8),
    "labels": ("depth_kind", "ray", "planar"),
    "sensor": ("jpeg_quality", 80, 90),
    "motion": ("ego_speed_m_s", 3.0, 4.0),
    "sequence": ("fps", 12.0, 15.0),
    "render": ("samples", 2, 3),
    "output": ("depth_float", "npy", "none"),
    "validate": ("min_area_px", 5, 6),
}


def _write_scenario(root) -> None:
    body: dict = {"scenario_name": "precedence"}
    for group, (key, value, _) in SCENARIO_VALUES.items():
        if key is None:
            body[group] = value
        else:
            body.setdefault(group, {})[key] = value
    (root / "scenario").mkdir()
    (root / "scenario" / "precedence.yaml").write_text("# @package _global_\n" + yaml.safe_dump(body))


def _value(cfg, group: str):
    key = SCENARIO_VALUES[group][0]
    node = cfg[group] if isinstance(cfg, dict) else getattr(cfg, group)
    if key is None:
        return node
    value = node[key] if isinstance(node, dict) else getattr(node, key)
    return value.value if isinstance(value, Constant) else value


@pytest.fixture(scope="module")
def scenario_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("precedence")
    _write_scenario(root)
    return root


def test_the_scenario_beats_the_built_in_defaults_in_every_group(scenario_dir):
    cfg = compose_config(["scenario=precedence"], [scenario_dir])
    for group, (_, value, _) in SCENARIO_VALUES.items():
        assert _value(cfg, group) == value, group
    assert cfg.output.dir == "outputs/precedence"


def test_the_command_line_beats_the_scenario_in_every_group(scenario_dir):
    overrides = [f"{g}={v}" if k is None else f"{g}.{k}={v}" for g, (k, _, v) in SCENARIO_VALUES.items()
                 if g != "catalog"]
    cfg = compose_config(["scenario=precedence", *overrides], [scenario_dir])
    for group, (_, _, value) in SCENARIO_VALUES.items():
        assert _value(cfg, group) == value, group


def test_cfg_job_shows_the_scenario_values(scenario_dir, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["simgen", "--config-dir", str(scenario_dir), "scenario=precedence",
                                      "render.samples=7", "--cfg", "job"])
    cli.main()
    shown = yaml.safe_load(capsys.readouterr().out)
    for group, (_, value, _) in SCENARIO_VALUES.items():
        expected = 7 if group == "render" else value
        assert _value(shown, group) == expected, group
