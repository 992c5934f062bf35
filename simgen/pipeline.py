"""The render pipeline: config -> frame specs -> one render each -> post-process -> labels -> files.

A plain loop over stages with typed hand-offs, the frames in flight on three threads:

    sampler thread   sample_frame(i)                  -> FrameSpec      (runs ahead, bounded queue)
    main thread      renderer.render(spec)            -> RenderedFrame  (Cycles releases the GIL)
    post thread      imaging.post.post_process        -> ImagedFrame
                     annotations.labels.label_frame   -> FrameLabels    (together: LabeledFrame)
                     writers: write(frame) ... close(), the frame record last (the commit)

so the labels, encoding and writing of frame i overlap the render of frame i+1, and specs are
sampled lazily (a run of any length starts rendering at once; each spec is committed with its
frame, in its record). The renderer applies the frame's render camera itself and its passes
carry it (`simgen.render.camera`). Everything that can fail because of the user's input
(config, catalog, placement of the first frame, output directory, device) fails before anything
is written. The bookkeeping around the loop lives in `simgen.dataset`: which frames remain
(`resume`: a re-run resumes), shard state and manifest (`shards`), stop signals (`preemption`),
locks, provenance and lineage, and the assembly of the dataset files (`finalize`).
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import logging
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simgen import contract
from simgen.annotations.labels import label_frame
from simgen.blender import import_asset_mesh, make_cycles_renderer
from simgen.catalog.entries import Catalog, run_catalog
from simgen.catalog.prop_mesh import warm_prop_meshes
from simgen.config.dump import config_to_plain
from simgen.config.schema import RenderConfig, SimgenConfig
from simgen.dataset.directory import DatasetDir, create_output_dir, open_output_dir, write_failure
from simgen.dataset.finalize import dataset_splits, finalize_run
from simgen.dataset.lineage import frame_provenance, run_info
from simgen.dataset.locking import frame_lock
from simgen.dataset.preemption import PreemptionGuard
from simgen.dataset.resume import frames_to_render, run_frames, worker_share
from simgen.dataset.shards import finish_shard, frame_span, shard_states
from simgen.imaging.post import post_process
from simgen.render.device import warn_hidden_gpus
from simgen.render.passes import RenderPasses
from simgen.render.protocol import Renderer, render_with_retry
from simgen.render.streams import PostThread, SpecStream
from simgen.render.workers import worker_processes
from simgen.sampling.frame import check_categories, sample_frame
from simgen.specs import FrameSpec
from simgen.writers.frame_files import FlowWriter, FrameWriter, ImageFilesWriter, LabeledFrame, LabelMapsWriter
from simgen.writers.frame_record import RecordWriter

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

    def stage_drift(self, window: int) -> dict[str, tuple[float, float]]:
        """Mean seconds per frame of each stage over the first and the last `window` frames
        (stages with fewer than 2 * `window` recorded frames left out), in stage order."""
        drift = {}
        for stage, times in self.stage_times_s.items():
            times = list(times)
            if len(times) >= 2 * window:
                drift[stage] = (statistics.mean(times[:window]), statistics.mean(times[-window:]))
        return drift


@dataclass(frozen=True)
class RenderedFrame:
    """What the render stage hands to post-processing.

    Attributes:
        spec: the frame spec that was rendered.
        passes: the renderer's passes, on the grid of their render camera (`passes.camera`).
        timing: seconds of each stage so far (plan_s, build_s, render_s, ...).
        started_s: `time.perf_counter()` when the render started.
        provenance: who rendered it (`simgen.dataset.lineage.frame_provenance`).
    """

    spec: FrameSpec
    passes: RenderPasses
    timing: dict[str, float]
    started_s: float
    provenance: dict[str, Any]


def render_dataset(cfg: SimgenConfig, renderer_factory: Callable[[RenderConfig], Renderer] = make_cycles_renderer,
                   catalog: Catalog | None = None) -> RunSummary:
    """Render this run's frames (`simgen.dataset.shards.shard_frames(cfg)`) into `cfg.output.dir`.

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
    root, run, workers = Path(cfg.output.dir), run_frames(cfg, plain), cfg.render.processes_per_device
    pending = iter(run.todo)
    first = next(pending, None)
    first_spec = _sample_timed(cfg, catalog, first) if first is not None else None  # config errors surface here
    if workers > 1:  # this process renders the share of worker 0 (`simgen.render.workers`, `worker_share`)
        pending = (i for i in pending if worker_share(cfg, i, workers) == 0)
        first_spec = first_spec if first is not None and worker_share(cfg, first, workers) == 0 else None
    info, sweep = run_info(cfg, catalog.sha256), cfg.frames_per_shard > 0
    # The renderer starts (and checks the device) before anything is written to output.dir.
    renderer = renderer_factory(cfg.render) if first is not None else None
    summary = RunSummary(root, cfg.frames, 0, 0, device=renderer.device if renderer else "none")
    stems = {contract.frame_stem(i) for i in run.frames}
    try:
        create_output_dir(root)
        with frame_lock(root, run.frames, shard=cfg.shard if sweep else None,
                        frames_per_shard=cfg.frames_per_shard if sweep else None,
                        prepare=lambda others: open_output_dir(root, plain, cfg.output.overwrite,
                                                               info | {"device": summary.device}, stems,
                                                               others)) as dataset:
            if renderer is not None:
                todo = len(run.todo)  # a partly committed sequence counts whole: it renders again
                log.info("rendering %d of %d frames into %s (%d already committed)", todo, len(run.frames), root,
                         run.committed_in_run)
                group = worker_processes(plain, workers) if workers > 1 else contextlib.nullcontext()
                with group, SpecStream(lambda i: _sample_timed(cfg, catalog, i), first_spec, pending) as specs:
                    warn_hidden_gpus(renderer.device)
                    with PreemptionGuard() as guard, shard_states(cfg, root, renderer.device, guard,
                                                                  lambda: summary.frames_rendered):
                        _render_frames(cfg, specs, -(-todo // workers), renderer, dataset, summary, guard.check)
                if workers > 1:
                    summary.frames_rendered = todo - len(set(run.todo) - dataset.committed_frames())
            else:
                log.info("all %d frames %s already committed in %s", len(run.frames), frame_span(run.frames), root)
            # Still under the lock: the shard manifest, or the dataset files of a single run.
            if sweep:
                finish_shard(cfg, root, summary.frames_rendered, summary.device,
                             getattr(renderer, "device_names", []), summary.frame_times_s, renderer is not None)
            elif all(dataset.is_committed(i) for i in range(cfg.frames)):
                summary.annotations = finalize_run(cfg, dataset, info, plain)
    finally:
        if renderer is not None:
            renderer.close()
    return summary


def render_share(cfg: SimgenConfig, worker: int, workers: int,
                 renderer_factory: Callable[[RenderConfig], Renderer] = make_cycles_renderer) -> int:
    """Worker `worker` of `workers` render processes (`simgen.render.workers`): render the run's
    uncommitted frames of its share (`simgen.dataset.resume.worker_share`) into the opened
    output.dir. Returns the number of frames rendered."""
    catalog = run_catalog(cfg, import_mesh=import_asset_mesh)
    dataset = DatasetDir(Path(cfg.output.dir))
    pending = (i for i in frames_to_render(cfg, dataset.committed_frames()) if worker_share(cfg, i, workers) == worker)
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


def _sample_timed(cfg: SimgenConfig, catalog: Catalog, index: int) -> tuple[FrameSpec, float]:
    """(spec of frame `index`, seconds its sampling took, including building the meshes of all
    its props into the mesh cache: on the sampler thread, ahead of the renderer)."""
    start = time.perf_counter()
    spec = sample_frame(cfg, catalog, index)
    warm_prop_meshes((*spec.layout.scenery, *spec.objects))
    return spec, time.perf_counter() - start


def _render_frames(cfg: SimgenConfig, specs: Iterable[tuple[FrameSpec, float]], todo: int, renderer: Renderer,
                   dataset: DatasetDir, summary: RunSummary, check_stop: Callable[[], None]) -> None:
    """Render each spec on this thread and hand it to the post thread, which post-processes,
    labels, writes and commits it while the next frame renders. A stop (check_stop raising) or
    an error lets the frame in flight commit, then propagates."""
    from tqdm import tqdm

    bar = tqdm(total=todo, unit="frame", disable=not cfg.output.progress, dynamic_ncols=True,
               desc=f"simgen [{renderer.device}]")
    writers = frame_writers(cfg, dataset)

    def commit(frame: RenderedFrame) -> None:
        try:
            labeled = process_frame(cfg, frame, writers)
        except OSError as error:
            raise write_failure(error, frame.spec.frame_index, dataset, summary.frames_rendered) from error
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
                passes, timing = render_with_retry(renderer, spec)
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


def frame_writers(cfg: SimgenConfig, dataset: DatasetDir) -> list[FrameWriter]:
    """The writers of each frame, in order; the last one writes the record (the commit)."""
    writers: list[FrameWriter] = [ImageFilesWriter(dataset.root, cfg.output.depth_float),
                                  LabelMapsWriter(dataset.root, cfg.output, cfg.labels.categories)]
    if cfg.sequence.frames > 1:  # sequences: optical flow between consecutive frames
        writers.append(FlowWriter(dataset.root, cfg.sequence.frames))
    return [*writers, RecordWriter(dataset.record_path, cfg.sequence.frames)]


def process_frame(cfg: SimgenConfig, frame: RenderedFrame, writers: list[FrameWriter]) -> LabeledFrame:
    """The stages after the render, in order: post-process -> labels (timed together as
    labels_s) -> writers (write_s), then total_s, then the record writer (the commit)."""
    t0 = time.perf_counter()
    image = post_process(frame.spec, frame.passes, cfg.labels.depth_kind)
    labels = label_frame(frame.spec, image.passes.object_index, cfg.labels, image.passes.depth_planar_m,
                         image.fog_transmittance, cfg.obstacles.quota_min_visible_fraction)
    labeled = LabeledFrame(frame.spec, image, labels, frame.timing, frame.provenance)
    frame.timing["labels_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for writer in writers[:-1]:
        writer.write(labeled)
    frame.timing["write_s"] = time.perf_counter() - t0
    frame.timing["total_s"] = time.perf_counter() - frame.started_s
    writers[-1].write(labeled)
    return labeled


def write_frame(cfg: SimgenConfig, spec: FrameSpec, passes: RenderPasses, timing: dict[str, float],
                dataset: DatasetDir, start: float, provenance: dict[str, Any] | None = None) -> dict:
    """Post-process, label and write one rendered frame (`passes` = `renderer.render(spec)[0]`),
    the record last (the commit); returns the record. The pipeline does the same on its post thread."""
    writers = frame_writers(cfg, dataset)
    labeled = process_frame(cfg, RenderedFrame(spec, passes, timing, start, provenance or {}), writers)
    for writer in writers:
        writer.close()
    return labeled.record
