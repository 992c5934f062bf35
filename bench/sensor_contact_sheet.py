"""Contact sheet: the same frames rendered plain and through a sensor model, boxes drawn.

Both datasets must come from the same config and seed except `sensor` (the sensor has its own
seed stream, so the scenes are identical). Each row is one frame: left plain, right with the
sensor model; every COCO box of the frame is drawn, so one sees the labels follow the lens.

    simgen frames=20 seed=0 sensor=none    output.dir=/tmp/plain   render.resolution=[320,240]
    simgen frames=20 seed=0 sensor=dashcam output.dir=/tmp/dashcam render.resolution=[320,240]
    python bench/sensor_contact_sheet.py /tmp/plain /tmp/dashcam docs/sensor_contact_sheet.png --frames 1 4 7
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import cv2
import numpy as np

from simgen.writers.atomic import write_bytes_atomic


def annotated(dataset: Path, frame: int, width_px: int) -> np.ndarray:
    """(h, width_px, 3) uint8 BGR of one frame with its COCO boxes drawn, downscaled."""
    record = json.loads((dataset / "frames" / f"{frame:06d}.json").read_text())
    image = cv2.imread(str(dataset / record["image"]["file_name"]), cv2.IMREAD_COLOR)
    for ann in record["annotations"]:
        x, y, w, h = ann["bbox"]
        cv2.rectangle(image, (x, y), (x + w - 1, y + h - 1), (0, 255, 255), 1)
    height = round(image.shape[0] * width_px / image.shape[1])
    return cv2.resize(image, (width_px, height), interpolation=cv2.INTER_AREA)


def header(text: str, width_px: int) -> np.ndarray:
    strip = np.full((18, width_px, 3), 255, np.uint8)
    cv2.putText(strip, text, (4, 13), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0, 0, 0), 1, cv2.LINE_AA)
    return strip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plain", type=Path)
    parser.add_argument("sensor", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--frames", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--width", type=int, default=240, help="width of each tile, px")
    args = parser.parse_args()
    rows = [np.concatenate([header("plain (sensor=none)", args.width),
                            header("sensor=dashcam", args.width)], axis=1)]
    for frame in args.frames:
        rows.append(np.concatenate([annotated(args.plain, frame, args.width),
                                    annotated(args.sensor, frame, args.width)], axis=1))
    ok, data = cv2.imencode(".png", np.concatenate(rows, axis=0), [cv2.IMWRITE_PNG_COMPRESSION, 9])
    if not ok:
        raise SystemExit("PNG encoding failed")
    write_bytes_atomic(args.out, data.tobytes())


if __name__ == "__main__":
    main()
