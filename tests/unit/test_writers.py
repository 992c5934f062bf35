from __future__ import annotations

import json
import os

import numpy as np
import pytest

from simgen.contract import DEPTH_PNG_SCALE
from simgen.writers.assembly import assemble
from simgen.writers.atomic import host_name, remove_partials, write_bytes_atomic
from simgen.writers.images import decode_depth_png, depth_to_uint16, encode_depth_png, encode_rgb_png


def test_depth_png_encoding_follows_kitti():
    depth = np.array([[1.0, np.inf, 300.0, 0.0], [10.5, np.nan, 255.99, 1 / 256]], np.float32)
    raw = depth_to_uint16(depth)
    assert raw.tolist() == [[256, 0, 0, 0], [2688, 0, 65533, 1]]
    back = decode_depth_png(encode_depth_png(depth))
    assert back[0, 0] == pytest.approx(1.0) and np.isnan(back[0, 1])
    assert abs(back[1, 0] - 10.5) <= 0.5 / DEPTH_PNG_SCALE


def test_png_bytes_are_reproducible():
    rgb = np.random.default_rng(0).integers(0, 255, (12, 16, 3), dtype=np.uint8)
    assert encode_rgb_png(rgb) == encode_rgb_png(rgb.copy())


def test_atomic_write_leaves_no_partial(tmp_path):
    target = tmp_path / "a" / "b.json"
    write_bytes_atomic(target, b"x")
    assert target.read_bytes() == b"x" and list(target.parent.iterdir()) == [target]
    (target.parent / f".c.json~{host_name()}~{os.getpid()}.partial").write_bytes(b"half")  # this process's own
    (target.parent / ".d.json~otherhost~1.partial").write_bytes(b"half")  # a writer elsewhere: kept
    assert remove_partials(tmp_path, set()) == 1
    assert sorted(p.name for p in target.parent.iterdir()) == [".d.json~otherhost~1.partial", "b.json"]


def test_coco_is_streamed_with_ids_from_one(tmp_path):
    records = [
        {"image": {"id": 0, "file_name": "images/000000.png", "width": 4, "height": 3},
         "annotations": [{"image_id": 0, "category_id": 1}, {"image_id": 0, "category_id": 2}]},
        {"image": {"id": 1, "file_name": "images/000001.png", "width": 4, "height": 3}, "annotations": []},
        {"image": {"id": 2, "file_name": "images/000002.png", "width": 4, "height": 3},
         "annotations": [{"image_id": 2, "category_id": 1}]},
    ]
    for record in records:
        record.update(frame_index=record["image"]["id"], spec={}, timing={},
                      label_counts={"a": {"kept": 1, "ignored": 1}})
        record["image"]["frame_seed"] = {"run_seed": 0, "frame_index": record["image"]["id"]}
    path, manifest = tmp_path / "annotations.json", tmp_path / "manifest.jsonl"
    result = assemble(path, manifest, iter(records), lambda r: {"description": "t", "frames": r.frames},
                      {"b": 2, "a": 1})
    coco = json.loads(path.read_text())
    assert result.annotations == 3 and [a["id"] for a in coco["annotations"]] == [1, 2, 3]
    assert result.ignored == 3 and coco["info"] == {"description": "t", "frames": 3}
    assert len(manifest.read_text().splitlines()) == 3
    assert [c["id"] for c in coco["categories"]] == [1, 2]
    assert [a["image_id"] for a in coco["annotations"]] == [0, 0, 2]
    first = path.read_bytes()
    assemble(path, manifest, iter(records), lambda r: {"description": "t", "frames": r.frames}, {"b": 2, "a": 1})
    assert path.read_bytes() == first and sorted(p.name for p in tmp_path.iterdir()) == [
        "annotations.json", "manifest.jsonl"]


def test_manifest_exposure_ev_is_the_metered_view_exposure_or_null(tmp_path):
    from simgen.render.exposure import meter
    from simgen.writers.assembly import manifest_line

    # A real metering decision: median luminance 0.045 -> +2 EV to 0.18, compensation -0.5.
    metered = meter(np.full((4, 6), 0.045), 0.18, -4.0, 6.0, -0.5)
    assert metered.view_exposure_ev == pytest.approx(1.5)
    records = []
    for index, exposure in enumerate((metered.record(), None)):
        record = {"frame_index": index, "spec": {}, "timing": {}, "annotations": [],
                  "image": {"id": index, "file_name": f"images/{index:06d}.png", "width": 4, "height": 3,
                            "frame_seed": {"run_seed": 0, "frame_index": index}}}
        records.append(record | ({"exposure": exposure} if exposure is not None else {}))
    assert manifest_line(records[0])["exposure_ev"] == metered.record()["view_exposure_ev"]
    assert manifest_line(records[1])["exposure_ev"] is None
    manifest = tmp_path / "manifest.jsonl"
    assemble(tmp_path / "annotations.json", manifest, iter(records), lambda r: {}, {"a": 1})
    lines = [json.loads(line) for line in manifest.read_text().splitlines()]
    assert [line["exposure_ev"] for line in lines] == [1.5, None]
    assert all(list(line)[:5] == ["frame_index", "file_name", "seed", "label_counts", "exposure_ev"]
               for line in lines)
