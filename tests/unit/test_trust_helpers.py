"""Pure helpers behind lineage, validate and the exports (no rendering)."""

from __future__ import annotations

import numpy as np
import pytest
from hydra.core.override_parser.overrides_parser import OverridesParser

from simgen.commands.validate import parse_fail_on
from simgen.dataset.lineage import content_config, hydra_value, reproduce_argv
from simgen.errors import ConfigError
from simgen.export.kitti import calib_text, occlusion_level, truncation_from_box
from simgen.export.yolo import detection_line, mask_polygon_px
from simgen.qa.preview import time_of_day
from simgen.qa.report import _obstacle_section, asked_range, coverage_rows
from simgen.qa.validate import CHECKS
from simgen.writers.assembly import assemble


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


def test_provenance_is_summarized_while_assembling(tmp_path):
    provenances = [{"device": "CPU", "blender_version": "5.0.1"}, {"device": "OPTIX", "blender_version": "5.0.1"}, None]
    records = []
    for index, provenance in enumerate(provenances):
        record = {"frame_index": index, "image": {"id": index, "file_name": f"images/{index:06d}.png",
                                                  "frame_seed": {}}, "annotations": [], "spec": {}, "timing": {}}
        if provenance:
            record["provenance"] = provenance
        records.append(record)
    result = assemble(tmp_path / "a.json", tmp_path / "m.jsonl", iter(records), lambda r: {}, {"car": 1})
    assert result.provenance_summary() == {"device": "CPU, OPTIX, unknown", "blender_version": "5.0.1, unknown"}


def test_parse_fail_on():
    assert parse_fail_on("all") == CHECKS and parse_fail_on("none") == ()
    assert parse_fail_on("rle, depth") == ("rle", "depth")
    with pytest.raises(ConfigError, match="--fail-on"):
        parse_fail_on("rle,dpeth")


def test_kitti_levels_and_truncation():
    assert [occlusion_level(v) for v in (1.0, 0.8, 0.5, 0.1, None)] == [0, 0, 1, 2, 3]
    assert truncation_from_box((0, 0, 10, 10), 20, 20) == 0.0
    assert truncation_from_box((-10, 0, 10, 10), 20, 20) == pytest.approx(0.5)
    assert truncation_from_box(None, 20, 20) == 1.0
    assert calib_text(np.eye(3)).splitlines()[2].startswith("P2: 1.0")


def test_yolo_detection_line_and_polygons():
    assert detection_line(2, [10, 20, 30, 40], 100, 200) == "2 0.250000 0.200000 0.300000 0.200000"
    one = np.zeros((5, 5), bool)
    one[2, 3] = True
    polygon = mask_polygon_px(one)
    assert len(polygon) >= 4 and np.allclose(polygon.min(axis=0), [3.125, 2.125])
    assert np.allclose(polygon.max(axis=0), [3.875, 2.875])
    two = np.zeros((6, 8), bool)
    two[1:3, 1:3] = True
    two[4:6, 5:8] = True
    joined = mask_polygon_px(two)
    assert joined[:, 0].min() < 1.2 and joined[:, 0].max() > 7.8  # both pieces in one polygon
    assert mask_polygon_px(np.zeros((3, 3), bool)).shape == (0, 2)


def test_coverage_rows_match_config_fields_to_spec_values():
    config = {"lighting": {"sun_elevation_deg": {"uniform": [10.0, 20.0]}, "not_in_spec": 1.0},
              "traffic": {"cars": {"int_range": [1, 3]}}, "weather": {"kind": {"choice": ["rain", "fog"]}},
              "render": {"samples": 4}}
    specs = [{"lighting": {"sun_elevation_deg": 12.0}, "weather": {"kind": "rain"},
              "objects": [{"category": "car"}, {"category": "pedestrian"}]}]
    rows = {row["field"]: row["values"] for row in coverage_rows(config, specs)}
    assert rows == {"lighting.sun_elevation_deg": [12.0], "traffic.cars": [1], "weather.kind": ["rain"]}
    assert asked_range({"normal": [0.0, 1.0]}) == (-3.0, 3.0) and asked_range({"choice": [1]}) is None


def test_time_of_day_labels():
    assert [time_of_day(e) for e in (-10.0, -3.0, 5.0, 40.0, float("nan"))] == [
        "night", "twilight", "low sun", "day", "?"]


def test_rare_obstacle_share_against_quota():
    specs = [{"obstacles": [{"asset": "tyre"}]}, {"obstacles": []}, {"obstacles": []}, {"obstacles": []}]
    html = _obstacle_section({"obstacles": {"frame_quota": 0.25, "kinds": ["tyre"]}}, specs)
    assert "<td>4</td><td>1</td><td>0.25</td><td>frame_quota 0.25</td>" in html
    assert "no rare obstacles" in _obstacle_section({}, [{}])


def test_frame_provenance_names_the_shard(make_config):
    from types import SimpleNamespace

    from simgen.pipeline import frame_provenance

    renderer = SimpleNamespace(device="CPU", blender_version="5.0.1")
    cfg = make_config(frames=10, frames_per_shard=3, shard=1)
    assert frame_provenance(cfg, SimpleNamespace(frame_index=5), renderer) == {
        "shard": 1, "frames_per_shard": 3, "device": "CPU", "blender_version": "5.0.1"}
    assert frame_provenance(make_config(), SimpleNamespace(frame_index=1), SimpleNamespace(device="CPU"))[
        "blender_version"] == "unknown"
