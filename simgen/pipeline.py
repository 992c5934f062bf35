"""The render pipeline: config -> frame specs -> one Cycles render each -> labels -> files.

Everything that can fail because of the user's input (config, catalog, placement, output
directory, device) fails before the first render. Frames already committed in the output
directory are skipped, so a re-run resumes instead of re-rendering.
"""

from __future__ import annotations

import dataclasses
import errno
import logging
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

import simgen
from simgen import contract
from simgen.annotations.identity import assign_track_ids
from simgen.annotations.labels import label_frame, semantic_map
from simgen.catalog import Catalog, load_catalog
from simgen.config.dump import config_hash, config_to_plain
from simgen.config.schema import RenderConfig, SimgenConfig
from simgen.dataset import DatasetDir, check_output_dir, dataset_identity, open_output_dir
from simgen.errors import OutputError, RenderError
from simgen.geometry.camera import extrinsics_cam_world, intrinsics_matrix
from simgen.passes import RenderPasses
from simgen.sampling.frame import check_categories, sample_frame
from simgen.sensor.apply import apply_sensor, render_spec
from simgen.specs import FrameSpec
from simgen.writers.atomic import dumps_json, write_bytes_atomic, write_json_atomic
from simgen.writers.coco import annotation_entry, image_entry, write_coco
from simgen.writers.images import encode_depth_png, encode_npy, encode_rgb_png, encode_uint16_png

log = logging.getLogger(__name__)


class Renderer(Protocol):
    device: str

    def render(self, spec: FrameSpec) -> tuple[RenderPasses, dict[str, float]]: ...

    def close(self) -> None: ...


def make_cycles_renderer(cfg: RenderConfig) -> Renderer:
    """The real renderer; imports Blender only when called."""
    from simgen.blender.renderer import CyclesRenderer

    return CyclesRenderer(cfg)


@dataclass
class RunSummary:
    output_dir: Path
    frames_total: int
    frames_rendered: int
    annotations: int
    device: str
    frame_times_s: list[float] = field(default_factory=list)


def lineage(cfg: SimgenConfig, catalog: Catalog) -> dict[str, Any]:
    """Software and input versions recorded in run.json and the COCO info."""
    return {"simgen_version": simgen.__version__, "python": sys.version.split()[0],
            "platform": platform.platform(), "numpy": np.__version__, "catalog_sha256": catalog.sha256,
            "run_seed": cfg.seed, "scenario": cfg.scenario_name}


def render_dataset(cfg: SimgenConfig, renderer_factory: Callable[[RenderConfig], Renderer] = make_cycles_renderer,
                   catalog: Catalog | None = None) -> RunSummary:
    """Render `cfg.frames` frames into `cfg.output.dir` and assemble the dataset files.

    Raises:
        SimgenError: any input problem, before the first render.
    """
    catalog = catalog or load_catalog(extra=Path(cfg.catalog) if cfg.catalog else None)
    check_categories(cfg, catalog)
    plain = config_to_plain(cfg)
    root = Path(cfg.output.dir)
    reusable = check_output_dir(root, plain, cfg.output.overwrite)
    already = DatasetDir(root).committed_frames() if reusable else set()
    pending = [i for i in shard_frames(cfg) if i not in already]
    specs = [sample_frame(cfg, catalog, i) for i in pending]  # placement errors surface here
    info = lineage(cfg, catalog)
    # The renderer starts (and checks the device) before anything is written to output.dir.
    renderer = renderer_factory(cfg.render) if specs else None
    summary = RunSummary(root, cfg.frames, 0, 0, device=renderer.device if renderer else "none")
    try:
        dataset = open_output_dir(root, plain, cfg.output.overwrite, info | {"device": summary.device})
        if renderer is not None:
            log.info("rendering %d of %d frames into %s (%d already committed)", len(specs), len(shard_frames(cfg)),
                     root, len(shard_frames(cfg)) - len(specs))
            _render_frames(cfg, specs, renderer, dataset, summary)
        else:
            log.info("all %d frames already committed in %s", len(shard_frames(cfg)), root)
    finally:
        if renderer is not None:
            renderer.close()
    if dataset.committed_frames() >= set(range(cfg.frames)):
        try:
            summary.annotations = finalize_dataset(cfg, dataset, info, plain)
        except OSError as error:
            raise OutputError(f"output.dir: assembling the dataset files in {str(root)!r} failed: "
                              f"{error.strerror or error}; all frames are committed, re-run the same command "
                              "to assemble them") from error
    else:
        log.info("shard %d done (frames %s); other frames are not committed yet, so the dataset files are "
                 "not assembled", cfg.shard, _span(shard_frames(cfg)))
    return summary


def shard_frames(cfg: SimgenConfig) -> range:
    """Global frame indices of this run's shard (all frames when frames_per_shard is 0)."""
    if not cfg.frames_per_shard:
        return range(cfg.frames)
    start = cfg.shard * cfg.frames_per_shard
    return range(start, min(start + cfg.frames_per_shard, cfg.frames))


def _span(frames: range) -> str:
    return f"{frames.start}..{frames.stop - 1}"


def _render_frames(cfg: SimgenConfig, specs: list[FrameSpec], renderer: Renderer, dataset: DatasetDir,
                   summary: RunSummary) -> None:
    from tqdm import tqdm

    bar = tqdm(total=len(specs), unit="frame", disable=not cfg.output.progress, dynamic_ncols=True,
               desc=f"simgen [{renderer.device}]")
    try:
        for spec in specs:
            start = time.perf_counter()
            passes, timing = _render_with_retry(renderer, render_spec(spec))
            try:
                write_frame(cfg, spec, passes, timing, dataset, start)
            except OSError as error:
                raise _write_failure(error, spec.frame_index, dataset, summary) from error
            elapsed = time.perf_counter() - start
            summary.frame_times_s.append(elapsed)
            summary.frames_rendered += 1
            bar.set_postfix_str(f"{elapsed:.2f} s/frame (render {timing['render_s']:.2f} s)")
            bar.update(1)
            log.debug("frame %d: %s", spec.frame_index, {k: round(v, 4) for k, v in timing.items()})
    finally:
        bar.close()
    if summary.frame_times_s:
        log.info("rendered %d frames on %s: median %.2f s/frame", summary.frames_rendered, renderer.device,
                 statistics.median(summary.frame_times_s))


def _render_with_retry(renderer: Renderer, spec: FrameSpec) -> tuple[RenderPasses, dict[str, float]]:
    """Render once; on a RenderError retry once, then report the frame and how to reproduce it."""
    try:
        return renderer.render(spec)
    except RenderError as first:
        log.warning("frame %d failed to render (%s); retrying once", spec.frame_index, first)
        try:
            return renderer.render(spec)
        except RenderError as second:
            raise RenderError(f"frame {spec.frame_index} failed twice (run seed {spec.run_seed}, frame seed "
                              f"SeedSequence({spec.run_seed}, spawn_key=({spec.frame_index},)); reproduce with "
                              f"frames_per_shard=1 shard={spec.frame_index}): {second}") from second


def _write_failure(error: OSError, frame_index: int, dataset: DatasetDir, summary: RunSummary) -> OutputError:
    """A clear error for a failed write (disk full, quota, permissions); committed frames stay valid."""
    reason = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is exceeded",
              errno.EFBIG: "a file size limit was hit"}.get(error.errno, error.strerror or str(error))
    return OutputError(f"output.dir: writing frame {frame_index} into {str(dataset.root)!r} failed: {reason}. "
                       f"{len(dataset.committed_frames())} committed frames are intact ({summary.frames_rendered} "
                       "rendered in this run); free space and re-run the same command to resume.")


def write_frame(cfg: SimgenConfig, spec: FrameSpec, passes: RenderPasses, timing: dict[str, float],
                dataset: DatasetDir, start: float) -> dict:
    """Apply the sensor model, extract labels and write the frame's files; the record goes last
    (the commit). `passes` is the render of `simgen.sensor.apply.render_spec(spec)`."""
    t0 = time.perf_counter()
    passes, depth = apply_sensor(passes, spec, cfg.labels.depth_kind)  # identity unless sensor.* is set
    labels = label_frame(spec, passes.object_index, cfg.labels)
    intrinsics = intrinsics_matrix(spec.camera)
    timing["labels_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    index = spec.frame_index
    write_bytes_atomic(dataset.root / contract.image_path(index), encode_rgb_png(passes.rgb))
    write_bytes_atomic(dataset.root / contract.depth_png_path(index), encode_depth_png(depth))
    files = {"image": contract.image_path(index), "depth_png": contract.depth_png_path(index)}
    if cfg.output.depth_float == "npy":
        write_bytes_atomic(dataset.root / contract.depth_npy_path(index), encode_npy(depth.astype(np.float32)))
        files["depth_npy"] = contract.depth_npy_path(index)
    files.update(_write_label_maps(cfg, spec, passes.object_index, dataset))
    timing["write_s"] = time.perf_counter() - t0
    timing["total_s"] = time.perf_counter() - start
    image = image_entry(index, spec.camera.width_px, spec.camera.height_px, intrinsics,
                        extrinsics_cam_world(spec.camera), spec.run_seed,
                        {"dist_coeffs": list(spec.sensor.dist_coeffs), "depth_file": files["depth_png"],
                         "depth_kind": cfg.labels.depth_kind, "scenario": spec.scenario})
    record = {"frame_index": index, "image": image,
              "annotations": [annotation_entry(index, inst) for inst in labels.instances],
              "label_counts": labels.counts, "spec": dataclasses.asdict(spec), "files": files,
              "timing": {k: round(v, 6) for k, v in timing.items()}}
    write_json_atomic(dataset.record_path(index), record, durable=True)
    return record


def _write_label_maps(cfg: SimgenConfig, spec: FrameSpec, object_index: np.ndarray,
                      dataset: DatasetDir) -> dict[str, str]:
    """The optional uint16 instance/semantic PNGs; returns their dataset-relative paths."""
    files = {}
    if cfg.output.instance_maps:
        files["instance_map"] = contract.instance_map_path(spec.frame_index)
        write_bytes_atomic(dataset.root / files["instance_map"], encode_uint16_png(object_index))
    if cfg.output.semantic_maps:
        files["semantic_map"] = contract.semantic_map_path(spec.frame_index)
        write_bytes_atomic(dataset.root / files["semantic_map"],
                           encode_uint16_png(semantic_map(object_index, spec, cfg.labels.categories)))
    return files


def finalize_dataset(cfg: SimgenConfig, dataset: DatasetDir, info: dict[str, Any], plain: dict[str, Any]) -> int:
    """Assemble annotations.json and manifest.jsonl from the committed frame records."""
    missing = sorted(set(range(cfg.frames)) - dataset.committed_frames())
    if missing:
        raise RuntimeError(f"cannot finalize: frames {missing[:10]} are not committed")
    coco_info = {"description": f"simgen dataset, scenario {cfg.scenario_name}", "version": simgen.__version__,
                 "config_sha256": config_hash(dataset_identity(plain)), "frames": cfg.frames, **info}
    count = write_coco(dataset.root / contract.ANNOTATIONS_FILE, coco_info, cfg.labels.categories,
                       lambda: assign_track_ids(dataset.iter_records(cfg.frames), cfg.frames_per_shard))
    lines = []
    for record in dataset.iter_records(cfg.frames):
        lines.append({"frame_index": record["frame_index"], "file_name": record["image"]["file_name"],
                      "seed": record["image"]["frame_seed"], "label_counts": record.get("label_counts", {}),
                      "spec": record["spec"], "timing": record["timing"]})
    write_bytes_atomic(dataset.root / contract.MANIFEST_FILE, b"".join(dumps_json(line) for line in lines))
    ignored = sum(c["ignored"] for line in lines for c in line["label_counts"].values())
    log.info("dataset ready: %s (%d images, %d annotations, %d of them iscrowd ignore regions)", dataset.root,
             cfg.frames, count, ignored)
    return count
