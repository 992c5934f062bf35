"""Stopping cleanly on preemption: SIGTERM, SIGUSR1 and SIGUSR2 end a run between two frames.

SIGINT (Ctrl-C) is handled the same way: the run stops after the current frame, prints a
summary and exits with `EXIT_INTERRUPTED` (130); a second Ctrl-C interrupts at once.

Slurm sends SIGTERM when it preempts or cancels a job, and the signal chosen with
`--signal` (USR1 in `simgen slurm-script`, USR2 under submitit) before the time limit. While
`PreemptionGuard` is active, such a signal only sets a flag; the render loop checks it after
each committed frame and stops there with `ShardPreempted`. Committed frames stay; the frame
in progress is finished (its files and record are written) before the stop, so nothing is
half-written and a rerun resumes at the next frame.

Python runs signal handlers only between bytecodes of the main thread, and Blender's render
call does not return to Python until the frame is done, so a signal sent mid-render is seen
when that render returns (measured: see docs/sweeps.md, "Preemption"). Keep one frame's
render time well below the launcher's signal lead time.

If a launcher installed its own handler before us (submitit does, to checkpoint and requeue
the job), `forward` hands the signal on to it once the current frame is committed.
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import Any

from simgen.errors import ShardPreempted

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM, signal.SIGUSR1, signal.SIGUSR2, signal.SIGINT)

EXIT_PREEMPTED = 75
"""Exit status after a stop signal (EX_TEMPFAIL): the job may be requeued and will resume."""

EXIT_INTERRUPTED = 130
"""Exit status after Ctrl-C (128 + SIGINT), as shells report it."""


class PreemptionGuard:
    """Context manager deferring STOP_SIGNALS to the next frame boundary (main thread only)."""

    def __init__(self) -> None:
        self.received: int | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> PreemptionGuard:
        if threading.current_thread() is not threading.main_thread():
            log.debug("not on the main thread: signals are left to their current handlers")
            return self
        for sig in STOP_SIGNALS:
            self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._restore()

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if signum == signal.SIGINT and self.received == signal.SIGINT:
            raise KeyboardInterrupt  # a second Ctrl-C: stop now (the frame in progress is not committed)
        if self.received is None:
            hint = " (Ctrl-C again to stop at once)" if signum == signal.SIGINT else ""
            log.warning("received %s: stopping after the current frame%s", signal.Signals(signum).name, hint)
        self.received = signum

    def _restore(self) -> None:
        for sig, previous in self._previous.items():
            signal.signal(sig, previous if previous is not None else signal.SIG_DFL)
        self._previous = {}

    @property
    def signal_name(self) -> str | None:
        return signal.Signals(self.received).name if self.received is not None else None

    def check(self) -> None:
        """Called between frames. Raises ShardPreempted if a stop signal has arrived."""
        if self.received is not None:
            stop = ShardPreempted(f"stopped by {self.signal_name} between frames; committed frames are kept and "
                                  "running the same command again resumes")
            stop.signal_name = self.signal_name
            raise stop

    def forward(self) -> None:
        """Restore the previous handlers and pass the received signal to the one that was
        installed before us, if it was a Python function (e.g. submitit's checkpoint+requeue)."""
        previous = self._previous.get(self.received) if self.received is not None else None
        self._restore()
        if self.received == signal.SIGINT:
            return  # Python's own SIGINT handler would raise KeyboardInterrupt: the stop is ours
        if callable(previous):
            log.info("passing %s on to the launcher's handler %s", self.signal_name,
                     getattr(previous, "__qualname__", previous))
            previous(self.received, None)
