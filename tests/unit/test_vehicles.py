"""The lofted car and van bodies: exact bounds per style, glass in the greenhouse, arches over the wheels."""

from __future__ import annotations

import numpy as np
import pytest

from simgen.catalog.prop_mesh import get_recipe
from simgen.catalog.recipes.car_body import BODY_STYLES
from simgen.geometry.mesh import MeshData

PARAMS = {"length_m": 4.3, "width_m": 1.77, "height_m": 1.46, "wheel_radius_m": 0.31}
CASES = [("car", {**PARAMS, "body_style": float(k)}) for k in range(len(BODY_STYLES))] + [
    ("van", {"length_m": 5.3, "width_m": 2.0, "height_m": 2.35, "wheel_radius_m": 0.35})]


def _slot_vertices(mesh: MeshData, slot: str) -> np.ndarray:
    """(N, 3) vertices of the polygons of `slot`."""
    faces = np.flatnonzero(mesh.face_slots == mesh.materials.index(slot))
    starts = mesh.loop_starts[faces]
    corners = np.concatenate([np.arange(s, s + c) for s, c in zip(starts, mesh.loop_counts[faces], strict=True)])
    return mesh.vertices_m[np.unique(mesh.loop_vertices[corners])]


@pytest.mark.parametrize(("recipe", "params"), CASES, ids=[*BODY_STYLES, "van"])
def test_bounds_equal_the_params_exactly(recipe: str, params: dict[str, float]) -> None:
    low, high = get_recipe(recipe).build_mesh(params).bounds_m
    np.testing.assert_allclose(high - low, [params["length_m"], params["width_m"], params["height_m"]], atol=1e-9)
    np.testing.assert_allclose([low[0] + high[0], low[1] + high[1], low[2]], 0.0, atol=1e-9)


@pytest.mark.parametrize(("recipe", "params"), CASES, ids=[*BODY_STYLES, "van"])
def test_glass_is_the_greenhouse_and_the_body_clears_the_wheels(recipe: str, params: dict[str, float]) -> None:
    mesh = get_recipe(recipe).build_mesh(params)
    glass = _slot_vertices(mesh, "glass")
    assert glass[:, 2].min() > 0.4 * params["height_m"] and glass[:, 2].max() <= params["height_m"]
    paint = _slot_vertices(mesh, "paint")
    radius, axle = params["wheel_radius_m"], 0.3 * params["length_m"]
    for x in (axle, -axle):  # the arch: no body vertex inside the wheel's disc (side view)
        assert np.hypot(paint[:, 0] - x, paint[:, 2] - radius).min() > radius
    assert paint[:, 2].min() < radius  # ... while the floor between the wheels is lower than their tops


def test_body_styles_differ_in_their_side_profile() -> None:
    tops = []
    for k in range(len(BODY_STYLES)):
        paint = _slot_vertices(get_recipe("car").build_mesh({**PARAMS, "body_style": float(k)}), "paint")
        tail = paint[paint[:, 0] < -0.4 * PARAMS["length_m"]]
        tops.append(tail[:, 2].max())
    # A sedan's boot is low; a hatchback's, an estate's and an SUV's tail rises to near the roof.
    assert tops[0] < 0.75 * PARAMS["height_m"] and min(tops[1:]) > 0.85 * PARAMS["height_m"]
