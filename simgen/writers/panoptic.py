"""panoptic.json: the COCO panoptic file, assembled from the frame records (`output.panoptic`).

Follows panopticapi's format: `images` (id, file_name, width, height), `annotations` (one per
image: image_id, file_name of its PNG relative to panoptic/, segments_info) and `categories`
(id, name, supercategory, isthing, color): every semantic class of the dataset
(`simgen.catalog.classes.semantic_classes`), so category ids are class ids. Entries are
streamed to temp files while `simgen.writers.assembly` reads the records, so memory stays
bounded by one record; the file is replaced atomically.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from simgen.catalog.classes import semantic_classes
from simgen.writers.atomic import temp_path


def panoptic_categories(categories: Mapping[str, int]) -> list[dict[str, Any]]:
    """The panoptic `categories` of a dataset with these COCO categories, in id order."""
    return [{"id": c.id, "name": c.name, "supercategory": "thing" if c.isthing else "stuff",
             "isthing": int(c.isthing), "color": list(c.color), "cityscapes_train_id": c.train_id}
            for c in semantic_classes(categories)]


class PanopticAssembly:
    """Collects the panoptic entries of frame records as they stream past, then writes the file.

    Usage: `records = assembly.collect(records)`, consume `records`, then `assembly.write(info)`.
    """

    def __init__(self, path: Path, categories: Mapping[str, int]) -> None:
        self.path = path
        self.categories = categories
        self._scratch = tempfile.TemporaryDirectory(prefix=".panoptic-", dir=path.parent)
        self._images = Path(self._scratch.name) / "images"
        self._annotations = Path(self._scratch.name) / "annotations"
        self.frames = 0

    def collect(self, records: Iterable[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
        """Yields `records` unchanged, keeping each one's image and panoptic entries."""
        with open(self._images, "wb") as images, open(self._annotations, "wb") as annotations:
            for record in records:
                image = record["image"]
                separator = b"," if self.frames else b""
                images.write(separator + orjson.dumps({key: image[key] for key in
                                                       ("id", "file_name", "width", "height")}))
                annotations.write(separator + orjson.dumps(record["panoptic"]))
                self.frames += 1
                yield record

    def write(self, info: Mapping[str, Any]) -> None:
        """Write panoptic.json (after `collect` has been consumed) and remove the scratch files."""
        try:
            temp = temp_path(self.path)
            with open(temp, "wb") as out:
                out.write(b'{"info":' + orjson.dumps(dict(info)) + b',"licenses":[],"categories":'
                          + orjson.dumps(panoptic_categories(self.categories)) + b',"images":[')
                with open(self._images, "rb") as part:
                    shutil.copyfileobj(part, out)
                out.write(b'],"annotations":[')
                with open(self._annotations, "rb") as part:
                    shutil.copyfileobj(part, out)
                out.write(b"]}\n")
            os.replace(temp, self.path)
        finally:
            self.close()

    def close(self) -> None:
        self._scratch.cleanup()
