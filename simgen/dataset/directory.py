"""The dataset directory: its identity (run.json), committed frames, and final assembly.

Rules (the CLI contract):
    * A frame is committed iff its record `frames/NNNNNN.json` exists; the record is written
      last, after the image and depth, so a killed run never leaves a committed half-frame.
    * Re-running the same config into the same directory renders only the missing frames.
    * A different config into a non-empty dataset directory is an `OutputError` that lists the
      differing fields, unless `output.overwrite=true`, which clears simgen's own files first.
    * A non-empty directory that is not a simgen dataset is never written into or cleared
      (Hydra's own sweep logs in `.sweep/` do not count: see `simgen.contract.SWEEP_LOG_DIR`).
    * Shards of a sweep share the directory and may start at the same moment: run.json is
      created exclusively (hard link of a complete temp file), and a shard that finds one made
      with another config stops with an `OutputError`.
    * A run writes only what its frame lock covers (`simgen.dataset.locking`); clearing for overwrite
      needs every frame, so it is refused while any other run holds a lock in the directory.
    * simgen never writes or deletes through a symlink: a symlinked entry of the dataset's own
      layout (images/, frames/, qa/, run.json...) is refused before anything is written.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simgen import contract
from simgen.config.dump import config_hash, flatten
from simgen.dataset.locking import Holder
from simgen.errors import OutputError
from simgen.writers.assembly import load_record
from simgen.writers.atomic import dumps_json, remove_partials, temp_owner, write_temp

log = logging.getLogger(__name__)

RUN_ONLY_FIELDS = ("frames", "shard", "frames_per_shard", "output.dir", "output.overwrite", "output.progress",
                   "render.device", "render.threads",
                   "render.processes_per_device", "validate.enabled", "validate.fail_on", "validate.min_area_px",
                   "validate.min_mask_depth_fraction", "split.train", "split.val", "split.test", "info.contributor",
                   "info.url", "info.date_created", "info.license_name", "info.license_url")
"""Config fields that do not change a frame's content, so they may differ between re-runs."""

OWNED = (contract.IMAGES_DIR, contract.DEPTH_DIR, contract.FRAMES_DIR, contract.ANNOTATIONS_FILE, contract.CARD_FILE,
         *(contract.split_annotations_file(name) for name in contract.SPLIT_ORDER),
         contract.MANIFEST_FILE, contract.RUN_FILE, contract.INSTANCE_DIR, contract.SEMANTIC_DIR,
         contract.PANOPTIC_DIR, contract.PANOPTIC_FILE, contract.FLOW_DIR,
         contract.QA_DIR, contract.SHARDS_DIR)

PER_SHARD_FIELDS = ("shard",)
"""Config fields that differ between the shards of one sweep; left out of run.json."""


def dataset_identity(plain_config: Mapping[str, Any]) -> dict[str, Any]:
    """The config fields that define frame content (all but RUN_ONLY_FIELDS), flattened."""
    return {k: v for k, v in flatten(dict(plain_config)).items() if k not in RUN_ONLY_FIELDS}


@dataclass
class DatasetDir:
    root: Path

    def record_path(self, frame_index: int) -> Path:
        return self.root / contract.frame_record_path(frame_index)

    def is_committed(self, frame_index: int) -> bool:
        return self.record_path(frame_index).exists()

    def committed_frames(self) -> set[int]:
        frames_dir = self.root / contract.FRAMES_DIR
        if not frames_dir.is_dir():
            return set()
        return {int(p.stem) for p in frames_dir.glob("*.json") if p.stem.isdigit()}

    def iter_records(self, frame_count: int) -> Iterator[dict]:
        """Frame records 0..frame_count-1 in order (all must be committed)."""
        for index in range(frame_count):
            yield load_record(self.record_path(index))


def check_output_dir(root: Path, plain_config: Mapping[str, Any], overwrite: bool) -> bool:
    """Decide, without writing anything, whether `root` may receive this run.

    Returns:
        True if `root` holds a dataset of the same config whose committed frames can be kept;
        False if it is new or empty, or will be cleared (overwrite of another config).

    Raises:
        OutputError: a foreign non-empty directory, a dataset made with another config (without
            overwrite), a symlinked layout entry (`check_no_symlinks`), or a path that exists and
            is not a directory.
    """
    if root.exists() and not root.is_dir():
        raise OutputError(f"output.dir: got {str(root)!r}, which is a file; allowed: a directory path")
    if not root.exists() or not any(_counts(p.name) for p in root.iterdir()):
        return False
    check_no_symlinks(root)
    run_file = root / contract.RUN_FILE
    if not run_file.exists():
        raise OutputError(f"output.dir: {str(root)!r} is not empty and is not a simgen dataset (no "
                          f"{contract.RUN_FILE}); allowed: an empty or new directory, or a simgen dataset")
    try:
        previous = json.loads(run_file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise OutputError(f"output.dir: cannot read {run_file}: {error}") from error
    old, new = previous.get("identity", {}), dataset_identity(plain_config)
    differing = sorted(k for k in set(old) | set(new) if old.get(k, "<unset>") != new.get(k, "<unset>"))
    if differing and not overwrite:
        shown = "; ".join(f"{k}: {old.get(k, '<unset>')!r} -> {new.get(k, '<unset>')!r}" for k in differing[:8])
        more = f" (and {len(differing) - 8} more)" if len(differing) > 8 else ""
        raise OutputError(f"output.dir {str(root)!r} holds a dataset made with a different config: {shown}{more}. "
                          "Use another output.dir, or output.overwrite=true to replace it.")
    return not differing


def _counts(name: str) -> bool:
    """Whether a top-level entry makes a directory non-empty: Hydra's sweep logs do not, nor
    does a temp file of a run.json that a concurrent shard is creating right now, nor a lock
    file (`simgen.dataset.locking`)."""
    return name != contract.SWEEP_LOG_DIR and temp_owner(name) is None and not name.startswith(".lock")


def check_no_symlinks(root: Path) -> None:
    """Refuse a dataset whose own layout entries (OWNED) are symlinks: writing or clearing
    would follow them out of the directory.

    Raises:
        OutputError: naming the entry and where it points.
    """
    for name in OWNED:
        target = root / name
        if target.is_symlink():
            raise OutputError(f"output.dir {str(root)!r}: {name} is a symbolic link (to {os.readlink(target)!r}); "
                              "simgen writes and clears only real files and folders of the dataset. Replace the link "
                              "by a folder, or use another output.dir.")


def open_output_dir(root: Path, plain_config: Mapping[str, Any], overwrite: bool,
                    lineage: Mapping[str, Any], partial_stems: Collection[str],
                    others: Collection[Holder] = ()) -> DatasetDir:
    """Check, then claim `root` for this run: clear it if overwriting, write run.json.

    Called with the run's frame lock held (`simgen.dataset.locking.frame_lock`).

    Args:
        partial_stems: the frame stems this run holds the lock of: their temp files, and those of
            ended writers on this host, are removed (`remove_partials`).
        others: the other live lock holders in `root`; clearing is refused while there are any.

    Raises:
        OutputError: see `check_output_dir`; also clearing while another run holds a lock, an
            unwritable directory, or a run.json of another config created by a concurrent run.
    """
    check_output_dir(root, plain_config, overwrite)
    run_file = root / contract.RUN_FILE
    identity = dataset_identity(plain_config)
    if run_file.exists():
        previous = json.loads(run_file.read_text(encoding="utf-8"))
        if overwrite and previous.get("identity") != identity:
            _clear(root, others)
    shared = {k: v for k, v in plain_config.items() if k not in PER_SHARD_FIELDS}
    try:
        root.mkdir(parents=True, exist_ok=True)
        removed = remove_partials(root, partial_stems)
        if removed:
            log.info("removed %d partial file(s) left by an interrupted run", removed)
        _claim_run_file(run_file, {"identity": identity, "config_sha256": config_hash(identity),
                                   "config": shared, "lineage": dict(lineage)})
    except OSError as error:
        raise OutputError(f"output.dir: cannot write to {str(root)!r}: {error.strerror or error}") from error
    return DatasetDir(root)


def _clear(root: Path, others: Collection[Holder]) -> None:
    """Delete the previous dataset's own files (OWNED) for output.overwrite, when no other run
    holds a lock here (it would be deleting that run's frames)."""
    if others:
        raise OutputError(f"output.overwrite=true: cannot clear {str(root)!r} while another run writes into it: "
                          f"{'; '.join(h.describe() for h in others)}. Wait for it to finish, or use another "
                          "output.dir.")
    log.warning("output.overwrite=true: clearing the previous dataset in %s", root)
    try:
        for name in OWNED:
            target = root / name
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            elif target.exists() or target.is_symlink():
                target.unlink()
    except OSError as error:
        raise OutputError(f"output.overwrite=true: clearing {str(root)!r} failed at {error.filename}: "
                          f"{error.strerror or error}") from error


def _claim_run_file(run_file: Path, record: dict[str, Any]) -> None:
    """Create run.json if absent (atomically, safe against concurrent shards); if present with
    the same identity, update it only when run-level fields (e.g. `frames`) changed."""
    temp = write_temp(run_file, dumps_json(record), durable=True)
    try:
        try:
            os.link(temp, run_file)  # fails if it exists: exactly one creator wins
            return
        except FileExistsError:
            pass
        existing = json.loads(run_file.read_text(encoding="utf-8"))
        if existing.get("identity") != record["identity"]:
            differing = sorted(k for k in set(existing.get("identity", {})) | set(record["identity"])
                               if existing.get("identity", {}).get(k) != record["identity"].get(k))
            raise OutputError(f"output.dir {str(run_file.parent)!r}: another run just created a dataset with a "
                              f"different config (fields {', '.join(differing[:8])}); shards of one sweep must "
                              "share every field but shard")
        if existing.get("config") != record["config"]:
            os.replace(temp, run_file)
    finally:
        temp.unlink(missing_ok=True)


def create_output_dir(root: Path) -> None:
    """Create output.dir (and its parents) if needed.

    Raises:
        OutputError: it cannot be created (permissions, a file in the way).
    """
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"output.dir: cannot create {str(root)!r}: {error.strerror or error}") from error


def write_failure(error: OSError, frame_index: int, dataset: DatasetDir, frames_rendered: int) -> OutputError:
    """A clear error for a failed write (disk full, quota, permissions); committed frames stay valid."""
    reason = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is exceeded",
              errno.EFBIG: "a file size limit was hit"}.get(error.errno, error.strerror or str(error))
    return OutputError(f"output.dir: writing frame {frame_index} into {str(dataset.root)!r} failed: {reason}. "
                       f"{len(dataset.committed_frames())} committed frames are intact ({frames_rendered} "
                       "rendered in this run); free space and re-run the same command to resume.")
