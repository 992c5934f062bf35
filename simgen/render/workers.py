"""Several render processes per device (`render.processes_per_device=N`).

The run's own process renders frames i with i % N == 0; it starts N - 1 worker processes
(`python -m simgen.commands.render_worker`, the resolved config on stdin) that render the frames with
i % N == k into the same, already opened output directory, each with its own Blender session.
So N CPU cores build scenes and post-process while one GPU renders for all of them. Frames
commit independently (the record is each frame's commit), so resume and byte-identity are
those of a single process; the run's process assembles the dataset once every worker is done.
A stop signal sent to the run is passed on to the workers, which stop after their frame in
flight like the run does.
"""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

from simgen.errors import RenderError

log = logging.getLogger(__name__)


@contextlib.contextmanager
def worker_processes(plain_config: dict[str, Any], count: int) -> Iterator[list[subprocess.Popen]]:
    """Start workers 1 .. count-1 of `count` on this config (plain, resolved); on leaving, wait for
    them. If the body raised (a stop signal, an error), they get SIGTERM first (and stop after
    their frame in flight). Raises RenderError if a worker failed while the body succeeded."""
    procs = []
    for worker in range(1, count):
        proc = subprocess.Popen([sys.executable, "-m", "simgen.commands.render_worker"], stdin=subprocess.PIPE,
                                text=True)
        proc.stdin.write(json.dumps({"config": plain_config, "worker": worker, "workers": count}))
        proc.stdin.close()
        procs.append(proc)
    log.info("started %d more render processes for this device (render.processes_per_device=%d)", count - 1, count)
    failed = True
    try:
        yield procs
        failed = False
    finally:
        if failed:
            for proc in procs:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
        codes = [proc.wait() for proc in procs]
    bad = [(k + 1, code) for k, code in enumerate(codes) if code != 0]
    if bad and not failed:
        raise RenderError(f"render worker(s) failed: {', '.join(f'worker {k} exit {c}' for k, c in bad)}; their "
                          "committed frames are kept, re-run the same command to render the rest")
