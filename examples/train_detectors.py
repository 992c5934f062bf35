"""Train torchvision Faster R-CNN and Ultralytics YOLO from scratch on a simgen dataset, print COCO AP.

A smoke test of the whole path from a render to a trained detector, not a benchmark: both
models start from random weights (nothing is downloaded) and train for a few epochs on CPU.

    simgen frames=200 render.resolution=[160,120] render.samples=1 output.dir=outputs/train200
    python examples/train_detectors.py outputs/train200 --epochs 5

Needs the `simgen[torch]` extra and ultralytics (the environment `make consumers` builds).
Both detectors are scored the same way: pycocotools' COCOeval (bbox) on annotations_val.json,
where the iscrowd=1 ignore regions neither reward nor punish a detection.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import torch
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

from simgen.export.yolo import export_yolo
from simgen.training.detection import SimgenDetection, collate_detection


def coco_ap(annotation_file: Path, detections: list[dict]) -> float:
    """COCO AP@[.5:.95] (bbox) of detections [{image_id, category_id, bbox XYWH, score}]."""
    if not detections:
        return 0.0
    with contextlib.redirect_stdout(io.StringIO()):
        truth = COCO(str(annotation_file))
        evaluator = COCOeval(truth, truth.loadRes(detections), "bbox")
        evaluator.evaluate()
        evaluator.accumulate()
        evaluator.summarize()
    return float(evaluator.stats[0])


def train_faster_rcnn(root: Path, epochs: int) -> tuple[float, float]:
    """Faster R-CNN (MobileNetV3-FPN, random init) on train; returns (AP on val, seconds)."""
    from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn

    start = time.perf_counter()
    train, val = SimgenDetection(root, "train", depth=False), SimgenDetection(root, "val", depth=False)
    model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=train.num_classes,
                                              min_size=train.images[0]["height"] * 2)
    loader = torch.utils.data.DataLoader(train, batch_size=4, shuffle=True, collate_fn=collate_detection,
                                         generator=torch.Generator().manual_seed(0))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    model.train()
    for epoch in range(epochs):
        for images, targets in loader:
            keep = [{"boxes": t["boxes"], "labels": t["labels"]} for t in targets]
            loss = sum(model(images, keep).values())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        sys.stdout.write(f"faster-rcnn epoch {epoch + 1}/{epochs}: loss {float(loss):.3f}\n")
    model.eval()
    detections = []
    with torch.no_grad():
        for image, target in val:
            (output,) = model([image])
            for box, label, score in zip(output["boxes"], output["labels"], output["scores"], strict=True):
                x0, y0, x1, y1 = (float(v) for v in box)
                detections.append({"image_id": target["image_id"], "category_id": int(label),
                                   "bbox": [x0, y0, x1 - x0, y1 - y0], "score": float(score)})
    return coco_ap(root / "annotations_val.json", detections), time.perf_counter() - start


def train_yolo(root: Path, epochs: int, work: Path) -> tuple[float, float]:
    """Ultralytics YOLOv8n from its model YAML (random init) on the YOLO export; (AP on val, seconds)."""
    os.environ.setdefault("YOLO_OFFLINE", "1")
    from ultralytics import YOLO

    start = time.perf_counter()
    data_yaml = export_yolo(root, work / "yolo")
    val = json.loads((root / "annotations_val.json").read_text())
    class_to_id = sorted(c["id"] for c in val["categories"])  # YOLO class index -> COCO id
    model = YOLO("yolov8n.yaml")
    model.train(data=str(data_yaml), epochs=epochs, imgsz=val["images"][0]["width"], batch=8, device="cpu",
                workers=0, amp=False, plots=False, pretrained=False, project=str(work / "runs"), name="yolo",
                exist_ok=True, verbose=False)
    detections = []
    for image in val["images"]:
        (result,) = model.predict(str(root / image["file_name"]), imgsz=image["width"], conf=0.001, verbose=False)
        for box, cls, score in zip(result.boxes.xywh.tolist(), result.boxes.cls.tolist(),
                                   result.boxes.conf.tolist(), strict=True):
            cx, cy, w, h = box
            detections.append({"image_id": image["id"], "category_id": class_to_id[int(cls)],
                               "bbox": [cx - w / 2, cy - h / 2, w, h], "score": score})
    return coco_ap(root / "annotations_val.json", detections), time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path, help="a simgen dataset with splits")
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()
    torch.manual_seed(0)
    ap_rcnn, s_rcnn = train_faster_rcnn(args.dataset, args.epochs)
    sys.stdout.write(f"faster-rcnn: COCO AP {ap_rcnn:.4f} on val ({s_rcnn:.0f} s)\n")
    with tempfile.TemporaryDirectory() as work:
        ap_yolo, s_yolo = train_yolo(args.dataset, args.epochs, Path(work))
    sys.stdout.write(f"yolo: COCO AP {ap_yolo:.4f} on val ({s_yolo:.0f} s)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
