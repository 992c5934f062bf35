"""Sequences: frames of one scene advanced by the motion model, whole sequences per shard,
track ids within a sequence (pure; issue 16)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simgen.annotations.identity import assign_track_ids, instance_ids
from simgen.catalog.entries import load_catalog
from simgen.errors import ConfigError
from simgen.geometry.footprint import footprints_overlap
from simgen.sampling.frame import sample_frame
from simgen.sampling.sequence import EGO_FOOTPRINT_M, _footprint, sequence_position, whole_sequences
from simgen.specs import Footprint
from simgen.writers.coco import video_fields, video_header
from tests.conftest import tiny_config

FPS = 5.0


@pytest.fixture(scope="module")
def sequence(tmp_path_factory):
    cfg = tiny_config(tmp_path_factory.mktemp("seq"), frames=8, **{"sequence.frames": 4, "sequence.fps": FPS,
                                                                   "traffic.cars": 6, "traffic.pedestrians": 4})
    catalog = load_catalog()
    return cfg, [sample_frame(cfg, catalog, i) for i in range(8)]


def test_frames_of_a_sequence_advance_one_scene_by_its_velocities(sequence):
    _, specs = sequence
    first, later = specs[0], specs[3]
    assert [o.name for o in later.objects] == [o.name for o in first.objects]
    assert instance_ids(later.objects) == instance_ids(first.objects)  # same ids: tracks
    t = 3 / FPS
    ego = first.motion.ego_velocity_m_s
    assert np.allclose(later.camera.location_m, np.add(first.camera.location_m, np.multiply(ego, t)))
    assert later.motion == first.motion and later.layout == first.layout
    for before, after in zip(first.objects, later.objects, strict=True):
        velocity = first.motion.velocity_of(before.name)
        assert np.allclose(after.location_m, np.add(before.location_m, np.multiply(velocity, t)))
        assert after.location_m[2] == before.location_m[2]  # wheels and feet stay on the ground
        if before.recipe == "pedestrian" and any(velocity):
            assert after.params["gait_phase"] != before.params["gait_phase"]
    assert len({s.cycles_seed for s in specs[:4]}) == 4  # per-frame sampling noise
    assert specs[4].layout != first.layout  # the next sequence is a new scene


def test_nothing_passes_through_anything_during_a_sequence(sequence):
    _, specs = sequence
    for spec in specs:
        length, width, offset = EGO_FOOTPRINT_M
        cam = spec.camera.location_m
        bodies = [Footprint(cam[0], cam[1] + offset, length, width, 90.0)]
        bodies += [fp for p in spec.objects if (fp := _footprint(p)) is not None]
        for i, a in enumerate(bodies):
            for b in bodies[i + 1:] + list(spec.layout.blocked_footprints):
                assert not footprints_overlap(a, b) or spec.frame_index % 4 == 0, (spec.frame_index, a, b)


def test_sequence_fields_tracks_and_resume_granularity():
    assert sequence_position(9, 4) == (2, 1)
    assert whole_sequences([5, 6, 13], 4) == [4, 5, 6, 7, 12, 13, 14, 15]
    assert whole_sequences([5, 6], 1) == [5, 6]
    assert video_fields(9, 4) == {"video_id": 2, "frame_id": 1} and video_fields(9, 1) == {}
    assert video_header(8, 4)["videos"][1] == {"id": 1, "name": "sequence_000001", "frames": 4}
    records = [{"frame_index": i, "annotations": [{"instance_id": 7}]} for i in range(4)]
    tracks = [r["annotations"][0]["track_id"] for r in assign_track_ids(records, 0, 2)]
    assert tracks == [None, 7, None, 7]  # a track never continues into the next sequence


@pytest.mark.parametrize(("overrides", "field"), [({"frames": 6}, "frames"),
                                                  ({"frames": 8, "frames_per_shard": 2}, "frames_per_shard")])
def test_sequences_are_whole_in_a_run_and_in_every_shard(tmp_path, overrides, field):
    with pytest.raises(ConfigError, match=field):
        tiny_config(tmp_path, **{"sequence.frames": 4}, **overrides)
    assert math.isclose(tiny_config(tmp_path, frames=8, **{"sequence.frames": 4}).sequence.fps, 10.0)
