"""Render cost of clouds and of user PBR texture sets, as ratios to the default look.

Samples `--frames` urban_day frames and renders each three ways in one Cycles session,
alternating frame by frame so that machine load hits all three alike: as sampled (Hosek-Wilkie
sky, procedural surfaces), with a cumulus cloud layer added to the spec, and with PBR texture
sets (a 512 px albedo, normal and roughness map, written to a temporary folder) on road,
sidewalks, facades and paint. Prints the median render seconds per frame of each and the
ratios. The first frame of each kind is left out (first shader compiles).

    .venv/bin/python bench/skies_textures_cost.py --frames 6 --width 320 --samples 4
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from simgen.blender.renderer import CyclesRenderer
from simgen.catalog.entries import load_catalog
from simgen.config.load import load_config
from simgen.config.schema import RenderConfig
from simgen.sampling.frame import sample_frame
from simgen.specs import CloudSpec

CLOUDS = CloudSpec(cloud_type="cumulus", coverage=0.5, scale_per_km=2.0, stretch=1.2, wind_deg=30.0,
                   softness=0.06, brightness=1.5, opacity=0.95, offset_km=(3.0, 7.0))


def _write_sets(root: Path) -> None:
    rng = np.random.default_rng(0)
    for slot in ("road", "sidewalk", "facade", "paint"):
        (root / slot).mkdir(parents=True)
        cv2.imwrite(str(root / slot / "albedo.png"), rng.integers(0, 255, (512, 512, 3), dtype=np.uint8))
        normal = np.full((512, 512, 3), (255, 128, 128), np.uint8)
        normal[..., 1:] += rng.integers(0, 20, (512, 512, 2), dtype=np.uint8)
        cv2.imwrite(str(root / slot / "normal.png"), normal)
        cv2.imwrite(str(root / slot / "roughness.png"), rng.integers(100, 250, (512, 512), dtype=np.uint8))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=6)
    parser.add_argument("--width", type=int, default=320)
    parser.add_argument("--samples", type=int, default=4)
    args = parser.parse_args()
    size = {"render": {"resolution": [args.width, args.width * 3 // 4]}}
    with tempfile.TemporaryDirectory() as folder:
        _write_sets(Path(folder))
        plain_cfg = load_config(size)
        pbr_cfg = load_config({**size, "materials": {"pbr_dir": folder}})
        plain_catalog, pbr_catalog = load_catalog(), load_catalog(pbr_dir=folder)
        renderer = CyclesRenderer(RenderConfig(samples=args.samples, device="cpu", denoise=False))
        seconds: dict[str, list[float]] = {"default": [], "clouds": [], "pbr": []}
        for index in range(args.frames):
            plain = sample_frame(plain_cfg, plain_catalog, index)
            specs = {"default": plain,
                     "clouds": dataclasses.replace(plain, lighting=dataclasses.replace(plain.lighting, clouds=CLOUDS)),
                     "pbr": sample_frame(pbr_cfg, pbr_catalog, index)}
            for kind, spec in specs.items():
                start = time.perf_counter()
                renderer.render(spec)
                if index > 0:
                    seconds[kind].append(time.perf_counter() - start)
        renderer.close()
    medians = {kind: statistics.median(values) for kind, values in seconds.items()}
    for kind, median in medians.items():
        print(f"{kind}: {median:.3f} s/frame, {median / medians['default']:.2f}x default")


if __name__ == "__main__":
    main()
