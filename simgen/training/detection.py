"""A PyTorch dataset over one split of a simgen dataset, in torchvision's detection format.

`SimgenDetection(root, "train")` reads `annotations_train.json` (every frame with split=None)
and yields `(image, target)`:

    image   (3, H, W) float32 RGB in [0, 1]
    target  boxes (N, 4) float32 XYXY pixel-edge coordinates, labels (N,) int64 COCO category ids,
            masks (N, H, W) uint8, area (N,) float32, iscrowd (N,) int64 (all 0), image_id int,
            instance_ids (N,) int64 (63-bit, exact), boxes3d_center_m (N, 3), boxes3d_size_m (N, 3),
            boxes3d_R_cam_obj (N, 3, 3) float32 (camera frame, `simgen.contract`), K (3, 3) float32,
            depth_m (H, W) float32 metres, NaN where no surface (when `depth=True`),
            ignore_boxes (M, 4) float32 and ignore_masks (M, H, W) uint8: the iscrowd=1 ignore
            regions, kept apart so a loss can mask them out instead of treating them as background

N counts the positives (iscrowd=0) only, which is what torchvision's detection models expect
(`labels` in [1, num_classes); pass num_classes = max category id + 1). `transforms(image,
target)` is applied last when given. `collate_detection` batches into (images, targets) lists.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import torch
from pycocotools import mask as mask_utils
from torch.utils.data import Dataset

from simgen import contract
from simgen.errors import DatasetError
from simgen.writers.images import decode_depth_png


class SimgenDetection(Dataset):
    """One split of a simgen dataset (see the module docstring for the item format)."""

    def __init__(self, root: str | Path, split: str | None = "train", depth: bool = True, transforms: Any = None):
        self.root = Path(root)
        name = contract.ANNOTATIONS_FILE if split is None else contract.split_annotations_file(split)
        path = self.root / name
        if not path.is_file():
            raise DatasetError(f"{path} does not exist; allowed splits: "
                               + ", ".join(s for s in contract.SPLIT_ORDER
                                           if (self.root / contract.split_annotations_file(s)).is_file()))
        self.coco = json.loads(path.read_text(encoding="utf-8"))
        self.images = self.coco["images"]
        self.categories = {c["id"]: c["name"] for c in self.coco["categories"]}
        self.num_classes = max(self.categories) + 1
        self._annotations: dict[int, list[dict]] = {image["id"]: [] for image in self.images}
        for ann in self.coco["annotations"]:
            self._annotations[ann["image_id"]].append(ann)
        self.depth, self.transforms = depth, transforms

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, dict[str, Any]]:
        image = self.images[index]
        bgr = cv2.imread(str(self.root / image["file_name"]), cv2.IMREAD_COLOR)
        if bgr is None:
            raise DatasetError(f"cannot read image {self.root / image['file_name']}")
        rgb = torch.from_numpy(np.ascontiguousarray(bgr[:, :, ::-1])).permute(2, 0, 1).float() / 255.0
        anns = self._annotations[image["id"]]
        positives = [a for a in anns if not a["iscrowd"]]
        ignored = [a for a in anns if a["iscrowd"]]
        height, width = image["height"], image["width"]
        target = {"image_id": image["id"], "K": torch.tensor(image["K"], dtype=torch.float32),
                  "boxes": _boxes_xyxy(positives), "labels": torch.tensor([a["category_id"] for a in positives],
                                                                          dtype=torch.int64),
                  "masks": _masks(positives, height, width),
                  "area": torch.tensor([float(a["area"]) for a in positives], dtype=torch.float32),
                  "iscrowd": torch.zeros(len(positives), dtype=torch.int64),
                  "instance_ids": torch.tensor([a.get("instance_id", 0) for a in positives], dtype=torch.int64),
                  "ignore_boxes": _boxes_xyxy(ignored), "ignore_masks": _masks(ignored, height, width),
                  **_boxes_3d(positives)}
        if self.depth:
            path = self.root / image.get("depth_file", contract.depth_png_path(image["id"]))
            target["depth_m"] = torch.from_numpy(decode_depth_png(path.read_bytes()))
        if self.transforms is not None:
            return self.transforms(rgb, target)
        return rgb, target


def _boxes_xyxy(anns: list[dict]) -> torch.Tensor:
    """(N, 4) float32 XYXY from COCO XYWH boxes."""
    boxes = torch.tensor([a["bbox"] for a in anns], dtype=torch.float32).reshape(-1, 4)
    return torch.cat([boxes[:, :2], boxes[:, :2] + boxes[:, 2:]], dim=1)


def _masks(anns: list[dict], height: int, width: int) -> torch.Tensor:
    """(N, H, W) uint8 masks decoded from the annotations' compressed RLE."""
    masks = np.zeros((len(anns), height, width), dtype=np.uint8)
    for i, ann in enumerate(anns):
        rle = dict(ann["segmentation"])
        if isinstance(rle["counts"], str):
            rle["counts"] = rle["counts"].encode("ascii")
        masks[i] = mask_utils.decode(rle)
    return torch.from_numpy(masks)


def _boxes_3d(anns: list[dict]) -> dict[str, torch.Tensor]:
    """The 3D boxes (camera frame) of the annotations; zeros for one without `box3d_cam`."""
    center, size, rotation = np.zeros((len(anns), 3)), np.zeros((len(anns), 3)), np.zeros((len(anns), 3, 3))
    for i, ann in enumerate(anns):
        box = ann.get("box3d_cam")
        if box:
            center[i], size[i], rotation[i] = box["center_m"], box["size_m"], box["R_cam_obj"]
    return {"boxes3d_center_m": torch.from_numpy(center).float(), "boxes3d_size_m": torch.from_numpy(size).float(),
            "boxes3d_R_cam_obj": torch.from_numpy(rotation).float()}


def collate_detection(batch: list[tuple[torch.Tensor, dict]]) -> tuple[list[torch.Tensor], list[dict]]:
    """Batch for torchvision detection models: a list of images and a list of targets."""
    images, targets = zip(*batch, strict=True)
    return list(images), list(targets)
