"""Read-only access to a finished dataset directory (see `simgen.contract` for the layout).

Used by preview, report, lineage and the exports; `simgen.qa.validate` reads files itself, so
that it can report a broken file instead of failing on it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from pycocotools import mask as mask_utils

from simgen import contract
from simgen.errors import DatasetError
from simgen.writers.images import decode_depth_png


@dataclass
class DatasetView:
    """A dataset's COCO file, run.json and manifest, loaded once.

    Attributes:
        root: the dataset directory.
        coco: annotations.json as a dict.
        run: run.json as a dict (config, identity, lineage); {} when absent.
        manifest: manifest.jsonl lines, in file order.
    """

    root: Path
    coco: dict[str, Any]
    run: dict[str, Any]
    manifest: list[dict[str, Any]]
    _by_image: dict[int, list[dict]] = field(default_factory=dict, repr=False)

    @property
    def images(self) -> list[dict]:
        return self.coco["images"]

    @property
    def category_names(self) -> dict[int, str]:
        """COCO category id -> name."""
        return {c["id"]: c["name"] for c in self.coco["categories"]}

    def image(self, image_id: int) -> dict:
        for image in self.images:
            if image["id"] == image_id:
                return image
        raise DatasetError(f"image_id {image_id} is not in {self.root / contract.ANNOTATIONS_FILE}; "
                           f"allowed: {', '.join(str(i['id']) for i in self.images[:20])}")

    def annotations_of(self, image_id: int) -> list[dict]:
        """The COCO annotations of one image, in id order."""
        if not self._by_image:
            grouped: dict[int, list[dict]] = defaultdict(list)
            for ann in self.coco["annotations"]:
                grouped[ann["image_id"]].append(ann)
            self._by_image = dict(grouped)
        return self._by_image.get(image_id, [])

    def record(self, image_id: int) -> dict:
        """The frame record frames/NNNNNN.json of an image (spec, timing, provenance)."""
        return read_json(self.root / contract.frame_record_path(image_id))

    def iter_records(self) -> Iterator[dict]:
        for image in self.images:
            yield self.record(image["id"])

    def read_rgb(self, image: dict) -> np.ndarray:
        """(H, W, 3) uint8 RGB of a COCO image entry."""
        bgr = cv2.imread(str(self.root / image["file_name"]), cv2.IMREAD_COLOR)
        if bgr is None:
            raise DatasetError(f"cannot read image {self.root / image['file_name']}")
        return np.ascontiguousarray(bgr[:, :, ::-1])

    def read_depth_m(self, image: dict) -> np.ndarray:
        """(H, W) float32 depth in metres of a COCO image entry; NaN where no surface (PNG 0)."""
        path = self.root / image.get("depth_file", contract.depth_png_path(image["id"]))
        try:
            return decode_depth_png(path.read_bytes())
        except (OSError, cv2.error, AttributeError) as error:
            raise DatasetError(f"cannot read depth {path}: {error}") from error


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise DatasetError(f"cannot read {path}: {error}") from error


def load_dataset(root: Path) -> DatasetView:
    """Load a finished dataset (annotations.json must exist: all frames committed).

    Raises:
        DatasetError: not a directory, or annotations.json missing or unreadable.
    """
    root = Path(root)
    if not (root / contract.ANNOTATIONS_FILE).is_file():
        raise DatasetError(f"dataset: {str(root)!r} has no {contract.ANNOTATIONS_FILE}; allowed: the output.dir "
                           "of a finished simgen run (every frame committed)")
    coco = read_json(root / contract.ANNOTATIONS_FILE)
    run = read_json(root / contract.RUN_FILE) if (root / contract.RUN_FILE).is_file() else {}
    manifest = []
    if (root / contract.MANIFEST_FILE).is_file():
        lines = (root / contract.MANIFEST_FILE).read_text(encoding="utf-8").splitlines()
        manifest = [json.loads(line) for line in lines if line.strip()]
    return DatasetView(root=root, coco=coco, run=run, manifest=manifest)


def decode_segmentation(segmentation: dict) -> np.ndarray:
    """(H, W) bool mask of a COCO compressed RLE whose `counts` is a str."""
    counts = segmentation["counts"]
    rle = {"size": segmentation["size"], "counts": counts.encode("ascii") if isinstance(counts, str) else counts}
    return mask_utils.decode(rle).astype(bool)


def mask_box_xywh(mask: np.ndarray) -> list[int] | None:
    """Tight COCO box (pixel-edge XYWH) of a (H, W) bool mask, None when empty."""
    ys, xs = np.nonzero(mask)
    if len(xs) == 0:
        return None
    return [int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)]
