"""Every distribution field of every group can change kind and value, on the command line and in
a scenario file, and the change reaches the sampler (issue 13).

Each field gets a degenerate distribution of another kind than its default, at a value inside
its default's range (so the whole config stays samplable): one composition sets all of them.
"""

from __future__ import annotations

import dataclasses

import pytest

from simgen.catalog.entries import load_catalog
from simgen.config.compose import compose_config
from simgen.config.distributions import Constant, IntRange, Normal, format_distribution, parse_distribution
from simgen.config.load import load_config
from simgen.config.schema import SimgenConfig
from simgen.plan.planner import flatten_frame
from simgen.sampling.frame import sample_frame

_ROOT = SimgenConfig()
GROUPS = [name for name, group in vars(_ROOT).items() if dataclasses.is_dataclass(group)
          and any("dist" in f.metadata for f in dataclasses.fields(group))]


def _new_value(f: dataclasses.Field, default) -> tuple[dict, float]:
    """(mapping of another kind, the one value it produces) for a field and its default distribution."""
    low_bound, high_bound = f.metadata["dist"]
    low, high = default.support()
    if f.metadata.get("integer"):
        value = int(round((low + high) / 2)) if low != high else int(low) + (1 if low + 1 <= high_bound else -1)
        return ({"choice": [value]} if isinstance(default, IntRange) else {"int_range": [value, value]}), value
    if isinstance(default, Constant):
        step = 0.01 * (high_bound - low_bound)
        value = low + step if low + step <= high_bound else low - step
        return {"uniform": [value, value]}, value
    value = (low + high) / 2 if not isinstance(default, Normal) else default.mean
    if isinstance(default, Normal):
        return {"uniform": [value, value]}, value
    return {"normal": [value, 0.0], "clip": [value, value]}, value


PRESENT = {"weather.fog_probability": 1.0, "weather.rain_probability": 1.0, "weather.snow_probability": 1.0}
"""Phenomena made certain, so that their knobs are active (and recorded) in the sampled frame."""


def _plan() -> dict[str, tuple[dict, float]]:
    defaults = load_config({})
    plan = {}
    for group in GROUPS:
        for f in dataclasses.fields(getattr(defaults, group)):
            if "dist" in f.metadata:
                path = f"{group}.{f.name}"
                if f.metadata.get("names"):  # a distribution over names: a choice of one of them
                    plan[path] = ({"choice": [f.metadata["names"][-1]]}, f.metadata["names"][-1])
                    continue
                plan[path] = ({"uniform": [PRESENT[path]] * 2}, PRESENT[path]) if path in PRESENT else \
                    _new_value(f, getattr(getattr(defaults, group), f.name))
    return plan


PLAN = _plan()


def _hydra(value) -> str:
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}:{_hydra(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_hydra(v) for v in value) + "]"
    return repr(value)


def _check_config(cfg: SimgenConfig) -> None:
    for path, (mapping, _) in PLAN.items():
        group, name = path.split(".")
        assert getattr(getattr(cfg, group), name) == parse_distribution(mapping, path), path


GATED = {"lighting.lamp_power_w", "lighting.window_emission_strength", "lighting.vehicle_light_strength",
         "weather.cloudiness"}
"""Not the drawn value in this frame: the lights are off by day (0; the report marks them inactive),
and rain or snow raise the cloudiness to at least 0.7."""


def _check_spec(cfg: SimgenConfig) -> None:
    spec = sample_frame(cfg, load_catalog(), 0)
    row = flatten_frame(spec)
    exact = {k: v for k, (_, v) in PLAN.items() if k in row and isinstance(row[k], float)}
    exact |= {"sensor.k1": PLAN["sensor.k1"][1], "weather.puddle_coverage": PLAN["weather.puddle_coverage"][1]}
    seen = {**row, "sensor.k1": spec.sensor.dist_coeffs[0], "weather.puddle_coverage": spec.weather.puddle_coverage,
            "layout.lane_width_m": spec.layout.lanes[0].width_m, "traffic.cars": row["traffic.car"],
            "sensor.jpeg_quality": spec.sensor.jpeg_quality}
    exact |= {k: PLAN[k][1] for k in ("layout.lane_width_m", "traffic.cars", "sensor.jpeg_quality")}
    groups = {k.split(".")[0] for k in exact}
    assert groups >= {"camera", "lighting", "weather", "layout", "traffic", "sensor", "motion"}, groups
    wrong = {k: (seen[k], v) for k, v in exact.items() if k not in GATED and seen[k] != pytest.approx(v, abs=1e-9)}
    assert not wrong, wrong


def test_every_field_is_planned():
    assert len(PLAN) > 70 and {p.split(".")[0] for p in PLAN} == set(GROUPS)


def test_command_line_overrides_replace_every_distribution(tmp_path):
    overrides = [f"{path}={_hydra(mapping)}" for path, (mapping, _) in PLAN.items()]
    cfg = compose_config([*overrides, f"output.dir={tmp_path}"])
    _check_config(cfg)
    _check_spec(cfg)


def test_scenario_files_replace_every_distribution(tmp_path):
    lines = ["# @package _global_", "scenario_name: every_field"]
    for group in GROUPS:
        lines.append(f"{group}:")
        half = [p for p in PLAN if p.startswith(group + ".")]
        for index, path in enumerate(half):
            mapping = PLAN[path][0]  # half in the mapping spelling, half in the one-value spelling
            text = _hydra(mapping).replace(":", ": ") if index % 2 else format_distribution(mapping)
            lines.append(f"  {path.split('.')[1]}: {text}")
    (tmp_path / "scenario").mkdir()
    (tmp_path / "scenario" / "every_field.yaml").write_text("\n".join(lines) + "\n")
    cfg = compose_config(["scenario=every_field", f"output.dir={tmp_path / 'out'}"], [tmp_path])
    _check_config(cfg)
    _check_spec(cfg)


def test_readme_distribution_examples_work_verbatim_on_the_command_line(tmp_path):
    cfg = compose_config(["camera.pitch_deg={normal:[-3.0,1.5],clip:[-8.0,0.0]}",
                          "camera.focal_length_mm={loguniform:[14.0,50.0]}",
                          "layout.lanes_per_direction={choice:[1,2,3],weights:[5,3,1]}",
                          "+camera.height_m={uniform:[1.3,1.6]}", f"output.dir={tmp_path}"])
    assert cfg.camera.pitch_deg == Normal(-3.0, 1.5, (-8.0, 0.0))
    assert type(cfg.camera.focal_length_mm).__name__ == "LogUniform"
    assert cfg.layout.lanes_per_direction.options == (1, 2, 3)


def test_two_mapping_layers_are_refused_not_merged(tmp_path):
    (tmp_path / "camera").mkdir()
    (tmp_path / "scenario").mkdir()
    (tmp_path / "camera" / "mine.yaml").write_text("pitch_deg: {uniform: [-6.0, -1.0]}\n")
    (tmp_path / "scenario" / "s.yaml").write_text("# @package _global_\ndefaults:\n  - override /camera: mine\n"
                                                   "camera:\n  pitch_deg: {normal: [-3.0, 1.5]}\n")
    from simgen.errors import ConfigError

    with pytest.raises(ConfigError, match=r"camera\.pitch_deg.*one distribution kind.*normal\(-3\.0, 1\.5\)"):
        compose_config(["scenario=s", f"output.dir={tmp_path / 'out'}"], [tmp_path])
