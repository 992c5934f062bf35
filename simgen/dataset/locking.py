"""Frame locks: two runs never write the same global frames of one dataset directory.

A run locks exactly the global frame range it writes (its shard's frames; every frame for a
single run, for `simgen merge` and while `output.overwrite` clears a dataset), whatever its
`frames_per_shard`. Any two runs whose ranges overlap are refused, the second one before it
renders or writes anything, with a message naming the holder (pid, host, start time, frames).

Files in `output.dir` (see docs/safety.md):
    .lock                          the guard: `flock`ed for the milliseconds a run spends checking
                                   the other locks and creating its own; never written
    .lock.run~HOST~PID~TOKEN~N     one per running run, created exclusively (O_CREAT | O_EXCL |
                                   O_NOFOLLOW, so a planted symlink is never followed), holding
                                   JSON {pid, host, started, frames, shard, frames_per_shard,
                                   purpose}; TOKEN is the process start time (/proc), so a reused
                                   pid is not mistaken for the holder; removed when the run ends

A lock of a process that is gone (killed, crashed) on the same host is stale and reclaimed by
the next run. A lock from another host cannot be checked from here: it is honoured until its
file is removed by hand, except one left by an earlier incarnation of this very Slurm job (same
job id, step and task rank: a requeued job, which Slurm starts only after the old one ended,
possibly on another node). Every lock file is opened with O_NOFOLLOW; a lock entry that is a
symlink or not a regular file is refused, never followed or rewritten, and an unreadable one
counts as holding every frame until it is stale. Nothing here deletes a file of a live run. (The guard
relies on `flock`, which NFSv4 and Lustre with `flock` honour across clients; the exclusive
create and the check that follows it keep two overlapping runs from both proceeding even where
it does not.)
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import json
import logging
import os
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from simgen.errors import OutputError
from simgen.writers.atomic import host_name, process_alive, process_token

log = logging.getLogger(__name__)

GUARD_NAME = ".lock"
LOCK_PREFIX = ".lock.run~"
ALL_FRAMES = range(0, 2**63 - 1)
"""The range a run locks when it touches every frame (merge, clearing for output.overwrite)."""
GUARD_WAIT_S = 600.0
"""How long a run waits for another run to finish claiming the directory (clearing it, say)."""
_SEQUENCE = itertools.count()
_Prepared = TypeVar("_Prepared")


@dataclass(frozen=True)
class Holder:
    """One run's lock, as read from its file.

    Attributes:
        frames: [start, stop) global frame indices it writes.
        shard, frames_per_shard: its shard (None for merge and clearing).
        started: ISO 8601 UTC time it took the lock.
        purpose: 'render', 'merge' or 'overwrite'.
    """

    path: Path
    host: str
    pid: int
    token: str
    frames: range
    started: str = "?"
    shard: int | None = None
    frames_per_shard: int | None = None
    purpose: str = "render"
    slurm_job: str | None = None

    def overlaps(self, frames: range) -> bool:
        return max(self.frames.start, frames.start) < min(self.frames.stop, frames.stop)

    @property
    def stale(self) -> bool:
        """The holder has ended: it ran on this host and its process is gone, or it was an earlier
        incarnation (on another host) of the Slurm job this process belongs to."""
        if self.host == host_name():
            return not process_alive(self.pid, self.token)
        return self.slurm_job is not None and self.slurm_job == slurm_job()

    def describe(self) -> str:
        where = f", shard {self.shard} of frames_per_shard {self.frames_per_shard}" if self.shard is not None else ""
        return (f"pid {self.pid} on host {self.host} ({self.purpose}, started {self.started}, "
                f"frames {describe_frames(self.frames)}{where}; lock {self.path.name})")


def slurm_job() -> str | None:
    """This process's Slurm job incarnation key ('cluster:job.step.rank'), None outside Slurm.

    The job id of an array task is its own and, like the step and rank, survives a requeue.
    """
    job = os.environ.get("SLURM_JOB_ID")
    if not job:
        return None
    return (f"{os.environ.get('SLURM_CLUSTER_NAME', '')}:{job}.{os.environ.get('SLURM_STEP_ID', '-')}."
            f"{os.environ.get('SLURM_PROCID', '-')}")


def describe_frames(frames: range) -> str:
    return "all" if frames.stop >= ALL_FRAMES.stop else f"{frames.start}..{frames.stop - 1}"


def read_holders(root: Path) -> list[Holder]:
    """Every run lock in `root` (one directory listing of the dataset's top level).

    Raises:
        OutputError: a lock entry is a symlink or not a regular file (simgen never writes such a
            file; the message says how to clear it). An unreadable lock counts as holding every frame.
    """
    holders = []
    try:
        names = sorted(name for name in os.listdir(root) if name.startswith(LOCK_PREFIX))
    except FileNotFoundError:
        return []
    except OSError as error:
        raise OutputError(f"output.dir: cannot list {str(root)!r}: {error.strerror or error}") from error
    for name in names:
        holders.append(_read_holder(root / name))
    return holders


def _parse_name(path: Path) -> tuple[str, int, str] | None:
    parts = path.name[len(LOCK_PREFIX):].split("~")
    if len(parts) != 4 or not parts[1].isdigit():
        return None
    return parts[0], int(parts[1]), parts[2]


def _read_holder(path: Path) -> Holder:
    owner = _parse_name(path)
    if owner is None:
        raise _tampered(path, "is not named like a simgen lock")
    host, pid, token = owner
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:  # released while we listed: report it as an ended run
        return Holder(path, host, pid, token, range(0))
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise _tampered(path, "is a symbolic link") from error
        raise _tampered(path, f"cannot be opened ({error.strerror})") from error
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _tampered(path, "is not a regular file")
        data = json.loads(os.read(fd, 1 << 16).decode("utf-8"))
        start, stop = (int(v) for v in data["frames"])
        return Holder(path, host, pid, token, range(start, stop), str(data.get("started", "?")),
                      data.get("shard"), data.get("frames_per_shard"), str(data.get("purpose", "render")),
                      data.get("slurm_job"))
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        # Being written right now, or left by a run killed between creating and filling it
        # (then stale): either way it may cover any frame.
        return Holder(path, host, pid, token, ALL_FRAMES, purpose="unreadable lock file")
    finally:
        os.close(fd)


def _tampered(path: Path, what: str) -> OutputError:
    return OutputError(f"output.dir {str(path.parent)!r}: lock file {path.name} {what}; simgen never writes "
                       "such a lock, so it was made by hand or by another program. Remove it if no simgen run is "
                       "using this directory.")


class FramesHeldError(OutputError):
    """The frames a run wants are held by another live run (`holder`)."""

    def __init__(self, message: str, holder: Holder) -> None:
        super().__init__(message)
        self.holder = holder


def check_frames_free(root: Path, frames: range, wanted_by: str = "this run", own: Path | None = None) -> None:
    """Refuse, without writing anything, if a live run holds frames overlapping `frames`.

    Args:
        own: this run's own lock file, if it has one already (not counted).

    Raises:
        FramesHeldError: naming the holder.
        OutputError: a tampered lock entry or guard (see `read_holders`).
    """
    guard = root / GUARD_NAME
    if guard.is_symlink() or (guard.exists() and not guard.is_file()):
        raise _tampered(guard, "is a symbolic link or not a regular file")
    for holder in read_holders(root):
        if holder.path != own and holder.overlaps(frames) and not holder.stale:
            raise FramesHeldError(f"output.dir {str(root)!r}: frames {describe_frames(frames)} wanted by {wanted_by} "
                                  f"overlap frames being written by {holder.describe()}. Wait for that run to "
                                  "finish, or use another output.dir (a lock of a process that has ended on this "
                                  "host is reclaimed by the next run; one from another host is removed by hand once "
                                  "its process has ended).", holder)


@contextlib.contextmanager
def frame_lock(root: Path, frames: range, *, shard: int | None = None, frames_per_shard: int | None = None,
               purpose: str = "render",
               prepare: Callable[[list[Holder]], _Prepared] | None = None) -> Iterator[_Prepared | None]:
    """Hold a lock on `frames` in `root` for the duration of the block.

    Under the guard: reclaims stale locks, refuses an overlap with a live one, creates this
    run's lock, then calls `prepare(other live holders)` (which may clear or claim the
    directory knowing who else is in it) and yields its result.

    Raises:
        OutputError: the frames are held by another run (naming it), a lock entry or the guard
            is tampered with, or the directory cannot be written.
    """
    check_frames_free(root, frames)  # refuse before even the guard file is created
    with _guard(root):
        others = []
        for holder in read_holders(root):
            if holder.stale:
                log.warning("reclaiming the stale lock of %s (the process has ended)", holder.describe())
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(holder.path)
                continue
            others.append(holder)
        check_frames_free(root, frames)  # fresh listing: the same answer under the guard
        own = _create_lock(root, frames, shard, frames_per_shard, purpose)
        try:
            # Checked again with our lock in place: where flock does not reach across clients,
            # of two racing overlapping runs at least one sees the other, so they never both proceed.
            check_frames_free(root, frames, own=own)
            result = prepare([h for h in others if h.frames]) if prepare is not None else None
        except BaseException:
            _release(own)
            raise
    try:
        yield result
    finally:
        _release(own)


@contextlib.contextmanager
def _guard(root: Path) -> Iterator[None]:
    """Hold the directory guard (`.lock`, exclusive flock), waiting up to GUARD_WAIT_S."""
    import fcntl

    path = root / GUARD_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise _tampered(path, "is a symbolic link") from error
        raise OutputError(f"output.dir: cannot open {path}: {error.strerror or error}") from error
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _tampered(path, "is not a regular file")
        deadline, next_note = time.monotonic() + GUARD_WAIT_S, time.monotonic() + 5.0
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OutputError(f"output.dir {str(root)!r}: another simgen run has held {GUARD_NAME} for over "
                                      f"{GUARD_WAIT_S:.0f} s; try again later") from None
                if time.monotonic() > next_note:
                    log.info("waiting for another run to finish claiming %s", root)
                    next_note += 30.0
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing drops the flock


def _create_lock(root: Path, frames: range, shard: int | None, frames_per_shard: int | None, purpose: str) -> Path:
    path = root / f"{LOCK_PREFIX}{host_name()}~{os.getpid()}~{process_token(os.getpid())}~{next(_SEQUENCE)}"
    record = {"pid": os.getpid(), "host": host_name(), "frames": [frames.start, frames.stop],
              "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "shard": shard,
              "frames_per_shard": frames_per_shard, "purpose": purpose, "slurm_job": slurm_job()}
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except FileExistsError as error:
        raise _tampered(path, "already exists under this process's own name") from error
    except OSError as error:
        raise OutputError(f"output.dir: cannot create a lock in {str(root)!r}: {error.strerror or error}") from error
    try:
        os.write(fd, json.dumps(record).encode("utf-8") + b"\n")
        os.fsync(fd)
    except OSError as error:
        _release(path)
        raise OutputError(f"output.dir: cannot write a lock in {str(root)!r}: {error.strerror or error}") from error
    finally:
        os.close(fd)
    return path


def _release(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
