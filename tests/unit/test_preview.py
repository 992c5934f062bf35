"""Contact-sheet captions."""

from __future__ import annotations

from simgen.qa.preview import time_of_day


def test_time_of_day_labels():
    assert [time_of_day(e) for e in (-10.0, -3.0, 5.0, 40.0, float("nan"))] == [
        "night", "twilight", "low sun", "day", "?"]
