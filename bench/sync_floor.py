"""Sync floor: what Cycles costs per frame when nothing in the scene changed.

The overhead ceiling (bench/ceiling.py) spends about a third of a frame in Cycles' scene sync.
How much of it is the meshes (which a persistent scene of re-used meshes could save) and how much
is fixed per render (depsgraph, session and film set-up, the EXR write)? This renders each of
`--frames` default-scenario specs (160x120, 1 sample, no denoising, CPU) three times in a row:
the first render builds the frame's scene, the repeats find it unchanged. It does so with Cycles'
persistent data off and on (`render.persistent_data`), and prints the median build, sync and
trace milliseconds of first and repeated renders, and the ratio repeated/first: the part of the
sync that no mesh cache can remove is the repeated renders' sync.
Run by hand: `.venv/bin/python bench/sync_floor.py [--frames 8]`.
"""

from __future__ import annotations

import argparse
import logging
import statistics

from simgen.catalog.entries import load_catalog
from simgen.config.load import load_config
from simgen.sampling.frame import sample_frame

REPEATS = 3


def measure(frames: int, persistent_data: bool) -> dict[str, list[tuple[float, float, float]]]:
    """{"first": [...], "repeat": [...]} of (build, sync, trace) seconds per render."""
    from simgen.blender.renderer import CyclesRenderer

    cfg = load_config({"render": {"resolution": [160, 120], "samples": 1, "denoise": False, "device": "cpu",
                                  "persistent_data": persistent_data}})
    renderer = CyclesRenderer(cfg.render)
    catalog = load_catalog()
    rows: dict[str, list[tuple[float, float, float]]] = {"first": [], "repeat": []}
    try:
        for index in range(frames):
            spec = sample_frame(cfg, catalog, index)
            for repeat in range(REPEATS):
                _, timing = renderer.render(spec)
                rows["repeat" if repeat else "first"].append(
                    (timing["build_s"], timing["sync_s"], timing["trace_s"]))
    finally:
        renderer.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=8)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    for persistent_data in (False, True):
        rows = measure(args.frames, persistent_data)
        medians = {kind: [statistics.median(column) * 1000 for column in zip(*values, strict=True)]
                   for kind, values in rows.items()}
        first, repeat = medians["first"], medians["repeat"]
        print(f"persistent_data={persistent_data}: first render build {first[0]:.1f}, sync {first[1]:.1f}, "
              f"trace {first[2]:.1f} ms; unchanged scene build {repeat[0]:.1f}, sync {repeat[1]:.1f}, "
              f"trace {repeat[2]:.1f} ms; sync repeated/first {repeat[1] / first[1]:.2f}", flush=True)


if __name__ == "__main__":
    main()
