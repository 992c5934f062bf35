"""Metered auto-exposure: the view exposure a camera's auto-exposure would pick for a frame.

A camera meters every frame; simgen's fixed view exposure does not, so shaded day frames came
out about 3.4 EV dark (docs/realism.md). In `lighting.exposure_mode: metered` the renderer reads
the linear Combined pass of the finished render (`simgen.render.passes.combined_rgb`),
and the view exposure becomes

    view EV = metered EV + lighting.exposure_ev (the compensation),
    metered EV = clip(log2(target / median luminance), metering_min_ev, metering_max_ev),

applied by Blender's view transform before its tone curve (`scene.view_settings.exposure`), on
the same render result: no re-render. The statistic is the median of the Rec. 709 luminance of
every pixel (sky, road, objects alike: nothing label-related is excluded); it is a pure function
of the rendered pixels, so the same render gives the same EV. The clamp is a camera's gain
limit: a night frame (median far below mid-grey) gets at most `metering_max_ev` and stays dark.

The sensor model (`simgen.imaging.sensor_effects`) applies `sensor.exposure_ev` afterwards, in
display-linear light on the tone-mapped image; the two compose: metering, then view transform,
then the sensor's gain.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

REC709_LUMA = (0.2126, 0.7152, 0.0722)
"""Luminance weights of linear Rec. 709 RGB (Blender's scene-linear space)."""
DARKEST_METERED_LUMINANCE = 1e-6
"""A median below this (a black frame) is metered as this, so the EV stays finite (then clamped)."""


@dataclass(frozen=True)
class MeteredExposure:
    """What the metering decided for one frame (written to the frame record's `exposure`).

    Attributes:
        median_luminance: median scene-linear Rec. 709 luminance of the Combined pass, before
            any view exposure.
        metered_ev: the clamped EV bringing that median to the target.
        compensation_ev: the spec's `lighting.exposure_ev`, added on top.
        view_exposure_ev: metered_ev + compensation_ev, the `scene.view_settings.exposure` used.
        clamped: the unclamped EV was outside [metering_min_ev, metering_max_ev].
    """

    median_luminance: float
    metered_ev: float
    compensation_ev: float
    view_exposure_ev: float
    clamped: bool

    def record(self) -> dict[str, object]:
        """The frame record's `exposure` entry (mode 'metered'), rounded for stable bytes."""
        return {"mode": "metered", "median_luminance": round(self.median_luminance, 9),
                "metered_ev": round(self.metered_ev, 6), "compensation_ev": round(self.compensation_ev, 6),
                "view_exposure_ev": round(self.view_exposure_ev, 6), "clamped": self.clamped}


def luminance(rgb_linear: np.ndarray) -> np.ndarray:
    """(H, W) float64 Rec. 709 luminance of (H, W, 3) scene-linear RGB."""
    return np.asarray(rgb_linear, dtype=np.float64) @ np.asarray(REC709_LUMA)


def meter(luminance_map: np.ndarray, target: float, min_ev: float, max_ev: float,
          compensation_ev: float = 0.0) -> MeteredExposure:
    """The metered exposure of a frame from its (H, W) scene-linear luminance.

    Args:
        luminance_map: (H, W) luminance of the Combined pass (any float dtype; NaN/inf ignored).
        target: the luminance the median pixel is brought to (0.18: mid-grey).
        min_ev, max_ev: the clamp on the metered EV (min_ev <= 0 <= max_ev).
        compensation_ev: added after the clamp (`lighting.exposure_ev`).
    """
    values = np.asarray(luminance_map, dtype=np.float64)
    values = values[np.isfinite(values)]
    median = float(np.median(values)) if values.size else 0.0
    raw_ev = math.log2(target / max(median, DARKEST_METERED_LUMINANCE))
    metered = min(max(raw_ev, min_ev), max_ev)
    return MeteredExposure(median_luminance=median, metered_ev=metered, compensation_ev=compensation_ev,
                           view_exposure_ev=metered + compensation_ev, clamped=metered != raw_ev)
