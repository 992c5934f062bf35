"""Assembling a dataset from its committed frame records: annotations.json, the split files,
manifest.jsonl, panoptic.json and the DATASET.md card.

The same code finishes a single run (`simgen.pipeline.render_dataset`) and a sweep
(`simgen.dataset.merge`), so the files do not depend on how the frames were rendered.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import simgen
from simgen import contract
from simgen.annotations.identity import assign_track_ids
from simgen.config.dump import config_hash
from simgen.config.schema import SimgenConfig
from simgen.dataset.directory import DatasetDir, dataset_identity
from simgen.dataset.lineage import RELEASE_DATE, dataset_command
from simgen.errors import OutputError, RenderError
from simgen.sampling.split import sample_splits
from simgen.writers.assembly import Assembly, assemble
from simgen.writers.atomic import write_bytes_atomic
from simgen.writers.card import card_text
from simgen.writers.coco import info_entry, licenses_entry, video_header
from simgen.writers.panoptic import PanopticAssembly

log = logging.getLogger(__name__)


def dataset_splits(cfg: SimgenConfig) -> list[str]:
    """The split of every frame; a sequence (`sequence.frames` consecutive frames) is never cut."""
    return sample_splits(cfg.split, cfg.seed, cfg.frames, [i // cfg.sequence.frames for i in range(cfg.frames)])


def finalize_dataset(cfg: SimgenConfig, dataset: DatasetDir, info: dict[str, Any], plain: dict[str, Any],
                     check: Callable[[Iterator[dict]], Iterator[dict]] | None = None) -> int:
    """Assemble annotations.json, annotations_<split>.json and manifest.jsonl from the committed
    frame records.

    One streaming pass (`simgen.writers.assembly`): every record is read once; `check` (used by
    `simgen merge`) may inspect each record on the way. Returns the annotation count.
    """
    missing = [i for i in range(cfg.frames) if not dataset.is_committed(i)]
    if missing:
        raise RenderError(f"cannot finalize {dataset.root}: frames {missing[:10]} are not committed")
    records: Iterator[dict] = dataset.iter_records(cfg.frames)
    if check is not None:
        records = check(records)
    panoptic = PanopticAssembly(dataset.root / contract.PANOPTIC_FILE, cfg.labels.categories) \
        if cfg.output.panoptic else None
    if panoptic is not None:
        records = panoptic.collect(records)  # type: ignore[assignment]

    splits = dataset_splits(cfg)
    lineage_date = info.get("git_commit_date") or RELEASE_DATE

    def make_info(result: Assembly) -> dict[str, Any]:
        extra = {"config_sha256": config_hash(dataset_identity(plain)), "frames": cfg.frames, **info,
                 **result.provenance_summary(), "splits": dict(Counter(splits))}
        return info_entry(f"simgen dataset, scenario {cfg.scenario_name}", simgen.__version__, cfg.info,
                          lineage_date, extra)

    result = assemble(dataset.root / contract.ANNOTATIONS_FILE, dataset.root / contract.MANIFEST_FILE,
                      assign_track_ids(records, cfg.frames_per_shard, cfg.sequence.frames), make_info,
                      cfg.labels.categories, video_header(cfg.frames, cfg.sequence.frames), splits,
                      licenses_entry(cfg.info))
    if panoptic is not None:
        panoptic.write(make_info(result))
    write_card(cfg, dataset, plain, result, splits)
    log.info("dataset ready: %s (%d images, %d annotations, %d of them iscrowd ignore regions)", dataset.root,
             result.frames, result.annotations, result.ignored)
    return result.annotations


def finalize_run(cfg: SimgenConfig, dataset: DatasetDir, info: dict[str, Any], plain: dict[str, Any]) -> int:
    """`finalize_dataset` at the end of a single run; returns the annotation count.

    Raises:
        OutputError: writing the dataset files failed (the committed frames stay; re-running the
            same command assembles them).
    """
    try:
        return finalize_dataset(cfg, dataset, info, plain)
    except OSError as error:
        raise OutputError(f"output.dir: assembling the dataset files in {str(dataset.root)!r} failed: "
                          f"{error.strerror or error}; all frames are committed, re-run the same command "
                          "to assemble them") from error


def write_card(cfg: SimgenConfig, dataset: DatasetDir, plain: dict[str, Any], result: Assembly,
               splits: list[str]) -> None:
    """DATASET.md (`simgen.writers.card`) from the config and the assembly pass."""
    identity = dataset_identity(plain)
    facts = {"frames": cfg.frames, "seed": cfg.seed, "resolution": "x".join(map(str, cfg.render.resolution)),
             "config_sha256": f"`{config_hash(identity)}`", "simgen": simgen.__version__,
             "license": f"{cfg.info.license_name} ({cfg.info.license_url})", "contributor": cfg.info.contributor,
             "annotations": f"{result.annotations} ({result.ignored} ignore regions)"}
    text = card_text(f"simgen dataset, scenario {cfg.scenario_name}", dataset_command(identity, cfg.frames), facts,
                     cfg.labels, result.label_counts, Counter(splits))
    write_bytes_atomic(dataset.root / contract.CARD_FILE, text.encode("utf-8"))
