"""`simgen export FORMAT DATASET`: convert a finished dataset for other trainers, without re-rendering.

Formats:
    yolo   Ultralytics layout (images/, labels/, data.yaml); --task detect (boxes, default),
           segment (polygons) or pose (boxes + 17 COCO keypoints of pedestrians and cyclists)
    kitti  KITTI object layout (image_2/, label_2/, calib/, ImageSets/<split>.txt) with
           truncation, occlusion levels and 3D boxes, in KITTI's rectified camera frame
    coco-layout  annotations/instances_<split>.json + images/<split>/ (datumaro, CVAT,
           mmdetection, FiftyOne), simgen's extra keys under `attributes`

Writes to --out (default DATASET/export/FORMAT) and prints that folder.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simgen.export.coco_layout import export_coco_layout
from simgen.export.kitti import export_kitti
from simgen.export.yolo import TASKS, export_yolo


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="simgen export", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("format", choices=("yolo", "kitti", "coco-layout"))
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--out", type=Path, help="output folder (default DATASET/export/FORMAT)")
    parser.add_argument("--task", choices=TASKS, default="detect", help="yolo only: detect (default), segment or pose")
    args = parser.parse_args(argv)
    out = args.out or args.dataset / "export" / args.format
    if args.format == "yolo":
        export_yolo(args.dataset, out, args.task)
    elif args.format == "kitti":
        export_kitti(args.dataset, out)
    else:
        export_coco_layout(args.dataset, out)
    sys.stdout.write(f"{out}\n")
    return 0
