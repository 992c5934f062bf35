"""The report's coverage table compares each sampled value with the distribution that produced it
(issue 13): parked cars are not counted in traffic.cars, and parameters a frame did not use (night
lights by day, a phenomenon's knobs when it is absent) are marked inactive, not "0 % inside"."""

from __future__ import annotations

from simgen.qa.report import _row_summary, coverage_rows


def _spec(cars: int, parked: int, lights_on: bool, fog: bool) -> dict:
    objects = [{"name": f"car_{i:03d}", "category": "car"} for i in range(cars)]
    objects += [{"name": f"parked_car_{i:03d}", "category": "car"} for i in range(parked)]
    return {"objects": objects,
            "lighting": {"lights_on": lights_on, "lamp_power_w": 450.0 if lights_on else 0.0,
                         "sun_elevation_deg": 30.0},
            "weather": {"fog": fog, "fog_visibility_m": 120.0 if fog else 0.0, "cloudiness": 0.1}}


CONFIG = {"traffic": {"cars": {"int_range": [3, 8]}, "parked_cars": {"int_range": [2, 6]}},
          "lighting": {"lamp_power_w": {"uniform": [300.0, 700.0]}, "sun_elevation_deg": {"uniform": [15.0, 65.0]}},
          "weather": {"fog_visibility_m": {"uniform": [60.0, 300.0]}, "cloudiness": {"uniform": [0.0, 0.3]}}}


def _summaries(specs: list[dict]) -> dict[str, dict]:
    return {row["field"]: _row_summary(row) for row in coverage_rows(CONFIG, specs)}


def test_parked_cars_are_not_traffic_cars():
    rows = _summaries([_spec(5, 6, False, False), _spec(8, 2, False, False)])
    assert rows["traffic.cars"]["inside"] == 1.0 and rows["traffic.cars"]["max"] == 8
    assert rows["traffic.parked_cars"]["inside"] == 1.0  # an upper bound: [0, 6]


def test_unused_parameters_are_inactive_not_outside():
    rows = _summaries([_spec(4, 0, False, False), _spec(4, 0, False, False)])
    assert rows["lighting.lamp_power_w"]["n"] == 0 and rows["lighting.lamp_power_w"]["frames"] == 2
    assert rows["weather.fog_visibility_m"]["n"] == 0
    assert rows["lighting.sun_elevation_deg"]["inside"] == 1.0 and rows["weather.cloudiness"]["inside"] == 1.0


def test_active_frames_are_compared_with_the_distribution():
    rows = _summaries([_spec(4, 0, True, True), _spec(4, 0, False, False), _spec(4, 0, True, False)])
    assert rows["lighting.lamp_power_w"]["n"] == 2 and rows["lighting.lamp_power_w"]["inside"] == 1.0
    assert rows["weather.fog_visibility_m"]["n"] == 1 and rows["weather.fog_visibility_m"]["inside"] == 1.0


def test_the_html_marks_inactive_rows():
    from simgen.qa.report import _coverage_section

    html = _coverage_section(CONFIG, [_spec(4, 0, False, False)])
    assert html.count("<td>inactive</td>") == 2 and "<td>0%</td>" not in html
