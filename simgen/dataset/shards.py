"""Shards of a sweep: per-shard state and manifest, and completeness checks.

A sweep splits `frames` global frame indices into shards of `frames_per_shard`; shard s holds
frames [s * frames_per_shard, min((s + 1) * frames_per_shard, frames)) (`simgen.contract.shard_range`,
which the Hydra sweep resolver reads too). A frame's seed and files depend only on its global
index, so the split changes nothing in the data. Each shard keeps its bookkeeping in
`shards/shard_NNNNN/` (see `simgen.contract`): `state.json` (written when it starts and when it
is preempted) and `manifest.json` (written when all its frames are committed). The render
loop's share of it: `shard_states` around the frames, `finish_shard` once they are committed.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import statistics
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from simgen import contract
from simgen.config.schema import SimgenConfig
from simgen.contract import shard_count, shard_range
from simgen.dataset.directory import DatasetDir
from simgen.dataset.preemption import PreemptionGuard
from simgen.errors import RenderError, ShardPreempted
from simgen.writers.atomic import write_json_atomic

log = logging.getLogger(__name__)

ENV_KEYS = ("CUDA_VISIBLE_DEVICES", "SLURM_JOB_ID", "SLURM_ARRAY_JOB_ID", "SLURM_ARRAY_TASK_ID",
            "SLURM_RESTART_COUNT", "SLURM_PROCID")
"""Environment variables recorded per shard (None when unset; '' is not the same as unset)."""


def process_environment() -> dict[str, Any]:
    """Where this shard runs: host, pid and the ENV_KEYS (GPU visibility, Slurm ids)."""
    return {"host": socket.gethostname(), "pid": os.getpid(),
            "env": {key: os.environ.get(key) for key in ENV_KEYS}}


def shard_path(root: Path, shard: int, name: str) -> Path:
    return root / contract.shard_dir(shard) / name


def write_shard_state(root: Path, shard: int, state: Mapping[str, Any]) -> None:
    write_json_atomic(shard_path(root, shard, contract.SHARD_STATE_FILE), dict(state), durable=True)


def write_shard_manifest(root: Path, shard: int, manifest: Mapping[str, Any]) -> None:
    write_json_atomic(shard_path(root, shard, contract.SHARD_MANIFEST_FILE), dict(manifest), durable=True)


def read_shard_manifest(root: Path, shard: int) -> dict[str, Any] | None:
    path = shard_path(root, shard, contract.SHARD_MANIFEST_FILE)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def missing_frames(dataset: DatasetDir, frames: int, frames_per_shard: int) -> dict[int, list[int]]:
    """Frames without a committed record, grouped by shard: {shard: [frame, ...]} (sorted).

    One `stat` per frame; no directory is listed, so this stays cheap on shared filesystems.
    """
    missing: dict[int, list[int]] = {}
    for shard in range(shard_count(frames, frames_per_shard)):
        absent = [i for i in shard_range(shard, frames, frames_per_shard) if not dataset.is_committed(i)]
        if absent:
            missing[shard] = absent
    return missing


def describe_missing(missing: Mapping[int, list[int]], frames: int, frames_per_shard: int) -> str:
    """'shard 1 (frames 4..7): missing frames 5, 6' lines, and the override to rerun them."""
    lines = []
    for shard, absent in sorted(missing.items()):
        span = shard_range(shard, frames, frames_per_shard)
        shown = ", ".join(str(i) for i in absent[:20]) + (f" (+{len(absent) - 20} more)" if len(absent) > 20 else "")
        lines.append(f"shard {shard} (frames {span.start}..{span.stop - 1}): missing {len(absent)} frame(s): {shown}")
    shards = ",".join(str(s) for s in sorted(missing))
    lines.append(f"rerun them with the sweep's command and 'shard={shards}' (committed frames are kept)")
    return "\n".join(lines)


def shard_frames(cfg: SimgenConfig) -> range:
    """Global frame indices of this run's shard (all frames when frames_per_shard is 0)."""
    return contract.shard_range(cfg.shard, cfg.frames, cfg.frames_per_shard)


def frame_span(frames: range) -> str:
    """'4..7': the first and last index of a range of frames."""
    return f"{frames.start}..{frames.stop - 1}"


@contextlib.contextmanager
def shard_states(cfg: SimgenConfig, root: Path, device: str, guard: PreemptionGuard,
                 frames_rendered: Callable[[], int]) -> Iterator[None]:
    """Around the render loop of a shard: state.json says "running" on entry and "preempted"
    (with the signal and `frames_rendered()`) when a stop signal ends it, which is then passed
    on to the process's previous handlers (`PreemptionGuard.forward`). A single run (frames_per_shard
    = 0) writes no state; a stop still records its count on the `ShardPreempted` raised."""
    sweep = cfg.frames_per_shard > 0
    if sweep:
        write_shard_state(root, cfg.shard, {"shard": cfg.shard, "status": "running",
                                            "frames": frame_span(shard_frames(cfg)), "device": device,
                                            **process_environment()})
    try:
        yield
    except ShardPreempted as stop:
        stop.frames_rendered = frames_rendered()
        if sweep:
            write_shard_state(root, cfg.shard, {"shard": cfg.shard, "status": "preempted",
                                                "signal": guard.signal_name, "frames_rendered": stop.frames_rendered,
                                                "device": device, **process_environment()})
        guard.forward()
        raise


def finish_shard(cfg: SimgenConfig, root: Path, frames_rendered: int, device: str, device_names: Sequence[str],
                 frame_times_s: Sequence[float], rendered_now: bool) -> None:
    """Write the shard manifest (device, timing) once all its frames are committed; a shard
    complete from an earlier run (`rendered_now` False) keeps the manifest it has.

    Raises:
        RenderError: a frame of the shard has no committed record.
    """
    frames = shard_frames(cfg)
    dataset = DatasetDir(root)
    missing = [i for i in frames if not dataset.is_committed(i)]
    if missing:
        raise RenderError(f"shard {cfg.shard}: frames {missing[:10]} are not committed after the run")
    if not rendered_now and read_shard_manifest(root, cfg.shard) is not None:
        return
    write_shard_manifest(root, cfg.shard, {
        "shard": cfg.shard, "frames": frame_span(frames), "frames_per_shard": cfg.frames_per_shard,
        "frames_total": cfg.frames, "frames_rendered": frames_rendered, "device": device,
        "device_names": list(device_names), **process_environment(),
        "timing": {"render_total_s": round(sum(frame_times_s), 3),
                   "median_s_per_frame": round(statistics.median(frame_times_s), 4) if frame_times_s else None}})
    write_shard_state(root, cfg.shard, {"shard": cfg.shard, "status": "complete", "frames": frame_span(frames),
                                        **process_environment()})
    log.info("shard %d complete (frames %s); run `simgen merge %s` once every shard is done", cfg.shard,
             frame_span(frames), root)
