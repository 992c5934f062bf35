"""`simgen contact-sheet OUT.png`: render one frame of each scenario preset and tile them.

Each preset is composed like `simgen scenario=<preset>` (see `simgen.config.compose`), rendered
once (frame 0, so `rare_obstacles` shows its quota frame) at --resolution into a scratch
directory, labelled, tiled in rows of three, scaled by --scale and written as a palette PNG
(--colors) to keep the file small. docs/scenarios.png was made with:

    simgen contact-sheet docs/scenarios.png --seed 1 --samples 32 --scale 0.5
"""

from __future__ import annotations

import argparse
import io
import logging
import sys
import tempfile
from importlib import resources
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from simgen.config.compose import compose_config
from simgen.writers.atomic import write_bytes_atomic

log = logging.getLogger(__name__)

COLUMNS = 3


def all_presets() -> list[str]:
    """Scenario preset names in configs/scenario/, sorted."""
    return sorted(p.stem for p in Path(str(resources.files("simgen.configs"))).joinpath("scenario").glob("*.yaml"))


def render_preset(preset: str, root: Path, args: argparse.Namespace) -> np.ndarray:
    """(H, W, 3) uint8 RGB of frame 0 of `preset`, rendered into root/preset."""
    from simgen.pipeline import render_dataset

    width, height = args.resolution
    cfg = compose_config([f"scenario={preset}", "frames=1", f"seed={args.seed}", f"output.dir={root / preset}",
                          f"render.resolution=[{width},{height}]", f"render.samples={args.samples}",
                          "output.progress=false"])
    render_dataset(cfg)
    bgr = cv2.imread(str(root / preset / "images" / "000000.png"), cv2.IMREAD_COLOR)
    labelled = bgr.copy()
    cv2.rectangle(labelled, (0, 0), (10 + 14 * len(preset), 34), (0, 0, 0), -1)
    cv2.putText(labelled, preset, (8, 24), cv2.FONT_HERSHEY_SIMPLEX, 0.75, (255, 255, 255), 2, cv2.LINE_AA)
    return labelled[:, :, ::-1]


def tile(images: list[np.ndarray], scale: float) -> np.ndarray:
    """Rows of COLUMNS images (black fill), scaled by `scale` with area averaging."""
    blank = np.zeros_like(images[0])
    padded = images + [blank] * (-len(images) % COLUMNS)
    rows = [np.concatenate(padded[i:i + COLUMNS], axis=1) for i in range(0, len(padded), COLUMNS)]
    sheet = np.concatenate(rows, axis=0)
    size = (int(sheet.shape[1] * scale), int(sheet.shape[0] * scale))
    return cv2.resize(sheet, size, interpolation=cv2.INTER_AREA)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="simgen contact-sheet", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--presets", default=",".join(all_presets()), help="comma-separated preset names")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--samples", type=int, default=32)
    parser.add_argument("--resolution", type=int, nargs=2, default=[640, 480], metavar=("W", "H"))
    parser.add_argument("--scale", type=float, default=0.5)
    parser.add_argument("--colors", type=int, default=192, help="palette size of the PNG (<= 256)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="simgen-sheet-") as scratch:
        images = [render_preset(p, Path(scratch), args) for p in args.presets.split(",")]
    sheet = Image.fromarray(tile(images, args.scale)).quantize(colors=args.colors, method=Image.Quantize.MEDIANCUT)
    buffer = io.BytesIO()
    sheet.save(buffer, format="PNG", optimize=True)
    write_bytes_atomic(args.out, buffer.getvalue())
    sys.stdout.write(f"wrote {args.out} ({len(buffer.getvalue()) // 1024} KB)\n")
    return 0
