"""Silhouettes: where a prop's mesh lands in the image, without rendering (pure numpy).

The one path from a mesh to its image: `camera_triangles_px` moves a world-frame mesh into the
camera, clips it at a near plane and projects it; `simgen.geometry.raster.rasterize` (the one
rasterizer) counts the pixel centres it covers. The labels' amodal boxes, visibility and
truncation (`simgen.annotations.amodal`, through the lens too) and visibility planning here
(is a rare obstacle hidden by traffic?, `visible_fraction`) both use them.

Frames: props are posed in the world frame (metres, z up) by `location_m` and `yaw_deg`;
pixels follow `simgen.contract` (integer values at pixel centres).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simgen.geometry.camera import extrinsics_cam_world, intrinsics_matrix, project_points
from simgen.geometry.mesh import MeshData, rotation_matrix_xyz, triangle_indices
from simgen.geometry.raster import clip_near, project_triangles, rasterize
from simgen.specs import CameraSpec, Footprint, PropSpec

_NEAR_M = 0.05


@dataclass(frozen=True)
class PosedMesh:
    """A prop's mesh in the world frame: (V, 3) float64 vertices (metres), the (T, 3) int64 vertex
    indices of its triangles (`simgen.geometry.mesh.triangle_indices`) and its footprint."""

    vertices_world_m: np.ndarray
    triangles: np.ndarray
    footprint: Footprint


def pose_mesh(mesh: MeshData, location_m: tuple[float, float, float], yaw_deg: float,
              triangles: np.ndarray | None = None) -> PosedMesh:
    """Move an object-frame mesh to its world pose; the footprint is its rotated xy bounds.
    `triangles` are the mesh's (T, 3) triangle fans when already at hand (computed otherwise)."""
    vertices = mesh.vertices_m @ rotation_matrix_xyz(0.0, 0.0, yaw_deg).T + np.asarray(location_m, dtype=np.float64)
    low, high = mesh.bounds_m
    c, s = np.cos(np.deg2rad(yaw_deg)), np.sin(np.deg2rad(yaw_deg))
    center = (low[:2] + high[:2]) / 2
    footprint = Footprint(location_m[0] + c * center[0] - s * center[1], location_m[1] + s * center[0] + c * center[1],
                          float(high[0] - low[0]), float(high[1] - low[1]), yaw_deg)
    return PosedMesh(vertices, triangle_indices(mesh) if triangles is None else triangles, footprint)


def pose_prop(prop: PropSpec) -> PosedMesh:
    """The world-frame mesh of a prop (`simgen.catalog.prop_mesh`, cached), posed with its footprint."""
    from simgen.catalog.prop_mesh import prop_mesh, prop_triangles

    return pose_mesh(prop_mesh(prop), prop.location_m, prop.yaw_deg, prop_triangles(prop))


def camera_triangles_px(camera: CameraSpec, vertices_world_m: np.ndarray, triangles: np.ndarray,
                        near_m: float) -> np.ndarray:
    """The triangles of a world-frame mesh in the image: moved into the OpenCV camera frame,
    clipped at z = near_m (`simgen.geometry.raster.clip_near`) and projected with K.

    Args:
        vertices_world_m: (V, 3) float64 world-frame vertices, metres.
        triangles: (T, 3) int vertex indices (`simgen.geometry.mesh.triangle_indices`).
        near_m: near plane, metres (> 0).

    Returns:
        (T', 3, 2) float64 pixel-centre coordinates (u, v); T' = 0 when nothing is in front.
    """
    extrinsics = extrinsics_cam_world(camera)
    vertices_cam = vertices_world_m @ extrinsics[:3, :3].T + extrinsics[:3, 3]
    return project_triangles(clip_near(vertices_cam[triangles], near_m), intrinsics_matrix(camera))


def silhouette_mask(camera: CameraSpec, posed: PosedMesh, scale: float = 1.0,
                    window: tuple[int, int, int, int] | None = None) -> np.ndarray:
    """The silhouette of a posed mesh as a bool mask, sampled at pixel centres like Cycles'
    object-index pass.

    Args:
        camera: the camera.
        posed: the mesh in the world frame.
        scale: pixel scale relative to the camera's resolution (< 1 for fast planning).
        window: (x0, y0, width, height) in scaled pixels; default the whole (scaled) image.
            Windows may reach outside the image, to count silhouette pixels beyond it.

    Returns:
        (height, width) bool mask of the window.

    Triangles are clipped at 5 cm in front of the camera (obstacles and traffic are always
    metres ahead).
    """
    if window is None:
        window = (0, 0, int(round(camera.width_px * scale)), int(round(camera.height_px * scale)))
    x0, y0, width, height = window
    triangles_px = camera_triangles_px(camera, posed.vertices_world_m, posed.triangles, _NEAR_M)
    if not len(triangles_px):
        return np.zeros((height, width), dtype=bool)
    # Scaled pixel (x, y) has its centre at full-resolution pixel-centre (x + 0.5) / scale - 0.5.
    origin = ((x0 + 0.5) / scale - 0.5, (y0 + 0.5) / scale - 0.5)
    return rasterize(triangles_px, origin, (height, width), stride=1.0 / scale)


def silhouette_window(camera: CameraSpec, posed: PosedMesh, scale: float = 1.0) -> tuple[int, int, int, int]:
    """(x0, y0, width, height) of scaled pixels holding the projected mesh (at least 1 x 1),
    clipped to the image grown by one image size on every side (bounds the work; a silhouette
    reaching farther than that is counted only up to there)."""
    pixels, z = project_points(camera, posed.vertices_world_m)
    visible = pixels[z > _NEAR_M] if (z > _NEAR_M).any() else np.zeros((1, 2))
    scaled = (visible + 0.5) * scale - 0.5
    low = np.floor(scaled.min(axis=0)).astype(int) - 1
    high = np.ceil(scaled.max(axis=0)).astype(int) + 2
    size = np.array([round(camera.width_px * scale), round(camera.height_px * scale)])
    low = np.clip(low, -size, 2 * size - 1)
    high = np.clip(high, low + 1, 2 * size)
    return int(low[0]), int(low[1]), int(high[0] - low[0]), int(high[1] - low[1])


def mean_depth_m(camera: CameraSpec, posed: PosedMesh) -> float:
    """Mean camera-z of the mesh vertices, metres (for near/far ordering)."""
    return float(project_points(camera, posed.vertices_world_m)[1].mean())


def visible_fraction(camera: CameraSpec, target: PosedMesh, occluders: list[PosedMesh],
                     scale: float = 1.0) -> tuple[float, float]:
    """Planned visibility of `target`: (fraction, visible area in full-resolution pixels).

    The fraction is its silhouette pixels inside the image and not covered by any nearer
    occluder's silhouette, over all its silhouette pixels (image or not).

    Occluders farther than the target (by mean depth) are ignored; self-occlusion does not
    matter for a silhouette.
    """
    window = silhouette_window(camera, target, scale)
    amodal = silhouette_mask(camera, target, scale, window)
    total = int(amodal.sum())
    if total == 0:
        return 0.0, 0.0
    x0, y0, width, height = window
    cols = np.arange(x0, x0 + width)
    rows = np.arange(y0, y0 + height)
    in_image = ((rows >= 0) & (rows < round(camera.height_px * scale)))[:, None] & \
        ((cols >= 0) & (cols < round(camera.width_px * scale)))[None, :]
    visible = amodal & in_image
    target_depth = mean_depth_m(camera, target)
    for occluder in occluders:
        if not visible.any():
            break
        if mean_depth_m(camera, occluder) >= target_depth:
            continue
        pixels, z = project_points(camera, occluder.vertices_world_m)
        if (z <= _NEAR_M).all() or not _boxes_meet((pixels[z > _NEAR_M] + 0.5) * scale - 0.5, window):
            continue
        visible &= ~silhouette_mask(camera, occluder, scale, window)
    return float(visible.sum()) / total, float(visible.sum()) / scale**2


def _boxes_meet(pixels: np.ndarray, window: tuple[int, int, int, int]) -> bool:
    x0, y0, width, height = window
    return bool(pixels[:, 0].max() >= x0 - 1 and pixels[:, 0].min() <= x0 + width
                and pixels[:, 1].max() >= y0 - 1 and pixels[:, 1].min() <= y0 + height)
