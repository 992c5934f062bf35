"""Contact sheet of the vegetation recipes: docs/vegetation.png.

One row per tree catalog entry (round `tree`, `conifer`, `columnar_tree`, `bare_tree`), each
four trees drawn from the entry's parameter ranges (growth seeds, heights, crowns) on a grey
ground plane, then a row of bushes and hedges; real Cycles renders in daylight, one caption
per row.

    .venv/bin/python bench/vegetation_sheet.py --out docs/vegetation.png
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from simgen.catalog.entries import build_asset_mesh, load_catalog, sample_asset_params
from simgen.config.schema import RenderConfig
from simgen.sampling.materials import sample_materials
from simgen.sampling.street import TREE_ASSETS
from simgen.specs import CameraSpec, FrameSpec, LayoutSpec, LightingSpec, MaterialSpec, PropSpec

log = logging.getLogger("vegetation_sheet")
LIGHT = LightingSpec(sun_elevation_deg=40.0, sun_azimuth_deg=150.0, sun_strength_w_m2=3.0, sun_angle_deg=0.5,
                     sky_strength=1.0, sky_turbidity=3.0, exposure_ev=0.0)


def _row(assets: tuple[str, ...], rng: np.random.Generator, distance_m: float) -> list[PropSpec]:
    """Four props of the given catalog entries (cycling), spaced along x, `distance_m` ahead."""
    catalog = load_catalog()
    props = [PropSpec(name="ground", asset="slab", recipe="slab",
                      params={"length_m": 200.0, "width_m": 200.0, "height_m": 0.1}, location_m=(0.0, 50.0, -0.1),
                      yaw_deg=0.0, materials={"surface": MaterialSpec((0.3, 0.3, 0.3), 0.9)})]
    for k in range(4):
        entry = catalog.get(assets[k % len(assets)])
        params = sample_asset_params(entry, rng)
        mesh = build_asset_mesh(entry, params)
        props.append(PropSpec(name=f"{entry.name}_{k}", asset=entry.name, recipe=entry.recipe, params=params,
                              location_m=((k - 1.5) * distance_m * 0.28, distance_m, 0.0),
                              yaw_deg=float(rng.uniform(0.0, 360.0)), materials=sample_materials(mesh.materials, rng)))
    return props


def _render(renderer, props: list[PropSpec], width: int, distance_m: float) -> np.ndarray:
    camera = CameraSpec(width_px=width, height_px=width * 7 // 16, focal_length_mm=36.0, sensor_width_mm=36.0,
                        location_m=(0.0, 0.0, 0.19 * distance_m), yaw_deg=0.0, pitch_deg=0.0, roll_deg=0.0)
    layout = LayoutSpec(name="sheet", lanes=(), y_range_m=(0.0, 1.0), road_half_width_m=0.0, sidewalks_x_m=(),
                        curb_height_m=0.0, ego_lane=0, scenery=tuple(props))
    spec = FrameSpec(frame_index=0, run_seed=0, cycles_seed=1, scenario="sheet", camera=camera, lighting=LIGHT,
                     layout=layout, objects=())
    return renderer.render(spec)[0].rgb


def _caption(rgb: np.ndarray, text: str) -> Image.Image:
    image = Image.fromarray(rgb)
    ImageDraw.Draw(image).text((6, 4), text, fill=(255, 255, 255))
    return image


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/vegetation.png"))
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--samples", type=int, default=16)
    parser.add_argument("--width", type=int, default=640)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from simgen.blender.renderer import CyclesRenderer

    renderer = CyclesRenderer(RenderConfig(samples=args.samples, device="cpu", denoise=True, threads=2))
    rng = np.random.default_rng(args.seed)
    rows = [((name,), 34.0, name) for name in TREE_ASSETS] + [(("bush", "hedge"), 12.0, "bush, hedge")]
    panels = []
    for assets, distance_m, caption in rows:
        log.info("rendering %s", caption)
        panels.append(_caption(_render(renderer, _row(assets, rng, distance_m), args.width, distance_m), caption))
    renderer.close()
    sheet = Image.new("RGB", (args.width, sum(p.height for p in panels)))
    for k, panel in enumerate(panels):
        sheet.paste(panel, (0, k * panels[0].height))
    sheet.save(args.out)
    log.info("wrote %s", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
