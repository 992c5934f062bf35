"""The post-process stage of a frame: its render -> weather and the sensor model -> `ImagedFrame`.

Between the render and the labels (`simgen.annotations.labels.label_frame`). Order: fog acts on
the rendered (pinhole) image with its depth, then the sensor model warps and degrades the image
and warps the label passes with it (`simgen.imaging.sensor`), so the labels are read from the
image the dataset contains. Pure numpy; nothing is written.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from simgen.geometry.camera import intrinsics_matrix
from simgen.imaging.atmosphere import apply_weather, mean_per_instance
from simgen.imaging.sensor import apply_sensor
from simgen.render.passes import RenderPasses
from simgen.specs import FrameSpec


@dataclass(frozen=True)
class ImagedFrame:
    """What post-processing hands to the labels and the writers.

    Attributes:
        rgb: (H, W, 3) uint8 sRGB output image, after weather and the sensor model.
        depth_m: (H, W) float32 metres of `depth_kind` in the output image, +inf where no surface.
        depth_kind: 'planar' or 'ray' (`simgen.contract`).
        passes: the first-sample label passes of the output image (object index, 0 =
            background; material index; planar depth), `passes.camera` = the output camera.
        fog_transmittance: instance index -> mean fog transmittance over its pixels, in [0, 1],
            rounded to 4 decimals (`simgen.imaging.atmosphere.mean_per_instance`; 1.0 without fog).
    """

    rgb: np.ndarray
    depth_m: np.ndarray
    depth_kind: str
    passes: RenderPasses
    fog_transmittance: dict[int, float]


def post_process(spec: FrameSpec, passes: RenderPasses, depth_kind: str) -> ImagedFrame:
    """Apply the frame's weather and sensor model to its render.

    Args:
        spec: the frame spec that was rendered.
        passes: the renderer's passes of `spec`, on the grid of their render camera
            (`passes.camera`, lens overscan included).
        depth_kind: 'planar' or 'ray', the depth `ImagedFrame.depth_m` holds.
    """
    rgb, transmittance = apply_weather(passes.rgb, passes.depth_planar_m, intrinsics_matrix(passes.camera),
                                       spec.weather, spec.lighting)
    fog = mean_per_instance(passes.object_index, transmittance)  # ids survive the lens warp unchanged
    output, depth = apply_sensor(dataclasses.replace(passes, rgb=rgb), spec, depth_kind)
    return ImagedFrame(output.rgb, depth, depth_kind, output, fog)
