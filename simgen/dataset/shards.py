"""Shards of a sweep: per-shard state and manifest, and completeness checks.

A sweep splits `frames` global frame indices into shards of `frames_per_shard`; shard s holds
frames [s * frames_per_shard, min((s + 1) * frames_per_shard, frames)) (`simgen.contract.shard_range`,
which the Hydra sweep resolver reads too). A frame's seed and files depend only on its global
index, so the split changes nothing in the data. Each shard keeps its bookkeeping in
`shards/shard_NNNNN/` (see `simgen.contract`): `state.json` (written when it starts and when it
is preempted) and `manifest.json` (written when all its frames are committed).
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from simgen import contract
from simgen.contract import shard_count, shard_range
from simgen.dataset.directory import DatasetDir
from simgen.writers.atomic import write_json_atomic

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
