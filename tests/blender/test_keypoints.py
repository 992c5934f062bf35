"""COCO keypoints of posed people on real Cycles renders (issue 16): the keypoints are the
skeleton's joints projected through the camera and lens, they land on the rendered person,
a box in front of the legs flags them occluded (1), motion blur keeps the mid-exposure pose,
and keypoint COCOeval of the ground truth against itself gives AP = 1.0."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

from simgen.annotations.keypoints import skeleton_world
from simgen.contract import KEYPOINT_NAMES
from simgen.specs import MotionSpec, SensorSpec
from tests.blender.scenes import box, camera, frame
from tests.blender.test_people_render import _prop
from tests.conftest import tiny_config

pytestmark = pytest.mark.blender

DISTORTION = (-0.22, 0.05, 0.001, -0.001, 0.0)
LEGS = {"left_knee", "right_knee", "left_ankle", "right_ankle"}


def render_dataset_of(renderer, specs, root: Path, **overrides) -> tuple[dict, None, None]:
    """Render frames (the renderer renders their pinhole render camera) and write them as a dataset
    with the pipeline's own `write_frame` + `finalize_dataset`; returns annotations.json."""
    from simgen.config.dump import config_to_plain
    from simgen.dataset.directory import DatasetDir
    from simgen.dataset.finalize import finalize_dataset
    from simgen.pipeline import write_frame

    cfg = tiny_config(root, frames=len(specs), **overrides)
    dataset = DatasetDir(Path(cfg.output.dir))
    for spec in specs:
        passes, timing = renderer.render(spec)
        write_frame(cfg, spec, passes, timing, dataset, 0.0)
    finalize_dataset(cfg, dataset, {}, config_to_plain(cfg))
    return json.loads((dataset.root / "annotations.json").read_text()), None, None


def _cam():
    return camera(width_px=128, height_px=96, location_m=(0.0, 0.0, 1.1), pitch_deg=-6.0)


def _walker(location_m=(0.3, 4.0, 0.0), yaw_deg=-60.0, index=1):
    prop = _prop("pedestrian", {"speed_m_s": 1.4, "gait_phase": 0.3}, location_m, yaw_deg, "pedestrian")
    return dataclasses.replace(prop, name=f"pedestrian_{index:03d}", instance_index=index)


def _cv2_projection(spec, prop, dist) -> np.ndarray:
    """(17, 2) pixel-edge projection of the skeleton joints by OpenCV, from the COCO camera."""
    world, _ = skeleton_world(prop)
    from simgen.geometry.camera import extrinsics_cam_world, intrinsics_matrix

    extrinsics = extrinsics_cam_world(spec.camera)
    rvec, _ = cv2.Rodrigues(extrinsics[:3, :3])
    pixels, _ = cv2.projectPoints(world, rvec, extrinsics[:3, 3], intrinsics_matrix(spec.camera), np.array(dist))
    return pixels.reshape(-1, 2) + 0.5


def _keypoints(annotation) -> np.ndarray:
    return np.asarray(annotation["keypoints"], dtype=np.float64).reshape(17, 3)


def _on_person(xyv: np.ndarray, object_index: np.ndarray, instance: int) -> np.ndarray:
    """(17,) bool: a visible keypoint's pixel, or one of its 8 neighbours, shows the person
    (thin limbs at this resolution can fall between pixel centres)."""
    padded = np.pad(object_index == instance, 1)
    cols, rows = np.floor(xyv[:, :2]).astype(int).T
    return np.array([padded[r:r + 3, c:c + 3].any() for r, c in zip(rows, cols, strict=True)])


@pytest.mark.parametrize("dist", [(0.0,) * 5, DISTORTION], ids=["pinhole", "distorted"])
def test_keypoints_are_the_projected_skeleton_and_land_on_the_rendered_person(renderer, tmp_path, dist):
    spec = dataclasses.replace(frame(_cam(), objects=[_walker()]), sensor=SensorSpec(dist_coeffs=dist))
    coco, _, _ = render_dataset_of(renderer, [spec], tmp_path, **{"output.instance_maps": True})
    (annotation,) = coco["annotations"]
    xyv = _keypoints(annotation)
    assert annotation["num_keypoints"] == 17 and set(xyv[:, 2]) <= {1.0, 2.0}
    assert np.abs(xyv[:, :2] - _cv2_projection(spec, _walker(), dist)).max() < 0.5
    index = _index_map(tmp_path)
    visible = xyv[:, 2] == 2
    assert visible.sum() >= 12
    assert _on_person(xyv[visible], index, 1).all()
    category = next(c for c in coco["categories"] if c["name"] == "pedestrian")
    assert category["keypoints"] == list(KEYPOINT_NAMES) and len(category["skeleton"]) == 19


def _index_map(tmp_path) -> np.ndarray:
    return cv2.imread(str(tmp_path / "out" / "instance" / "000000.png"), cv2.IMREAD_UNCHANGED).astype(np.int32)


def test_a_box_in_front_of_the_legs_flags_them_occluded(renderer, tmp_path):
    wall = box("wall", (0.6, 0.1, 0.85), (0.25, 3.0, 0.0), category="car", instance_index=2)
    coco, _, _ = render_dataset_of(renderer, [frame(_cam(), objects=[_walker(), wall])], tmp_path,
                                   **{"output.instance_maps": True})
    person = next(a for a in coco["annotations"] if a["instance_index"] == 1)
    xyv = dict(zip(KEYPOINT_NAMES, _keypoints(person), strict=True))
    assert all(xyv[name][2] == 1 for name in LEGS), {n: xyv[n][2] for n in LEGS}
    assert all(xyv[name][2] == 2 for name in ("nose", "right_shoulder", "right_eye", "right_elbow")), xyv
    index = _index_map(tmp_path)
    for name in LEGS:  # what the legs' pixels show is the box
        col, row = np.floor(xyv[name][:2]).astype(int)
        assert index[row, col] == 2


def test_motion_blur_keeps_the_mid_exposure_pose(renderer, tmp_path):
    walker = _walker()
    still = frame(_cam(), objects=[walker])
    blurred = dataclasses.replace(still, sensor=SensorSpec(shutter_s=0.04),
                                  motion=MotionSpec(ego_velocity_m_s=(0.0, 8.0, 0.0),
                                                    object_velocities_m_s={walker.name: (1.2, -0.7, 0.0)}))
    coco, _, _ = render_dataset_of(renderer, [still, dataclasses.replace(blurred, frame_index=1)], tmp_path,
                                   **{"output.instance_maps": True})
    sharp, smeared = (_keypoints(a) for a in coco["annotations"])
    np.testing.assert_array_equal(sharp, smeared)  # keypoints of the mid-exposure pose, visibility too


def test_keypoint_cocoeval_of_the_ground_truth_against_itself_is_one(renderer, tmp_path):
    cyclist = dataclasses.replace(_prop("cyclist", {"crank_phase": 0.2}, (-1.2, 6.0, 0.0), 200.0, "cyclist"),
                                  instance_index=3, name="cyclist_003")
    objects = [_walker(), _walker((1.4, 7.0, 0.0), 100.0, index=2), cyclist]
    coco, _, _ = render_dataset_of(renderer, [frame(_cam(), objects=objects)], tmp_path)
    assert len(coco["annotations"]) == 3 and all(a["num_keypoints"] > 10 for a in coco["annotations"])
    gt = COCO(str(tmp_path / "out" / "annotations.json"))
    detections = [{"image_id": a["image_id"], "category_id": a["category_id"], "keypoints": a["keypoints"],
                   "score": 1.0} for a in coco["annotations"]]
    people = [c["id"] for c in coco["categories"] if "keypoints" in c]

    def ap(results) -> float:
        evaluator = COCOeval(gt, gt.loadRes([dict(d) for d in results]), "keypoints")
        evaluator.params.catIds = people
        evaluator.evaluate()
        evaluator.accumulate()
        evaluator.summarize()
        return float(evaluator.stats[0])

    assert ap(detections) == pytest.approx(1.0)
    shifted = [dict(d, keypoints=[v + 6.0 if i % 3 != 2 else v for i, v in enumerate(d["keypoints"])])
               if d["category_id"] == detections[0]["category_id"] else d for d in detections]
    assert ap(shifted) < 0.9  # control: keypoints 6 px off do cost AP
