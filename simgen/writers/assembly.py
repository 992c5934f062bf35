"""Dataset assembly: frame records -> annotations.json, annotations_<split>.json and manifest.jsonl,
in one streaming pass.

Each frame record is read and parsed once. Its image entry, its annotations (numbered 1, 2, 3...
in frame order) and its manifest line go to three temp files as they are read; the COCO file is
then put together as header + images + annotations, where the header's `info` can include what
the pass learned (devices, Blender versions). Memory is bounded by one record whatever the
dataset size; orjson does the (de)serialization, which is deterministic (insertion-ordered keys,
shortest round-trip floats), so the same records always give the same bytes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from simgen.contract import PROVENANCE_UNKNOWN, SPLIT_ORDER, split_annotations_file
from simgen.writers.atomic import open_exclusive, temp_path
from simgen.writers.coco import categories_entry


@dataclass
class Assembly:
    """What one pass over the records found."""

    frames: int = 0
    annotations: int = 0
    ignored: int = 0
    label_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    """{category: {"kept": n, "ignored": m}} over the whole dataset."""
    provenance: dict[str, set[str]] = field(default_factory=lambda: {"device": set(), "blender_version": set()})

    def provenance_summary(self) -> dict[str, str]:
        """{"device": "CPU", "blender_version": "5.0.1"}; several values joined with ", "."""
        return {key: ", ".join(sorted(values)) or PROVENANCE_UNKNOWN for key, values in self.provenance.items()}


def manifest_line(record: Mapping[str, Any], split: str | None = None) -> dict[str, Any]:
    """One manifest.jsonl entry of a frame record (with its split when the dataset has splits).

    `exposure_ev` is the view exposure (EV) the metering applied to the image, the record's
    `exposure.view_exposure_ev` (metered EV + compensation, `simgen.render.exposure`); null on a
    fixed-exposure frame, whose record has no `exposure` entry (its view exposure is the spec's
    `lighting.exposure_ev`). Every line has the key, so the manifest's columns do not vary.
    """
    exposure = record.get("exposure")
    line = {"frame_index": record["frame_index"], "file_name": record["image"]["file_name"],
            "seed": record["image"]["frame_seed"], "label_counts": record.get("label_counts", {}),
            "exposure_ev": exposure["view_exposure_ev"] if exposure is not None else None,
            "spec": record["spec"], "timing": record["timing"], "provenance": record.get("provenance", {})}
    return line | ({"split": split} if split is not None else {})


@dataclass
class _Part:
    """The images and annotations of one COCO file, streamed to two scratch files."""

    target: Path
    images: Any
    annotations: Any
    image_count: int = 0
    annotation_count: int = 0

    def add(self, image: bytes, annotations: list[bytes]) -> None:
        self.images.write((b"," if self.image_count else b"") + image)
        self.image_count += 1
        for annotation in annotations:
            self.annotations.write((b"," if self.annotation_count else b"") + annotation)
            self.annotation_count += 1


def assemble(coco_path: Path, manifest_path: Path, records: Iterable[Mapping[str, Any]],
             make_info: Callable[[Assembly], Mapping[str, Any]], categories: Mapping[str, int],
             header: Mapping[str, Any] | None = None, splits: Sequence[str] | None = None,
             licenses: Sequence[Mapping[str, Any]] = ()) -> Assembly:
    """Write annotations.json (every frame), annotations_<split>.json (the frames of each split)
    and manifest.jsonl from frame records in frame order, atomically.

    Args:
        coco_path, manifest_path: the two targets; the split files go beside coco_path
            (`simgen.contract.split_annotations_file`).
        records: frame records in frame order (read once).
        make_info: builds the COCO `info` block once the pass is done.
        categories: category name -> COCO id.
        header: more top-level COCO keys written after `categories` (e.g. `videos`).
        splits: the split name of every frame (`simgen.sampling.split`); None = no split files.
        licenses: the COCO `licenses` entries; every image gets `license` = the first one's id.
    """
    result = Assembly()
    license_id = {"license": licenses[0]["id"]} if licenses else {}
    names = list(dict.fromkeys(splits)) if splits is not None else []
    targets = {None: coco_path} | {name: coco_path.parent / split_annotations_file(name) for name in sorted(
        names, key=lambda n: SPLIT_ORDER.index(n) if n in SPLIT_ORDER else len(SPLIT_ORDER))}
    manifest_temp = temp_path(manifest_path)
    temps: list[tuple[Path, Path]] = []
    # The scratch folder is this process's own (mkdtemp: a fresh name, mode 0700, never a link);
    # a failed pass (disk full, a bad record) leaves no temp file behind.
    try:
        with tempfile.TemporaryDirectory(prefix=".assembly-", dir=coco_path.parent) as scratch, \
                contextlib.ExitStack() as stack:
            parts = {key: _Part(target, stack.enter_context(open(Path(scratch) / f"images_{key}", "xb")),
                                stack.enter_context(open(Path(scratch) / f"annotations_{key}", "xb")))
                     for key, target in targets.items()}
            with os.fdopen(open_exclusive(manifest_temp), "wb") as manifest:
                for record in records:
                    split = splits[record["frame_index"]] if splits is not None else None
                    image = orjson.dumps({**record["image"], **license_id})
                    annotations = []
                    for annotation in record["annotations"]:
                        result.annotations += 1
                        annotations.append(orjson.dumps({"id": result.annotations, **annotation}))
                    for key in (None,) if split is None else (None, split):
                        parts[key].add(image, annotations)
                    manifest.write(orjson.dumps(manifest_line(record, split), option=orjson.OPT_APPEND_NEWLINE))
                    for category, counts in record.get("label_counts", {}).items():
                        total = result.label_counts.setdefault(category, {"kept": 0, "ignored": 0})
                        for key in total:
                            total[key] += counts.get(key, 0)
                        result.ignored += counts.get("ignored", 0)
                    for key, values in result.provenance.items():
                        values.add(str(record.get("provenance", {}).get(key, PROVENANCE_UNKNOWN)))
                    result.frames += 1
            for part in parts.values():
                part.images.flush()
                part.annotations.flush()
            head = (b'{"info":' + orjson.dumps(dict(make_info(result))) + b',"licenses":'
                    + orjson.dumps(list(licenses)) + b',"categories":' + orjson.dumps(categories_entry(categories))
                    + b"".join(b"," + orjson.dumps(k) + b":" + orjson.dumps(v) for k, v in (header or {}).items()))
            for key, part in parts.items():
                temps.append((temp_path(part.target), part.target))
                _write_coco(part, head, scratch, key, temps[-1][0])
        os.replace(manifest_temp, manifest_path)
        for temp, target in temps:
            os.replace(temp, target)
    finally:
        for temp in (manifest_temp, *(temp for temp, _ in temps)):
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
    return result


def _write_coco(part: _Part, header: bytes, scratch: str, key: str | None, temp: Path) -> None:
    """Put one COCO file together in `temp`, created exclusively beside its target."""
    with os.fdopen(open_exclusive(temp), "wb") as out:
        out.write(header + b',"images":[')
        _append(out, Path(scratch) / f"images_{key}")
        out.write(b'],"annotations":[')
        _append(out, Path(scratch) / f"annotations_{key}")
        out.write(b"]}\n")


def _append(out, part: Path) -> None:
    with open(part, "rb") as source:
        shutil.copyfileobj(source, out, length=1 << 20)


def load_record(path: Path) -> dict[str, Any]:
    """Parse one frame record (orjson: several times faster than the json module)."""
    return orjson.loads(path.read_bytes())
