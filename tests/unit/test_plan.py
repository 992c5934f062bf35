"""`simgen plan`: thousands of sampled frames (no rendering) match the configured distributions."""

from __future__ import annotations

import json
import math

import cv2
import numpy as np
import pytest

from simgen.catalog.entries import load_catalog
from simgen.commands import plan as plan_command
from simgen.config.load import load_config
from simgen.plan.planner import columns, plan_frames, summarize_plan
from simgen.sampling.obstacles import is_quota_frame

CATALOG = load_catalog()
FRAMES = 2000
LIGHT_TRAFFIC = {"cars": {"int_range": [0, 2]}, "pedestrians": 0, "cyclists": 0, "traffic_cones": {"int_range": [0, 1]}}
RATES = {"deer": 0.1, "tire": 0.2, "rock": 0.05}
CONFIG = {
    "seed": 21,
    "traffic": LIGHT_TRAFFIC,
    "camera": {"height_m": {"uniform": [1.2, 1.8]}, "roll_deg": {"normal": [0.0, 0.5], "clip": [-1.0, 1.0]}},
    "lighting": {"sun_elevation_deg": {"uniform": [10.0, 60.0]}},
    "layout": {"lanes_per_direction": {"choice": [1, 2], "weights": [3, 1]}},
    "obstacles": {"rates": RATES, "quota_fraction": 0.15, "quota_min_visible_fraction": 0.7},
    "weather": {"fog_probability": 0.3, "rain_probability": 0.2, "snow_probability": 0.1,
                "fog_visibility_m": {"loguniform": [50.0, 500.0]}},
}


@pytest.fixture(scope="module")
def planned():
    cfg = load_config(CONFIG)
    rows = plan_frames(cfg, CATALOG, range(FRAMES), jobs=2)  # the parallel path (rows as with jobs=1)
    return cfg, rows, columns(rows)


def _within(observed: float, expected: float, sigma: float, k: float = 4.5) -> bool:
    return abs(observed - expected) <= k * sigma


def test_uniform_ranges_and_means(planned):
    _, _, cols = planned
    for name, (low, high) in {"camera.height_m": (1.2, 1.8), "lighting.sun_elevation_deg": (10.0, 60.0)}.items():
        values = np.asarray(cols[name])
        assert low <= values.min() and values.max() <= high
        assert values.min() < low + 0.01 * (high - low) and values.max() > high - 0.01 * (high - low)
        assert _within(values.mean(), (low + high) / 2, (high - low) / math.sqrt(12 * len(values)))


def test_clipped_normal_respects_its_clip_and_spread(planned):
    values = np.asarray(planned[2]["camera.roll_deg"])
    assert values.min() >= -1.0 and values.max() <= 1.0
    assert _within(values.mean(), 0.0, 0.5 / math.sqrt(len(values)))
    clipped = np.mean(np.abs(values) == 1.0)
    assert _within(clipped, 0.0455, math.sqrt(0.0455 * 0.9545 / len(values)))  # P(|z| > 2)


def test_weighted_choice_frequencies(planned):
    lanes = np.asarray(planned[2]["layout.lanes"])
    share_one_per_direction = np.mean(lanes == 2)
    assert _within(share_one_per_direction, 0.75, math.sqrt(0.75 * 0.25 / len(lanes)))


def test_obstacle_class_rates(planned):
    _, rows, _ = planned
    for category, rate in RATES.items():
        # per-class rate: the Bernoulli draw, so count non-quota obstacles of that class
        hits = sum(1 for row in rows if category in row["obstacles.class"][:len(row["obstacles.class"])
                                                                           - int(row["obstacles.quota_frame"])])
        assert _within(hits / len(rows), rate, math.sqrt(rate * (1 - rate) / len(rows))), category


def test_quota_holds_exactly(planned):
    cfg, rows, _ = planned
    summary = summarize_plan(cfg, rows)
    quota = summary["quota"]
    assert quota["quota_frames"] == quota["expected_quota_frames"] == math.ceil(FRAMES * 0.15)
    assert quota["frames_with_visible_obstacle"] == quota["quota_frames"]
    assert quota["lowest_planned_visible_fraction"] >= 0.7
    flags = [row["obstacles.quota_frame"] for row in rows]
    assert flags == [is_quota_frame(i, 0.15) for i in range(FRAMES)]
    for n in range(1, FRAMES + 1, 37):
        assert sum(flags[:n]) >= 0.15 * n


def test_plan_command_writes_figure_summary_and_rows(tmp_path, capsys):
    out = tmp_path / "plan"
    status = plan_command.main(["scenario=rare_obstacles", "frames=40", "seed=2", f"output.dir={out}",
                                "traffic.cars={int_range:[0,2]}"])
    assert status == 0
    figure = cv2.imread(str(out / "plan.png"))
    assert figure is not None and figure.shape[0] > 400
    summary = json.loads((out / "plan.json").read_text())
    assert summary["frames"] == 40 and summary["quota"]["quota_frames"] == math.ceil(40 * 0.3)
    assert "camera.height_m" in summary["parameters"] and "rare_obstacle_share" in summary
    lines = (out / "plan_frames.jsonl").read_text().splitlines()
    assert len(lines) == 40 and json.loads(lines[3])["frame_index"] == 3
    assert "rare-obstacle share" in capsys.readouterr().out


def test_weather_mix_and_loguniform_visibility(planned):
    _, rows, cols = planned
    n = len(rows)
    for phenomenon, probability in (("fog", 0.3), ("rain", 0.2), ("snow", 0.1)):
        share = np.mean([phenomenon in row["weather.condition"].split("+") for row in rows])
        assert _within(share, probability, math.sqrt(probability * (1 - probability) / n)), phenomenon
    clear = np.mean([row["weather.condition"] == "clear" for row in rows])
    assert _within(clear, 0.7 * 0.8 * 0.9, math.sqrt(0.504 * 0.496 / n))
    visibility = np.asarray([v for v in cols["weather.fog_visibility_m"] if v > 0])
    assert 50.0 <= visibility.min() and visibility.max() <= 500.0
    logs = np.log(visibility)  # log-uniform: uniform in log space
    assert _within(logs.mean(), (math.log(50) + math.log(500)) / 2, math.log(10) / math.sqrt(12 * len(logs)))
    density = np.asarray([v for v in cols["weather.fog_density_per_m"] if v > 0])
    assert np.allclose(np.sort(density), np.sort(3.912 / visibility))


def test_parallel_plan_gives_the_same_rows(planned):
    cfg, rows, _ = planned  # planned with jobs=2, in chunks of PLAN_CHUNK frames from frame 0
    frames = range(130, 330)  # starts inside one chunk, spans two chunk boundaries
    assert plan_frames(cfg, CATALOG, frames, jobs=1) == rows[130:330]


def test_plan_files_are_byte_identical_across_runs_and_jobs(tmp_path):
    args = ["scenario=urban_day", "frames=40", "seed=3", "traffic.cars=1"]
    plan_command.main([*args, f"output.dir={tmp_path / 'a'}", "--jobs", "1"])
    plan_command.main([*args, f"output.dir={tmp_path / 'b'}", "--jobs", "2"])
    for name in ("plan.png", "plan.json", "plan_frames.jsonl"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
