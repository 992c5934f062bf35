"""A render worker of `render.processes_per_device=N` (not a user command).

Started by `simgen.render.workers.worker_processes` as `python -m simgen.commands.render_worker`
with {"config": the resolved plain config, "worker": k, "workers": N} as JSON on stdin; renders
the run's uncommitted frames i with i % N == k (`simgen.pipeline.render_share`). Exit codes:
0 done, 2 bad input, 75 stopped by a signal (resumable).
"""

from __future__ import annotations

import json
import logging
import sys

log = logging.getLogger(__name__)


def main(argv: list[str]) -> int:
    from simgen.config.load import load_config
    from simgen.dataset.preemption import EXIT_PREEMPTED
    from simgen.errors import ShardPreempted, SimgenError
    from simgen.pipeline import render_share

    del argv  # everything comes on stdin
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s simgen worker: %(message)s")
    job = json.loads(sys.stdin.read())
    try:
        render_share(load_config(job["config"]), job["worker"], job["workers"])
    except ShardPreempted:
        return EXIT_PREEMPTED
    except SimgenError as error:
        log.error("%s: %s", type(error).__name__, error)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
