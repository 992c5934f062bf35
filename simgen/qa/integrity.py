"""File-level checks of `simgen validate`: JSON numbers, map dtypes, content hashes.

What training would choke on without any label being wrong: a NaN or infinity anywhere in the
JSON files (`json`), a map stored with the wrong bit depth, dtype or channel count (`maps`),
an image or map whose bytes are not the ones the frame was rendered with, e.g. swapped with
another frame's (`content`, against the frame record's `files_sha256`).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from simgen import contract
from simgen.dataset.view import resolve_inside

Add = Callable[[str, str], None]
"""`report.add(check, message)`."""

MAP_FORMATS: dict[str, tuple[type, int, str]] = {
    "image": (np.uint8, 3, "8-bit RGB (uint8, 3 channels)"),
    "depth_png": (np.uint16, 1, "16-bit grey (uint16, 1 channel)"),
    "depth_npy": (np.float32, 1, "float32 (H, W)"),
    "instance_map": (np.uint16, 1, "16-bit grey (uint16, 1 channel)"),
    "semantic_map": (np.uint16, 1, "16-bit grey (uint16, 1 channel)"),
}
"""Frame record `files` key -> (dtype, channels, description) the contract gives it."""


def nonfinite_paths(value: Any, where: str = "") -> list[str]:
    """JSON paths ('annotations[3].area') of every NaN or infinite number inside `value`."""
    if isinstance(value, float):
        return [] if math.isfinite(value) else [where or "(top level)"]
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in nonfinite_paths(item, f"{where}.{key}" if where else key)]
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in nonfinite_paths(item, f"{where}[{i}]")]
    return []


def check_json_numbers(add: Add, name: str, value: Any) -> None:
    """One `json` problem per file that holds NaN/Infinity (Python's json reads them silently)."""
    paths = nonfinite_paths(value)
    if paths:
        more = f" (and {len(paths) - 3} more)" if len(paths) > 3 else ""
        add("json", f"{name}: non-finite number (NaN or Infinity) at {', '.join(paths[:3])}{more}; JSON allows only "
                    "finite numbers")


def load_json(add: Add, path: Path, name: str) -> Any:
    """Parse a JSON file; an unreadable one is a `files` problem (None), NaN/inf a `json` one."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        add("files", f"{name}: cannot read ({error})")
        return None
    check_json_numbers(add, name, value)
    return value


def check_map_format(add: Add, key: str, relative: str, pixels: np.ndarray) -> bool:
    """A `maps` problem when `pixels` (as decoded unchanged) is not the format of map `key`."""
    dtype, channels, description = MAP_FORMATS[key]
    actual_channels = 1 if pixels.ndim == 2 else pixels.shape[2]
    if pixels.dtype == dtype and actual_channels == channels:
        return True
    add("maps", f"{relative}: {pixels.dtype} with {actual_channels} channel(s); the contract says {description}")
    return False


def check_saturated_depth(add: Add, relative: str, raw: np.ndarray) -> None:
    """The writer never stores 65535 (deeper than DEPTH_PNG_MAX_M is 0): any is a clipped map."""
    saturated = int((raw == np.iinfo(np.uint16).max).sum()) if raw.dtype == np.uint16 else 0
    if saturated:
        add("depth", f"{relative}: {saturated} px saturated at 65535 ({65535 / contract.DEPTH_PNG_SCALE:.2f} m); "
                     f"simgen stores depth beyond {contract.DEPTH_PNG_MAX_M:.2f} m as {contract.DEPTH_PNG_INVALID}, "
                     "so the map was clipped by another tool")


def check_content(add: Add, root: Path, index: int, record: dict) -> None:
    """Each file the frame record names must hash to its `files_sha256` entry (`content`).

    Raises:
        DatasetError: a named file resolves outside the dataset.
    """
    record_name = contract.frame_record_path(index)
    hashes = record.get("files_sha256")
    files = record.get("files", {})
    if not isinstance(hashes, dict):
        add("content", f"{record_name}: no files_sha256, so its images cannot be checked (made by an older simgen?)")
        return
    for key, relative in files.items():
        path = resolve_inside(root, relative, f"{record_name} files.{key}")
        if key in contract.FILES_WRITTEN_BY_THE_NEXT_FRAME and key not in hashes:
            continue  # the next frame of the sequence wrote it (its flow); no hash by design
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue  # missing files are the `files` check's
        if digest != hashes.get(key):
            add("content", f"image {index}: {relative} does not have the content it was rendered with (sha256 "
                           f"{digest[:12]}..., {record_name} records {str(hashes.get(key))[:12]}...); it was "
                           "changed or swapped with another file")
