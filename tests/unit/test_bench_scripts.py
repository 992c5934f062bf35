"""Every benchmark script in bench/ imports cleanly: the names it takes from simgen still exist
(a renamed function must not leave a benchmark broken until someone next runs it by hand)."""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

import numpy as np
import pytest

BENCH = sorted((Path(__file__).resolve().parents[2] / "bench").glob("*.py"))


def _load(script: Path):
    """The bench script as a module: top-level code only (every script runs from
    `if __name__ == "__main__"`)."""
    spec = importlib.util.spec_from_file_location(f"bench_{script.stem}", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("script", BENCH, ids=lambda p: p.name)
def test_a_bench_script_imports(script):
    module = _load(script)
    assert callable(getattr(module, "main", None)), f"{script.name} has no main()"


def _bench(name: str):
    return _load(next(p for p in BENCH if p.stem == name))


def test_hog_recall_traffic_headings_keep_the_people_and_head_them_as_traffic_does():
    from simgen.catalog.entries import load_catalog
    from simgen.config.load import load_config
    from simgen.sampling.frame import sample_frame

    hog_recall = _bench("hog_recall")
    catalog = load_catalog()
    spec = sample_frame(load_config({"seed": 4, **hog_recall.QUIET_STREET}), catalog, 0)

    def lined_up(headings: bool):
        streams = [np.random.default_rng([4, 0, k]) for k in (7, 8, 9)]
        frame = hog_recall.line_up(spec, catalog, 40, *streams[:2], streams[2] if headings else None)
        return [o for o in frame.objects if o.name.startswith("lineup_")]

    uniform, traffic = lined_up(False), lined_up(True)
    assert [(o.asset, o.params, o.location_m, o.materials) for o in uniform] == \
        [(o.asset, o.params, o.location_m, o.materials) for o in traffic]
    along = [abs(np.sin(np.deg2rad(o.yaw_deg))) > np.sqrt(0.5) for o in traffic]  # heading along +-y
    assert 0.7 <= np.mean(along) < 1.0  # 85 % walk along the street, within 45 deg nearly always
    assert 0.4 <= np.mean([abs(np.sin(np.deg2rad(o.yaw_deg))) > np.sqrt(0.5) for o in uniform]) <= 0.6


def test_hog_recall_pose_groups_follow_the_heading_against_the_camera_ray():
    from simgen.specs import PropSpec

    hog_recall = _bench("hog_recall")
    params = {"speed_m_s": 1.5, "bottom_style": 0.1, "coat": 0.0, "sleeves": 0.0, "hair_style": 0.0, "bag": 0.9}

    def person(x_m: float, y_m: float, yaw_deg: float) -> PropSpec:
        return PropSpec(name="p", asset="pedestrian_adult", recipe="pedestrian", params=params,
                        location_m=(x_m, y_m, 0.0), yaw_deg=yaw_deg, materials=(), category="pedestrian",
                        instance_index=1)

    camera = np.array([1.0, -2.0])
    ahead = person(1.0, 4.0, 90.0)  # 6 m ahead along +y, walking along +y: seen from behind
    assert hog_recall.pose_of(ahead, camera) == {"view": "front/back", "gait": "brisk", "bag": "shoulder_bag",
                                                    "coat": "no coat", "asset": "adult", "top": "plain"}
    coated = dataclasses.replace(ahead, params={**params, "coat": 0.8})
    assert hog_recall.pose_of(coated, camera)["coat"] == "coat"
    assert hog_recall.pose_of(person(1.0, 4.0, 0.0), camera)["view"] == "side"
    assert hog_recall.pose_of(person(1.0, 4.0, 50.0), camera)["view"] == "front/back"  # 40 deg off the ray
    assert hog_recall.pose_of(person(1.0, 4.0, 40.0), camera)["view"] == "side"
    off_axis = person(7.0, 4.0, 45.0)  # heading exactly along the ray from the camera at 45 deg
    assert hog_recall.pose_of(off_axis, camera)["view"] == "front/back"
    slow = dataclasses.replace(ahead, params={**params, "speed_m_s": 1.2, "bag": 0.6})
    assert hog_recall.pose_of(slow, camera)["gait"] == "slow" and hog_recall.pose_of(slow, camera)["bag"] == "backpack"
    from simgen.sampling.materials import sample_materials

    tops = {}
    for seed in range(300):
        materials = sample_materials(("skin", "clothing_top"), np.random.default_rng(seed))
        top = materials["clothing_top"]
        pattern = hog_recall.pose_of(dataclasses.replace(ahead, materials=materials), camera)["top"]
        tops[pattern] = tops.get(pattern, 0) + 1
        assert pattern == ("striped" if top.texture_param("stripes") else
                           "checked" if top.texture_param("checks") else "plain")
    assert set(tops) == {"plain", "striped", "checked"}


def test_hog_recall_crops_are_the_headline_labels_named_by_entry_and_pose(tmp_path):
    import cv2

    from simgen.fidelity.probe import ProbeLabel

    hog_recall = _bench("hog_recall")
    rgb = np.zeros((300, 200, 3), np.uint8)
    rgb[50:250, 60:120] = (200, 10, 10)  # the labeled person, red
    labels = [ProbeLabel("pedestrian", (60.0, 50.0, 60.0, 200.0), 1.0, 0.0),  # headline: >= 96 px, unoccluded
              ProbeLabel("pedestrian", (10.0, 10.0, 20.0, 40.0), 1.0, 0.0)]  # too small for the headline
    poses = [{"asset": "child", "view": "front/back", "gait": "slow", "bag": "none", "coat": "no coat"},
             {"asset": "adult", "view": "side", "gait": "brisk", "bag": "backpack", "coat": "coat"}]
    hog_recall.save_crops(tmp_path, 7, rgb, labels, [False, True], poses)
    hog_recall.save_crops(tmp_path, 8, rgb, labels[:1], [True], poses[1:])
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.png"))
    assert written == ["found/adult_side_brisk_backpack_coat_f008_0.png",
                       "missed/child_front-back_slow_none_f007_0.png"]
    crop = cv2.imread(str(tmp_path / written[0]))
    assert crop.shape[:2] == (300, 161)  # the box plus a quarter of its height around it, clipped to the image
    assert crop[150, 80].tolist() == [10, 10, 200]  # BGR on disk
