"""The sensor model between the render and the labels: one warp for the image and every label.

Cycles renders an ideal pinhole image. With lens distortion, the pinhole render is larger
than the output (the render camera, `simgen.render.camera.render_camera`: the same focal length
in pixels, an overscan border on each side, so barrel distortion's corners have something to
show); the passes carry that camera. `apply_sensor` then maps every output pixel to the pinhole
pixel it sees (`simgen.geometry.lens.source_map`) and

* resamples the RGB bilinearly through that map (per channel, with chromatic aberration);
* resamples the object-index pass and depth **nearest-neighbour** through the same map, so ids
  stay exact integers and depth is never blended across an edge; masks and tight boxes are
  then read from the warped index map as usual;
* converts depth to ray distance (if asked) **before** the warp, with the pinhole K, so each
  value stays the distance of the surface point the pixel shows.

Amodal boxes, visibility and truncation follow the same map (`simgen.annotations.lens_coverage`).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from simgen.contract import BACKGROUND_INSTANCE
from simgen.errors import RenderError
from simgen.geometry.camera import intrinsics_matrix, ray_depth_from_planar
from simgen.geometry.lens import source_map
from simgen.imaging.sensor_effects import (
    apply_photometric,
    jpeg_round_trip,
    nearest_remap,
    remap_channels,
)
from simgen.imaging.srgb import decode_srgb_u8, encode_srgb_u8
from simgen.render.camera import overscan_of
from simgen.render.passes import RenderPasses
from simgen.specs import CameraSpec, FrameSpec, SensorSpec


def apply_sensor(passes: RenderPasses, spec: FrameSpec, depth_kind: str) -> tuple[RenderPasses, np.ndarray]:
    """The frame as the modelled camera sees it, with labels that follow the image.

    Args:
        passes: the render of `spec` (pinhole, on the grid of `passes.camera`, the render
            camera: overscan included when the sensor distorts).
        spec: the frame spec (output camera and sensor).
        depth_kind: 'planar' or 'ray' (see `simgen.contract`).

    Returns:
        the passes at the output size (rgb uint8, depth_planar_m float32, object_index and
        material_index int32; `camera` = `spec.camera`), and the depth to write, (H, W) float32
        metres of `depth_kind`, +inf = no surface.

    Raises:
        RenderError: the arrays are not on the grid of `passes.camera`, or that grid does not
            cover the output image.
    """
    render_cam, camera = passes.camera, spec.camera
    expected = (render_cam.height_px, render_cam.width_px)
    offset = overscan_of(render_cam, camera)
    if passes.object_index.shape != expected or min(offset) < 0:
        raise RenderError(f"frame {spec.frame_index}: the render is {passes.object_index.shape[::-1]} px, its "
                          f"camera {expected[::-1]} and the output {(camera.width_px, camera.height_px)} (a renderer "
                          "renders the frame's simgen.render.camera.render_camera)")
    depth = passes.depth_planar_m
    if depth_kind == "ray":
        depth = ray_depth_from_planar(depth, intrinsics_matrix(render_cam))
    sensor = spec.sensor
    if sensor.is_identity:
        return passes, depth
    intrinsics = intrinsics_matrix(camera)
    if sensor.distorts:
        sources = source_map(camera.width_px, camera.height_px, intrinsics, sensor.dist_coeffs)
        index = nearest_remap(passes.object_index, sources, offset, BACKGROUND_INSTANCE)
        planar = nearest_remap(passes.depth_planar_m, sources, offset, np.inf)
        depth = nearest_remap(depth, sources, offset, np.inf) if depth_kind == "ray" else planar
        material = (None if passes.material_index is None
                    else nearest_remap(passes.material_index, sources, offset, BACKGROUND_INSTANCE))
        passes = dataclasses.replace(passes, depth_planar_m=planar, object_index=index, material_index=material)
    rgb = render_rgb(passes.rgb, camera, sensor, offset)
    return dataclasses.replace(passes, rgb=rgb, camera=camera), depth


def channel_maps(camera: CameraSpec, sensor: SensorSpec, offset: tuple[int, int]) -> list[np.ndarray] | None:
    """Three (H, W, 2) source maps (R, G, B) into the pinhole render, or None if the RGB needs
    no resampling. Chromatic aberration scales R outwards and B inwards by
    `chromatic_aberration_px` at the farthest corner (lateral colour)."""
    if not sensor.distorts and not sensor.chromatic_aberration_px:
        return None
    intrinsics = intrinsics_matrix(camera)
    corner = float(np.hypot(camera.width_px / 2.0, camera.height_px / 2.0))
    # Content moves outwards by shift at the corner: read from closer to the centre.
    return [source_map(camera.width_px, camera.height_px, intrinsics, sensor.dist_coeffs, 1.0 - shift_px / corner)
            + np.asarray(offset, dtype=np.float64)
            for shift_px in (sensor.chromatic_aberration_px, 0.0, -sensor.chromatic_aberration_px)]


def render_rgb(rgb_u8: np.ndarray, camera: CameraSpec, sensor: SensorSpec, offset: tuple[int, int]) -> np.ndarray:
    """(H, W, 3) uint8: lens warp and chromatic aberration, photometric effects, then JPEG."""
    maps = channel_maps(camera, sensor, offset)
    photometric = (sensor.exposure_ev or sensor.white_balance_rgb != (1.0, 1.0, 1.0) or sensor.vignetting
                   or sensor.shot_noise or sensor.read_noise)
    if maps is not None or photometric:
        linear = decode_srgb_u8(rgb_u8)
        if maps is not None:
            linear = remap_channels(linear, maps)
        intrinsics = intrinsics_matrix(camera)
        linear = apply_photometric(linear, sensor, (intrinsics[0, 2], intrinsics[1, 2]))
        rgb_u8 = encode_srgb_u8(linear)
    if sensor.jpeg_quality:
        rgb_u8 = jpeg_round_trip(rgb_u8, sensor.jpeg_quality)
    return rgb_u8
