"""The label stage is one function and the COCO writer only serialises what it returns: fog,
motion blur, ids and obstacle visibility all come out of `label_frame`, as typed records."""

from __future__ import annotations

import dataclasses

import numpy as np

from simgen.annotations.identity import instance_ids
from simgen.annotations.labels import label_frame
from simgen.annotations.lens_coverage import object_coverage
from simgen.annotations.motion_blur import motion_blur_px
from simgen.specs import MotionSpec, ObstacleSpec, SensorSpec
from simgen.writers.coco import annotation_entry
from tests.blender.scenes import box, camera, frame


def _spec():
    cam = camera(64, 48)
    car = box("car_000", (2.0, 1.0, 1.0), (-1.0, 12.0, 4.5), category="car", instance_index=1)
    deer = box("obstacle_00", (1.0, 0.6, 0.8), (1.5, 9.0, 4.6), category="deer", instance_index=2)
    spec = frame(cam, objects=[car, deer])
    return dataclasses.replace(spec, sensor=SensorSpec(shutter_s=0.02),
                               motion=MotionSpec(ego_velocity_m_s=(0.0, 10.0, 0.0),
                                                 object_velocities_m_s={"car_000": (4.0, 0.0, 0.0)}),
                               obstacles=(ObstacleSpec("obstacle_00", "deer", 9.0, True, 0.9),))


def test_label_frame_returns_fog_motion_blur_ids_and_obstacles(make_config):
    cfg = make_config()
    spec = _spec()
    index = np.zeros((48, 64), np.int32)
    index[10:30, 5:25] = 1
    index[20:26, 40:48] = 2
    fog = {0: 0.5, 1: 0.8123, 2: 0.25}
    labels = label_frame(spec, index, cfg.labels, fog_transmittance=fog, quota_min_visible_fraction=0.0)
    props = {p.instance_index: p for p in spec.objects}
    ids = instance_ids(spec.objects)
    assert [i.instance_index for i in labels.instances] == [1, 2]
    for instance in labels.instances:
        prop = props[instance.instance_index]
        assert instance.fog_transmittance == fog[instance.instance_index]
        assert instance.motion_blur_px == motion_blur_px(prop, spec) > 0.0  # ego and car move
        assert instance.instance_id == ids[instance.instance_index] != 0
    (obstacle,) = labels.obstacles
    amodal = round(object_coverage(props[2], spec).projected_px)
    assert (obstacle.name, obstacle.category, obstacle.quota, obstacle.amodal_area_px) == (
        "obstacle_00", "deer", True, amodal)
    assert obstacle.measured_visible_fraction == min(1.0, 48 / amodal)
    assert labels.counts["car"] == {"kept": 1, "ignored": 0} and labels.counts["deer"] == {"kept": 1, "ignored": 0}


def test_the_coco_entry_is_the_record_serialised(make_config):
    cfg = make_config()
    index = np.zeros((48, 64), np.int32)
    index[10:30, 5:25] = 1
    (instance,) = label_frame(_spec(), index, cfg.labels, fog_transmittance={1: 0.75}).instances
    entry = annotation_entry(3, instance)
    assert entry["image_id"] == 3 and entry["instance_id"] == instance.instance_id
    assert entry["fog_transmittance"] == 0.75 and entry["motion_blur_px"] == round(instance.motion_blur_px, 3)
    assert entry["area"] == instance.area_px == 400 and entry["bbox"] == [5, 10, 20, 20]
    # No fog measured: transmittance 1; a centre passing behind the camera: motion_blur_px None.
    assert annotation_entry(3, dataclasses.replace(instance, motion_blur_px=None))["motion_blur_px"] is None
    plain = label_frame(_spec(), index, cfg.labels).instances[0]
    assert plain.fog_transmittance == 1.0
    assert list(entry)[-2:] == ["fog_transmittance", "motion_blur_px"]  # the key order of every dataset
