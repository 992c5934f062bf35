"""Atomic file writes: write a temp file in the target directory, then rename over the target.

A reader (or a resumed run) therefore sees either the old file or the whole new one, never a
truncated file, even if the process is killed mid-write. Temp names carry the host and process
id (`.NAME~HOST~PID.partial`), so concurrent runs sharing a dataset directory never write, nor
delete, each other's temp files. A temp file is created exclusively with O_NOFOLLOW (a symlink
planted at its name is never followed), and a write that fails (disk full) removes its temp
file before the error propagates. `os.replace` renames over a symlink at the target, never
through it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import socket
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TEMP_SUFFIX = ".partial"
_SEPARATOR = "~"


def host_name() -> str:
    """This host's name as lock and temp file names spell it ([A-Za-z0-9._-] only)."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", socket.gethostname()) or "host"


def _proc_stat(pid: int) -> list[str]:
    """Fields 3.. of /proc/PID/stat (after "pid (comm)"); [] where there is no /proc."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return []
    return text.rsplit(")", 1)[-1].split()


def process_token(pid: int) -> str:
    """The start time of process `pid` in clock ticks since boot (Linux /proc), '-' elsewhere.

    With the pid it identifies a process on this host across pid reuse.
    """
    fields = _proc_stat(pid)
    return fields[19] if len(fields) > 19 else "-"  # field 22 (starttime) of proc(5)


def process_alive(pid: int, token: str) -> bool:
    """Whether process `pid` with start token `token` (or any, for '-') still runs on this host.

    A zombie (exited, not yet reaped) counts as ended.
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, owned by another user
    fields = _proc_stat(pid)
    if fields and fields[0] in ("Z", "X"):
        return False
    current = fields[19] if len(fields) > 19 else "-"
    return token == "-" or current == "-" or current == token
def temp_path(path: Path) -> Path:
    """This process's temp file for `path`: same directory, hidden, unique per host and pid."""
    return path.with_name(f".{path.name}{_SEPARATOR}{host_name()}{_SEPARATOR}{os.getpid()}{TEMP_SUFFIX}")


def temp_owner(name: str) -> tuple[str, str, int] | None:
    """(target name, host, pid) of a temp file name made by `temp_path`, None for other names."""
    if not (name.startswith(".") and name.endswith(TEMP_SUFFIX)):
        return None
    parts = name[1:-len(TEMP_SUFFIX)].split(_SEPARATOR)
    if len(parts) != 3 or not parts[2].isdigit():
        return None
    return parts[0], parts[1], int(parts[2])


def open_exclusive(path: Path) -> int:
    """Create `path` for writing (O_EXCL | O_NOFOLLOW) and return its fd.

    A file already at `path` carries this process's own temp name (a leftover of an earlier
    failed write, or something planted there): it is unlinked (never followed) and the create
    retried once.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        return os.open(path, flags, 0o644)
    except FileExistsError:
        os.unlink(path)
        return os.open(path, flags, 0o644)


def write_temp(path: Path, data: bytes, *, durable: bool = False) -> Path:
    """Write `data` to this process's temp file of `path`; removed again if the write fails."""
    temp = temp_path(path)
    fd = open_exclusive(temp)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return temp


def write_bytes_atomic(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Write `data` to `path` atomically; with `durable`, fsync before the rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = write_temp(path, data, durable=durable)
    try:
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


@dataclass(frozen=True)
class WrittenFile:
    """A file a frame's writer wrote: its dataset-relative path and the sha256 (hex) of its bytes."""

    path: str
    sha256: str


def write_file(root: Path, path: str, data: bytes) -> WrittenFile:
    """Write `data` atomically to `root / path`; the content hash is taken from the bytes written,
    so nothing is read back."""
    write_bytes_atomic(root / path, data)
    return WrittenFile(path, hashlib.sha256(data).hexdigest())


def dumps_json(value: Any) -> bytes:
    """Deterministic JSON bytes: insertion-ordered keys, no NaN, a trailing newline."""
    import json

    return (json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")) + "\n").encode("utf-8")


def write_json_atomic(path: Path, value: Any, *, durable: bool = False) -> None:
    write_bytes_atomic(path, dumps_json(value), durable=durable)


def remove_partials(directory: Path, stems: Collection[str]) -> int:
    """Delete temp files left by interrupted writers under `directory`; returns the count.

    Only temp files that cannot belong to a running writer go: those of targets with these
    stems (the frames this run holds the lock of, e.g. '000042'), and any whose writer ran on
    this host and has ended. Temp files of other live runs (other frames, another host) stay.

    Args:
        directory: searched recursively (symlinked directories are not followed).
        stems: frame stems locked by this run.
    """
    count = 0
    if not directory.exists():
        return count
    here = host_name()
    for temp in directory.rglob(f".*{TEMP_SUFFIX}"):
        owner = temp_owner(temp.name)
        if owner is None:
            continue
        target, host, pid = owner
        ours = target.split(".", 1)[0] in stems
        if not ours and not (host == here and (pid == os.getpid() or not process_alive(pid, "-"))):
            continue
        try:
            if temp.is_dir() and not temp.is_symlink():
                shutil.rmtree(temp)
            else:
                temp.unlink()
            count += 1
        except FileNotFoundError:  # another process cleaned it up first
            pass
    return count
