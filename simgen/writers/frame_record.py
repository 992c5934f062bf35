"""The frame record: a rendered frame's passes -> weather and sensor model -> labels -> record.

The post-render stage of the pipeline. Pure (numpy and the spec, nothing written): the pipeline
runs it on its post thread and hands the `LabeledFrame` to the writers
(`simgen.writers.frame_files`).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from simgen import contract
from simgen.annotations.instances import Instance
from simgen.annotations.labels import label_frame
from simgen.annotations.motion_blur import motion_blur_px
from simgen.annotations.obstacles import obstacle_report
from simgen.config.schema import SimgenConfig
from simgen.geometry.camera import extrinsics_cam_world, intrinsics_matrix
from simgen.imaging.atmosphere import apply_weather, mean_per_instance
from simgen.imaging.sensor import apply_sensor, render_spec
from simgen.render.passes import RenderPasses
from simgen.specs import FrameSpec, PropSpec, spec_dict
from simgen.writers.coco import annotation_entry, image_entry, video_fields
from simgen.writers.frame_files import LabeledFrame


def post_process(cfg: SimgenConfig, spec: FrameSpec, passes: RenderPasses, timing: dict[str, float],
                 provenance: dict[str, Any] | None = None) -> LabeledFrame:
    """Apply weather and the sensor model and extract the labels; nothing is written.
    `passes` is the render of `simgen.imaging.sensor.render_spec(spec)`.

    Order: fog acts on the rendered (pinhole) image with its depth, then the sensor model warps
    and degrades the image and warps the label passes with it, then labels are read from them.
    """
    rgb, transmittance = apply_weather(passes.rgb, passes.depth_planar_m, intrinsics_matrix(render_spec(spec).camera),
                                       spec.weather, spec.lighting)
    fog = mean_per_instance(passes.object_index, transmittance)  # ids survive the lens warp unchanged
    passes, depth = apply_sensor(dataclasses.replace(passes, rgb=rgb), spec, cfg.labels.depth_kind)
    labels = label_frame(spec, passes.object_index, cfg.labels, passes.depth_planar_m, fog)
    index = spec.frame_index
    image = image_entry(index, spec.camera.width_px, spec.camera.height_px, intrinsics_matrix(spec.camera),
                        extrinsics_cam_world(spec.camera), spec.run_seed,
                        {"dist_coeffs": list(spec.sensor.dist_coeffs), "shutter_s": spec.sensor.shutter_s,
                         "ego_velocity_m_s": list(spec.motion.ego_velocity_m_s),
                         "depth_file": contract.depth_png_path(index), "depth_kind": cfg.labels.depth_kind,
                         "scenario": spec.scenario}
                        | video_fields(index, cfg.sequence.frames))
    props = {prop.instance_index: prop for prop in spec.labeled_objects}
    record = {"frame_index": index, "image": image,
              "annotations": [_annotation(spec, inst, props[inst.instance_index], fog) for inst in labels.instances],
              "label_counts": labels.counts, "spec": spec_dict(spec),
              "obstacles": obstacle_report(spec, labels.instances, cfg.obstacles.quota_min_visible_fraction),
              "provenance": provenance or {}}
    return LabeledFrame(spec, passes.rgb, depth, passes, tuple(labels.instances), record, timing)


def _annotation(spec: FrameSpec, instance: Instance, prop: PropSpec, fog: dict[int, float]) -> dict:
    """The COCO annotation of `instance` with the keys that need the whole frame: the mean fog
    transmittance over its mask and its motion-blur length."""
    blur = motion_blur_px(prop, spec)
    return annotation_entry(spec.frame_index, instance) | {
        "fog_transmittance": fog[instance.instance_index],
        "motion_blur_px": None if blur is None else round(blur, 3)}
