"""Scene specs: props, the street layout (lanes, parking, footprints, scenery), the rare
obstacles, and the `FrameSpec` that holds everything of one frame."""

from __future__ import annotations

from dataclasses import dataclass, field

from simgen.specs.appearance import MaterialSpec
from simgen.specs.camera import CameraSpec, MotionSpec, SensorSpec
from simgen.specs.environment import LightingSpec, WeatherSpec


@dataclass(frozen=True)
class PropSpec:
    """One object in the scene: which recipe builds it, with what parameters, where.

    Attributes:
        name: unique within the frame, e.g. 'car_003'.
        asset: the catalog entry it was drawn from.
        recipe: the procedural recipe (see `assets/recipes`) that builds its mesh.
        params: the recipe parameters, resolved (metres, degrees).
        location_m: world position of the footprint centre on its support surface, metres.
        yaw_deg: rotation about world z; 0 means the object's +x points along world +x.
        materials: material slot name -> material.
        category: label category name, or None for unlabeled scenery.
        instance_index: 1..32767 for labeled objects (Cycles pass_index), 0 for scenery.
    """

    name: str
    asset: str
    recipe: str
    params: dict[str, float]
    location_m: tuple[float, float, float]
    yaw_deg: float
    materials: dict[str, MaterialSpec]
    category: str | None = None
    instance_index: int = 0


@dataclass(frozen=True)
class LaneSpec:
    """A driving lane: centre line at x = center_x_m, running along world y."""

    center_x_m: float
    width_m: float
    direction: int  # +1: traffic drives towards +y, -1: towards -y


@dataclass(frozen=True)
class ParkingStripSpec:
    """A strip of road along a curb where cars park, parallel to the curb.

    Attributes:
        x_range_m: (x_min, x_max) across the road, metres (outside every driving lane).
        y_range_m: (start, end) along the road, metres.
        direction: +1: parked cars face +y (the right-hand side), -1: they face -y.
    """

    x_range_m: tuple[float, float]
    y_range_m: tuple[float, float]
    direction: int


@dataclass(frozen=True)
class Footprint:
    """A ground footprint, an oriented rectangle on z = 0: centre (x, y) in metres, length along
    its yaw direction, width across it, yaw in degrees from world +x. Its corners and the overlap
    test are geometry (`simgen.geometry.footprint`)."""

    center_x_m: float
    center_y_m: float
    length_m: float
    width_m: float
    yaw_deg: float

    def grown(self, margin_m: float) -> Footprint:
        """The same rectangle with `margin_m` added on every side."""
        return Footprint(self.center_x_m, self.center_y_m, self.length_m + 2 * margin_m,
                         self.width_m + 2 * margin_m, self.yaw_deg)


@dataclass(frozen=True)
class LayoutSpec:
    """The static street: drivable lanes, walkable areas, and unlabeled scenery props.

    Attributes:
        y_range_m: (start, end) of the road along world y, metres.
        sidewalks_x_m: (x_min, x_max) strips where pedestrians may stand, on top of the curb.
        curb_height_m: height of sidewalk tops above the road (z = 0), metres.
        ego_lane: index into `lanes` of the lane the camera rides in.
        scenery: buildings, poles, trees, road surface and markings (instance index 0).
        blocked_footprints: ground areas taken by scenery that road users must keep clear of.
        parking_strips: where parked cars stand (empty: the layout has no parking).
    """

    name: str
    lanes: tuple[LaneSpec, ...]
    y_range_m: tuple[float, float]
    road_half_width_m: float
    sidewalks_x_m: tuple[tuple[float, float], ...]
    curb_height_m: float
    ego_lane: int
    scenery: tuple[PropSpec, ...]
    blocked_footprints: tuple[Footprint, ...] = ()
    parking_strips: tuple[ParkingStripSpec, ...] = ()


@dataclass(frozen=True)
class ObstacleSpec:
    """A rare obstacle of the frame (its mesh and pose are the `PropSpec` of the same name).

    Attributes:
        name: the prop's name, e.g. 'obstacle_00'.
        category: its class, e.g. 'deer'.
        distance_m: distance ahead of the camera along the road (world y), metres.
        quota: True for the obstacle a quota frame places in the ego lane.
        planned_visible_fraction: for quota obstacles, the silhouette fraction in the image and not
            behind traffic, computed before rendering; None for the others.
    """

    name: str
    category: str
    distance_m: float
    quota: bool
    planned_visible_fraction: float | None = None


@dataclass(frozen=True)
class FrameSpec:
    """Everything needed to rebuild and re-render one frame exactly."""

    frame_index: int
    run_seed: int
    cycles_seed: int
    scenario: str
    camera: CameraSpec
    lighting: LightingSpec
    layout: LayoutSpec
    objects: tuple[PropSpec, ...] = field(default=())
    obstacles: tuple[ObstacleSpec, ...] = field(default=())
    quota_frame: bool = False
    weather: WeatherSpec = field(default_factory=WeatherSpec)
    sensor: SensorSpec = field(default_factory=SensorSpec)
    motion: MotionSpec = field(default_factory=MotionSpec)

    @property
    def has_motion_blur(self) -> bool:
        """True when the shutter is open long enough for anything to move relative to the camera."""
        motion = self.motion
        moving = any(v != 0.0 for v in motion.ego_velocity_m_s) or any(
            any(c != 0.0 for c in v) for v in motion.object_velocities_m_s.values())
        return self.sensor.shutter_s > 0.0 and moving

    @property
    def labeled_objects(self) -> tuple[PropSpec, ...]:
        return tuple(o for o in self.objects if o.category is not None)
