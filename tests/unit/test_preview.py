"""Contact-sheet captions."""

from __future__ import annotations

from simgen.qa.preview import key_params
from simgen.sampling.lighting import time_of_day


def _caption_band(lighting: dict) -> str:
    return key_params({"frame_index": 0, "spec": {"lighting": lighting}}, [])[1].split(":")[0]


def test_the_caption_shows_the_recorded_time_of_day():
    assert _caption_band({"sun_elevation_deg": 3.0, "time_of_day": "dusk"}) == "dusk"
    assert _caption_band({"sun_elevation_deg": 40.0, "time_of_day": "day"}) == "day"


def test_a_record_without_it_gets_the_samplers_bands():
    for elevation in (-10.0, -3.0, 5.0, 6.0, 40.0):
        assert _caption_band({"sun_elevation_deg": elevation}) == time_of_day(elevation)
    assert [time_of_day(e) for e in (-10.0, -3.0, 5.0, 40.0)] == ["night", "dusk", "dusk", "day"]
    assert _caption_band({}) == "?"
