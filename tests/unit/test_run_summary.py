"""RunSummary's per-stage statistics (what bench/ceiling.py and bench/soak.py print)."""

from __future__ import annotations

from pathlib import Path

import pytest

from simgen.pipeline import RunSummary


def _summary(frames: int) -> RunSummary:
    summary = RunSummary(Path("out"), frames, frames, 0, "CPU")
    for i in range(frames):
        summary.add_stages({"build_s": 0.1 + 0.001 * i, "sync_s": 0.2, "total_s": 9.0})
    return summary


def test_stage_medians_skip_the_total():
    assert _summary(5).stage_medians() == pytest.approx({"build_s": 0.102, "sync_s": 0.2})


def test_stage_drift_is_the_mean_of_the_first_and_last_window():
    drift = _summary(10).stage_drift(3)
    assert list(drift) == ["build_s", "sync_s"]
    assert drift["build_s"] == pytest.approx((0.101, 0.108))
    assert drift["sync_s"] == pytest.approx((0.2, 0.2))


def test_stage_drift_leaves_out_stages_without_two_windows():
    assert _summary(5).stage_drift(3) == {}
