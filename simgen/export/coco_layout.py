"""The COCO layout that dataset tools expect (datumaro, CVAT, mmdetection, FiftyOne), per split.

Layout (datumaro's and CVAT's "COCO 1.0", mmdetection's `CocoDataset` with
`data_prefix=dict(img="images/<subset>/")`)::

    OUT/annotations/instances_<subset>.json   one COCO file per split (train, val, test)
    OUT/images/<subset>/NNNNNN.png            the rendered images (copied)

Each file keeps only COCO's own keys at the top of every image and annotation (`file_name` is
relative to images/<subset>/). Everything simgen adds (amodal boxes, visibility, truncation,
instance and track ids, 3D box, fog, motion blur; an image's K, T_cam_world, seed) moves under
`attributes`, the key datumaro, CVAT and FiftyOne read custom attributes from, with the
documented names unchanged except where a consumer reserves one: `instance_id` is
`simgen_instance_id` there (`RENAMED`; FiftyOne's `Detection` owns `instance_id`). The 63-bit
instance and track ids also get a string copy (`simgen_instance_id_str`, `track_id_str`):
JavaScript front ends (CVAT, Label Studio, web viewers) read JSON numbers as doubles, exact only
below 2**53.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

import orjson

from simgen.contract import SPLIT_ORDER
from simgen.dataset.view import DatasetView, load_dataset
from simgen.writers.atomic import write_bytes_atomic

log = logging.getLogger(__name__)

COCO_IMAGE_KEYS = ("id", "file_name", "width", "height", "license")
COCO_ANNOTATION_KEYS = ("id", "image_id", "category_id", "segmentation", "area", "bbox", "iscrowd")
WIDE_ID_KEYS = ("instance_id", "track_id")
"""Integer keys that may exceed 2**53: each gets a `<key>_str` copy in `attributes`."""
RENAMED = {"instance_id": "simgen_instance_id", "instance_id_str": "simgen_instance_id_str"}
"""Names some consumer reserves, renamed under `attributes`: FiftyOne's importer copies every
attribute onto its `Detection`, where `instance_id` is a read-only property (fiftyone 1.22)."""


def namespaced(entry: dict[str, Any], coco_keys: tuple[str, ...]) -> dict[str, Any]:
    """COCO's own keys of `entry` at the top, every other key under `attributes` (ids also as str)."""
    top = {key: entry[key] for key in coco_keys if key in entry}
    attributes = {key: value for key, value in entry.items() if key not in coco_keys}
    for key in WIDE_ID_KEYS:
        if key in attributes:
            attributes[f"{key}_str"] = None if attributes[key] is None else str(attributes[key])
    return top | {"attributes": {RENAMED.get(key, key): value for key, value in attributes.items()}}


def subset_coco(view: DatasetView, subset: str) -> dict[str, Any]:
    """The COCO dict of one split, namespaced, with file names relative to images/<subset>/."""
    images, annotations = [], []
    for image in view.images:
        if view.split_of(image["id"]) != subset:
            continue
        images.append(namespaced(image | {"file_name": Path(image["file_name"]).name}, COCO_IMAGE_KEYS))
        annotations += [namespaced(ann, COCO_ANNOTATION_KEYS) for ann in view.annotations_of(image["id"])]
    return {"info": view.coco.get("info", {}), "licenses": view.coco.get("licenses", []),
            "categories": view.coco["categories"], "images": images, "annotations": annotations}


def export_coco_layout(dataset: Path, out_dir: Path) -> Path:
    """Write annotations/instances_<subset>.json and images/<subset>/ for every split with images.

    Returns:
        out_dir.

    Raises:
        DatasetError: the dataset is unreadable.
    """
    view = load_dataset(dataset)
    out_dir = Path(out_dir)
    subsets = [s for s in SPLIT_ORDER if any(view.split_of(i["id"]) == s for i in view.images)]
    by_id = view.images_by_id
    for subset in subsets:
        coco = subset_coco(view, subset)
        for image in coco["images"]:
            source = by_id[image["id"]]["file_name"]
            target = out_dir / "images" / subset / image["file_name"]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(view.root / source, target)
        write_bytes_atomic(out_dir / "annotations" / f"instances_{subset}.json", orjson.dumps(coco) + b"\n")
    log.info("COCO layout export (%s) of %d images written to %s", ", ".join(subsets), len(view.images), out_dir)
    return out_dir
