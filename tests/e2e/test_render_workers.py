"""`render.processes_per_device=N` renders the same dataset as one process, to the byte."""

from __future__ import annotations

import pytest

from tests.e2e.tiny import render_tiny

pytestmark = pytest.mark.blender


def test_two_render_processes_give_the_same_dataset_as_one(tmp_path):
    one = render_tiny(tmp_path / "one", "seed=3", frames=4)
    two = render_tiny(tmp_path / "two", "seed=3", "render.processes_per_device=2", frames=4)
    assert (one / "annotations.json").read_bytes() == (two / "annotations.json").read_bytes()
    for index in range(4):
        name = f"images/{index:06d}.png"
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
