"""The render pipeline: config -> frame specs -> one Cycles render each -> labels -> files.

Everything that can fail because of the user's input (config, catalog, placement, output
directory, device) fails before the first render. Frames already committed in the output
directory are skipped, so a re-run resumes instead of re-rendering.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import logging
import os
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import simgen
from simgen import contract
from simgen.annotations.identity import assign_track_ids
from simgen.annotations.instances import Instance
from simgen.annotations.labels import label_frame
from simgen.annotations.motion_blur import motion_blur_px
from simgen.annotations.obstacles import obstacle_report
from simgen.blender import import_asset_mesh, make_cycles_renderer
from simgen.catalog.entries import Catalog, load_catalog
from simgen.config.dump import config_hash, config_to_plain
from simgen.config.schema import RenderConfig, SimgenConfig
from simgen.dataset.directory import RUN_ONLY_FIELDS, DatasetDir, check_output_dir, dataset_identity, open_output_dir
from simgen.dataset.lineage import content_config, run_lineage
from simgen.dataset.locking import shard_lock
from simgen.dataset.preemption import PreemptionGuard
from simgen.dataset.shards import (
    process_environment,
    read_shard_manifest,
    shard_range,
    write_shard_manifest,
    write_shard_state,
)
from simgen.errors import OutputError, RenderError, ShardPreempted
from simgen.geometry.camera import extrinsics_cam_world, intrinsics_matrix
from simgen.imaging.atmosphere import apply_weather, mean_per_instance
from simgen.imaging.sensor import apply_sensor, render_spec
from simgen.render.passes import RenderPasses
from simgen.render.protocol import Renderer
from simgen.sampling.frame import check_categories, sample_frame
from simgen.sampling.sequence import whole_sequences
from simgen.specs import FrameSpec, PropSpec
from simgen.writers.assembly import Assembly, assemble
from simgen.writers.atomic import write_bytes_atomic, write_json_atomic
from simgen.writers.coco import annotation_entry, image_entry, video_fields, video_header
from simgen.writers.flow import SequenceFlow
from simgen.writers.images import encode_depth_png, encode_npy, encode_rgb_png
from simgen.writers.label_maps import write_label_maps
from simgen.writers.panoptic import PanopticAssembly

log = logging.getLogger(__name__)


@dataclass
class RunSummary:
    output_dir: Path
    frames_total: int
    frames_rendered: int
    annotations: int
    device: str
    frame_times_s: list[float] = field(default_factory=list)
    stage_times_s: dict[str, list[float]] = field(default_factory=dict)
    """Per-frame seconds of each stage (build_s, render_s, readback_s, labels_s, write_s, ...)."""

    def stage_medians(self) -> dict[str, float]:
        """Median seconds per frame of each stage, in the order the stages ran."""
        return {stage: statistics.median(times) for stage, times in self.stage_times_s.items()}


def lineage(cfg: SimgenConfig, catalog: Catalog) -> dict[str, Any]:
    """Code, config, software and input versions recorded in run.json and the COCO info (see
    `simgen.dataset.lineage`); the device and Blender version come per frame from the renderer."""
    plain = config_to_plain(cfg)
    info = run_lineage(content_config(plain, RUN_ONLY_FIELDS), config_hash(dataset_identity(plain)),
                       catalog.sha256, cfg.seed)
    return info | {"scenario": cfg.scenario_name}


def render_dataset(cfg: SimgenConfig, renderer_factory: Callable[[RenderConfig], Renderer] = make_cycles_renderer,
                   catalog: Catalog | None = None) -> RunSummary:
    """Render this run's frames (`shard_frames(cfg)`) into `cfg.output.dir`.

    A single run (frames_per_shard = 0) assembles the dataset files once every frame is
    committed; a shard of a sweep writes its shard manifest instead, and `simgen merge`
    assembles the dataset (see `simgen.dataset.shards`).

    Raises:
        SimgenError: any input problem, before the first render.
        ShardPreempted: a stop signal arrived; the frames committed so far are kept.
    """
    catalog = catalog or load_catalog(extra=Path(cfg.catalog) if cfg.catalog else None, import_mesh=import_asset_mesh)
    check_categories(cfg, catalog)
    plain = config_to_plain(cfg)
    root = Path(cfg.output.dir)
    frames = shard_frames(cfg)
    reusable = check_output_dir(root, plain, cfg.output.overwrite)
    pending = whole_sequences([i for i in frames if not (reusable and DatasetDir(root).is_committed(i))],
                              cfg.sequence.frames)
    specs = [sample_frame(cfg, catalog, i) for i in pending]  # placement errors surface here
    info = lineage(cfg, catalog)
    sweep = cfg.frames_per_shard > 0
    # The renderer starts (and checks the device) before anything is written to output.dir.
    renderer = renderer_factory(cfg.render) if specs else None
    summary = RunSummary(root, cfg.frames, 0, 0, device=renderer.device if renderer else "none")
    stems = {contract.frame_stem(i) for i in frames} if sweep else None
    try:
        with _claimed(root, cfg.shard):
            dataset = open_output_dir(root, plain, cfg.output.overwrite, info | {"device": summary.device}, stems)
            if renderer is not None:
                log.info("rendering %d of %d frames into %s (%d already committed)", len(specs), len(frames),
                         root, len(frames) - len(specs))
                _render_guarded(cfg, specs, renderer, dataset, summary)
            else:
                log.info("all %d frames %s already committed in %s", len(frames), _span(frames), root)
    finally:
        if renderer is not None:
            renderer.close()
    if sweep:
        finish_shard(cfg, root, summary, renderer)
    elif all(dataset.is_committed(i) for i in range(cfg.frames)):
        try:
            summary.annotations = finalize_dataset(cfg, dataset, info, plain)
        except OSError as error:
            raise OutputError(f"output.dir: assembling the dataset files in {str(root)!r} failed: "
                              f"{error.strerror or error}; all frames are committed, re-run the same command "
                              "to assemble them") from error
    return summary


@contextlib.contextmanager
def _claimed(root: Path, shard: int) -> Iterator[None]:
    """Create output.dir if needed and hold this shard's lock (see `simgen.dataset.locking`)."""
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"output.dir: cannot create {str(root)!r}: {error.strerror or error}") from error
    with shard_lock(root, shard):
        yield


def _render_guarded(cfg: SimgenConfig, specs: list[FrameSpec], renderer: Renderer, dataset: DatasetDir,
                    summary: RunSummary) -> None:
    """Render with stop signals deferred to frame boundaries (see `simgen.dataset.preemption`)."""
    if os.environ.get("CUDA_VISIBLE_DEVICES") == "" and renderer.device == "CPU":
        log.warning("CUDA_VISIBLE_DEVICES is empty, so every GPU is hidden and Cycles renders on the CPU "
                    "(submitit_local does this unless hydra.launcher.gpus_per_node is set)")
    with PreemptionGuard() as guard:
        if cfg.frames_per_shard:
            write_shard_state(dataset.root, cfg.shard, {"shard": cfg.shard, "status": "running",
                                                        "frames": _span(shard_frames(cfg)),
                                                        "device": renderer.device, **process_environment()})
        try:
            _render_frames(cfg, specs, renderer, dataset, summary, guard.check)
        except ShardPreempted as stop:
            stop.frames_rendered = summary.frames_rendered
            if cfg.frames_per_shard:
                write_shard_state(dataset.root, cfg.shard, {"shard": cfg.shard, "status": "preempted",
                                                            "signal": guard.signal_name,
                                                            "frames_rendered": summary.frames_rendered,
                                                            "device": renderer.device, **process_environment()})
            guard.forward()
            raise


def finish_shard(cfg: SimgenConfig, root: Path, summary: RunSummary, renderer: Renderer | None) -> None:
    """Write the shard manifest (device, timing) once all its frames are committed."""
    frames = shard_frames(cfg)
    dataset = DatasetDir(root)
    missing = [i for i in frames if not dataset.is_committed(i)]
    if missing:
        raise RenderError(f"shard {cfg.shard}: frames {missing[:10]} are not committed after the run")
    if renderer is None and read_shard_manifest(root, cfg.shard) is not None:
        return  # complete from an earlier run; keep its manifest (device, timing)
    times = summary.frame_times_s
    write_shard_manifest(root, cfg.shard, {
        "shard": cfg.shard, "frames": _span(frames), "frames_per_shard": cfg.frames_per_shard,
        "frames_total": cfg.frames, "frames_rendered": summary.frames_rendered, "device": summary.device,
        "device_names": list(getattr(renderer, "device_names", [])), **process_environment(),
        "timing": {"render_total_s": round(sum(times), 3),
                   "median_s_per_frame": round(statistics.median(times), 4) if times else None}})
    write_shard_state(root, cfg.shard, {"shard": cfg.shard, "status": "complete", "frames": _span(frames),
                                        **process_environment()})
    log.info("shard %d complete (frames %s); run `simgen merge %s` once every shard is done", cfg.shard,
             _span(frames), root)


def shard_frames(cfg: SimgenConfig) -> range:
    """Global frame indices of this run's shard (all frames when frames_per_shard is 0)."""
    return shard_range(cfg.shard, cfg.frames, cfg.frames_per_shard)


def _span(frames: range) -> str:
    return f"{frames.start}..{frames.stop - 1}"


def _render_frames(cfg: SimgenConfig, specs: list[FrameSpec], renderer: Renderer, dataset: DatasetDir,
                   summary: RunSummary, check_stop: Callable[[], None]) -> None:
    from tqdm import tqdm

    bar = tqdm(total=len(specs), unit="frame", disable=not cfg.output.progress, dynamic_ncols=True,
               desc=f"simgen [{renderer.device}]")
    flow = SequenceFlow(cfg.sequence.frames) if cfg.sequence.frames > 1 else None
    try:
        for spec in specs:
            start = time.perf_counter()
            passes, timing = _render_with_retry(renderer, render_spec(spec))
            try:
                write_frame(cfg, spec, passes, timing, dataset, start,
                            provenance=frame_provenance(cfg, spec, renderer), flow=flow)
            except OSError as error:
                raise _write_failure(error, spec.frame_index, dataset, summary) from error
            elapsed = time.perf_counter() - start
            summary.frame_times_s.append(elapsed)
            for stage, seconds in timing.items():
                if stage != "total_s":
                    summary.stage_times_s.setdefault(stage, []).append(seconds)
            summary.frames_rendered += 1
            bar.set_postfix_str(f"{elapsed:.2f} s/frame (render {timing['render_s']:.2f} s)")
            bar.update(1)
            log.debug("frame %d: %s", spec.frame_index, {k: round(v, 4) for k, v in timing.items()})
            check_stop()
    finally:
        bar.close()
    if summary.frame_times_s:
        stages = ", ".join(f"{stage[:-2]} {seconds:.3f}" for stage, seconds in summary.stage_medians().items())
        log.info("rendered %d frames on %s: median %.2f s/frame (median s per stage: %s)", summary.frames_rendered,
                 renderer.device, statistics.median(summary.frame_times_s), stages)


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


def frame_provenance(cfg: SimgenConfig, spec: FrameSpec, renderer: Renderer) -> dict[str, Any]:
    """Who rendered a frame: its shard of this run, the device and the Blender version."""
    shard = spec.frame_index // cfg.frames_per_shard if cfg.frames_per_shard else 0
    return {"shard": shard, "frames_per_shard": cfg.frames_per_shard, "device": renderer.device,
            "blender_version": getattr(renderer, "blender_version", "unknown")}


def write_frame(cfg: SimgenConfig, spec: FrameSpec, passes: RenderPasses, timing: dict[str, float],
                dataset: DatasetDir, start: float, provenance: dict[str, Any] | None = None,
                flow: SequenceFlow | None = None) -> dict:
    """Apply weather and the sensor model, extract labels and write the frame's files; the record
    goes last (the commit). `passes` is the render of `simgen.imaging.sensor.render_spec(spec)`.

    Order: fog acts on the rendered (pinhole) image with its depth, then the sensor model warps
    and degrades the image and warps the label passes with it, then labels are read from them.
    """
    t0 = time.perf_counter()
    rgb, transmittance = apply_weather(passes.rgb, passes.depth_planar_m, intrinsics_matrix(render_spec(spec).camera),
                                       spec.weather, spec.lighting)
    fog = mean_per_instance(passes.object_index, transmittance)  # ids survive the lens warp unchanged
    passes, depth = apply_sensor(dataclasses.replace(passes, rgb=rgb), spec, cfg.labels.depth_kind)
    labels = label_frame(spec, passes.object_index, cfg.labels, passes.depth_planar_m)
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
    label_files, panoptic = write_label_maps(cfg.output, spec, passes, labels.instances, cfg.labels.categories,
                                             dataset.root)
    files.update(label_files)
    if flow is not None:  # sequences: optical flow to the previous frame (`simgen.writers.flow`)
        files.update(flow.add(spec, passes.depth_planar_m, passes.object_index, dataset.root))
    timing["write_s"] = time.perf_counter() - t0
    timing["total_s"] = time.perf_counter() - start
    image = image_entry(index, spec.camera.width_px, spec.camera.height_px, intrinsics,
                        extrinsics_cam_world(spec.camera), spec.run_seed,
                        {"dist_coeffs": list(spec.sensor.dist_coeffs), "shutter_s": spec.sensor.shutter_s,
                         "ego_velocity_m_s": list(spec.motion.ego_velocity_m_s), "depth_file": files["depth_png"],
                         "depth_kind": cfg.labels.depth_kind, "scenario": spec.scenario}
                        | video_fields(index, cfg.sequence.frames))
    props = {prop.instance_index: prop for prop in spec.labeled_objects}
    record = {"frame_index": index, "image": image,
              "annotations": [_annotation(spec, inst, props[inst.instance_index], fog) for inst in labels.instances],
              "label_counts": labels.counts, "spec": dataclasses.asdict(spec), "files": files,
              "obstacles": obstacle_report(spec, labels.instances, cfg.obstacles.quota_min_visible_fraction),
              "timing": {k: round(v, 6) for k, v in timing.items()}, "provenance": provenance or {}}
    if panoptic is not None:
        record["panoptic"] = panoptic
    write_json_atomic(dataset.record_path(index), record, durable=True)
    return record


def _annotation(spec: FrameSpec, instance: Instance, prop: PropSpec, fog: dict[int, float]) -> dict:
    """The COCO annotation of `instance` with the keys that need the whole frame: the mean fog
    transmittance over its mask and its motion-blur length."""
    blur = motion_blur_px(prop, spec)
    return annotation_entry(spec.frame_index, instance) | {
        "fog_transmittance": fog[instance.instance_index],
        "motion_blur_px": None if blur is None else round(blur, 3)}


def finalize_dataset(cfg: SimgenConfig, dataset: DatasetDir, info: dict[str, Any], plain: dict[str, Any],
                     check: Callable[[Iterator[dict]], Iterator[dict]] | None = None) -> int:
    """Assemble annotations.json and manifest.jsonl from the committed frame records.

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

    def make_info(result: Assembly) -> dict[str, Any]:
        return {"description": f"simgen dataset, scenario {cfg.scenario_name}", "version": simgen.__version__,
                "config_sha256": config_hash(dataset_identity(plain)), "frames": cfg.frames, **info,
                **result.provenance_summary()}

    result = assemble(dataset.root / contract.ANNOTATIONS_FILE, dataset.root / contract.MANIFEST_FILE,
                      assign_track_ids(records, cfg.frames_per_shard, cfg.sequence.frames), make_info,
                      cfg.labels.categories, video_header(cfg.frames, cfg.sequence.frames))
    if panoptic is not None:
        panoptic.write(make_info(result))
    log.info("dataset ready: %s (%d images, %d annotations, %d of them iscrowd ignore regions)", dataset.root,
             result.frames, result.annotations, result.ignored)
    return result.annotations
