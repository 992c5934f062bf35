"""The render pipeline: config -> frame specs -> one Cycles render each -> labels -> files.

A plain loop over stages with typed hand-offs, the frames in flight on three threads:

    sampler thread   sample_frame(i) -> FrameSpec              (runs ahead, bounded queue)
    main thread      render(spec)    -> RenderedFrame          (Cycles releases the GIL)
    post thread      post_process    -> LabeledFrame -> writers: write(frame) ... close()

so the labels, encoding and writing of frame i overlap the render of frame i+1, and specs are
sampled lazily (a run of any length starts rendering at once; each spec is committed with its
frame, in its record). Everything that can fail because of the user's input (config, catalog,
placement of the first frame, output directory, device) fails before anything is written.
Frames already committed in the output directory are skipped, so a re-run resumes instead of
re-rendering; frames commit in order, and a stop signal lets the frame in flight commit first.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import errno
import logging
import os
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simgen import contract
from simgen.blender import import_asset_mesh, make_cycles_renderer
from simgen.catalog.entries import Catalog, run_catalog
from simgen.catalog.prop_mesh import warm_prop_meshes
from simgen.config.dump import config_hash, config_to_plain
from simgen.config.schema import RenderConfig, SimgenConfig
from simgen.dataset.directory import RUN_ONLY_FIELDS, DatasetDir, check_output_dir, dataset_identity, open_output_dir
from simgen.dataset.finalize import dataset_splits, finalize_dataset
from simgen.dataset.lineage import content_config, run_lineage
from simgen.dataset.locking import check_frames_free, frame_lock
from simgen.dataset.preemption import PreemptionGuard
from simgen.dataset.shards import (
    process_environment,
    read_shard_manifest,
    write_shard_manifest,
    write_shard_state,
)
from simgen.errors import OutputError, RenderError, ShardPreempted
from simgen.imaging.sensor import render_spec
from simgen.render.passes import RenderPasses
from simgen.render.protocol import Renderer
from simgen.render.streams import PostThread, SpecStream
from simgen.render.workers import worker_processes
from simgen.sampling.frame import check_categories, sample_frame
from simgen.sampling.sequence import whole_sequences
from simgen.specs import FrameSpec
from simgen.writers.frame_files import (
    FlowWriter,
    FrameWriter,
    ImageFilesWriter,
    LabeledFrame,
    LabelMapsWriter,
    RecordWriter,
)
from simgen.writers.frame_record import post_process

log = logging.getLogger(__name__)


STAGE_WINDOW = 4096
"""Per-stage timings kept for the medians (the latest frames), so memory does not grow with frames."""


@dataclass
class RunSummary:
    output_dir: Path
    frames_total: int
    frames_rendered: int
    annotations: int
    device: str
    frame_times_s: list[float] = field(default_factory=list)
    """Seconds from the start of each frame's render to its commit, in order."""
    stage_times_s: dict[str, collections.deque] = field(default_factory=dict)
    """Per-frame seconds of each stage (plan_s, build_s, sync_s, trace_s, readback_s, labels_s,
    write_s, ...) of the latest STAGE_WINDOW frames."""

    def add_stages(self, timing: dict[str, float]) -> None:
        for stage, seconds in timing.items():
            if stage != "total_s":
                self.stage_times_s.setdefault(stage, collections.deque(maxlen=STAGE_WINDOW)).append(seconds)

    def stage_medians(self) -> dict[str, float]:
        """Median seconds per frame of each stage, in the order the stages ran."""
        return {stage: statistics.median(times) for stage, times in self.stage_times_s.items()}


@dataclass(frozen=True)
class RenderedFrame:
    """What the render stage hands to post-processing: the passes of `render_spec(spec)`."""

    spec: FrameSpec
    passes: RenderPasses
    timing: dict[str, float]
    started_s: float
    provenance: dict[str, Any]


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
    catalog = catalog or run_catalog(cfg, import_mesh=import_asset_mesh)
    check_categories(cfg, catalog)
    dataset_splits(cfg)  # bad fractions fail before the first render
    plain = config_to_plain(cfg)
    root = Path(cfg.output.dir)
    frames = shard_frames(cfg)
    reusable = check_output_dir(root, plain, cfg.output.overwrite)
    check_frames_free(root, frames)  # refuse an overlapping run before the renderer starts
    committed = DatasetDir(root).committed_frames() if reusable else set()
    workers = cfg.render.processes_per_device
    # A partly committed sequence is rendered again whole (its flow needs consecutive frames).
    todo_frames = whole_sequences([i for i in frames if i not in committed], cfg.sequence.frames)
    pending = iter(todo_frames)
    first = next(pending, None)
    first_spec = _sample_timed(cfg, catalog, first) if first is not None else None  # config errors surface here
    if workers > 1:  # this process renders the share of worker 0 (`simgen.render.workers`, `worker_share`)
        pending = (i for i in pending if worker_share(cfg, i, workers) == 0)
        first_spec = first_spec if first is not None and worker_share(cfg, first, workers) == 0 else None
    info = lineage(cfg, catalog)
    sweep = cfg.frames_per_shard > 0
    # The renderer starts (and checks the device) before anything is written to output.dir.
    renderer = renderer_factory(cfg.render) if first is not None else None
    summary = RunSummary(root, cfg.frames, 0, 0, device=renderer.device if renderer else "none")
    stems = {contract.frame_stem(i) for i in frames}
    try:
        _create(root)
        with frame_lock(root, frames, shard=cfg.shard if sweep else None,
                        frames_per_shard=cfg.frames_per_shard if sweep else None,
                        prepare=lambda others: open_output_dir(root, plain, cfg.output.overwrite,
                                                               info | {"device": summary.device}, stems,
                                                               others)) as dataset:
            if renderer is not None:
                todo = len(todo_frames)  # a partly committed sequence counts whole: it renders again
                log.info("rendering %d of %d frames into %s (%d already committed)", todo, len(frames), root,
                         len(committed.intersection(frames)))
                group = worker_processes(plain, workers) if workers > 1 else contextlib.nullcontext()
                with group, SpecStream(lambda i: _sample_timed(cfg, catalog, i), first_spec, pending) as specs:
                    _render_guarded(cfg, specs, -(-todo // workers), renderer, dataset, summary)
                if workers > 1:
                    summary.frames_rendered = todo - len(set(todo_frames) - dataset.committed_frames())
            else:
                log.info("all %d frames %s already committed in %s", len(frames), _span(frames), root)
            # Still under the lock: the shard manifest, or the dataset files of a single run.
            if sweep:
                finish_shard(cfg, root, summary, renderer)
            elif all(dataset.is_committed(i) for i in range(cfg.frames)):
                _assemble(cfg, dataset, summary, info, plain)
    finally:
        if renderer is not None:
            renderer.close()
    return summary


def _assemble(cfg: SimgenConfig, dataset: DatasetDir, summary: RunSummary, info: dict[str, Any],
              plain: dict[str, Any]) -> None:
    try:
        summary.annotations = finalize_dataset(cfg, dataset, info, plain)
    except OSError as error:
        raise OutputError(f"output.dir: assembling the dataset files in {str(dataset.root)!r} failed: "
                          f"{error.strerror or error}; all frames are committed, re-run the same command "
                          "to assemble them") from error


def render_share(cfg: SimgenConfig, worker: int, workers: int,
                 renderer_factory: Callable[[RenderConfig], Renderer] = make_cycles_renderer) -> int:
    """Worker `worker` of `workers` render processes (`simgen.render.workers`): render the run's
    uncommitted frames of its share (`worker_share`) into the opened output.dir. Returns the
    number of frames rendered."""
    catalog = run_catalog(cfg, import_mesh=import_asset_mesh)
    dataset = DatasetDir(Path(cfg.output.dir))
    committed = dataset.committed_frames()
    todo = whole_sequences([i for i in shard_frames(cfg) if i not in committed], cfg.sequence.frames)
    pending = (i for i in todo if worker_share(cfg, i, workers) == worker)
    first = next(pending, None)
    if first is None:
        return 0
    renderer = renderer_factory(cfg.render)
    summary = RunSummary(dataset.root, cfg.frames, 0, 0, device=renderer.device)
    try:
        with PreemptionGuard() as guard, SpecStream(lambda i: _sample_timed(cfg, catalog, i),
                                                    _sample_timed(cfg, catalog, first), pending) as specs:
            _render_frames(dataclasses.replace(cfg, output=dataclasses.replace(cfg.output, progress=False)), specs,
                           0, renderer, dataset, summary, guard.check)
    finally:
        renderer.close()
    return summary.frames_rendered


def worker_share(cfg: SimgenConfig, frame_index: int, workers: int) -> int:
    """Which of `workers` render processes renders a frame: frames round-robin, or whole
    sequences round-robin when `sequence.frames` > 1 (a sequence stays in one process, in order)."""
    return (frame_index // max(1, cfg.sequence.frames)) % workers


def _create(root: Path) -> None:
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"output.dir: cannot create {str(root)!r}: {error.strerror or error}") from error


def _sample_timed(cfg: SimgenConfig, catalog: Catalog, index: int) -> tuple[FrameSpec, float]:
    """(spec of frame `index`, seconds its sampling took, including building the meshes of all
    its props into the mesh cache: on the sampler thread, ahead of the renderer)."""
    start = time.perf_counter()
    spec = sample_frame(cfg, catalog, index)
    warm_prop_meshes((*spec.layout.scenery, *spec.objects))
    return spec, time.perf_counter() - start


def _render_guarded(cfg: SimgenConfig, specs: Iterable[tuple[FrameSpec, float]], todo: int, renderer: Renderer,
                    dataset: DatasetDir, summary: RunSummary) -> None:
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
            _render_frames(cfg, specs, todo, renderer, dataset, summary, guard.check)
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
    return contract.shard_range(cfg.shard, cfg.frames, cfg.frames_per_shard)


def _span(frames: range) -> str:
    return f"{frames.start}..{frames.stop - 1}"


def _render_frames(cfg: SimgenConfig, specs: Iterable[tuple[FrameSpec, float]], todo: int, renderer: Renderer,
                   dataset: DatasetDir, summary: RunSummary, check_stop: Callable[[], None]) -> None:
    """Render each spec on this thread and hand it to the post thread, which labels, writes and
    commits it while the next frame renders. A stop (check_stop raising) or an error lets the
    frame in flight commit, then propagates."""
    from tqdm import tqdm

    bar = tqdm(total=todo, unit="frame", disable=not cfg.output.progress, dynamic_ncols=True,
               desc=f"simgen [{renderer.device}]")
    writers = _frame_writers(cfg, dataset)

    def commit(frame: RenderedFrame) -> None:
        try:
            labeled = _label_and_write(cfg, frame.spec, frame.passes, frame.timing, frame.started_s,
                                       frame.provenance, writers)
        except OSError as error:
            raise _write_failure(error, frame.spec.frame_index, dataset, summary) from error
        elapsed = time.perf_counter() - frame.started_s
        summary.frame_times_s.append(elapsed)
        summary.add_stages(labeled.timing)
        summary.frames_rendered += 1
        bar.set_postfix_str(f"{elapsed:.2f} s/frame (render {frame.timing.get('render_s', 0.0):.2f} s)")
        bar.update(1)

    try:
        with PostThread(commit) as post:
            for spec, plan_s in specs:
                start = time.perf_counter()
                passes, timing = _render_with_retry(renderer, render_spec(spec))
                post.put(RenderedFrame(spec, passes, {"plan_s": plan_s, **timing}, start,
                                       frame_provenance(cfg, spec, renderer)))
                check_stop()
    finally:
        for writer in writers:
            writer.close()
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
    return {"shard": contract.shard_of(spec.frame_index, cfg.frames_per_shard),
            "frames_per_shard": cfg.frames_per_shard, "device": renderer.device,
            "blender_version": getattr(renderer, "blender_version", contract.PROVENANCE_UNKNOWN)}


def _frame_writers(cfg: SimgenConfig, dataset: DatasetDir) -> list[FrameWriter]:
    """The writers of each frame, in order; the last one writes the record (the commit)."""
    writers: list[FrameWriter] = [ImageFilesWriter(dataset.root, cfg.output.depth_float),
                                  LabelMapsWriter(dataset.root, cfg.output, cfg.labels.categories)]
    if cfg.sequence.frames > 1:  # sequences: optical flow between consecutive frames
        writers.append(FlowWriter(dataset.root, cfg.sequence.frames))
    return [*writers, RecordWriter(dataset.record_path, dataset.root)]


def _label_and_write(cfg: SimgenConfig, spec: FrameSpec, passes: RenderPasses, timing: dict[str, float],
                     start: float, provenance: dict[str, Any] | None, writers: list[FrameWriter]) -> LabeledFrame:
    """post_process, then the writers, timing labels_s, write_s and total_s for the record."""
    t0 = time.perf_counter()
    frame = post_process(cfg, spec, passes, timing, provenance)
    timing["labels_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for writer in writers[:-1]:
        writer.write(frame)
    timing["write_s"] = time.perf_counter() - t0
    timing["total_s"] = time.perf_counter() - start
    writers[-1].write(frame)
    return frame


def write_frame(cfg: SimgenConfig, spec: FrameSpec, passes: RenderPasses, timing: dict[str, float],
                dataset: DatasetDir, start: float, provenance: dict[str, Any] | None = None) -> dict:
    """Post-process one rendered frame and write its files, the record last (the commit);
    returns the record. The pipeline does the same on its post thread."""
    writers = _frame_writers(cfg, dataset)
    frame = _label_and_write(cfg, spec, passes, timing, start, provenance, writers)
    for writer in writers:
        writer.close()
    return frame.record
