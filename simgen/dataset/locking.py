"""One writer per shard: an advisory lock file keeps two runs off the same frames.

Two `simgen` runs pointed at the same output.dir and the same frames would render and commit
the same frames twice. Each run holds an exclusive `fcntl.flock` on
`<output.dir>/.lock.shard_NNNNN` (a single run is shard 0) while it renders; a second run finds
it taken and stops with an `OutputError` naming the holder, before it renders anything. Shards
of one sweep lock different files, so they run side by side. The kernel drops the lock when
the holder exits, even on SIGKILL, so a resumed run never trips over a stale lock. (flock is
advisory and local to one machine's kernel on some network file systems; run one sweep's
shards against one shared file system that supports it, such as NFSv4 or Lustre with flock.)
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
from collections.abc import Iterator
from pathlib import Path

from simgen import contract
from simgen.errors import OutputError

LOCK_PREFIX = ".lock.shard_"


def lock_path(root: Path, shard: int) -> Path:
    return root / f"{LOCK_PREFIX}{shard:0{contract.SHARD_DIGITS}d}"


@contextlib.contextmanager
def shard_lock(root: Path, shard: int) -> Iterator[None]:
    """Hold the shard's lock for the duration of the block.

    Raises:
        OutputError: another process holds it (the message names its host and pid).
    """
    path = lock_path(root, shard)
    handle = open(path, "a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise OutputError(f"output.dir {str(root)!r}: shard {shard} is being rendered by {holder} right now "
                              f"(lock {path.name}); wait for it to finish, or use another output.dir") from error
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} on {socket.gethostname()}\n")
        handle.flush()
        yield
    finally:
        handle.close()
