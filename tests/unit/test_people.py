"""Unit tests for the posed people (pedestrian gait, pedalling cyclist) and vehicle details
(number plates, lights); pure numpy. Geometry is in each recipe's object frame: metres, z up,
origin at the centre of the ground footprint, +x forward."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from simgen.catalog.prop_mesh import get_recipe
from simgen.catalog.recipes.body import Body
from simgen.catalog.recipes.figure import Outfit, torso_part
from simgen.catalog.recipes.gait import gait_pose, stride_length_m
from simgen.catalog.recipes.people import PEDESTRIAN_DEFAULTS, posed_pedestrian
from simgen.geometry.mesh import MeshData
from tests.unit.mesh_topology import vertex_components

SPEEDS_M_S = (0.0, 0.5, 1.3, 2.0, 2.5, 4.0, 6.0)
PHASES = (0.0, 0.13, 0.37, 0.5, 0.71, 0.9)
HEIGHTS_M = (1.0, 1.25, 1.75, 2.0)
TOUCH_TOLERANCE_M = 1e-3


def _pose(speed_m_s: float, gait_phase: float, height_m: float = 1.75) -> tuple[MeshData, dict[str, np.ndarray]]:
    return posed_pedestrian({**PEDESTRIAN_DEFAULTS, "speed_m_s": speed_m_s, "gait_phase": gait_phase,
                             "height_m": height_m, "shoulder_width_m": 0.26 * height_m})


def _component_boxes(mesh: MeshData) -> list[tuple[np.ndarray, np.ndarray]]:
    """(min, max) corners of every vertex-connected component of the mesh's faces."""
    components = vertex_components(mesh)
    used = sorted({index for face in mesh.faces for index in face})
    roots = components[used]
    vertices = mesh.vertices_m[used]
    return [(vertices[roots == root].min(axis=0), vertices[roots == root].max(axis=0)) for root in np.unique(roots)]


def _is_one_piece(mesh: MeshData) -> bool:
    """Every component's box touches (within 1 mm) a chain of others that reaches all of them."""
    boxes = _component_boxes(mesh)
    reached, frontier = {0}, [0]
    while frontier:
        low, high = boxes[frontier.pop()]
        for other, (other_low, other_high) in enumerate(boxes):
            touches = np.all(low <= other_high + TOUCH_TOLERANCE_M) and np.all(other_low <= high + TOUCH_TOLERANCE_M)
            if other not in reached and touches:
                reached.add(other)
                frontier.append(other)
    return len(reached) == len(boxes)


def _forward_offset_m(root: np.ndarray, middle: np.ndarray, end: np.ndarray) -> float:
    """Signed distance of `middle` from the root-end line in the x-z plane, + towards +x (forward)."""
    along = (end - root)[[0, 2]]
    normal = np.array([-along[1], along[0]]) / np.linalg.norm(along)  # +x when the limb points down
    return float(np.dot((middle - root)[[0, 2]], normal))


@pytest.mark.parametrize(("speed", "phase", "height"), list(itertools.product(SPEEDS_M_S, PHASES, HEIGHTS_M)))
def test_posed_pedestrian_stands_on_the_ground_at_its_height_with_knees_forward(speed, phase, height):
    mesh, joints = _pose(speed, phase, height)
    assert mesh.vertices_m[:, 2].min() == pytest.approx(0.0, abs=1e-9)
    assert mesh.vertices_m[:, 2].max() == pytest.approx(height, rel=1e-9)
    for side in ("left", "right"):
        hip, knee, ankle = (joints[f"{side}_{name}"] for name in ("hip", "knee", "ankle"))
        shoulder, elbow, wrist = (joints[f"{side}_{name}"] for name in ("shoulder", "elbow", "wrist"))
        assert _forward_offset_m(hip, knee, ankle) >= -1e-9  # knees bend forward, never backward
        assert _forward_offset_m(shoulder, elbow, wrist) <= 1e-9  # elbows bend the forearm forward
        assert min(ankle[2], joints[f"{side}_wrist"][2]) > 0.0


@pytest.mark.parametrize(("speed", "phase"), list(itertools.product(SPEEDS_M_S, PHASES)))
def test_posed_pedestrian_is_one_connected_body_with_rigid_proportioned_bones(speed, phase):
    """Bones keep their proportions in every pose; only the stature scales them all alike (it is
    solved so that the posed top, lower when running, lies at height_m)."""
    mesh, joints = _pose(speed, phase)
    assert _is_one_piece(mesh)
    _, standing_joints = _pose(0.0, 0.0)

    def bone_m(skeleton: dict[str, np.ndarray], side: str, a: str, b: str) -> float:
        return float(np.linalg.norm(skeleton[f"{side}_{a}"] - skeleton[f"{side}_{b}"]))

    bones = list(itertools.product(("left", "right"), (("hip", "knee"), ("knee", "ankle"), ("shoulder", "elbow"),
                                                       ("elbow", "wrist"))))
    scales = [bone_m(joints, side, a, b) / bone_m(standing_joints, side, a, b) for side, (a, b) in bones]
    np.testing.assert_allclose(scales, scales[0], rtol=1e-9)
    assert 0.98 < scales[0] < 1.12


@pytest.mark.parametrize("speed", [0.0, 1.3, 4.0])
def test_pose_changes_over_the_gait_cycle(speed):
    meshes = [_pose(speed, phase)[0] for phase in (0.0, 0.25, 0.5)]
    for first, second in itertools.combinations(meshes, 2):
        assert np.abs(first.vertices_m - second.vertices_m).max() > 0.02


def test_walking_legs_alternate_and_swing_wider_with_speed():
    _, at_left_strike = _pose(1.3, 0.0)
    _, half_cycle_later = _pose(1.3, 0.5)
    assert at_left_strike["left_ankle"][0] > at_left_strike["right_ankle"][0] + 0.3
    assert half_cycle_later["right_ankle"][0] > half_cycle_later["left_ankle"][0] + 0.3
    spans = [np.ptp(_pose(speed, 0.0)[0].vertices_m[:, 0]) for speed in (0.0, 0.8, 1.5, 4.0)]
    assert np.all(np.diff(spans) > 0.05)


def test_running_bends_elbows_and_knees_more_has_flight_and_leans_forward():
    walk = [gait_pose(1.4, phase, 0.9) for phase in np.linspace(0.0, 1.0, 41)]
    run = [gait_pose(4.0, phase, 0.9) for phase in np.linspace(0.0, 1.0, 41)]
    assert min(min(p.elbow_deg) for p in run) > 60.0 > max(max(p.elbow_deg) for p in walk)
    assert max(max(p.knee_deg) for p in run) > max(max(p.knee_deg) for p in walk) + 30.0
    assert any(p.airborne for p in run) and not any(p.airborne for p in walk)
    assert min(p.torso_lean_deg for p in run) > max(p.torso_lean_deg for p in walk)
    assert stride_length_m(1.4, 0.9) == pytest.approx(1.33, abs=0.05)  # a typical adult's walking stride
    assert stride_length_m(4.0, 0.9) > 1.7 * stride_length_m(1.4, 0.9)


def test_standing_pose_varies_slightly_with_phase_and_keeps_the_feet_together():
    poses = [gait_pose(0.0, phase, 0.9) for phase in (0.0, 0.25, 0.75)]
    assert poses[1].knee_deg != poses[2].knee_deg  # the weight shifts to the other leg
    for pose in poses:
        assert pose.stride_length_m == 0.0
        assert max(abs(angle) for angle in pose.hip_deg + pose.shoulder_deg) < 8.0
        assert 5.0 < min(pose.elbow_deg) and max(pose.elbow_deg) < 30.0
    mesh, joints = _pose(0.0, 0.25)
    assert abs(joints["left_ankle"][0] - joints["right_ankle"][0]) < 0.15


def test_children_have_a_larger_head_relative_to_their_height():
    def head_fraction(height_m: float) -> float:
        mesh, joints = _pose(0.0, 0.0, height_m)
        return (height_m - joints["neck"][2]) / height_m

    assert head_fraction(1.05) > 1.2 * head_fraction(1.8)
    assert Body.of(1.05, 0.3).leg_length_m / 1.05 < Body.of(1.8, 0.45).leg_length_m / 1.8


@pytest.mark.parametrize("height_m", [1.1, 1.75])
def test_the_torso_has_a_standing_side_profile(height_m):
    """Seen from the side, the buttocks reach further behind the hip joints than the lower belly
    reaches in front, the back is hollow at the waist (lumbar curve) and the chest stands
    further forward than the waist."""
    body = Body.of(height_m, 0.26 * height_m)
    torso = torso_part(body, np.zeros(3), 0.0, Outfit.of(0.0, 0.0, 0.0, 0.0, 0.0))

    def reach_m(height_fraction: float) -> tuple[float, float]:
        """(behind, ahead) of the hip joints' vertical, metres, of the torso at this height."""
        z = height_fraction * body.torso_length_m
        x = torso.vertices_m[np.abs(torso.vertices_m[:, 2] - z) < 0.02 * body.torso_length_m, 0]
        return float(-x.min()), float(x.max())

    buttocks, waist, chest = reach_m(-0.12), reach_m(0.36), reach_m(0.62)
    assert buttocks[0] > 1.4 * buttocks[1]
    assert waist[0] < 0.75 * buttocks[0] and waist[0] < 0.9 * chest[0]
    assert chest[1] > 1.08 * waist[1]


@pytest.mark.parametrize("height_m", [1.15, 1.75])
def test_a_coat_stands_off_the_body_and_has_long_sleeves(height_m):
    """A coat thickens the figure from the waist up by its stand-off, light jacket to padded coat
    along the `coat` selector above COAT_FROM; its sleeves are long whatever `sleeves` says, and the
    height and the skeleton stay those of the body under it."""
    from simgen.catalog.recipes.figure import COAT_FROM, COAT_THICKNESS_PER_STATURE

    def pedestrian(coat: float, sleeves: float = 0.0) -> tuple[MeshData, dict[str, np.ndarray]]:
        return posed_pedestrian({**PEDESTRIAN_DEFAULTS, "height_m": height_m, "shoulder_width_m": 0.26 * height_m,
                                 "coat": coat, "sleeves": sleeves})

    body = Body.of(height_m, 0.26 * height_m)

    def chest_m(coat: float) -> tuple[float, float]:
        """(front-to-back, side-to-side) extent of the torso's chest ring, metres."""
        torso = torso_part(body, np.zeros(3), 0.0, Outfit.of(0.0, coat, 0.0, 0.0, 0.0)).vertices_m
        chest = torso[np.abs(torso[:, 2] - 0.62 * body.torso_length_m) < 0.05 * body.torso_length_m]
        return float(np.ptp(chest[:, 0])), float(np.ptp(chest[:, 1]))

    plain, plain_joints = pedestrian(0.0)
    stature_m = body.stature_m
    light, padded = COAT_THICKNESS_PER_STATURE
    for coat, per_stature in ((COAT_FROM, light), (1.0, padded), (0.5 * (COAT_FROM + 1.0), 0.5 * (light + padded))):
        thickness_m = per_stature * stature_m
        assert Outfit.of(0.0, coat, 0.0, 0.0, 0.0).coat_thickness_m(stature_m) == pytest.approx(thickness_m)
        np.testing.assert_allclose(np.subtract(chest_m(coat), chest_m(0.0)), 2.0 * thickness_m, rtol=0.02)
        coated, joints = pedestrian(coat)
        widths = [float(np.ptp(mesh.vertices_m[:, 1])) for mesh in (coated, plain)]
        assert widths[0] > widths[1] + 1.5 * thickness_m  # the sleeves stand off the arms too
        assert coated.vertices_m[:, 2].max() == pytest.approx(height_m, rel=1e-9)
        for name in ("left_knee", "right_ankle", "left_shoulder", "right_wrist"):  # grounding centres the footprint
            np.testing.assert_allclose(joints[name] - joints["pelvis"], plain_joints[name] - plain_joints["pelvis"],
                                       atol=1e-9)
    assert Outfit.of(0.0, 0.0, 0.9, 0.0, 0.0).short_sleeves and not Outfit.of(0.0, 0.9, 0.9, 0.0, 0.0).short_sleeves

    def skin_faces(mesh: MeshData) -> int:
        return int(np.count_nonzero(np.asarray(mesh.face_material) == mesh.materials.index("skin")))

    assert skin_faces(pedestrian(0.9, sleeves=0.9)[0]) == skin_faces(pedestrian(0.9)[0])  # long sleeves under a coat
    assert skin_faces(pedestrian(0.0, sleeves=0.9)[0]) > skin_faces(plain)  # short sleeves without one
    assert Outfit.of(0.0, 0.5, 0.0, 0.0, 0.0).coat_thickness_m(stature_m) == 0.0


@pytest.mark.parametrize("height_m", [1.3, 1.75, 1.95])
def test_cyclist_crank_phase_turns_the_pedals_and_legs_on_one_connected_mesh(height_m):
    recipe = get_recipe("cyclist")
    meshes = [recipe.build_mesh({"height_m": height_m, "crank_phase": phase}) for phase in (0.0, 0.25, 0.5, 1.0)]
    assert np.abs(meshes[0].vertices_m - meshes[1].vertices_m).max() > 0.05
    assert np.abs(meshes[0].vertices_m - meshes[2].vertices_m).max() > 0.05
    np.testing.assert_allclose(meshes[0].vertices_m, meshes[3].vertices_m, atol=1e-9)  # a full turn
    for mesh in meshes:
        assert mesh.vertices_m[:, 2].min() == pytest.approx(0.0, abs=1e-9)
        assert mesh.vertices_m[:, 2].max() == pytest.approx(height_m, rel=1e-9)
        assert _is_one_piece(mesh)


def _slot_boxes(mesh: MeshData, slot: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """Component boxes of the faces in material slot `slot`."""
    index = mesh.materials.index(slot)
    faces = [face for face, material in zip(mesh.faces, mesh.face_material, strict=True) if material == index]
    return _component_boxes(MeshData.from_faces(mesh.vertices_m, faces, (0,) * len(faces), (slot,)))


@pytest.mark.parametrize(("name", "plates"), [("car", 2), ("van", 2), ("truck", 2), ("bus", 2), ("motorcycle", 1)])
def test_vehicles_carry_number_plates_front_and_rear_and_lights(name, plates):
    mesh = get_recipe(name).build_mesh({})
    low, high = mesh.bounds_m
    boxes = _slot_boxes(mesh, "plate")
    assert len(boxes) == plates
    rear = [box for box in boxes if box[1][0] < low[0] + 0.15 * (high[0] - low[0])]
    front = [box for box in boxes if box[0][0] > high[0] - 0.15 * (high[0] - low[0])]
    assert len(rear) == 1 and len(front) == plates - 1
    for plate_low, plate_high in boxes:
        width, height = plate_high[1] - plate_low[1], plate_high[2] - plate_low[2]
        assert 0.15 < width <= 0.53 and 0.1 <= height < 0.14 and abs(plate_low[1] + plate_high[1]) < 1e-9
        assert plate_low[2] > 0.2
    heads, tails = _slot_boxes(mesh, "headlight"), _slot_boxes(mesh, "taillight")
    assert heads and tails
    assert all(box[0][0] > 0.25 * low[0] + 0.75 * high[0] for box in heads)
    assert all(box[1][0] < 0.75 * low[0] + 0.25 * high[0] for box in tails)


STYLES = {"trousers": {}, "shorts_short_sleeves_backpack": {"bottom_style": 0.6, "sleeves": 0.9, "bag": 0.7},
          "skirt_long_hair_shoulder_bag": {"bottom_style": 0.9, "hair_style": 0.5, "bag": 0.95},
          "coat_bun": {"coat": 0.9, "hair_style": 0.8}, "cropped": {"hair_style": 1.0}}


@pytest.mark.parametrize("style", sorted(STYLES))
@pytest.mark.parametrize(("speed", "height"), [(0.0, 1.75), (1.3, 1.15), (4.0, 1.8)])
def test_every_outfit_is_one_closed_body_at_its_height(style, speed, height):
    """Garments, hair and bags keep the body one connected, closed (every edge shared by two faces,
    opposite ways) mesh whose top is exactly height_m and whose lowest point is the ground."""
    params = {**PEDESTRIAN_DEFAULTS, "speed_m_s": speed, "gait_phase": 0.3, "height_m": height,
              "shoulder_width_m": 0.26 * height, **STYLES[style]}
    mesh, _ = posed_pedestrian(params)
    assert mesh.vertices_m[:, 2].min() == pytest.approx(0.0, abs=1e-9)
    assert mesh.vertices_m[:, 2].max() == pytest.approx(height, rel=1e-9)
    assert _is_one_piece(mesh)
    edges = {}
    for face in mesh.faces:
        for a, b in zip(face, face[1:] + face[:1], strict=True):
            edges[(a, b)] = edges.get((a, b), 0) + 1
    assert all(count == 1 and edges.get((b, a)) == 1 for (a, b), count in edges.items())


def test_outfits_choose_cloth_or_skin_by_style():
    def slot_faces(style: dict, slot: str) -> int:
        """Faces of the slot."""
        mesh = get_recipe("pedestrian").build_mesh(style)
        index = mesh.materials.index(slot) if slot in mesh.materials else -1
        return sum(1 for m in mesh.face_material if m == index)

    assert slot_faces(STYLES["shorts_short_sleeves_backpack"], "skin") > 1.3 * slot_faces({}, "skin")
    assert slot_faces(STYLES["shorts_short_sleeves_backpack"], "fabric") > 0.0 == slot_faces({}, "fabric")
    assert slot_faces(STYLES["coat_bun"], "clothing_top") > slot_faces({}, "clothing_top")
    skirt = get_recipe("pedestrian").build_mesh(STYLES["skirt_long_hair_shoulder_bag"])
    trousers = get_recipe("pedestrian").build_mesh({})
    def width_above_knees_m(mesh: MeshData) -> float:
        thighs = mesh.vertices_m[(mesh.vertices_m[:, 2] > 0.5) & (mesh.vertices_m[:, 2] < 0.75)]
        return float(np.ptp(thighs[:, 1]))

    assert width_above_knees_m(skirt) > 1.1 * width_above_knees_m(trousers)  # the skirt flares over the legs
    assert slot_faces(STYLES["skirt_long_hair_shoulder_bag"], "hair") > 1.3 * slot_faces({}, "hair")


@pytest.mark.parametrize("speed", [0.0, 0.6, 1.4, 2.6, 3.6])
def test_the_stature_probe_finds_the_extent_of_every_part(speed):
    """The stature solve builds only the hair and the shoes (`_posed_height_m`): they must hold the
    posed body's lowest and highest points for every gait phase, outfit and body proportion."""
    from simgen.catalog.recipes.figure import Outfit
    from simgen.catalog.recipes.people import _pose_body, _posed_height_m

    outfits = [Outfit.of(bottom, coat, 0.0, hair, bag) for bottom, coat, hair, bag in
               itertools.product((0.3, 0.6, 0.9), (0.0, 1.0), (0.2, 0.5, 0.7, 0.9), (0.3, 0.7, 0.9))]
    for (height, shoulders), phase, outfit in itertools.product(((1.0, 0.26), (1.75, 0.45), (2.05, 0.62)),
                                                                  (0.0, 0.19, 0.43, 0.71, 0.93), outfits[::5]):
        body = Body.of(height, shoulders)
        pose = gait_pose(speed, phase, body.shoe_height_m + body.leg_length_m)
        z = np.concatenate([part.vertices_m[:, 2] for part in _pose_body(body, pose, outfit)[0]])
        assert _posed_height_m(body, pose, outfit) == float(z.max() - z.min()), (height, phase, outfit)


def test_the_hip_extends_through_the_stance_and_flexes_early_in_the_swing():
    """Sagittal hip angle over the left leg's cycle as gait labs measure it: most extended at the
    end of the stance (about half the cycle), most flexed from about 80 % until the heel strike,
    so at the knee's peak flexion in the swing the thigh already points forward."""
    phases = np.linspace(0.0, 1.0, 101)
    poses = [gait_pose(1.4, phase, 0.9) for phase in phases]
    hips = np.array([p.hip_deg[0] for p in poses])
    knees = np.array([p.knee_deg[0] for p in poses])
    assert 0.45 <= phases[int(np.argmin(hips))] <= 0.55
    assert np.all(hips[phases >= 0.8] > hips.max() - 1e-6 - 0.5)
    swing_peak = int(np.argmax(np.where(phases > 0.5, knees, -1.0)))
    assert 0.65 <= phases[swing_peak] <= 0.8 and knees[swing_peak] > 50.0
    assert hips[swing_peak] > 10.0
