"""All labels of one frame: masks from the render, geometry from the spec, then the policy.

`label_frame` is the one entry point of the label stage, and what it returns is every label of
the frame: it reads the visible masks from the object-index pass (`instances`), adds the amodal
boxes, visibility and truncation from a rasterization of each visible object alone (`amodal`,
`lens_coverage`), the 3D box and distance (`box3d`), the stable id (`identity`), the fog
transmittance over the mask (measured by post-processing), the motion-blur length
(`motion_blur`) and COCO keypoints (`keypoints`), applies the label policy (`policy`), and
reports the rare obstacles' visibility (`obstacles`). The writers only serialise the result.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from simgen.annotations.box3d import object_box3d_cam
from simgen.annotations.identity import instance_ids
from simgen.annotations.instances import Instance, extract_instances
from simgen.annotations.keypoints import frame_keypoints
from simgen.annotations.lens_coverage import object_coverages
from simgen.annotations.motion_blur import motion_blur_px
from simgen.annotations.obstacles import ObstacleVisibility, obstacle_report
from simgen.annotations.policy import ignore_reasons, label_counts, policy_for
from simgen.config.schema import LabelsConfig
from simgen.specs import FrameSpec


@dataclass(frozen=True)
class FrameLabels:
    """Labels of one frame.

    Attributes:
        instances: the annotation records (`Instance`, every field filled) of every visible
            labeled object, in instance-index order; ignore regions (failed the policy)
            included, flagged by `Instance.iscrowd`.
        counts: {category: {"kept": n, "ignored": m}} in category-id order.
        obstacles: the visibility of each rare obstacle of the spec, in the spec's order.
    """

    instances: list[Instance]
    counts: dict[str, dict[str, int]]
    obstacles: list[ObstacleVisibility]


def label_frame(spec: FrameSpec, object_index: np.ndarray, labels: LabelsConfig,
                depth_planar_m: np.ndarray | None = None, fog_transmittance: Mapping[int, float] | None = None,
                quota_min_visible_fraction: float = 0.0) -> FrameLabels:
    """Labels of a rendered frame.

    Args:
        spec: the frame spec that was rendered.
        object_index: (H, W) int32 object-index pass, 0 = background/scenery, in the output
            image (after `simgen.imaging.sensor.apply_sensor`, so distorted when the lens distorts).
        labels: categories and label policy.
        depth_planar_m: (H, W) float32 planar depth of the same image, metres (+inf = sky); with
            it, people of the keypoint categories get COCO keypoints (`keypoints`).
        fog_transmittance: instance index -> mean fog transmittance over its mask, in [0, 1]
            (`simgen.imaging.post.ImagedFrame.fog_transmittance`); None or a missing index = 1.0 (no fog).
        quota_min_visible_fraction: a quota obstacle measured below it is logged (`obstacles`).
    """
    fog = fog_transmittance or {}
    props = {o.instance_index: o for o in spec.labeled_objects}
    ids = instance_ids(spec.objects)
    visible = extract_instances(object_index, spec.objects, labels.categories)
    people = ({} if depth_planar_m is None else
              frame_keypoints(spec, depth_planar_m, object_index, {i.instance_index for i in visible}))
    instances = []
    for instance, coverage in zip(visible, object_coverages([props[i.instance_index] for i in visible], spec),
                                  strict=True):
        prop = props[instance.instance_index]
        box = object_box3d_cam(prop, spec.camera)
        unoccluded = max(coverage.unoccluded_px, instance.area_px)
        visible_fraction = instance.area_px / unoccluded
        fog_t = fog.get(instance.instance_index, 1.0)
        reasons = ignore_reasons(policy_for(labels, instance.category), instance.area_px, visible_fraction,
                                 coverage.truncation, instance.bbox_xywh[3], fog_t)
        person = people.get(instance.instance_index)
        keypoints = {} if person is None else _keypoint_fields(person.to_coco())
        instances.append(dataclasses.replace(
            instance, instance_id=ids[instance.instance_index], bbox_amodal=coverage.bbox_amodal,
            bbox_amodal_unclipped=coverage.bbox_amodal_unclipped, visible_fraction=visible_fraction,
            truncation=coverage.truncation, distance_m=box.distance_m, box3d_cam=box.to_json(),
            ignore_reasons=reasons, fog_transmittance=fog_t, motion_blur_px=motion_blur_px(prop, spec), **keypoints))
    counts = label_counts(((i.category, bool(i.iscrowd)) for i in instances), labels.categories)
    return FrameLabels(instances, counts, obstacle_report(spec, instances, quota_min_visible_fraction))


def _keypoint_fields(coco: list[float]) -> dict:
    """The `Instance` keypoint fields of a COCO keypoint list (`Keypoints.to_coco`): the list,
    and how many of its visibilities are > 0 (counted in Python: a numpy call per person costs
    more at 17 values)."""
    return {"keypoints": tuple(coco), "num_keypoints": sum(1 for v in coco[2::3] if v > 0)}
