"""Every common consumer reads a simgen dataset unchanged (issue 17): torchvision, simgen's own
PyTorch dataset, supervision, datumaro, FiftyOne's COCO importer, and Ultralytics training."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from tests_consumers.conftest import REPO, simgen

pytestmark = pytest.mark.consumers


def _coco(path):
    return json.loads(path.read_text())


def test_torchvision_coco_detection_v2(dataset):
    from torchvision.datasets import CocoDetection, wrap_dataset_for_transforms_v2

    coco = _coco(dataset / "annotations_train.json")
    wrapped = wrap_dataset_for_transforms_v2(CocoDetection(str(dataset), str(dataset / "annotations_train.json")),
                                             target_keys=("boxes", "labels", "masks", "image_id"))
    assert len(wrapped) == len(coco["images"]) == 4
    total = 0
    for index in range(len(wrapped)):
        image, target = wrapped[index]
        total += len(target["boxes"])
        assert target["masks"].shape[1:] == (120, 160) and image.size == (160, 120)
    assert total == len(coco["annotations"])


def test_simgen_torch_dataset_separates_ignore_regions(dataset):
    import torch

    from simgen.training.detection import SimgenDetection, collate_detection

    coco = _coco(dataset / "annotations_train.json")
    data = SimgenDetection(dataset, "train")
    images, targets = collate_detection([data[i] for i in range(len(data))])
    positives = sum(len(t["boxes"]) for t in targets)
    ignored = sum(len(t["ignore_boxes"]) for t in targets)
    assert positives == sum(1 for a in coco["annotations"] if not a["iscrowd"]) > 0
    assert ignored == sum(1 for a in coco["annotations"] if a["iscrowd"])
    first = targets[0]
    assert images[0].shape == (3, 120, 160) and images[0].dtype == torch.float32
    assert first["masks"].shape[1:] == (120, 160) and first["depth_m"].shape == (120, 160)
    assert first["K"].shape == (3, 3) and first["boxes3d_R_cam_obj"].shape[1:] == (3, 3)
    wide = [a["instance_id"] for a in coco["annotations"] if not a["iscrowd"]]
    assert sorted(int(v) for t in targets for v in t["instance_ids"]) == sorted(wide)  # int64: exact


def test_supervision_reads_boxes_and_masks(dataset):
    import supervision as sv

    coco = _coco(dataset / "annotations_train.json")
    data = sv.DetectionDataset.from_coco(images_directory_path=str(dataset), annotations_path=str(
        dataset / "annotations_train.json"), force_masks=True)
    assert len(data) == 4
    total = sum(len(detections) for _, _, detections in data)
    assert total in (len(coco["annotations"]), sum(1 for a in coco["annotations"] if not a["iscrowd"]))
    for _, image, detections in data:
        assert detections.mask is None or detections.mask.shape[1:] == image.shape[:2]


def test_datumaro_imports_the_coco_layout_with_attributes(dataset, layout):
    import datumaro as dm

    imported = dm.Dataset.import_from(str(layout), "coco_instances")
    subsets = {name: len(subset) for name, subset in imported.subsets().items()}
    assert subsets == {"train": 4, "val": 1, "test": 1}
    total = sum(len(_coco(dataset / f"annotations_{s}.json")["annotations"]) for s in subsets)
    # datumaro makes a mask and a bbox (one group) of each COCO annotation with a segmentation.
    annotations = [ann for item in imported for ann in item.annotations if ann.type == dm.AnnotationType.mask]
    assert len(annotations) == total
    assert all("simgen_instance_id_str" in ann.attributes for ann in annotations)


def test_fiftyone_coco_importer_converts_every_annotation(dataset, layout):
    import fiftyone.utils.coco as fouc

    for split in ("train", "val", "test"):
        coco = _coco(layout / "annotations" / f"instances_{split}.json")
        importer = fouc.COCODetectionDatasetImporter(data_path=str(layout / "images" / split), labels_path=str(
            layout / "annotations" / f"instances_{split}.json"), label_types=["detections", "segmentations"])
        converted = []
        with importer:
            for _, _, labels in importer:
                converted += labels["detections"].detections if labels and labels.get("detections") else []
        assert len(converted) == len(coco["annotations"])
        by_id = {a["attributes"]["simgen_instance_id_str"]: a for a in coco["annotations"]}
        for detection in converted:
            source = by_id[detection["simgen_instance_id_str"]]
            assert detection["visible_fraction"] == source["attributes"]["visible_fraction"]


def test_ultralytics_trains_one_epoch_on_real_splits(dataset, tmp_path, monkeypatch):
    monkeypatch.setenv("YOLO_OFFLINE", "1")
    from ultralytics import YOLO

    out = tmp_path / "yolo"
    assert simgen("export", "yolo", str(dataset), "--out", str(out), cwd=tmp_path).returncode == 0
    moved = out.rename(tmp_path / "moved")  # the export is movable
    model = YOLO("yolov8n.yaml")  # from scratch: no weights to download
    model.train(data=str(moved / "data.yaml"), epochs=1, imgsz=160, batch=4, device="cpu", workers=0, amp=False,
                plots=False, pretrained=False, project=str(tmp_path / "runs"), name="t", exist_ok=True, verbose=False)
    trainer = model.trainer
    assert len(trainer.train_loader.dataset) == 4 and len(trainer.test_loader.dataset) == 1
    assert np.isfinite(float(trainer.metrics["metrics/mAP50-95(B)"]))


def test_ultralytics_trains_pose_one_epoch_on_the_pose_export(dataset, tmp_path, monkeypatch):
    monkeypatch.setenv("YOLO_OFFLINE", "1")
    from ultralytics import YOLO

    out = tmp_path / "pose"
    result = simgen("export", "yolo", str(dataset), "--out", str(out), "--task", "pose", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    model = YOLO("yolov8n-pose.yaml")  # from scratch: no weights to download
    model.train(data=str(out / "data.yaml"), epochs=1, imgsz=160, batch=4, device="cpu", workers=0, amp=False,
                plots=False, pretrained=False, project=str(tmp_path / "runs"), name="p", exist_ok=True, verbose=False)
    trainer = model.trainer
    labels = trainer.train_loader.dataset.labels
    assert labels and all(label["keypoints"].shape[1:] == (17, 3) for label in labels if len(label["cls"]))
    assert np.isfinite(float(trainer.metrics["metrics/mAP50-95(P)"]))


def test_example_trains_both_detectors_and_prints_ap(dataset, tmp_path):
    result = subprocess.run([sys.executable, str(REPO / "examples" / "train_detectors.py"), str(dataset), "--epochs",
                             "1"], cwd=tmp_path, capture_output=True, text=True, timeout=1200,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert result.returncode == 0, result.stderr[-3000:]
    for model in ("faster-rcnn", "yolo"):
        line = next(x for x in result.stdout.splitlines() if x.startswith(f"{model}: COCO AP"))
        assert 0.0 <= float(line.split()[3]) <= 1.0
