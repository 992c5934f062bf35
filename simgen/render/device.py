"""Render device choice: pure logic, so it is unit-tested without a GPU.

`auto` prefers OptiX, then CUDA, then the CPU. An explicitly requested GPU backend that the
machine does not offer is an error, never a silent fallback to the CPU.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Collection

from simgen.errors import RenderError

log = logging.getLogger(__name__)

AUTO_ORDER = ("OPTIX", "CUDA")
REQUESTS = ("auto", "cpu", "cuda", "optix")


def choose_device(requested: str, available: Collection[str], visible_devices: str | None = None) -> str:
    """Pick the Cycles compute backend.

    Args:
        requested: 'auto', 'cpu', 'cuda' or 'optix' (the `render.device` config value).
        available: backend types that offer at least one device here, e.g. {'OPTIX', 'CUDA'}.
        visible_devices: the CUDA_VISIBLE_DEVICES value, only to explain a missing GPU.

    Returns:
        'OPTIX', 'CUDA' or 'CPU'.

    Raises:
        RenderError: a GPU backend was requested explicitly and is not available.
    """
    if requested not in REQUESTS:
        raise RenderError(f"render.device: got {requested!r}; allowed: {', '.join(REQUESTS)}")
    if requested == "cpu":
        return "CPU"
    if requested == "auto":
        return next((backend for backend in AUTO_ORDER if backend in available), "CPU")
    backend = requested.upper()
    if backend not in available:
        hint = ""
        if visible_devices is not None:
            hint = f" (CUDA_VISIBLE_DEVICES={visible_devices!r})"
        found = ", ".join(sorted(available)) or "none"
        raise RenderError(f"render.device: got {requested!r} but this machine offers no {backend} device{hint}; "
                          f"GPU backends found: {found}. Use render.device=auto or render.device=cpu.")
    return backend


def warn_hidden_gpus(device: str) -> None:
    """Log why a run renders on the CPU when CUDA_VISIBLE_DEVICES is set empty (every GPU hidden)."""
    if os.environ.get("CUDA_VISIBLE_DEVICES") == "" and device == "CPU":
        log.warning("CUDA_VISIBLE_DEVICES is empty, so every GPU is hidden and Cycles renders on the CPU "
                    "(submitit_local does this unless hydra.launcher.gpus_per_node is set)")
