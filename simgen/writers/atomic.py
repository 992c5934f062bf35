"""Atomic file writes: write a temp file in the target directory, then rename over the target.

A reader (or a resumed run) therefore sees either the old file or the whole new one, never a
truncated file, even if the process is killed mid-write.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

TEMP_SUFFIX = ".partial"


def write_bytes_atomic(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Write `data` to `path` atomically; with `durable`, fsync before the rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}{TEMP_SUFFIX}")
    with open(temp, "wb") as handle:
        handle.write(data)
        if durable:
            handle.flush()
            os.fsync(handle.fileno())
    os.replace(temp, path)


def dumps_json(value: Any) -> bytes:
    """Deterministic JSON bytes: insertion-ordered keys, no NaN, a trailing newline."""
    return (json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")) + "\n").encode("utf-8")


def write_json_atomic(path: Path, value: Any, *, durable: bool = False) -> None:
    write_bytes_atomic(path, dumps_json(value), durable=durable)


def remove_partials(directory: Path) -> int:
    """Delete temp files left by an interrupted writer under `directory`; returns the count."""
    count = 0
    if directory.exists():
        for temp in directory.rglob(f".*{TEMP_SUFFIX}"):
            temp.unlink()
            count += 1
    return count
