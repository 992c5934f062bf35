"""The frame record (frames/NNNNNN.json): a labeled frame serialised, written last as its commit.

`frame_record` only serialises what the stages produced: the COCO image entry of the output
camera, one COCO annotation per annotation record (`simgen.writers.coco.annotation_entry`), the
label counts, the resolved spec, the files the other writers wrote, the obstacle visibility, the
timing and the provenance (key order fixed, so the same frame gives the same bytes).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from simgen import contract
from simgen.annotations.obstacles import ObstacleVisibility
from simgen.geometry.camera import extrinsics_cam_world, intrinsics_matrix
from simgen.specs import spec_dict
from simgen.writers.atomic import write_json_atomic
from simgen.writers.coco import annotation_entry, image_entry, video_fields
from simgen.writers.frame_files import LabeledFrame


def frame_record(frame: LabeledFrame, frames_per_sequence: int) -> dict[str, Any]:
    """The JSON-ready record of a labeled frame whose other files are written (`frame.files`).

    A sequence's forward flow is written with the next frame, so it has a path in `files` but
    no entry in `files_sha256` (`contract.FILES_WRITTEN_BY_THE_NEXT_FRAME`).
    """
    spec, index = frame.spec, frame.spec.frame_index
    camera = spec.camera
    image = image_entry(index, camera.width_px, camera.height_px, intrinsics_matrix(camera),
                        extrinsics_cam_world(camera), spec.run_seed,
                        {"dist_coeffs": list(spec.sensor.dist_coeffs), "shutter_s": spec.sensor.shutter_s,
                         "ego_velocity_m_s": list(spec.motion.ego_velocity_m_s),
                         "depth_file": contract.depth_png_path(index), "depth_kind": frame.image.depth_kind,
                         "scenario": spec.scenario}
                        | video_fields(index, frames_per_sequence))
    # Content identity, checked by `simgen validate`: the sha256 of every file the frame's
    # writers wrote, taken from the bytes as they were written (nothing is read back).
    hashes = {key: frame.files_sha256[key] for key in frame.files
              if key not in contract.FILES_WRITTEN_BY_THE_NEXT_FRAME}
    record = {"frame_index": index, "image": image,
              "annotations": [annotation_entry(index, instance) for instance in frame.labels.instances],
              "label_counts": frame.labels.counts, "spec": spec_dict(spec), "files": frame.files,
              "files_sha256": hashes, "obstacles": [obstacle_entry(o) for o in frame.labels.obstacles],
              "timing": {k: round(v, 6) for k, v in frame.timing.items()}, "provenance": frame.provenance or {}}
    exposure = frame.image.passes.exposure
    record |= {"exposure": exposure.record()} if exposure is not None else {}
    return record | ({"panoptic": frame.panoptic} if frame.panoptic is not None else {})


def obstacle_entry(obstacle: ObstacleVisibility) -> dict[str, Any]:
    """One `obstacles` entry of the frame record (distance to 1 mm, measured fraction to 1e-4)."""
    return {"name": obstacle.name, "category": obstacle.category, "distance_m": round(obstacle.distance_m, 3),
            "quota": obstacle.quota, "planned_visible_fraction": obstacle.planned_visible_fraction,
            "measured_visible_fraction": round(obstacle.measured_visible_fraction, 4),
            "amodal_area_px": obstacle.amodal_area_px}


class RecordWriter:
    """The frame record, durable: the frame's commit. The last writer of every frame."""

    def __init__(self, record_path: Callable[[int], Path], frames_per_sequence: int) -> None:
        self.record_path, self.frames_per_sequence = record_path, frames_per_sequence

    def write(self, frame: LabeledFrame) -> None:
        frame.record = frame_record(frame, self.frames_per_sequence)
        write_json_atomic(self.record_path(frame.spec.frame_index), frame.record, durable=True)

    def close(self) -> None:
        pass
