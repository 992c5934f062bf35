"""The GPU path, proven: five checks to run on a machine with an NVIDIA GPU (OptiX or CUDA).

1. device: what `render.device=auto` picks (backend and device names).
2. labels: the same frames rendered on the CPU and on the GPU; object index must be identical
   (so every mask is), depth within 1 mm; prints the share of pixels whose object index differs
   and the largest depth difference. Documented tolerance: masks may differ on at most
   MASK_TOLERANCE of the pixels (silhouette pixels where CPU and GPU float arithmetic split a
   tie); anything above fails the check.
3. overhead: s/frame of the full pipeline (labels, encoding, writing) at 640x480 and 16 spp on
   the GPU against a bare GPU render of the same frames (RGB only, Blender writing one PNG),
   alternating frame by frame as bench/overhead.py does; the target ratio is <= 1.15.
4. restart: what a fresh Blender session costs on the GPU (factory reset, device selection and
   the first render after it, which re-initialises the device and loads the kernels), against
   a warm render of the same frame.
5. denoise: the denoiser the scene uses and whether it runs on the GPU, its cost, and that the
   label passes are identical with denoising on and off (denoising never touches them).

Prints one line per figure and `PASS`/`FAIL` per check; exits 1 if a check fails, 0 otherwise.
Without a GPU it says so and exits 0 after check 1, unless `--smoke` is given: then the "GPU"
is the CPU at a tiny size, which exercises every check's code (the figures mean nothing).
Run by hand on a GPU node: `.venv/bin/python bench/gpu_check.py [--frames 6]`.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from simgen.catalog.entries import load_catalog
from simgen.config.compose import compose_config
from simgen.dataset.directory import DatasetDir
from simgen.pipeline import write_frame
from simgen.sampling.frame import sample_frame

MASK_TOLERANCE = 0.001
"""Largest share of pixels whose object index may differ between CPU and GPU renders."""
DEPTH_TOLERANCE_M = 0.001
OVERHEAD_TARGET = 1.15


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def specs_for(resolution: tuple[int, int], samples: int, frames: int, out: Path, denoise: bool = False):
    """(config, pinhole specs) of the default scenario at this size."""
    cfg = compose_config([f"frames={frames}", "seed=11", f"render.resolution=[{resolution[0]},{resolution[1]}]",
                          f"render.samples={samples}", f"render.denoise={str(denoise).lower()}",
                          f"output.dir={out}", "output.progress=false"])
    catalog = load_catalog()
    return cfg, [sample_frame(cfg, catalog, i) for i in range(frames)]


def check_device() -> tuple[str, list[str]]:
    from simgen.blender.renderer import available_gpu_backends, configure_device

    backends = sorted(available_gpu_backends())
    backend, names = configure_device("auto", quiet=True)
    say(f"[1 device] GPU backends with devices: {backends or 'none'}; render.device=auto picks {backend} "
        f"({', '.join(names)})")
    return backend, names


def render_passes(render_cfg, specs):
    from simgen.blender.renderer import CyclesRenderer

    renderer = CyclesRenderer(render_cfg)
    try:
        return renderer.device, [renderer.render(spec)[0] for spec in specs]
    finally:
        renderer.close()


def check_labels(gpu: str, size, samples: int, frames: int, tmp: Path) -> bool:
    cfg, specs = specs_for(size, samples, frames, tmp / "labels")
    _, cpu = render_passes(replace(cfg.render, device="cpu"), specs)
    device, gpu_passes = render_passes(replace(cfg.render, device=gpu), specs)
    worst_mask, worst_depth = 0.0, 0.0
    for a, b in zip(cpu, gpu_passes, strict=True):
        worst_mask = max(worst_mask, float(np.mean(a.object_index != b.object_index)))
        same_surface = np.isfinite(a.depth_planar_m) == np.isfinite(b.depth_planar_m)
        both = np.isfinite(a.depth_planar_m) & np.isfinite(b.depth_planar_m)
        diff = np.abs(a.depth_planar_m[both] - b.depth_planar_m[both])
        worst_depth = max(worst_depth, float(diff.max()) if diff.size else 0.0,
                          0.0 if same_surface.all() else float("inf"))
    ok = worst_mask <= MASK_TOLERANCE and worst_depth <= DEPTH_TOLERANCE_M
    say(f"[2 labels] CPU vs {device}, {frames} frames {size[0]}x{size[1]}: object index differs on "
        f"{100 * worst_mask:.4f} % of pixels at most (tolerance {100 * MASK_TOLERANCE:.2f} %), depth differs by "
        f"{1000 * worst_depth:.4f} mm at most (tolerance 1 mm): {'PASS' if ok else 'FAIL'}")
    return ok


def check_overhead(gpu: str, size, samples: int, frames: int, tmp: Path) -> bool:
    from simgen.blender.renderer import CyclesRenderer

    cfg, specs = specs_for(size, samples, frames, tmp / "overhead")
    renderer = CyclesRenderer(replace(cfg.render, device=gpu))
    dataset, full, bare = DatasetDir(tmp / "overhead"), [], []
    try:
        for spec in specs:
            def run_full(spec=spec) -> None:
                start = time.perf_counter()
                passes, timing = renderer.render(spec)
                write_frame(cfg, spec, passes, timing, dataset, start)
                full.append(time.perf_counter() - start)

            def run_bare(spec=spec) -> None:
                start = time.perf_counter()
                renderer.render_bare(spec, tmp / f"bare_{spec.frame_index:06d}.png")
                bare.append(time.perf_counter() - start)

            for step in (run_bare, run_full) if spec.frame_index % 2 == 0 else (run_full, run_bare):
                step()
    finally:
        renderer.close()
    full, bare = full[1:], bare[1:]  # frame 0 pays the device warm-up
    ratio = statistics.median(full) / statistics.median(bare)
    ok = ratio <= OVERHEAD_TARGET
    say(f"[3 overhead] {renderer.device} {size[0]}x{size[1]} {samples} spp: full {statistics.median(full):.3f} "
        f"s/frame, bare {statistics.median(bare):.3f} s/frame, ratio {ratio:.3f} (target <= {OVERHEAD_TARGET}): "
        f"{'PASS' if ok else 'FAIL'}")
    return ok


def check_restart(gpu: str, size, samples: int, tmp: Path) -> bool:
    from simgen.blender.renderer import CyclesRenderer

    cfg, specs = specs_for(size, samples, 1, tmp / "restart")
    renderer = CyclesRenderer(replace(cfg.render, device=gpu))
    try:
        spec = specs[0]
        renderer.render(spec)
        warm = []
        for _ in range(3):
            start = time.perf_counter()
            renderer.render(spec)
            warm.append(time.perf_counter() - start)
        start = time.perf_counter()
        renderer.restart_session()
        reset_s = time.perf_counter() - start
        start = time.perf_counter()
        renderer.render(spec)
        first_s = time.perf_counter() - start
    finally:
        renderer.close()
    say(f"[4 restart] {renderer.device}: session reset {reset_s:.3f} s, first frame after it {first_s:.3f} s vs warm "
        f"{statistics.median(warm):.3f} s: a restart costs {reset_s + first_s - statistics.median(warm):.3f} s")
    return True


def check_denoise(gpu: str, size, samples: int, tmp: Path) -> bool:
    from simgen.blender.renderer import CyclesRenderer

    cfg, specs = specs_for(size, samples, 1, tmp / "denoise", denoise=True)
    spec = specs[0]
    results = {}
    for denoise in (False, True):
        renderer = CyclesRenderer(replace(cfg.render, device=gpu, denoise=denoise))
        try:
            renderer.render(spec)  # warm-up
            start = time.perf_counter()
            passes, _ = renderer.render(spec)
            results[denoise] = (time.perf_counter() - start, passes)
            settings = renderer.denoise_settings()
            denoiser, on_gpu = settings["denoiser"], settings["denoising_use_gpu"]
        finally:
            renderer.close()
    (off_s, off), (on_s, on) = results[False], results[True]
    labels_same = np.array_equal(off.object_index, on.object_index) and np.array_equal(off.depth_planar_m,
                                                                                       on.depth_planar_m)
    gpu_denoiser = denoiser == "OPTIX" or bool(on_gpu)
    ok = labels_same and (gpu_denoiser or gpu == "cpu")
    say(f"[5 denoise] {renderer.device}: denoiser {denoiser}, denoising_use_gpu={on_gpu}; frame {off_s:.3f} s "
        f"without, {on_s:.3f} s with (+{on_s - off_s:.3f} s); label passes identical with and without: "
        f"{labels_same}: {'PASS' if ok else 'FAIL'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=6)
    parser.add_argument("--smoke", action="store_true", help="no GPU: run every check on the CPU at 64x48")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    backend, _ = check_device()
    if backend == "CPU" and not args.smoke:
        say("no NVIDIA GPU (OptiX/CUDA) is visible here: checks 2-5 need one (or --smoke to exercise them on the CPU)")
        return 0
    gpu = backend.lower() if backend != "CPU" else "cpu"
    full_size, label_size = ((64, 48), (64, 48)) if args.smoke else ((640, 480), (320, 240))
    samples = 1 if args.smoke else 16
    with tempfile.TemporaryDirectory(prefix="simgen-gpu-check-") as tmp:
        root = Path(tmp)
        results = [check_labels(gpu, label_size, samples, args.frames, root),
                   check_overhead(gpu, full_size, samples, max(args.frames, 3), root),
                   check_restart(gpu, full_size, samples, root),
                   check_denoise(gpu, full_size, samples, root)]
    say("all checks passed" if all(results) else "a check FAILED")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
