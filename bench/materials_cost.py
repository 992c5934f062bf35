"""Render cost of the procedural materials: s/frame textured vs flat, alternating frame by frame.

Samples `--frames` urban_day frames and renders each twice in one Cycles session, once as
sampled and once with every material's texture set to 'flat' (what
`render.procedural_textures=false` builds), so machine load drifts hit both alike.

    .venv/bin/python bench/materials_cost.py --frames 4 --width 320 --samples 16
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
import time

import numpy as np

from simgen.catalog.entries import load_catalog
from simgen.config.load import load_config
from simgen.config.schema import RenderConfig
from simgen.sampling.frame import sample_frame
from simgen.specs import FrameSpec

log = logging.getLogger("materials_cost")


def flat_materials(spec: FrameSpec) -> FrameSpec:
    """The frame with every material's procedural texture removed (flat base values kept)."""
    def props(items):
        return tuple(dataclasses.replace(p, materials={k: dataclasses.replace(m, texture="flat", texture_params=())
                                                       for k, m in p.materials.items()}) for p in items)
    return dataclasses.replace(spec, layout=dataclasses.replace(spec.layout, scenery=props(spec.layout.scenery)),
                               objects=props(spec.objects))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=4)
    parser.add_argument("--width", type=int, default=320)
    parser.add_argument("--samples", type=int, default=16)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from simgen.blender.renderer import CyclesRenderer

    cfg = load_config({"render": {"resolution": [args.width, args.width * 3 // 4]}, "seed": args.seed})
    catalog = load_catalog()
    renderer = CyclesRenderer(RenderConfig(samples=args.samples, device="cpu", denoise=True))
    seconds: dict[str, list[float]] = {"textured": [], "flat": []}
    for index in range(args.frames):
        spec = sample_frame(cfg, catalog, index)
        for kind, frame in (("textured", spec), ("flat", flat_materials(spec))):
            start = time.perf_counter()
            renderer.render(frame)
            seconds[kind].append(time.perf_counter() - start)
    renderer.close()
    textured, flat = np.median(seconds["textured"]), np.median(seconds["flat"])
    log.info("%dx%d, %d spp, %d frames: median textured %.2f s/frame, flat %.2f s/frame, ratio %.2f",
             args.width, args.width * 3 // 4, args.samples, args.frames, textured, flat, textured / flat)
    log.info("per frame textured %s flat %s", np.round(seconds["textured"], 2), np.round(seconds["flat"], 2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
