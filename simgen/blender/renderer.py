"""Cycles renderer: one render per frame gives RGB, planar depth and object index (a second,
one-sample render gives the label passes under volumetric fog or motion blur)."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import bpy
import cv2
import numpy as np

from simgen.blender.build import SceneBuilder
from simgen.blender.weather import FOG_VOLUME_NAME
from simgen.config.schema import RenderConfig
from simgen.errors import RenderError
from simgen.render.camera import render_camera
from simgen.render.device import AUTO_ORDER, choose_device
from simgen.render.exposure import MeteredExposure, luminance, meter
from simgen.render.passes import ExrParts, RenderPasses, combined_rgb, label_passes, read_exr_parts
from simgen.specs import FrameSpec

log = logging.getLogger(__name__)

BLENDER_VERSION = bpy.app.version_string


def available_gpu_backends() -> set[str]:
    """GPU backends with at least one device. Setting OPTIX/CUDA on a machine without a GPU
    does not raise (bpy 5.0.1); only the listed device types tell."""
    prefs = bpy.context.preferences.addons["cycles"].preferences
    found = set()
    for backend in AUTO_ORDER:
        try:
            prefs.compute_device_type = backend
        except TypeError:
            continue
        prefs.refresh_devices()
        if any(device.type == backend for device in prefs.devices):
            found.add(backend)
    return found


def configure_device(requested: str, quiet: bool = False) -> tuple[str, list[str]]:
    """Select the Cycles device; returns (backend, device names) and logs the choice (at debug
    level with `quiet`, for the periodic session restarts)."""
    scene = bpy.context.scene
    backends = available_gpu_backends() if requested != "cpu" else set()
    backend = choose_device(requested, backends, os.environ.get("CUDA_VISIBLE_DEVICES"))
    prefs = bpy.context.preferences.addons["cycles"].preferences
    if backend == "CPU":
        prefs.compute_device_type = "NONE"
        scene.cycles.device = "CPU"
        names = ["CPU"]
    else:
        prefs.compute_device_type = backend
        prefs.refresh_devices()
        names = []
        for device in prefs.devices:
            device.use = device.type == backend
            if device.use:
                names.append(device.name)
        scene.cycles.device = "GPU"
    log.log(logging.DEBUG if quiet else logging.INFO, "render device: %s (%s; requested %s)", backend,
            ", ".join(names), requested)
    return backend, names


@contextlib.contextmanager
def native_stdout_to(path: Path) -> Iterator[None]:
    """Send what Blender's C code prints to stdout ("Fra:1 ... Saved: ...") to a file, so the
    progress bar and logs stay readable; the file is kept for error reports."""
    sys.stdout.flush()
    saved = os.dup(1)
    with open(path, "ab") as sink:
        os.dup2(sink.fileno(), 1)
        try:
            yield
        finally:
            sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(saved)


class _RenderClock:
    """When Cycles started path tracing in the current render: the first "Sample" status line
    (bpy.app.handlers.render_stats), which follows the scene sync (depsgraph, objects, meshes,
    shaders, BVH, lights). Lets the timing split a render into sync and path tracing."""

    first_sample_s: float | None = None

    @staticmethod
    @bpy.app.handlers.persistent  # survives read_factory_settings at each session start
    def on_stats(stats: str) -> None:
        if _RenderClock.first_sample_s is None and "| Sample " in stats:
            _RenderClock.first_sample_s = time.perf_counter()


if _RenderClock.on_stats not in bpy.app.handlers.render_stats:
    bpy.app.handlers.render_stats.append(_RenderClock.on_stats)


class RenderStatusLog:
    """Every Cycles status line of this process's renders as (perf_counter s, text), from
    `bpy.app.handlers.render_stats` (for bench/cycles_phases.py); `events` is cleared by the
    caller between renders. The handler survives session restarts."""

    def __init__(self) -> None:
        self.events: list[tuple[float, str]] = []

        @bpy.app.handlers.persistent
        def on_stats(stats: str) -> None:
            self.events.append((time.perf_counter(), stats))

        bpy.app.handlers.render_stats.append(on_stats)


SESSION_FRAMES = 500
"""Frames rendered between two fresh Blender sessions. Deleting data (`bpy.data.batch_remove`)
gets slower with every frame a session has built (bpy 5.0.1, measured when every frame was
rebuilt from scratch: 12 ms -> 76 ms per frame over 240 frames), and RSS grows with it;
`read_factory_settings` (60 ms) resets both but also drops the persistent scene's caches
(`simgen.blender.build.SceneBuilder`), which now remove far fewer datablocks per frame."""


_SESSIONS_STARTED = 0
"""Blender states loaded in this process (`load_post`: every `read_factory_settings`,
`read_homefile` or `open_mainfile`, whoever calls it). Blender's data is process-global: a
session started by another `CyclesRenderer` (tests keep several), or any other code that loads a
fresh state, wipes this renderer's persistent scene and its pass settings, so each renderer
remembers which state is its own and starts a fresh session when it is not current."""


@bpy.app.handlers.persistent
def _count_loaded_state(*_args) -> None:
    global _SESSIONS_STARTED
    _SESSIONS_STARTED += 1


if _count_loaded_state not in bpy.app.handlers.load_post:
    bpy.app.handlers.load_post.append(_count_loaded_state)


def with_render_camera(spec: FrameSpec) -> FrameSpec:
    """The spec Blender builds: the frame with its render camera (`simgen.render.camera`; the
    spec itself when the sensor does not distort)."""
    camera = render_camera(spec)
    return spec if camera is spec.camera else dataclasses.replace(spec, camera=camera)


class CyclesRenderer:
    """Owns the Blender session of one process: settings once, then one render per frame.

    Args:
        cfg: render settings.
        work_dir: scratch directory for the EXR/PNG Blender writes (one frame at a time).
    """

    def __init__(self, cfg: RenderConfig, work_dir: Path | None = None) -> None:
        self.cfg = cfg
        self._scratch = tempfile.TemporaryDirectory(prefix="simgen-render-", dir=work_dir)
        self.work_dir = Path(self._scratch.name)
        self.device, self.device_names = self._start_session(cfg.device, quiet=False)
        self.blender_version = BLENDER_VERSION
        self._frames_in_session = 0
        self._result_is_beauty = False
        """The render result holds the last frame's beauty render (not a label re-render)."""

    def _start_session(self, device: str, quiet: bool) -> tuple[str, list[str]]:
        """A fresh, empty Blender state with our scene settings. The reset also clears Cycles'
        device preferences, so the device is chosen after it."""
        bpy.ops.wm.read_factory_settings(use_empty=True)  # counted by _count_loaded_state
        self._session = _SESSIONS_STARTED
        self._configure_scene()
        self._builder = SceneBuilder(self.cfg.procedural_textures,
                                     sky_importance_map_px=self.cfg.sky_importance_map_px)
        return configure_device(device, quiet=quiet)

    def denoise_settings(self) -> dict[str, object]:
        """The scene's denoising settings: use_denoising, denoiser, denoising_use_gpu."""
        cycles = bpy.context.scene.cycles
        return {"use_denoising": cycles.use_denoising, "denoiser": cycles.denoiser,
                "denoising_use_gpu": getattr(cycles, "denoising_use_gpu", None)}

    def restart_session(self) -> None:
        """A fresh Blender session now: empty scene, empty caches (for tests and benchmarks)."""
        self._start_session(self.device.lower(), quiet=True)
        self._frames_in_session = 0

    def _build(self, spec: FrameSpec) -> None:
        """Build the frame, first restarting the session every SESSION_FRAMES frames."""
        if self._frames_in_session >= SESSION_FRAMES or self._session != _SESSIONS_STARTED:
            self.restart_session()
        self._frames_in_session += 1
        try:
            self._builder.build(spec)
        except ReferenceError:
            # Data of the persistent scene was removed behind its back (bpy is process-global:
            # e.g. a test clearing the scene): start clean and build the frame from scratch.
            log.warning("the persistent scene was modified outside the renderer; starting a fresh session")
            self.restart_session()
            self._frames_in_session = 1
            self._builder.build(spec)

    def _configure_scene(self) -> None:
        scene = bpy.context.scene
        scene.render.engine = "CYCLES"
        cycles = scene.cycles
        cycles.samples = self.cfg.samples
        cycles.use_adaptive_sampling = True
        cycles.use_denoising = self.cfg.denoise
        cycles.denoising_use_gpu = True  # OIDN on the render GPU when there is one (else the CPU)
        cycles.max_bounces = self.cfg.max_bounces
        cycles.transparent_max_bounces = self.cfg.max_bounces
        scene.render.film_transparent = False
        scene.render.use_persistent_data = self.cfg.persistent_data
        if self.cfg.threads:
            scene.render.threads_mode = "FIXED"
            scene.render.threads = self.cfg.threads
        scene.view_settings.view_transform = self.cfg.view_transform
        scene.view_settings.look = "None"
        view_layer = scene.view_layers[0]
        view_layer.use_pass_z = True
        view_layer.use_pass_object_index = True
        view_layer.use_pass_material_index = True  # scenery semantic classes (simgen.catalog.classes)
        scene.render.use_file_extension = True
        self._use_exr_output()

    @staticmethod
    def _use_exr_output() -> None:
        settings = bpy.context.scene.render.image_settings
        # Blender 5.0: media_type must be set before file_format for multilayer EXR.
        settings.media_type = "MULTI_LAYER_IMAGE"
        settings.file_format = "OPEN_EXR_MULTILAYER"
        settings.color_depth = "32"  # 16-bit half floats hold integers exactly only up to 2048
        settings.exr_codec = "NONE"  # a scratch file read once: writing it uncompressed is fastest

    @staticmethod
    def _use_png_output() -> None:
        settings = bpy.context.scene.render.image_settings
        settings.media_type = "IMAGE"
        settings.file_format = "PNG"
        settings.color_mode = "RGB"
        settings.color_depth = "8"
        settings.compression = 0

    def render_bare(self, spec: FrameSpec, png_path: Path) -> dict[str, float]:
        """Benchmark baseline (bench/overhead.py): the same build and Cycles settings, but no
        Depth/Object Index passes and Blender writing one 8-bit PNG; nothing else. The scene's
        label settings are restored afterwards, so bare and full renders can alternate.

        Returns:
            timing in seconds: build_s, render_s (including Blender's PNG write).
        """
        start = time.perf_counter()
        self._build(with_render_camera(spec))
        timing = {"build_s": time.perf_counter() - start}
        scene = bpy.context.scene
        view_layer = scene.view_layers[0]
        view_layer.use_pass_z = view_layer.use_pass_object_index = view_layer.use_pass_material_index = False
        self._use_png_output()
        scene.render.filepath = str(png_path)
        start = time.perf_counter()
        try:
            with native_stdout_to(self.work_dir / "blender.log"):
                bpy.ops.render.render(write_still=True)
        finally:
            view_layer.use_pass_z = view_layer.use_pass_object_index = view_layer.use_pass_material_index = True
            self._use_exr_output()
        timing["render_s"] = time.perf_counter() - start
        return timing

    def render(self, spec: FrameSpec) -> tuple[RenderPasses, dict[str, float]]:
        """Build and render one frame through its render camera (`with_render_camera`).

        Returns:
            the passes (on the render camera's grid, `RenderPasses.camera`), and a timing
            breakdown in seconds (build, render, readback).

        Raises:
            RenderError: Cycles failed or wrote an unreadable result.
        """
        spec = with_render_camera(spec)
        timing = {}
        start = time.perf_counter()
        self._build(spec)
        timing["build_s"] = time.perf_counter() - start
        scene = bpy.context.scene
        exr_path = self.work_dir / "passes.exr"
        png_path = self.work_dir / "rgb.png"
        scene.render.filepath = str(exr_path)
        start = time.perf_counter()
        log_path = self.work_dir / "blender.log"
        _RenderClock.first_sample_s = None
        try:
            with native_stdout_to(log_path):
                bpy.ops.render.render(write_still=True)
        except RuntimeError as error:
            tail = log_path.read_text(errors="replace")[-2000:] if log_path.exists() else ""
            raise RenderError(f"Cycles failed on frame {spec.frame_index} (seed {spec.run_seed}): {error}\n"
                              f"{tail}") from error
        traced = time.perf_counter()
        synced = _RenderClock.first_sample_s or start
        timing["sync_s"], timing["trace_s"] = synced - start, traced - synced
        start = time.perf_counter()
        fog = bpy.data.objects.get(FOG_VOLUME_NAME)
        self._result_is_beauty = not (fog is not None or spec.has_motion_blur)
        metered = spec.lighting.exposure_mode == "metered"
        beauty = read_exr_parts(exr_path) if metered or self._result_is_beauty else None  # read once
        exposure = self._meter_exposure(spec, beauty, exr_path) if metered else None
        rgb = self._save_display_rgb(png_path)
        timing["readback_s"] = time.perf_counter() - start
        if not self._result_is_beauty:
            start = time.perf_counter()
            exr_path = self._render_label_passes(fog, spec, log_path)
            timing["label_render_s"] = time.perf_counter() - start
        start = time.perf_counter()
        depth, index, material = label_passes(beauty if self._result_is_beauty else read_exr_parts(exr_path),
                                              exr_path)
        timing["readback_s"] += time.perf_counter() - start
        timing["render_s"] = timing["sync_s"] + timing["trace_s"] + timing.get("label_render_s", 0.0)
        return RenderPasses(rgb=rgb, depth_planar_m=depth, object_index=index, material_index=material,
                            camera=spec.camera, exposure=exposure), timing

    @staticmethod
    def _meter_exposure(spec: FrameSpec, beauty: ExrParts, exr_path: Path) -> MeteredExposure:
        """Meter the render's linear Combined pass (`simgen.render.exposure.meter`) and set the
        view exposure the display image is saved with (the same render result, no re-render)."""
        lighting = spec.lighting
        exposure = meter(luminance(combined_rgb(beauty, exr_path)), lighting.metering_target,
                         lighting.metering_min_ev, lighting.metering_max_ev, lighting.exposure_ev)
        bpy.context.scene.view_settings.exposure = exposure.view_exposure_ev
        log.debug("frame %d metered: median luminance %.4g, %+.2f EV%s, view exposure %+.2f EV",
                  spec.frame_index, exposure.median_luminance, exposure.metered_ev,
                  " (clamped)" if exposure.clamped else "", exposure.view_exposure_ev)
        return exposure

    def _render_label_passes(self, fog: bpy.types.Object | None, spec: FrameSpec, log_path: Path) -> Path:
        """Render the label passes again, one sample, without fog volume and motion blur.

        A camera ray that scatters inside a dense volume before reaching a surface writes "no
        surface" to the first-sample Depth and Object Index passes (bpy 5.0.1, measured: with
        60 m visibility half the depth pixels were lost), so volumetric fog would corrupt the
        labels. With motion blur, the first sample of each pixel is taken at a random time in
        the shutter, so a moving object's Object Index is a dither over its swept area
        (measured; pinned in tests/blender/test_motion_blur_labels.py). Labels must depend on
        neither: this render sees the scene at mid-exposure, sharp, and costs one sample.
        """
        scene = bpy.context.scene
        if fog is not None:
            fog.hide_render = True
        blur = scene.render.use_motion_blur
        scene.render.use_motion_blur = False
        samples, denoise = scene.cycles.samples, scene.cycles.use_denoising
        scene.cycles.samples, scene.cycles.use_denoising = 1, False
        labels_path = self.work_dir / "labels.exr"
        scene.render.filepath = str(labels_path)
        try:
            with native_stdout_to(log_path):
                bpy.ops.render.render(write_still=True)
        except RuntimeError as error:
            raise RenderError(f"Cycles failed on the label render of frame {spec.frame_index}: {error}") from error
        finally:
            if fog is not None:
                fog.hide_render = False
            scene.render.use_motion_blur = blur
            scene.cycles.samples, scene.cycles.use_denoising = samples, denoise
        return labels_path

    def display_rgb_at(self, view_exposure_ev: float) -> np.ndarray:
        """The last frame's display image re-saved at another view exposure (EV), (H, W, 3)
        uint8 sRGB: the same render result, no re-render (bench/hog_recall.py's fixed/metered
        A/B). Raises RenderError if nothing was rendered yet or the last frame re-rendered its
        label passes (fog, motion blur: the render result is no longer its beauty render)."""
        if not self._result_is_beauty:
            raise RenderError("display_rgb_at needs a last frame without fog or motion blur")
        view = bpy.context.scene.view_settings
        saved, view.exposure = view.exposure, view_exposure_ev
        try:
            return self._save_display_rgb(self.work_dir / "resaved.png")
        finally:
            view.exposure = saved

    def _save_display_rgb(self, png_path: Path) -> np.ndarray:
        """The Combined pass through the scene's view transform, as (H, W, 3) uint8 sRGB.

        `Image.save_render` applies the view transform (linear EXR data would not); the PNG
        is read back so our own writer controls the final bytes (Blender's PNG carries
        timestamps in its metadata).
        """
        self._use_png_output()
        try:
            bpy.data.images["Render Result"].save_render(str(png_path), scene=bpy.context.scene)
        finally:
            self._use_exr_output()
        bgr = cv2.imread(str(png_path), cv2.IMREAD_COLOR)
        if bgr is None:
            raise RenderError(f"Blender wrote no readable image at {png_path}")
        return np.ascontiguousarray(bgr[:, :, ::-1])

    def close(self) -> None:
        self._scratch.cleanup()
