"""Dataset assembly: frame records -> annotations.json + manifest.jsonl, in one streaming pass.

Each frame record is read and parsed once. Its image entry, its annotations (numbered 1, 2, 3...
in frame order) and its manifest line go to three temp files as they are read; the COCO file is
then put together as header + images + annotations, where the header's `info` can include what
the pass learned (devices, Blender versions). Memory is bounded by one record whatever the
dataset size; orjson does the (de)serialization, which is deterministic (insertion-ordered keys,
shortest round-trip floats), so the same records always give the same bytes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from simgen.writers.atomic import temp_path
from simgen.writers.coco import categories_entry

UNKNOWN = "unknown"


@dataclass
class Assembly:
    """What one pass over the records found."""

    frames: int = 0
    annotations: int = 0
    ignored: int = 0
    provenance: dict[str, set[str]] = field(default_factory=lambda: {"device": set(), "blender_version": set()})

    def provenance_summary(self) -> dict[str, str]:
        """{"device": "CPU", "blender_version": "5.0.1"}; several values joined with ", "."""
        return {key: ", ".join(sorted(values)) or UNKNOWN for key, values in self.provenance.items()}


def manifest_line(record: Mapping[str, Any]) -> dict[str, Any]:
    """One manifest.jsonl entry of a frame record."""
    return {"frame_index": record["frame_index"], "file_name": record["image"]["file_name"],
            "seed": record["image"]["frame_seed"], "label_counts": record.get("label_counts", {}),
            "spec": record["spec"], "timing": record["timing"], "provenance": record.get("provenance", {})}


def assemble(coco_path: Path, manifest_path: Path, records: Iterable[Mapping[str, Any]],
             make_info: Callable[[Assembly], Mapping[str, Any]], categories: Mapping[str, int],
             header: Mapping[str, Any] | None = None) -> Assembly:
    """Write annotations.json and manifest.jsonl from frame records in frame order, atomically.

    Args:
        coco_path, manifest_path: the two targets.
        records: frame records in frame order (read once).
        make_info: builds the COCO `info` block once the pass is done.
        categories: category name -> COCO id.
        header: more top-level COCO keys written after `categories` (e.g. `videos`).
    """
    result = Assembly()
    with tempfile.TemporaryDirectory(prefix=".assembly-", dir=coco_path.parent) as scratch:
        images_part, annotations_part = Path(scratch) / "images", Path(scratch) / "annotations"
        manifest_temp = temp_path(manifest_path)
        with open(images_part, "wb") as images, open(annotations_part, "wb") as annotations, \
                open(manifest_temp, "wb") as manifest:
            for record in records:
                images.write((b"," if result.frames else b"") + orjson.dumps(record["image"]))
                for annotation in record["annotations"]:
                    result.annotations += 1
                    prefix = b"," if result.annotations > 1 else b""
                    annotations.write(prefix + orjson.dumps({"id": result.annotations, **annotation}))
                manifest.write(orjson.dumps(manifest_line(record), option=orjson.OPT_APPEND_NEWLINE))
                result.ignored += sum(c.get("ignored", 0) for c in record.get("label_counts", {}).values())
                for key, values in result.provenance.items():
                    values.add(str(record.get("provenance", {}).get(key, UNKNOWN)))
                result.frames += 1
        coco_temp = temp_path(coco_path)
        with open(coco_temp, "wb") as out:
            out.write(b'{"info":' + orjson.dumps(dict(make_info(result))) + b',"licenses":[],"categories":'
                      + orjson.dumps(categories_entry(categories))
                      + b"".join(b"," + orjson.dumps(k) + b":" + orjson.dumps(v) for k, v in (header or {}).items())
                      + b',"images":[')
            _append(out, images_part)
            out.write(b'],"annotations":[')
            _append(out, annotations_part)
            out.write(b"]}\n")
    os.replace(manifest_temp, manifest_path)
    os.replace(coco_temp, coco_path)
    return result


def _append(out, part: Path) -> None:
    with open(part, "rb") as source:
        shutil.copyfileobj(source, out, length=1 << 20)


def load_record(path: Path) -> dict[str, Any]:
    """Parse one frame record (orjson: several times faster than the json module)."""
    return orjson.loads(path.read_bytes())
