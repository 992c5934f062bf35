"""Soak memory probe: what does the RSS of a long run consist of, and does any of it grow?

Renders `--frames` (default 1000) frames of the default scenario at a tiny size in one process
(as bench/soak.py does) and every `--every` frames (default 50) prints one line: the frame, the
process RSS, glibc's heap in use / free-but-held (mallinfo2), the counts of the Blender data
collections (meshes, objects, materials, node groups, images, textures), the sizes of the
persistent scene's caches (mesh cache, object pool, material pool), the summed sizes of every
`functools` cache in simgen's modules (the recipe mesh cache among them) and the count of
objects the Python garbage collector tracks. At the end it frees the caches one at a time
(malloc_trim first; then a fresh Blender session; then simgen's functools caches) and prints
the RSS after each, i.e. how many MiB each of them held. Finally the mean time of each pipeline
stage over the first and the last 100 frames.
With `--trim-every N` it calls glibc's malloc_trim(0) every N frames (and prints what that costs).
Run by hand: `nice -n 10 .venv/bin/python bench/soak_memory.py [--frames 1000] [--every 50] [--trim-every N]`.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

from simgen.blender import make_cycles_renderer
from simgen.config.load import load_config
from simgen.pipeline import render_dataset

LIBC = ctypes.CDLL("libc.so.6")


class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                    "fsmblks", "uordblks", "fordblks", "keepcost")]


LIBC.mallinfo2.restype = MallInfo2


def rss_mib() -> float:
    """Resident set size of this process in MiB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def heap_mib() -> tuple[float, float]:
    """glibc heap (MiB): in use (arena chunks + mmapped chunks), free but held in the arenas."""
    info = LIBC.mallinfo2()
    return (info.uordblks + info.hblkhd) / 2**20, info.fordblks / 2**20


def functools_cache_entries() -> dict[str, int]:
    """Entries of every functools cache defined in simgen's modules, by qualified name."""
    sizes = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith("simgen") or module is None:
            continue
        for attr, value in vars(module).items():
            if callable(getattr(value, "cache_info", None)) and getattr(value, "__module__", None) == name:
                sizes[f"{name}.{attr}"] = value.cache_info().currsize
    return sizes


def clear_functools_caches() -> None:
    for name, module in list(sys.modules.items()):
        if name.startswith("simgen") and module is not None:
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", None) == name:
                    value.cache_clear()


class ProbingRenderer:
    """Wraps the real renderer; samples memory and cache sizes every `every` frames."""

    def __init__(self, inner, every: int, trim_every: int = 0) -> None:
        self.inner = inner
        self.device = inner.device
        self.every = every
        self.trim_every = trim_every
        self.trim_s: list[float] = []
        self.frames = 0
        self.rows: list[dict] = []

    def render(self, spec):
        result = self.inner.render(spec)
        self.frames += 1
        if self.trim_every and self.frames % self.trim_every == 0:
            start = time.perf_counter()
            LIBC.malloc_trim(0)
            self.trim_s.append(time.perf_counter() - start)
        if self.frames % self.every == 0 or self.frames == 1:
            self.sample()
        return result

    def sample(self) -> None:
        from simgen.blender.datablocks import datablock_counts  # after the renderer has started Blender

        builder = self.inner._builder
        in_use, free = heap_mib()
        caches = functools_cache_entries()
        row = {"frame": self.frames, "rss": rss_mib(), "heap": in_use, "free": free,
               **datablock_counts(),
               "meshcache": len(builder.meshes._meshes), "pool": len(builder.objects),
               "matpool": len(builder.materials._materials),
               "recipe": caches.get("simgen.catalog.prop_mesh._recipe_mesh", 0),
               "lru": sum(caches.values()), "gc": len(gc.get_objects())}
        self.rows.append(row)
        sys.stdout.write(" ".join(f"{k} {v:.1f}" if isinstance(v, float) else f"{k} {v}" for k, v in row.items())
                         + "\n")
        sys.stdout.flush()

    def close(self) -> None:
        self.sample()
        if self.trim_s:
            sys.stdout.write(f"malloc_trim every {self.trim_every} frames: {len(self.trim_s)} calls, mean "
                             f"{statistics.mean(self.trim_s) * 1000:.1f} ms, max {max(self.trim_s) * 1000:.1f} ms\n")
        steps = [("end of run", lambda: None), ("malloc_trim", lambda: LIBC.malloc_trim(0)),
                 ("fresh Blender session + trim", self._fresh_session),
                 ("simgen functools caches cleared + gc + trim", self._clear_python_caches)]
        for label, step in steps:
            step()
            sys.stdout.write(f"{label}: RSS {rss_mib():.1f} MiB, heap in use {heap_mib()[0]:.1f} MiB\n")
        self.inner.close()

    def _fresh_session(self) -> None:
        self.inner.restart_session()
        gc.collect()
        LIBC.malloc_trim(0)

    @staticmethod
    def _clear_python_caches() -> None:
        clear_functools_caches()
        gc.collect()
        LIBC.malloc_trim(0)


def stage_drift(summary, window: int = 100) -> str:
    """Mean ms of each stage over the first and last `window` frames, and their ratio."""
    parts = [f"{stage[:-2]} {first * 1000:.1f} -> {last * 1000:.1f} ms ({last / first:.2f})"
             for stage, (first, last) in summary.stage_drift(window).items()]
    return "stage means, first vs last frames: " + ", ".join(parts) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=1000)
    parser.add_argument("--every", type=int, default=50)
    parser.add_argument("--resolution", type=int, nargs=2, default=[96, 72])
    parser.add_argument("--trim-every", type=int, default=0, help="call malloc_trim(0) every N frames (0: never)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    wrapped: list[ProbingRenderer] = []

    def factory(render_cfg):
        wrapped.append(ProbingRenderer(make_cycles_renderer(render_cfg), args.every, args.trim_every))
        return wrapped[0]

    with tempfile.TemporaryDirectory() as tmp:
        cfg = load_config({"frames": args.frames, "seed": 2,
                           "render": {"resolution": args.resolution, "samples": 1, "denoise": False},
                           "output": {"dir": str(Path(tmp) / "soak"), "progress": False}})
        summary = render_dataset(cfg, renderer_factory=factory)
    times = summary.frame_times_s
    window = min(100, len(times) // 2)
    first, last = statistics.mean(times[:window]), statistics.mean(times[-window:])
    sys.stdout.write(f"frames {len(times)}: mean frame time first {window} {first:.3f} s, last {window} "
                     f"{last:.3f} s, ratio {last / first:.3f}\n")
    sys.stdout.write(stage_drift(summary, window))
    return 0


if __name__ == "__main__":
    sys.exit(main())
