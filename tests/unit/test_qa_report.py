"""The HTML report's tables: config coverage and rare obstacles against their quota."""

from __future__ import annotations

from simgen.qa.report import _obstacle_section, asked_range, coverage_rows


def test_coverage_rows_match_config_fields_to_spec_values():
    config = {"lighting": {"sun_elevation_deg": {"uniform": [10.0, 20.0]}, "not_in_spec": 1.0},
              "traffic": {"cars": {"int_range": [1, 3]}}, "weather": {"kind": {"choice": ["rain", "fog"]}},
              "render": {"samples": 4}}
    specs = [{"lighting": {"sun_elevation_deg": 12.0}, "weather": {"kind": "rain"},
              "objects": [{"category": "car"}, {"category": "pedestrian"}]}]
    rows = {row["field"]: row["values"] for row in coverage_rows(config, specs)}
    assert rows == {"lighting.sun_elevation_deg": [12.0], "traffic.cars": [1], "weather.kind": ["rain"]}
    assert asked_range({"normal": [0.0, 1.0]}) == (-3.0, 3.0) and asked_range({"choice": [1]}) is None


def test_rare_obstacle_share_against_quota():
    specs = [{"obstacles": [{"asset": "tyre"}]}, {"obstacles": []}, {"obstacles": []}, {"obstacles": []}]
    html = _obstacle_section({"obstacles": {"frame_quota": 0.25, "kinds": ["tyre"]}}, specs)
    assert "<td>4</td><td>1</td><td>0.25</td><td>frame_quota 0.25</td>" in html
    assert "no rare obstacles" in _obstacle_section({}, [{}])
