"""Lineage: which code, config, assets, software and seed made a dataset, and how to remake a frame.

Recorded in run.json (`lineage`) and in the COCO `info` block. Nothing here reads a clock, so
two identical runs of the same commit write the same bytes. Per-frame provenance (frame seed,
shard, device, Blender version) lives in each frame record and manifest line.
"""

from __future__ import annotations

import copy
import hashlib
import platform
import re
import shlex
import subprocess
import sys
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml

import simgen
from simgen import contract
from simgen.config.dump import config_hash, config_to_plain, flatten
from simgen.config.schema import SimgenConfig
from simgen.contract import PROVENANCE_UNKNOWN
from simgen.dataset.directory import RUN_ONLY_FIELDS, dataset_identity
from simgen.render.protocol import Renderer
from simgen.specs import FrameSpec

RELEASE_DATE = "2026/12/01"
"""Release date of this simgen version (YYYY/MM/DD): the COCO `date_created` when the source is
not a git checkout and `info.date_created` is empty."""
_BARE = re.compile(r"^[A-Za-z_./][A-Za-z0-9_\-./]*$")
_RESERVED = {"true", "false", "null", "none", "nan", "inf"}


def source_commit() -> dict[str, Any]:
    """The git commit of the simgen source tree, when simgen runs from a git checkout.

    Returns:
        {"git_commit": sha or PROVENANCE_UNKNOWN ("unknown"), "git_dirty": bool or None,
        "git_commit_date": "YYYY/MM/DD" (the committer date) or None}; dirty means tracked files
        under simgen/, assets/ or configs/ differ from the commit.
    """
    unknown = {"git_commit": PROVENANCE_UNKNOWN, "git_dirty": None, "git_commit_date": None}
    tree = Path(simgen.__file__).resolve().parent.parent
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=tree, capture_output=True, text=True,
                             timeout=10)
        # An installed wheel inside some other repository must not report that repository's commit.
        if top.returncode != 0 or Path(top.stdout.strip()).resolve() != tree:
            return unknown
        head = subprocess.run(["git", "log", "-1", "--format=%H %cs", "HEAD"], cwd=tree, capture_output=True,
                              text=True, timeout=10)
        diff = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", "simgen", "assets", "configs"],
                              cwd=tree, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return unknown
    if head.returncode != 0 or len(head.stdout.split()) != 2:
        return unknown
    sha, date = head.stdout.split()
    return {"git_commit": sha, "git_dirty": diff.returncode != 0, "git_commit_date": date.replace("-", "/")}


def recipes_sha256() -> str:
    """sha256 over the procedural recipe sources (simgen/catalog/recipes/*.py, by name order)."""
    digest = hashlib.sha256()
    folder = resources.files("simgen.catalog.recipes")
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".py"):
            digest.update(item.name.encode() + b"\0" + item.read_bytes() + b"\0")
    return digest.hexdigest()


def content_config(plain_config: Mapping[str, Any], run_only_fields: tuple[str, ...]) -> dict[str, Any]:
    """The resolved config without the fields that do not change frame content (output dir, ...)."""
    content = copy.deepcopy(dict(plain_config))
    for dotted in run_only_fields:
        node: Any = content
        *parents, leaf = dotted.split(".")
        for part in parents:
            node = node.get(part, {}) if isinstance(node, dict) else {}
        if isinstance(node, dict):
            node.pop(leaf, None)
    return content


def run_lineage(content: Mapping[str, Any], config_sha256: str, catalog_sha256: str, run_seed: int) -> dict[str, Any]:
    """The run-level lineage block (run.json `lineage`, COCO `info`); no clock, no host name."""
    return {"simgen_version": simgen.__version__, **source_commit(), "python": sys.version.split()[0],
            "platform": platform.platform(), "numpy": np.__version__, "catalog_sha256": catalog_sha256,
            "recipes_sha256": recipes_sha256(), "run_seed": run_seed, "config_sha256": config_sha256,
            "config_yaml": yaml.safe_dump(dict(content), sort_keys=False, default_flow_style=None, width=120)}


def run_info(cfg: SimgenConfig, catalog_sha256: str) -> dict[str, Any]:
    """Code, config, software and input versions of a run, recorded in run.json and the COCO
    info (`run_lineage`, plus the scenario); the device and Blender version come per frame
    (`frame_provenance`)."""
    plain = config_to_plain(cfg)
    info = run_lineage(content_config(plain, RUN_ONLY_FIELDS), config_hash(dataset_identity(plain)), catalog_sha256,
                       cfg.seed)
    return info | {"scenario": cfg.scenario_name}


def frame_provenance(cfg: SimgenConfig, spec: FrameSpec, renderer: Renderer) -> dict[str, Any]:
    """Who rendered a frame (its record's `provenance`): its shard of this run, the device and
    the Blender version (`contract.PROVENANCE_UNKNOWN` when the renderer does not say)."""
    return {"shard": contract.shard_of(spec.frame_index, cfg.frames_per_shard),
            "frames_per_shard": cfg.frames_per_shard, "device": renderer.device,
            "blender_version": getattr(renderer, "blender_version", contract.PROVENANCE_UNKNOWN)}


def hydra_value(value: Any) -> str:
    """A plain config value in Hydra override syntax: 1.5, [96,72], {uniform:[1.3,1.6]}, 'a b'."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        if _BARE.match(value) and value.lower() not in _RESERVED:
            return value
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(hydra_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{k}:{hydra_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Hydra syntax for {type(value).__name__}: {value!r}")


def reproduce_argv(identity: Mapping[str, Any], frames: int, image_id: int, output_dir: str) -> list[str]:
    """The `simgen` argv that re-renders frame `image_id` alone into `output_dir`.

    Every content-defining field is given explicitly (from run.json `identity`), so the command
    does not depend on the scenario files or defaults of the installed version; the frame is
    selected with `frames_per_shard=1 shard=<image_id>` (see `simgen.dataset.shards.shard_frames`).
    """
    overrides = [f"{key}={hydra_value(value)}" for key, value in flatten(dict(identity)).items()]
    return ["simgen", *overrides, f"frames={frames}", "frames_per_shard=1", f"shard={image_id}",
            f"output.dir={hydra_value(output_dir)}"]


def dataset_command(identity: Mapping[str, Any], frames: int) -> str:
    """The `simgen` command line that renders the whole dataset again (add `output.dir=...`).

    It names no directory, so the card that shows it is the same wherever the dataset is
    rendered, copied or merged."""
    overrides = [f"{key}={hydra_value(value)}" for key, value in flatten(dict(identity)).items()]
    return shlex.join(["simgen", *overrides, f"frames={frames}"])


def reproduce_command(identity: Mapping[str, Any], frames: int, image_id: int, output_dir: str) -> str:
    """`reproduce_argv` as one shell command line."""
    return shlex.join(reproduce_argv(identity, frames, image_id, output_dir))
