"""Noise of the procedural sky's world sampling choices (`render.sky_importance_map_px`).

Renders default-scenario frames at --samples with each map side (0 = no importance map) and
once at --reference-samples with Cycles' automatic-like 512 px map, and prints each choice's
RMSE (8-bit sRGB levels) and mean difference against that reference: the lower, the less noise
at the same sample count. Denoising off, CPU.

    python bench/sky_sampling_noise.py [--frames 0 5] [--samples 16] [--reference-samples 256] [--sides 0 64 512]
"""

from __future__ import annotations

import argparse

import numpy as np

from simgen.blender.renderer import CyclesRenderer
from simgen.catalog.entries import load_catalog
from simgen.config.compose import compose_config
from simgen.sampling.frame import sample_frame

BASE = ["seed=3", "render.resolution=[160,120]", "render.denoise=false", "render.device=cpu"]


def render_rgb(spec, samples: int, side: int) -> np.ndarray:
    """(H, W, 3) float64 sRGB levels of `spec` rendered with `samples` and a `side` px map."""
    cfg = compose_config([*BASE, f"render.samples={samples}", f"render.sky_importance_map_px={side}"])
    passes, _ = CyclesRenderer(cfg.render).render(spec)
    return passes.rgb.astype(np.float64)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, nargs="+", default=[0, 5])
    parser.add_argument("--samples", type=int, default=16)
    parser.add_argument("--reference-samples", type=int, default=256)
    parser.add_argument("--sides", type=int, nargs="+", default=[0, 64, 512])
    args = parser.parse_args()
    cfg, catalog = compose_config(BASE), load_catalog()
    for index in args.frames:
        spec = sample_frame(cfg, catalog, index)
        reference = render_rgb(spec, args.reference_samples, 512)
        print(f"frame {index}: sun elevation {spec.lighting.sun_elevation_deg:.1f} deg")
        for side in args.sides:
            diff = render_rgb(spec, args.samples, side) - reference
            print(f"  map {side:4d} px, {args.samples} spp: RMSE {np.sqrt((diff ** 2).mean()):.2f}, "
                  f"mean {diff.mean():+.2f} (against {args.reference_samples} spp, 512 px map)")


if __name__ == "__main__":
    main()
