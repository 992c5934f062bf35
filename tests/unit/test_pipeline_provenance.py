"""The provenance block of each frame record names its shard, device and Blender version."""

from __future__ import annotations


def test_frame_provenance_names_the_shard(make_config):
    from types import SimpleNamespace

    from simgen.dataset.lineage import frame_provenance

    renderer = SimpleNamespace(device="CPU", blender_version="5.0.1")
    cfg = make_config(frames=10, frames_per_shard=3, shard=1)
    assert frame_provenance(cfg, SimpleNamespace(frame_index=5), renderer) == {
        "shard": 1, "frames_per_shard": 3, "device": "CPU", "blender_version": "5.0.1"}
    assert frame_provenance(make_config(), SimpleNamespace(frame_index=1), SimpleNamespace(device="CPU"))[
        "blender_version"] == "unknown"
