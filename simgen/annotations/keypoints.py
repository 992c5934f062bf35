"""COCO person keypoints from the posed skeleton, with visibility read from the label passes.

A person recipe (`pedestrian`, `cyclist`) poses its mesh and its skeleton from the same joint
angles (`Recipe.build_skeleton`), so the 17 COCO keypoints are the skeleton's joints (shoulders,
elbows, wrists, hips, knees, ankles) and face points on the head ellipsoid (nose, eyes, ears),
moved to the prop's pose (the mid-exposure pose under motion blur: limbs are not animated
during the shutter) and projected like every label: pinhole K, then the lens distortion.

Visibility (COCO v) is exact against the first-sample passes of the output image: at the
keypoint's pixel the depth pass holds the planar depth of the first surface hit. The keypoint
is visible (2) unless that surface is nearer than the front of the keypoint's own body part,
i.e. than the point `radius` in front of the joint along its camera ray (`part_radii_m`: the
limb radius at a joint, a tolerance for the low-poly head at a face point). Then it is occluded
(1), by another object or, when the object-index pass shows the person there, by its own body.
Outside the image, behind the camera or beyond the lens model's fold radius: (0, 0, 0).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from simgen.catalog.prop_mesh import has_recipe, prop_skeleton
from simgen.catalog.recipes.people import Skeleton
from simgen.contract import KEYPOINT_CATEGORIES, KEYPOINT_NAMES
from simgen.geometry.camera import extrinsics_cam_world, intrinsics_matrix
from simgen.geometry.lens import distort_pixels, fold_radius
from simgen.specs import CameraSpec, FrameSpec, PropSpec, SensorSpec

DEPTH_TOLERANCE_M = 1e-3
"""Added to a part's radius: float32 depth and the inscribed low-poly surfaces stay within it."""
DEPTH_TOLERANCE_PER_M = 1e-4
"""... plus this much per metre of depth (float32 depth of far surfaces)."""


@dataclass(frozen=True)
class Keypoints:
    """The keypoints of one person in one frame.

    Attributes:
        xyv: (17, 3) float64, KEYPOINT_NAMES order: x, y in pixel-edge coordinates (COCO), v in
            {0, 1, 2}; rows with v = 0 are all zero.
        occluded_by_self: (17,) bool, v = 1 because the person's own body is in front.
        coco: `to_coco`'s list when it was computed with the frame's others (`coco_lists`), or
            () (then `to_coco` computes it).
    """

    xyv: np.ndarray
    occluded_by_self: np.ndarray
    coco: tuple = ()

    @property
    def num_keypoints(self) -> int:
        return int(np.count_nonzero(self.xyv[:, 2] > 0))

    def to_coco(self) -> list[float]:
        """The COCO `keypoints` list [x1, y1, v1, ...]; coordinates rounded to 1/1000 px (Python's
        `round(x, 3)`), visibilities int."""
        return list(self.coco) if self.coco else coco_lists(self.xyv)


_ROUND_SAFE_ABS = 1e4
"""Below it, x * 1000 in float64 is within 2^-29 of the exact product (`coco_lists`)."""
_TIE_MARGIN = 1e-6
"""A product this far from a half-integer rounds like the exact one (`coco_lists`)."""


def coco_lists(xyv: np.ndarray) -> list[float]:
    """[x1, y1, v1, x2, ...] of (N, 3) keypoint rows, the same list (bit for bit) as `to_coco`
    gives row by row, for every row at once.

    Python's `round(x, 3)` is the double nearest to round-half-even(x * 1000 exactly) / 1000; away
    from a tie, `np.rint` of the float64 product gives the same integer and the IEEE division the
    same nearest double. Values near a tie (within _TIE_MARGIN) or large take `round` itself.
    """
    xy = xyv[:, :2]
    scaled = xy * 1000.0
    tie_distance = np.abs(scaled - np.floor(scaled) - 0.5)
    unsafe = ~((tie_distance > _TIE_MARGIN) & (np.abs(xy) < _ROUND_SAFE_ABS))  # NaN -> unsafe
    rows = np.empty((len(xyv), 3))
    rows[:, :2] = np.rint(scaled) / 1000.0
    rows[:, 2] = 0.0
    flat = rows.ravel().tolist()
    flat[2::3] = xyv[:, 2].astype(np.int64).tolist()
    for row, col in zip(*np.nonzero(unsafe), strict=True):
        flat[3 * int(row) + int(col)] = round(float(xy[row, col]), 3)
    return flat


_PARTS = tuple(name.split("_")[-1] for name in KEYPOINT_NAMES)
"""The body part of each keypoint (KEYPOINT_NAMES order): nose, eye, ear, shoulder, ..."""


def part_radii_m(body) -> dict[str, float]:
    """Radius of the body part around each keypoint (KEYPOINT_NAMES keys), metres.

    `body` is the `Body` of the skeleton. Hips sit inside the pelvis (the torso's depth), ankles
    above the shoe's toe box; a face point lies on the head surface, within a fifth of the head
    radius of the hair cap and the low-poly head mesh.
    """
    face = 0.2 * body.head_radius_m
    parts = {"nose": face, "eye": face, "ear": face, "shoulder": body.arm_radius_m, "elbow": body.arm_radius_m,
             "wrist": 2.0 * body.hand_radius_m, "hip": 0.6 * body.torso_depth_m, "knee": 1.2 * body.knee_radius_m,
             "ankle": 0.5 * body.shoe_length_m}
    return {name: parts[part] for name, part in zip(KEYPOINT_NAMES, _PARTS, strict=True)}


_SKELETON_ARRAYS: dict[int, tuple[Skeleton, np.ndarray, np.ndarray]] = {}
"""id(skeleton) -> (the skeleton, its keypoints, its part radii): the arrays of each posed
skeleton, built once (the skeleton is cached with its mesh, `prop_skeleton`); the entry holds
the skeleton, so its id is never reused while the entry lives."""
_SKELETON_ARRAYS_SIZE = 4096


def _skeleton_object(skeleton: Skeleton) -> tuple[np.ndarray, np.ndarray]:
    """(17, 3) object-frame keypoints and (17,) part radii of a skeleton, metres (read-only,
    built once per skeleton)."""
    entry = _SKELETON_ARRAYS.get(id(skeleton))
    if entry is not None and entry[0] is skeleton:
        return entry[1], entry[2]
    points = np.array([skeleton.joints_m[name] for name in KEYPOINT_NAMES], dtype=np.float64)
    radii_array = np.array(list(part_radii_m(skeleton.body).values()))  # KEYPOINT_NAMES order
    points.setflags(write=False)
    radii_array.setflags(write=False)
    if len(_SKELETON_ARRAYS) >= _SKELETON_ARRAYS_SIZE:
        _SKELETON_ARRAYS.clear()
    _SKELETON_ARRAYS[id(skeleton)] = (skeleton, points, radii_array)
    return points, radii_array


def skeleton_world(prop: PropSpec) -> tuple[np.ndarray, np.ndarray] | None:
    """(17, 3) float64 world keypoints (metres) and (17,) part radii (metres) of a person prop,
    or None if its recipe builds no skeleton. The skeleton is posed with the prop's mesh, once
    (`simgen.catalog.prop_mesh.prop_skeleton`)."""
    found = _skeletons_world([prop])
    return None if found is None else (found[1][0], found[2][0])


def _skeletons_world(props: list[PropSpec]) -> tuple[list[PropSpec], np.ndarray, np.ndarray] | None:
    """The props that have a skeleton (in order), their (P, 17, 3) world keypoints and (P, 17)
    part radii, metres; None if no prop has one.

    All people at once: one cos and one sin call for every yaw and one stacked product, each
    slice the same (17, 3) @ (3, 3) product as a single person's (so bit for bit the same).
    The rotation about z is `rotation_matrix_xyz(0, 0, yaw)`, whose roll and pitch factors are
    the identity, so its products are exact and the matrix is [[c, -s, 0], [s, c, 0], [0, 0, 1]].
    """
    posed = [(prop, skeleton) for prop in props if has_recipe(prop.recipe)
             and (skeleton := prop_skeleton(prop)) is not None]
    if not posed:
        return None
    arrays = [_skeleton_object(skeleton) for _, skeleton in posed]
    yaws = np.deg2rad([prop.yaw_deg for prop, _ in posed])
    cosines, sines = np.cos(yaws), np.sin(yaws)
    rotations = np.zeros((len(posed), 3, 3))
    rotations[:, 0, 0], rotations[:, 0, 1], rotations[:, 2, 2] = cosines, -sines, 1.0
    rotations[:, 1, 0], rotations[:, 1, 1] = sines, cosines
    locations = np.array([prop.location_m for prop, _ in posed], dtype=np.float64)
    world = np.array([points for points, _ in arrays]) @ rotations.transpose(0, 2, 1) + locations[:, None, :]
    return [prop for prop, _ in posed], world, np.array([radii for _, radii in arrays])


def project_keypoints(points_world_m: np.ndarray, camera: CameraSpec,
                      sensor: SensorSpec) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Project world points into the output image (pinhole K, then the lens distortion).

    Returns:
        xy: (N, 2) float64 pixel-edge coordinates (K projection + 0.5), distorted.
        cam: (N, 3) float64 OpenCV camera coordinates, metres.
        valid: (N,) bool, in front of the near plane and inside the lens model's fold radius.
    """
    extrinsics = extrinsics_cam_world(camera)
    cam = points_world_m @ extrinsics[:3, :3].T + extrinsics[:3, 3]
    valid = cam[:, 2] > camera.clip_start_m
    z = np.where(valid, cam[:, 2], 1.0)
    normalized = cam[:, :2] / z[:, None]
    intrinsics = intrinsics_matrix(camera)
    pixels = normalized * [intrinsics[0, 0], intrinsics[1, 1]] + [intrinsics[0, 2], intrinsics[1, 2]]
    if sensor.distorts:
        valid &= np.hypot(normalized[:, 0], normalized[:, 1]) < fold_radius(sensor.dist_coeffs)
        pixels = distort_pixels(pixels, intrinsics, sensor.dist_coeffs)
    return pixels + 0.5, cam, valid


def person_keypoints(prop: PropSpec, camera: CameraSpec, sensor: SensorSpec, depth_planar_m: np.ndarray,
                     object_index: np.ndarray) -> Keypoints | None:
    """The COCO keypoints of one person prop, or None if its recipe builds no skeleton.

    Args:
        depth_planar_m: (H, W) float32 planar depth of the output image, metres, +inf = sky.
        object_index: (H, W) int32 object-index pass of the output image.
    """
    return _people_keypoints([prop], camera, sensor, depth_planar_m, object_index).get(prop.instance_index)


def _people_keypoints(props: list[PropSpec], camera: CameraSpec, sensor: SensorSpec, depth_planar_m: np.ndarray,
                      object_index: np.ndarray) -> dict[int, Keypoints]:
    """`person_keypoints` of several props at once (one projection for all); props without a
    skeleton are left out."""
    found = _skeletons_world(props)
    if found is None:
        return {}
    people, world, part_radii = found
    points, radii = world.reshape(-1, 3), part_radii.ravel()
    xy, cam, valid = project_keypoints(points, camera, sensor)
    height, width = depth_planar_m.shape
    pixel = np.floor(np.where(valid[:, None], xy, -1.0)).astype(np.int64)  # (N, 2) column, row
    size = np.array([width, height], dtype=np.uint64)
    inside = valid & (pixel.view(np.uint64) < size).all(axis=1)  # a negative pixel -> huge: outside
    cols, rows = np.where(inside[:, None], pixel, 0).T
    distance = np.linalg.norm(cam, axis=1)
    # Planar depth of the point `radius` in front of the joint along its ray: the part's front.
    front_z = cam[:, 2] * (distance - radii) / np.maximum(distance, 1e-12)
    tolerance = DEPTH_TOLERANCE_M + DEPTH_TOLERANCE_PER_M * cam[:, 2]
    occluded = inside & (depth_planar_m[rows, cols] < front_z - tolerance)
    xyv = np.zeros((len(points), 3))
    xyv[inside, :2] = xy[inside]
    xyv[:, 2] = np.where(inside, np.where(occluded, 1, 2), 0)
    count = len(KEYPOINT_NAMES)
    owners = np.repeat([prop.instance_index for prop in people], count)
    by_self = occluded & (object_index[rows, cols] == owners)
    coco, width = coco_lists(xyv), 3 * count
    return {prop.instance_index: Keypoints(xyv=xyv[k * count:(k + 1) * count],
                                           occluded_by_self=by_self[k * count:(k + 1) * count],
                                           coco=tuple(coco[k * width:(k + 1) * width]))
            for k, prop in enumerate(people)}


def frame_keypoints(spec: FrameSpec, depth_planar_m: np.ndarray, object_index: np.ndarray,
                    instance_indices: Collection[int] | None = None) -> dict[int, Keypoints]:
    """instance index -> `Keypoints` of every labeled object of a keypoint category.

    Objects of KEYPOINT_CATEGORIES whose asset has no skeleton get all-zero keypoints, so every
    annotation of those categories carries `keypoints` (COCO's person_keypoints files do).
    `instance_indices` restricts the result to those instances (the visible ones).
    """
    people = [prop for prop in spec.labeled_objects if prop.category in KEYPOINT_CATEGORIES
              and (instance_indices is None or prop.instance_index in instance_indices)]
    found = _people_keypoints(people, spec.camera, spec.sensor, depth_planar_m, object_index)
    empty = Keypoints(np.zeros((len(KEYPOINT_NAMES), 3)), np.zeros(len(KEYPOINT_NAMES), dtype=bool))
    return {prop.instance_index: found.get(prop.instance_index, empty) for prop in people}
