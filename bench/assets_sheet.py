"""Turntable contact sheets of the catalog's assets: docs/assets.png and docs/vegetation.png.

One row per catalog entry (or group of entries), four props drawn from the entry's parameter
ranges, each turned a further quarter (yaw 0, 90, 180, 270 deg plus a small jitter), so a row
shows both the variety of the entry and its sides, on a grey ground plane; real Cycles renders
in daylight, one caption per row. `--sheet assets`: every vehicle, person, tree and rare-obstacle
variety; `--sheet vegetation`: the trees, bushes and hedges.

    .venv/bin/python bench/assets_sheet.py --sheet assets --columns 3 --width 480 --out docs/assets.png
    .venv/bin/python bench/assets_sheet.py --sheet vegetation --out docs/vegetation.png
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

log = logging.getLogger("assets_sheet")
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
                              yaw_deg=90.0 * k + float(rng.uniform(-15.0, 15.0)),
                              materials=sample_materials(mesh.materials, rng)))
    return props


VEHICLES = (("sedan", 14.0), ("hatchback", 14.0), ("estate", 14.0), ("suv", 14.0), ("van", 16.0), ("box_truck", 26.0),
            ("city_bus", 32.0), ("motorcycle", 9.0), ("cyclist", 9.0))
PEOPLE = (("pedestrian_adult", 7.0), ("pedestrian_child", 5.0), ("pedestrian_runner", 7.0))
OBSTACLES = (("deer", 9.0), ("dog", 5.0), ("stroller", 5.0), ("tire", 4.0), ("tree_trunk", 12.0), ("mattress", 8.0),
             ("rock", 6.0), ("cardboard_box", 4.0), ("construction_barrier", 8.0), ("cone_cluster", 8.0))


def sheet_rows(sheet: str) -> list[tuple[tuple[str, ...], float, str]]:
    """(catalog entries, camera distance m, caption) per row of `sheet`."""
    vegetation = [((name,), 34.0, name) for name in TREE_ASSETS] + [(("bush", "hedge"), 12.0, "bush, hedge")]
    if sheet == "vegetation":
        return vegetation
    return [((name,), distance, name) for name, distance in (*VEHICLES, *PEOPLE)] + vegetation + [
        ((name,), distance, name) for name, distance in OBSTACLES]


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
    parser.add_argument("--sheet", choices=("assets", "vegetation"), default="assets")
    parser.add_argument("--out", type=Path, default=Path("docs/assets.png"))
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--samples", type=int, default=16)
    parser.add_argument("--width", type=int, default=640, help="width of one row's panel, px")
    parser.add_argument("--colors", type=int, default=256, help="palette size of the PNG; 0 = full RGB")
    parser.add_argument("--columns", type=int, default=1, help="columns of panels on the sheet")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from simgen.blender.renderer import CyclesRenderer

    renderer = CyclesRenderer(RenderConfig(samples=args.samples, device="cpu", denoise=True, threads=2))
    rng = np.random.default_rng(args.seed)
    panels = []
    for assets, distance_m, caption in sheet_rows(args.sheet):
        log.info("rendering %s", caption)
        panels.append(_caption(_render(renderer, _row(assets, rng, distance_m), args.width, distance_m), caption))
    renderer.close()
    columns = min(args.columns, len(panels))
    rows = -(-len(panels) // columns)
    height = panels[0].height
    sheet = Image.new("RGB", (args.width * columns, rows * height))
    for k, panel in enumerate(panels):
        sheet.paste(panel, ((k // rows) * args.width, (k % rows) * height))
    if args.colors:  # a palette PNG: a third of the size, for sheets kept in the repository
        sheet = sheet.quantize(colors=args.colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    sheet.save(args.out, optimize=True)
    log.info("wrote %s", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
