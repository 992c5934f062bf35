"""Before/after sheet of the realism work: docs/realism.png, the same seeds rendered by an old
revision (default 5bf779d, the code before the realism work) and by this checkout, side by side.

The two revisions cannot be imported in one process, so each side is a `python -m simgen` run in
its own subprocess: "after" in this checkout, "before" in a git worktree of the old revision
(`--before-tree`, created with `git worktree add --detach PATH REV` if missing). Each run is
started from its tree's root with `PYTHONPATH=<tree>`. The old revision maps its data packages
(`simgen.configs`, `simgen.assets`, `simgen.scenes`) from top-level folders, so under PYTHONPATH
alone the venv's editable install would hand it *this* checkout's configs and assets: the script
links `<old>/simgen/{configs,assets,scenes}` to the old tree's own folders and checks, in each
tree, that `simgen.configs` resolves inside that tree before rendering.

One run per scenario and revision (`frames` = highest frame asked + 1, same seed); each frame's
`frame_index` and `frame_seed` are checked equal between the two sides. Runs resume (simgen
skips committed frames) into `--work`/<side>_<short hash>/<scenario>_seed<seed>, so a second
invocation at the same commits only re-composes the sheet. "after" is labelled with this
checkout's HEAD (+dirty if its simgen/configs/assets/scenes have uncommitted changes).

    .venv/bin/python bench/realism_sheet.py --out docs/realism.png
    # = rows urban_day:0 urban_day:1 urban_night_rain:0 intersection_dusk:0 highway_fog:0 rural_snow:0,
    #   seed 3, 480x360, 16 spp (denoised, the default), CPU, nice -n 10, full-RGB PNG (about 1.9 MB)
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from simgen.writers.atomic import write_bytes_atomic

REPO = Path(__file__).resolve().parents[1]
DATA_DIRS = ("configs", "assets", "scenes")
DEFAULT_ROWS = ("urban_day:0", "urban_day:1", "urban_night_rain:0", "intersection_dusk:0", "highway_fog:0",
                "rural_snow:0")
CAPTION = "same seed, same scenario; samplers changed between revisions so layouts differ where draws were added"
BACKGROUND = 255
INK = (0, 0, 0)
GUTTER_PX = 4


def _strip(texts: list[tuple[str, int, float]], width_px: int, height_px: int) -> np.ndarray:
    """(height_px, width_px, 3) uint8 white strip with each (text, x px, font scale) on its own line."""
    strip = np.full((height_px, width_px, 3), BACKGROUND, np.uint8)
    line_px = height_px // max(len(texts), 1)
    for k, (text, x_px, scale) in enumerate(texts):
        baseline_px = k * line_px + (line_px + round(18 * scale)) // 2
        cv2.putText(strip, text, (x_px, baseline_px), cv2.FONT_HERSHEY_SIMPLEX, scale, INK, 1, cv2.LINE_AA)
    return strip


def compose_sheet(tiles: list[list[np.ndarray]], column_labels: list[str], row_labels: list[str],
                  title: str, caption: str = CAPTION) -> np.ndarray:
    """The sheet as one (H, W, 3) uint8 array (channel order that of the tiles).

    `tiles[r][c]`: (h, w, 3) uint8, every tile the same shape. Layout, top to bottom: a 44 px
    title strip (title, caption), a 22 px strip of column labels, then per row an 18 px row-label
    strip and the row's tiles, columns separated by a GUTTER_PX white gutter. So
    W = C*w + (C-1)*GUTTER_PX and H = 44 + 22 + R*(18 + h).
    """
    if not tiles or len(tiles) != len(row_labels) or any(len(row) != len(column_labels) for row in tiles):
        raise ValueError("tiles must be rows x columns matching row_labels x column_labels")
    h, w = tiles[0][0].shape[:2]
    if any(tile.shape != (h, w, 3) or tile.dtype != np.uint8 for row in tiles for tile in row):
        raise ValueError(f"every tile must be ({h}, {w}, 3) uint8")
    width_px = len(column_labels) * w + (len(column_labels) - 1) * GUTTER_PX
    gutter = np.full((h, GUTTER_PX, 3), BACKGROUND, np.uint8)
    header = np.full((22, width_px, 3), BACKGROUND, np.uint8)
    for c, label in enumerate(column_labels):
        header[:, c * (w + GUTTER_PX):c * (w + GUTTER_PX) + w] = _strip([(label, 6, 0.55)], w, 22)
    parts = [_strip([(title, 6, 0.6), (caption, 6, 0.42)], width_px, 44), header]
    for row, label in zip(tiles, row_labels, strict=True):
        parts.append(_strip([(label, 6, 0.42)], width_px, 18))
        cells = [row[0]]
        for tile in row[1:]:
            cells += [gutter, tile]
        parts.append(np.concatenate(cells, axis=1))
    return np.concatenate(parts, axis=0)


def ensure_before_tree(tree: Path, revision: str) -> None:
    """Create the old revision's worktree if missing; link its data folders into its package."""
    if not tree.exists():
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(tree), revision], check=True)
    for name in DATA_DIRS:
        link = tree / "simgen" / name
        if (tree / name).is_dir() and not link.exists():
            link.symlink_to(Path("..") / name)


def check_tree(tree: Path) -> None:
    """Refuse a tree whose `simgen` or `simgen.configs` would be imported from somewhere else."""
    probe = "import simgen, simgen.configs; print(simgen.__file__); print(list(simgen.configs.__path__)[0])"
    out = subprocess.run([sys.executable, "-c", probe], cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)},
                         check=True, capture_output=True, text=True).stdout.split("\n")
    for found in out[:2]:
        if not Path(found).resolve().is_relative_to(tree.resolve()):
            raise SystemExit(f"{tree}: simgen imports {found} from outside the tree")


def render(tree: Path, scenario: str, frames: int, args: argparse.Namespace, out_dir: Path) -> None:
    """One `python -m simgen` run of `tree` into out_dir (resumes committed frames)."""
    command = ["nice", "-n", str(args.nice), sys.executable, "-m", "simgen", f"scenario={scenario}",
               f"frames={frames}", f"seed={args.seed}", f"render.resolution=[{args.width},{args.height}]",
               f"render.samples={args.samples}", "render.device=cpu", f"output.dir={out_dir}"]
    print(f"[{tree}] {' '.join(command[3:])}", flush=True)
    subprocess.run(command, cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)}, check=True)


def frame_tile(dataset: Path, frame: int) -> tuple[np.ndarray, dict]:
    """(image BGR uint8, the frame's record) of one rendered frame."""
    record = json.loads((dataset / "frames" / f"{frame:06d}.json").read_text())
    image = cv2.imread(str(dataset / record["image"]["file_name"]), cv2.IMREAD_COLOR)
    if image is None:
        raise SystemExit(f"{dataset}: cannot read frame {frame}")
    return image, record


def _git(tree: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(tree), *args], check=True, capture_output=True, text=True).stdout.strip()


def short_hash(tree: Path, revision: str = "HEAD") -> str:
    """Short hash of the tree's checked-out commit, which must be `revision`; '+dirty' if its tracked
    simgen/configs/assets/scenes files differ from that commit."""
    if _git(tree, "rev-parse", "HEAD") != _git(tree, "rev-parse", f"{revision}^{{commit}}"):
        raise SystemExit(f"{tree} is not checked out at {revision}")
    dirty = _git(tree, "status", "--porcelain", "--untracked-files=no", "--", *("simgen", *DATA_DIRS))
    return _git(tree, "rev-parse", "--short", "HEAD") + ("+dirty" if dirty else "")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before-rev", default="5bf779d")
    parser.add_argument("--before-tree", type=Path, default=Path("/tmp/realism-old"))
    parser.add_argument("--work", type=Path, default=Path("/tmp/realism-sheet"), help="datasets go here")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "realism.png")
    parser.add_argument("--rows", nargs="+", default=list(DEFAULT_ROWS), help="scenario:frame per row")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--width", type=int, default=480)
    parser.add_argument("--height", type=int, default=360)
    parser.add_argument("--samples", type=int, default=16)
    parser.add_argument("--nice", type=int, default=10)
    parser.add_argument("--colors", type=int, default=0,
                        help="palette size of the PNG; 0 = full RGB (default: a palette bands the skies)")
    args = parser.parse_args(argv)
    rows = [(name, int(frame)) for name, _, frame in (row.partition(":") for row in args.rows)]
    before = args.before_tree.resolve()
    ensure_before_tree(before, args.before_rev)
    sides = {"before": (before, short_hash(before, args.before_rev)), "after": (REPO, short_hash(REPO))}
    for tree, _ in sides.values():
        check_tree(tree)
    tiles = [[] for _ in rows]
    for side, (tree, sha) in sides.items():
        for scenario in dict.fromkeys(name for name, _ in rows):
            frames = 1 + max(frame for name, frame in rows if name == scenario)
            render(tree, scenario, frames, args, args.work / f"{side}_{sha}" / f"{scenario}_seed{args.seed}")
        for k, (scenario, frame) in enumerate(rows):
            image, record = frame_tile(args.work / f"{side}_{sha}" / f"{scenario}_seed{args.seed}", frame)
            seen = (record["frame_index"], record["image"]["frame_seed"], record["image"]["scenario"])
            if seen != (frame, {"run_seed": args.seed, "frame_index": frame}, scenario):
                raise SystemExit(f"{side} {scenario}:{frame}: the frame record says {seen}")
            tiles[k].append(image)
    labels = [f"{side} ({sha})" for side, (_, sha) in sides.items()]
    title = f"simgen realism work, before/after: seed {args.seed}, {args.width}x{args.height}, {args.samples} spp, CPU"
    sheet = compose_sheet(tiles, labels, [f"{name}, frame {frame}" for name, frame in rows], title)
    image = Image.fromarray(np.ascontiguousarray(sheet[..., ::-1]))
    if args.colors:  # a palette PNG: about a third of the size
        image = image.quantize(colors=args.colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    data = buffer.getvalue()
    write_bytes_atomic(args.out, data)
    print(f"wrote {args.out} ({len(data) / 1e6:.2f} MB, {sheet.shape[1]}x{sheet.shape[0]} px)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
