"""Analytic test scenes: hand-built FrameSpecs whose labels are known in closed form."""

from __future__ import annotations

from simgen.specs import CameraSpec, FrameSpec, LayoutSpec, LightingSpec, MaterialSpec, PropSpec

GREY = MaterialSpec((0.5, 0.5, 0.5), 0.5)
LIGHT = LightingSpec(sun_elevation_deg=45.0, sun_azimuth_deg=200.0, sun_strength_w_m2=3.0, sun_angle_deg=0.5,
                     sky_strength=1.0, sky_turbidity=3.0, exposure_ev=0.0)


def camera(width_px: int = 64, height_px: int = 48, **kw) -> CameraSpec:
    base = dict(width_px=width_px, height_px=height_px, focal_length_mm=36.0, sensor_width_mm=36.0,
                location_m=(0.0, 0.0, 5.0), yaw_deg=0.0, pitch_deg=0.0, roll_deg=0.0)
    base.update(kw)
    return CameraSpec(**base)


def box(name: str, size_m: tuple[float, float, float], location_m: tuple[float, float, float], yaw_deg: float = 0.0,
        category: str | None = None, instance_index: int = 0) -> PropSpec:
    """A box built by the 'slab' recipe: size (x, y, z), bottom face centred at location_m."""
    return PropSpec(name=name, asset="test_box", recipe="slab",
                    params={"length_m": size_m[0], "width_m": size_m[1], "height_m": size_m[2]},
                    location_m=location_m, yaw_deg=yaw_deg, materials={"surface": GREY}, category=category,
                    instance_index=instance_index)


def frame(cam: CameraSpec, scenery=(), objects=(), frame_index: int = 0) -> FrameSpec:
    layout = LayoutSpec(name="analytic", lanes=(), y_range_m=(0.0, 1.0), road_half_width_m=0.0, sidewalks_x_m=(),
                        curb_height_m=0.0, ego_lane=0, scenery=tuple(scenery))
    return FrameSpec(frame_index=frame_index, run_seed=0, cycles_seed=1, scenario="analytic", camera=cam,
                     lighting=LIGHT, layout=layout, objects=tuple(objects))
