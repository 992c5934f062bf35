"""Contact sheet of the procedural materials: docs/materials.png.

Renders one sampled urban_day frame with and without `render.procedural_textures`, then the
same frame from close-up camera poses (looking down at the road and the sidewalk, at a
facade, at the nearest car), and tiles them with a caption per panel. The materials are the
frame's sampled ones, untouched.

    .venv/bin/python bench/materials_swatch.py --out docs/materials.png --seed 15
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from simgen.catalog.entries import load_catalog
from simgen.config.load import load_config
from simgen.config.schema import RenderConfig
from simgen.sampling.frame import sample_frame
from simgen.specs import FrameSpec

log = logging.getLogger("materials_swatch")


def _closeups(spec: FrameSpec) -> list[tuple[str, FrameSpec]]:
    """(caption, frame) pairs: the frame seen from close-up poses near its textured surfaces."""
    cam = spec.camera
    layout = spec.layout
    materials = {p.name: p.materials.get("surface") for p in layout.scenery}
    road = materials.get("road")
    poses = [(f"asphalt wear={road.texture_param('wear'):.2f}" if road else "road",
              dict(location_m=(0.5, 2.0, 1.4), yaw_deg=0.0, pitch_deg=-55.0))]
    side_x = layout.road_half_width_m + 1.0
    poses.append(("sidewalk concrete", dict(location_m=(side_x, 2.0, 1.6), yaw_deg=0.0, pitch_deg=-60.0)))
    buildings = [p for p in layout.scenery if p.name.startswith("building_r")]
    if buildings:
        facade = buildings[0].materials["facade"]
        front_x = buildings[0].location_m[0] - buildings[0].params.get("width_m", 12.0) / 2
        poses.append((f"facade {facade.texture}", dict(location_m=(front_x - 5.0, buildings[0].location_m[1], 2.0),
                                                       yaw_deg=-90.0, pitch_deg=0.0)))
    cars = sorted((o for o in spec.objects if o.category == "car"), key=lambda o: np.hypot(*o.location_m[:2]))
    if cars:
        car = cars[0]
        x, y, _ = car.location_m
        poses.append(("car paint (dirt, chips)", dict(location_m=(x, y - 4.5, 1.3), yaw_deg=0.0, pitch_deg=-12.0)))
    return [(caption, dataclasses.replace(spec, camera=dataclasses.replace(cam, **pose))) for caption, pose in poses]


def _caption(image: np.ndarray, text: str) -> np.ndarray:
    canvas = Image.fromarray(image)
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 0, 7 * len(text) + 6, 14), fill=(0, 0, 0))
    draw.text((3, 1), text, fill=(255, 255, 255))
    return np.asarray(canvas)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/materials.png"))
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--samples", type=int, default=16)
    parser.add_argument("--width", type=int, default=320)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from simgen.blender.renderer import CyclesRenderer

    width, height = args.width, args.width * 3 // 4
    cfg = load_config({"render": {"resolution": [width, height]}, "seed": args.seed})
    spec = sample_frame(cfg, load_catalog(), 0)
    panels = []
    for textures in (True, False):
        renderer = CyclesRenderer(RenderConfig(samples=args.samples, device="cpu", denoise=True, threads=2,
                                               procedural_textures=textures))
        passes, _ = renderer.render(spec)
        panels.append(_caption(passes.rgb, "urban_day " + ("textured" if textures else "flat")))
        if textures:
            for caption, closeup in _closeups(spec):
                log.info("rendering %s", caption)
                panels.append(_caption(renderer.render(closeup)[0].rgb, caption))
        renderer.close()
    panels = [panels[0], panels[-1], *panels[1:-1]]
    while len(panels) % 3:
        panels.append(np.zeros_like(panels[0]))
    rows = [np.concatenate(panels[i:i + 3], axis=1) for i in range(0, len(panels), 3)]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.concatenate(rows, axis=0)).save(args.out, optimize=True)
    log.info("wrote %s", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
