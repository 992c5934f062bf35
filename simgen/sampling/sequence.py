"""Video sequences: N consecutive frames of one sampled scene (`sequence.frames`, `sequence.fps`).

Global frame i is frame k = i mod N of sequence (video) s = i div N. The scene of a sequence is
sampled once, as the frame of index s * N would be (`sample_single_frame`); frame k shows it
t = k / fps seconds later. Everything moves as the motion model says, translating at its
velocity (`MotionSpec`): the camera (ego) and each moving road user; pedestrians advance their
gait phase by the distance walked per stride and cyclists their cranks by the distance ridden
per crank turn, so feet and pedals follow the ground speed; wheels stay on the ground (z is
never changed).

Nothing passes through anything: before advancing, each mover's velocity is checked against
every other object's and the ego vehicle's ground footprint (and the scenery's) at every frame
time of the sequence, walkers and riders posed at that time (a stride lengthens the footprint);
a mover that would run into something is slowed (the same factor on its whole velocity, the
largest of SLOWDOWN_STEPS that keeps clear, down to standing still) for the whole sequence.
Pedestrians keep their gait's pose speed; their phase follows the distance actually walked.
Per-frame seeds (Cycles' sampling, sensor noise, rain streaks) come
from each frame's own index, so noise differs from frame to frame.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

from simgen.catalog.entries import Catalog
from simgen.catalog.prop_mesh import has_recipe, prop_mesh
from simgen.catalog.recipes import RECIPES
from simgen.catalog.recipes.people import cyclist_development_m, pedestrian_stride_m
from simgen.config.schema import SimgenConfig
from simgen.geometry.footprint import footprints_overlap
from simgen.seeds import cycles_seed
from simgen.specs import Footprint, FrameSpec, MotionSpec, PropSpec

SLOWDOWN_STEPS = tuple(1.0 - i / 20 for i in range(1, 21))
"""Velocity factors tried, in order, for a mover that would collide (0.95 ... 0)."""
EGO = "<ego>"
EGO_FOOTPRINT_M = (4.8, 2.0, -1.0)
"""Length, width and centre offset along +y from the camera of the ego vehicle, metres
(`simgen.sampling.traffic.EGO_VEHICLE`)."""
_PHASE_ADVANCE: dict[str, tuple[str, Callable]] = {
    "pedestrian": ("gait_phase", pedestrian_stride_m), "cyclist": ("crank_phase", cyclist_development_m)}


def sequence_position(frame_index: int, frames_per_sequence: int) -> tuple[int, int]:
    """(video id, frame id within the video, 0-based) of a global frame index."""
    return frame_index // frames_per_sequence, frame_index % frames_per_sequence


def _footprint(prop: PropSpec, offset_m: tuple[float, float] = (0.0, 0.0)) -> Footprint | None:
    """The ground footprint of a prop moved by `offset_m`; None if its recipe is unknown here."""
    if not has_recipe(prop.recipe):
        return None
    low, high = prop_mesh(prop).bounds_m
    yaw = math.radians(prop.yaw_deg)
    cx, cy = (low[0] + high[0]) / 2, (low[1] + high[1]) / 2
    return Footprint(prop.location_m[0] + math.cos(yaw) * cx - math.sin(yaw) * cy + offset_m[0],
                     prop.location_m[1] + math.sin(yaw) * cx + math.cos(yaw) * cy + offset_m[1],
                     high[0] - low[0], high[1] - low[1], prop.yaw_deg)


def _moved(footprint: Footprint, velocity: tuple[float, ...], t: float) -> Footprint:
    return dataclasses.replace(footprint, center_x_m=footprint.center_x_m + velocity[0] * t,
                               center_y_m=footprint.center_y_m + velocity[1] * t)


POSE_REACH_PER_HEIGHT = 0.7
"""Bound on how far a walker's or rider's footprint can reach beyond its first pose's, as a
share of its `height_m` (a leg plus a foot; strides lengthen the footprint as the gait turns)."""


class _Track:
    """A body's footprint at each time of the sequence, moving at `velocity`: translated, and for
    walkers and riders posed at that time (`_advanced`: the stride changes the footprint), the
    posed footprints built only when a coarse test (the first pose grown by its reach) says
    they may matter."""

    def __init__(self, footprint: Footprint, velocity: tuple[float, ...], times: list[float],
                 prop: PropSpec | None = None) -> None:
        self.velocity, self.times, self._prop = velocity, times, prop
        posed = prop is not None and prop.recipe in _PHASE_ADVANCE and any(velocity)
        margin = POSE_REACH_PER_HEIGHT * float(prop.params.get("height_m", 2.0)) if posed else 0.0
        self.first = footprint
        self.coarse = [_moved(footprint.grown(margin), velocity, t) for t in times]
        self._exact: list[Footprint] | None = None if posed else [_moved(footprint, velocity, t) for t in times]

    @property
    def exact(self) -> list[Footprint]:
        if self._exact is None:
            self._exact = [self.first] + [_footprint(_advanced(self._prop, self.velocity, t)) for t in self.times[1:]]
        return self._exact


def _collides(a: _Track, b: _Track) -> bool:
    """Whether two tracks overlap at some time t > 0 (not if they already do at t = 0)."""
    if footprints_overlap(a.first, b.first):
        return False  # placed touching (e.g. an obstacle on a lane line): not this module's business
    if not any(footprints_overlap(x, y) for x, y in zip(a.coarse[1:], b.coarse[1:], strict=True)):
        return False
    return any(footprints_overlap(x, y) for x, y in zip(a.exact[1:], b.exact[1:], strict=True))


def resolve_motion(spec: FrameSpec, times: list[float]) -> MotionSpec:
    """`spec.motion` with every mover slowed as needed so no footprints meet during `times`."""
    camera = spec.camera.location_m
    length, width, offset = EGO_FOOTPRINT_M
    props = {p.name: p for p in spec.objects}
    bodies: dict[str, Footprint] = {EGO: Footprint(camera[0], camera[1] + offset, length, width, 90.0)}
    bodies.update({p.name: fp for p in spec.objects if (fp := _footprint(p)) is not None})
    velocity = {name: spec.motion.velocity_of(name) for name in bodies}
    velocity[EGO] = spec.motion.ego_velocity_m_s
    tracks = {name: _Track(fp, velocity[name], times, props.get(name)) for name, fp in bodies.items()}
    static = [_Track(f, (0.0, 0.0, 0.0), times) for f in spec.layout.blocked_footprints]
    for name in [name for name in bodies if any(velocity[name])]:  # in spec order, the ego first: right of way
        others = [tracks[o] for o in bodies if o != name] + static
        for factor in (1.0, *SLOWDOWN_STEPS):
            trial = _Track(bodies[name], tuple(v * factor for v in velocity[name]), times, props.get(name))
            if not any(_collides(trial, other) for other in others):
                break
        velocity[name], tracks[name] = trial.velocity, trial
    objects = {name: v for name, v in velocity.items() if name != EGO and any(v)}
    return MotionSpec(ego_velocity_m_s=velocity[EGO], object_velocities_m_s=objects)


def _advanced(prop: PropSpec, velocity: tuple[float, float, float], t: float) -> PropSpec:
    """The prop t seconds on: translated, its gait or cranks advanced by the distance covered."""
    if not any(velocity):
        return prop
    location = tuple(c + v * t for c, v in zip(prop.location_m, velocity, strict=True))
    params = dict(prop.params)
    if prop.recipe in _PHASE_ADVANCE:
        name, per_cycle = _PHASE_ADVANCE[prop.recipe]
        full = {**RECIPES[prop.recipe].param_defaults, **params}
        cycle_m = per_cycle(full)
        if cycle_m > 0:
            params[name] = float((full[name] + math.hypot(*velocity) * t / cycle_m) % 1.0)
    return dataclasses.replace(prop, location_m=location, params=params)  # type: ignore[arg-type]


def advance_frame(first: FrameSpec, frame_index: int, k: int, fps: float) -> FrameSpec:
    """Frame k of the sequence whose frame 0 is `first` (its motion already resolved)."""
    t = k / fps
    motion = first.motion
    camera = first.camera
    location = tuple(c + v * t for c, v in zip(camera.location_m, motion.ego_velocity_m_s, strict=True))
    objects = tuple(_advanced(p, motion.velocity_of(p.name), t) for p in first.objects)
    sensor, weather = first.sensor, first.weather
    return dataclasses.replace(
        first, frame_index=frame_index, cycles_seed=cycles_seed(first.run_seed, frame_index),
        camera=dataclasses.replace(camera, location_m=location), objects=objects,
        sensor=dataclasses.replace(sensor, noise_seed=(sensor.noise_seed + k) % 2**31 if sensor.noise_seed else 0),
        weather=dataclasses.replace(
            weather, rain_streak_seed=(weather.rain_streak_seed + k) % 2**31 if weather.rain_streak_seed else 0,
            snowflake_seed=(weather.snowflake_seed + k) % 2**31 if weather.snowflake_seed else 0))


_FIRST_FRAMES: dict[tuple[int, int, int], tuple[SimgenConfig, Catalog, FrameSpec]] = {}
"""The last sequence's frame 0, so its N frames sample the scene once (the config and catalog
are kept with it, so their ids stay theirs)."""


def sample_sequence_frame(cfg: SimgenConfig, catalog: Catalog, frame_index: int,
                          sample_single_frame: Callable[[SimgenConfig, Catalog, int], FrameSpec]) -> FrameSpec:
    """Frame `frame_index` of its sequence (see the module docstring); deterministic in
    (cfg, catalog, frame_index) like `sample_frame`."""
    length = cfg.sequence.frames
    video, k = sequence_position(frame_index, length)
    key = (id(cfg), id(catalog), video * length)
    if key not in _FIRST_FRAMES:
        first = sample_single_frame(cfg, catalog, video * length)
        times = [j / cfg.sequence.fps for j in range(length)]
        first = dataclasses.replace(first, motion=resolve_motion(first, times))
        _FIRST_FRAMES.clear()
        _FIRST_FRAMES[key] = (cfg, catalog, first)
    return advance_frame(_FIRST_FRAMES[key][2], frame_index, k, cfg.sequence.fps)



def whole_sequences(frame_indices: list[int], frames_per_sequence: int) -> list[int]:
    """Every frame of each sequence that has a frame in `frame_indices`, in order: a resumed run
    re-renders a partly committed sequence whole (its flow needs consecutive frames)."""
    if frames_per_sequence <= 1:
        return list(frame_indices)
    videos = sorted({i // frames_per_sequence for i in frame_indices})
    return [v * frames_per_sequence + k for v in videos for k in range(frames_per_sequence)]
