"""HOG recognizability baseline: recall of OpenCV's real-trained HOG people detector on our pedestrians.

Renders `--frames` urban_day frames with a crowded pavement (6-10 pedestrians 6-20 m ahead,
few cars, no parked cars, so many pedestrians are unoccluded and 96 px or taller) with the
normal pipeline, then runs `simgen fidelity DATASET --probe hog` and prints the recall on
unoccluded pedestrians >= 96 px and per height bin. Same seed, same scenes: run it before and
after a change to the people recipes.

    .venv/bin/python bench/hog_recall.py /tmp/hog --frames 12 --width 960 --samples 4
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
from pathlib import Path

log = logging.getLogger("hog_recall")

CROWD = ["traffic.pedestrians={int_range:[6,10]}", "traffic.cyclists=0", "traffic.cars={int_range:[0,2]}",
         "traffic.parked_cars=0", "traffic.traffic_cones=0", "traffic.min_distance_m=6", "traffic.max_distance_m=20"]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--frames", type=int, default=12)
    parser.add_argument("--width", type=int, default=960)
    parser.add_argument("--samples", type=int, default=4)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--skip-render", action="store_true", help="probe an existing out_dir/dataset")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    dataset = args.out_dir / "dataset"
    if not args.skip_render:
        subprocess.run([sys.executable, "-m", "simgen", f"frames={args.frames}", f"seed={args.seed}",
                        f"output.dir={dataset}", f"render.resolution=[{args.width},{args.width * 3 // 4}]",
                        f"render.samples={args.samples}", "render.denoise=true", "output.progress=false", *CROWD],
                       check=True)
    subprocess.run([sys.executable, "-m", "simgen", "fidelity", str(dataset), "--probe", "hog", "--out",
                    str(args.out_dir / "report")], check=True)
    probe = json.loads((args.out_dir / "report" / "fidelity.json").read_text())["probe"]["hog"]
    table = probe["recall"].get("pedestrian")
    if table is None:
        log.info("no pedestrian labels in %s", dataset)
        return 1
    head = table["headline"]
    log.info("%d frames %dx%d, %d spp: HOG recall on unoccluded pedestrians >= 96 px: %s (%d of %d); "
             "%d detections, %d matching no label", probe["images"], args.width, args.width * 3 // 4, args.samples,
             head["recall"], head["found"], head["total"], probe["detections"], probe["unmatched_detections"])
    for vis, heights in table["bins"].items():
        log.info("  %-13s %s", vis, "  ".join(f"{h}: {c['found']}/{c['total']}" for h, c in heights.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
