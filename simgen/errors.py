"""The one error hierarchy of simgen.

Every error a user can cause (bad config, missing asset, impossible placement, a renderer that
cannot start) is a `SimgenError`; the CLI turns it into a one-paragraph message and exit code 2.
Anything else escaping is a bug.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class SimgenError(Exception):
    """Base of all errors simgen raises on purpose."""


class ConfigError(SimgenError):
    """A config value is missing, of the wrong type or out of range."""

    def __init__(self, field: str, value: object, allowed: str, where: str = "") -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        self.where = where
        """The file (and line) or 'command line' the value came from, when known."""
        super().__init__(f"{where + ': ' if where else ''}{field}: got {value!r}; allowed: {allowed}")


class AssetError(SimgenError):
    """An asset in the catalog is missing, corrupt, empty or implausible."""


class PlacementError(SimgenError):
    """Objects could not be placed without overlap within the retry budget."""


class RenderError(SimgenError):
    """The renderer could not start, the requested device is missing, or a render failed."""


class OutputError(SimgenError):
    """The output directory is unusable, or holds a dataset made with another config."""



class DatasetError(SimgenError):
    """An existing dataset (the input of `simgen preview/report/validate/lineage/export`) cannot be read."""


def closest_name(name: str, choices: Iterable[str]) -> str:
    """A 'did you mean' suffix for `name` among `choices`, or '' when nothing is close."""
    matches = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.5)
    return f" (did you mean {matches[0]!r}?)" if matches else ""


class ShardPreempted(SimgenError):
    """The run was asked to stop (SIGTERM, SIGUSR1, SIGUSR2, SIGINT) and stopped between two frames.

    Committed frames are kept; running the same command again resumes. The CLI exits with
    `EXIT_PREEMPTED` (75, EX_TEMPFAIL) so a batch script can requeue the job.
    """

    signal_name: str | None = None
    """The signal that stopped the run, e.g. 'SIGTERM' or 'SIGINT'."""
    frames_rendered: int = 0
    """Frames committed by this run before it stopped."""
