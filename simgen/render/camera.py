"""The render camera: the pinhole camera a renderer renders for a frame, derived here once.

Cycles renders an ideal pinhole image. Without lens distortion that is the frame's own camera.
With distortion, the pinhole render is larger than the output image: the same focal length in
pixels and optical axis, grown by an overscan border on each side
(`simgen.geometry.lens.overscan_px`) so that barrel distortion's corners have something to
show. The sensor model (`simgen.imaging.sensor`) then warps that render down to the output.

A renderer (`simgen.render.protocol.Renderer`) takes the frame spec and renders
`render_camera(spec)` itself; the passes it returns carry that camera
(`simgen.render.passes.RenderPasses.camera`), so nothing after the render derives it again.
"""

from __future__ import annotations

import dataclasses

from simgen.geometry.camera import intrinsics_matrix
from simgen.geometry.lens import overscan_px
from simgen.specs import CameraSpec, FrameSpec


def render_camera(spec: FrameSpec) -> CameraSpec:
    """The pinhole camera to render for `spec`: `spec.camera` itself unless the sensor distorts;
    then the output camera grown by (pad_x, pad_y) pixels on each side, same focal length in
    pixels (the sensor width grows with the width), same optical axis."""
    camera = spec.camera
    if not spec.sensor.distorts:
        return camera
    pad_x, pad_y = overscan_px(camera.width_px, camera.height_px, intrinsics_matrix(camera), spec.sensor.dist_coeffs)
    if not pad_x and not pad_y:
        return camera
    width = camera.width_px + 2 * pad_x
    return dataclasses.replace(camera, width_px=width, height_px=camera.height_px + 2 * pad_y,
                               sensor_width_mm=camera.sensor_width_mm * width / camera.width_px)


def overscan_of(render: CameraSpec, output: CameraSpec) -> tuple[int, int]:
    """(pad_x, pad_y) pixels a render of camera `render` extends beyond the `output` image on
    each side (0, 0 for the same size)."""
    return (render.width_px - output.width_px) // 2, (render.height_px - output.height_px) // 2
