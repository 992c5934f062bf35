"""COCO instances: per-frame entries, and the dataset file assembled from frame records.

Frame records (`frames/NNNNNN.json`, see `simgen.contract`) carry each frame's COCO image
entry and annotations without global annotation ids. `write_coco` streams them, in frame
order, into one `annotations.json`: memory stays bounded by one record, not the dataset.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from simgen.annotations.instances import Instance
from simgen.contract import image_path
from simgen.writers.atomic import temp_path


def image_entry(frame_index: int, width_px: int, height_px: int, intrinsics: np.ndarray,
                extrinsics_cam_world: np.ndarray, run_seed: int, extra: Mapping[str, Any] | None = None) -> dict:
    """The COCO `images` entry of a frame, with camera and seed (see `simgen.contract`)."""
    entry = {
        "id": frame_index,
        "file_name": image_path(frame_index),
        "width": width_px,
        "height": height_px,
        "K": [[float(v) for v in row] for row in intrinsics],
        "T_cam_world": [[float(v) for v in row] for row in extrinsics_cam_world],
        "frame_seed": {"run_seed": run_seed, "frame_index": frame_index},
    }
    entry.update(extra or {})
    return entry


def annotation_entry(frame_index: int, instance: Instance) -> dict:
    """A COCO annotation without its global `id` (assigned when the dataset is assembled).

    Beyond COCO: the label keys of `simgen.contract` (amodal boxes, visibility, truncation,
    stable ids, distance, 3D box). Floats are rounded (boxes to 1/1000 px, fractions to 1e-4,
    metres to 0.1 mm) so the JSON stays short; `track_id` is added at assembly.
    """
    return {
        "image_id": frame_index,
        "category_id": instance.category_id,
        "segmentation": instance.rle,
        "area": instance.area_px,
        "bbox": list(instance.bbox_xywh),
        "iscrowd": instance.iscrowd,
        "instance_index": instance.instance_index,
        "object_name": instance.name,
        "asset": instance.asset,
        "instance_id": instance.instance_id,
        "bbox_amodal": _rounded(instance.bbox_amodal, 3),
        "bbox_amodal_unclipped": _rounded(instance.bbox_amodal_unclipped, 3),
        "visible_fraction": round(instance.visible_fraction, 4),
        "truncation": round(instance.truncation, 4),
        "distance_m": round(instance.distance_m, 4),
        "box3d_cam": instance.box3d_cam,
        "ignore_reasons": list(instance.ignore_reasons),
    }


def _rounded(values: tuple[float, ...] | None, digits: int) -> list[float] | None:
    return None if values is None else [round(float(v), digits) for v in values]


def categories_entry(categories: Mapping[str, int]) -> list[dict]:
    """COCO `categories`, sorted by id (stable whatever the YAML order)."""
    return [{"id": cid, "name": name, "supercategory": name} for name, cid in
            sorted(categories.items(), key=lambda item: item[1])]


def write_coco(path: Path, info: Mapping[str, Any], categories: Mapping[str, int],
               load_records: Callable[[], Iterable[Mapping[str, Any]]]) -> int:
    """Stream frame records into a COCO file, atomically. Returns the annotation count.

    Args:
        path: target `annotations.json`.
        info: the COCO `info` block (no timestamps: the file must be reproducible).
        categories: category name -> id.
        load_records: returns a fresh iterator over frame records in frame order; it is called
            twice (images, then annotations) so no more than one record is held at a time.
    """
    temp = temp_path(path)
    count = 0
    with open(temp, "w", encoding="utf-8") as out:
        out.write('{"info":' + _json(info) + ',"licenses":[],"categories":' + _json(categories_entry(categories)))
        out.write(',"images":[')
        _write_list(out, (record["image"] for record in load_records()))
        out.write('],"annotations":[')
        annotations = _numbered(record["annotations"] for record in load_records())
        for annotation in annotations:
            out.write(("," if count else "") + _json(annotation))
            count += 1
        out.write("]}\n")
    os.replace(temp, path)
    return count


def _numbered(groups: Iterable[list[dict]]) -> Iterator[dict]:
    next_id = 1  # COCOeval treats id 0 as "unmatched", so annotation ids start at 1
    for group in groups:
        for annotation in group:
            yield {"id": next_id, **annotation}
            next_id += 1


def _write_list(out, items: Iterable[Any]) -> None:
    for i, item in enumerate(items):
        out.write(("," if i else "") + _json(item))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
