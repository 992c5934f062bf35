"""Atomic file writes: write a temp file in the target directory, then rename over the target.

A reader (or a resumed run) therefore sees either the old file or the whole new one, never a
truncated file, even if the process is killed mid-write. Temp names carry the host and process
id (`.NAME.HOST.PID.partial`), so concurrent shards sharing a dataset directory never write the
same temp file.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Collection
from pathlib import Path
from typing import Any

TEMP_SUFFIX = ".partial"


def temp_path(path: Path) -> Path:
    """This process's temp file for `path`: same directory, hidden, unique per host and pid."""
    return path.with_name(f".{path.name}.{socket.gethostname()}.{os.getpid()}{TEMP_SUFFIX}")


def write_bytes_atomic(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Write `data` to `path` atomically; with `durable`, fsync before the rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_path(path)
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


def remove_partials(directory: Path, stems: Collection[str] | None = None) -> int:
    """Delete temp files left by an interrupted writer under `directory`; returns the count.

    Args:
        directory: searched recursively.
        stems: only remove temp files of targets with these stems (e.g. one shard's frame
            stems '000042'), so that shards running concurrently keep their own temp files.
    """
    count = 0
    if not directory.exists():
        return count
    for temp in directory.rglob(f".*{TEMP_SUFFIX}"):
        if stems is not None and temp.name[1:].split(".", 1)[0] not in stems:
            continue
        try:
            temp.unlink()
            count += 1
        except FileNotFoundError:  # another process cleaned it up first
            pass
    return count
