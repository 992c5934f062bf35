"""Material sampling: a randomized `MaterialSpec` for each material slot name.

Recipes name their slots (paint, glass, tire, skin, facade, ...); this module owns what each
slot may look like. Colours are linear RGB. Every function draws from the generator it is
given and nothing else.

Seven slots get a procedural PBR surface (`MaterialSpec.texture`), its parameters drawn here
from `TEXTURE_RANGES` and recorded in the spec: asphalt -> 'asphalt' (grain, cracks, repair
patches; wheel paths once a layout gives it its lanes, `with_lanes`), concrete -> 'concrete'
(paving joints, stains), facade -> 'brick' (a share `BRICK_FACADE_SHARE`) or 'plaster' (both
with dirt streaks), grass -> 'grass' (dry patches) and paint -> 'painted_metal' (clearcoat,
dirt towards the bottom, paint chips); the garment slots clothing_top and clothing_bottom ->
'cloth' (a woven surface; plain, striped or checked in a second garment colour, shares
`CLOTH_PATTERN_SHARES`). Three more are drawn by the street's samplers: kerb stones
('kerb', `sample_kerb`), worn road paint ('worn_paint', `wear_paint` on a 'lane_paint' spec)
and grass verges ('verge', `sample_verge`).
Distances are metres in the object's own frame; `offset_m` shifts the pattern per material.
"""

from __future__ import annotations

import colorsys
import dataclasses
from collections.abc import Iterable

import numpy as np

from simgen.specs import MaterialSpec

# Car paint: (linear RGB, weight), roughly the world's car colour shares.
_PAINT = (
    ((0.80, 0.80, 0.80), 0.25), ((0.02, 0.02, 0.02), 0.20), ((0.35, 0.36, 0.38), 0.18),
    ((0.12, 0.12, 0.13), 0.12), ((0.03, 0.08, 0.35), 0.09), ((0.45, 0.02, 0.02), 0.09),
    ((0.30, 0.20, 0.08), 0.04), ((0.05, 0.20, 0.05), 0.03),
)
_CLOTH_TOPS = (  # linear RGB, weight
    ((0.035, 0.035, 0.04), 0.22), ((0.08, 0.08, 0.085), 0.10), ((0.22, 0.22, 0.23), 0.08),
    ((0.70, 0.69, 0.65), 0.13), ((0.025, 0.03, 0.08), 0.10), ((0.09, 0.16, 0.34), 0.06),
    ((0.45, 0.34, 0.19), 0.07), ((0.13, 0.065, 0.035), 0.05), ((0.11, 0.12, 0.05), 0.04),
    ((0.15, 0.02, 0.03), 0.04), ((0.48, 0.03, 0.03), 0.04),
)
"""Everyday garment colours, tops: black, charcoal, mid grey, off-white, navy, mid blue, camel,
brown, olive, burgundy, red (linear RGB; black cloth reflects 3-5 %, white cotton about 70 %)."""
_CLOTH_BOTTOMS = (
    ((0.035, 0.035, 0.04), 0.30), ((0.03, 0.045, 0.11), 0.16), ((0.10, 0.16, 0.30), 0.10),
    ((0.08, 0.08, 0.085), 0.10), ((0.22, 0.22, 0.23), 0.08), ((0.45, 0.37, 0.24), 0.10),
    ((0.025, 0.03, 0.08), 0.06), ((0.13, 0.065, 0.035), 0.04), ((0.70, 0.69, 0.65), 0.03),
    ((0.11, 0.12, 0.05), 0.03),
)
"""Bottoms: black, dark and mid denim, charcoal, grey, khaki, navy, brown, off-white, olive."""
_GARMENT_PALETTES = {"clothing_top": _CLOTH_TOPS, "clothing_bottom": _CLOTH_BOTTOMS}
_SHOES = (
    ((0.03, 0.03, 0.03), 0.40), ((0.70, 0.70, 0.68), 0.25), ((0.15, 0.15, 0.15), 0.10),
    ((0.06, 0.035, 0.02), 0.12), ((0.25, 0.15, 0.07), 0.06), ((0.02, 0.03, 0.07), 0.04),
    ((0.40, 0.03, 0.03), 0.03),
)
"""Shoes: black, white trainers, grey, dark brown and tan leather, navy, red (linear RGB, weight)."""
CLOTH_BRIGHT_SHARE = {"clothing_top": 0.12, "clothing_bottom": 0.04}
"""Share of garments in a saturated colour of any hue instead of the palettes' neutrals."""
CLOTH_PATTERN_SHARES = {"clothing_top": (0.15, 0.12), "clothing_bottom": (0.03, 0.07)}
"""(striped, checked) shares of the garments per slot; the rest are plain (a visible weave only)."""
_SKIN = ((0.62, 0.43, 0.33), (0.45, 0.28, 0.18), (0.25, 0.14, 0.08), (0.12, 0.06, 0.03), (0.70, 0.52, 0.42))
_HAIR = ((0.02, 0.015, 0.01), (0.12, 0.06, 0.02), (0.40, 0.28, 0.12), (0.35, 0.35, 0.35))
_FACADE = ((0.35, 0.10, 0.06), (0.55, 0.48, 0.38), (0.40, 0.40, 0.40), (0.70, 0.68, 0.62), (0.25, 0.22, 0.20))

_FIXED = {
    "glass": MaterialSpec((0.01, 0.012, 0.015), 0.05, 0.0),
    "tire": MaterialSpec((0.015, 0.015, 0.015), 0.85),
    "headlight": MaterialSpec((0.85, 0.85, 0.80), 0.1),
    "taillight": MaterialSpec((0.50, 0.01, 0.01), 0.2),
    "metal": MaterialSpec((0.45, 0.45, 0.47), 0.35, 1.0),
    "cone_orange": MaterialSpec((0.85, 0.18, 0.01), 0.5),
    "cone_base": MaterialSpec((0.02, 0.02, 0.02), 0.8),
    "reflective_white": MaterialSpec((0.85, 0.85, 0.85), 0.3),
    "window": MaterialSpec((0.02, 0.03, 0.05), 0.08, 0.0),
    "roof": MaterialSpec((0.08, 0.08, 0.08), 0.9),
    "trim": MaterialSpec((0.62, 0.61, 0.58), 0.55),
    "drain_gap": MaterialSpec((0.01, 0.01, 0.01), 0.9),
    "lane_paint": MaterialSpec((0.75, 0.75, 0.72), 0.6),
    "curb": MaterialSpec((0.35, 0.35, 0.34), 0.85),
    "antler": MaterialSpec((0.30, 0.24, 0.16), 0.7),
    "tape": MaterialSpec((0.45, 0.35, 0.20), 0.35),
    "barrier_red": MaterialSpec((0.60, 0.02, 0.02), 0.4),
    "plate": MaterialSpec((0.80, 0.80, 0.76), 0.35),
}
_BRICK = ((0.30, 0.08, 0.04), (0.38, 0.14, 0.07), (0.45, 0.30, 0.18), (0.20, 0.07, 0.05), (0.55, 0.45, 0.32))
_MORTAR_RGB = (0.42, 0.40, 0.37)
_DRY_GRASS_RGB = (0.26, 0.20, 0.07)
_SOIL_RGB = (0.11, 0.075, 0.045)
BRICK_FACADE_SHARE = 0.45
"""Share of building facades that are brick; the others are painted plaster."""

TEXTURE_RANGES: dict[str, dict[str, tuple[float, float]]] = {
    "asphalt": {"grain_scale_per_m": (40.0, 120.0), "grain_contrast": (0.1, 0.3), "crack_cell_m": (1.5, 5.0),
                "crack_width_m": (0.002, 0.008), "crack_density": (0.0, 1.0), "patch_size_m": (2.0, 8.0),
                "patch_coverage": (0.0, 0.35), "patch_tone": (0.55, 1.4), "wear": (0.0, 1.0)},
    "concrete": {"joint_spacing_m": (0.5, 2.0), "joint_width_m": (0.006, 0.02), "joint_offset": (0.0, 0.5),
                 "slab_variation": (0.02, 0.12), "stain_coverage": (0.0, 0.4), "stain_size_m": (0.5, 3.0)},
    "brick": {"brick_length_m": (0.19, 0.29), "brick_height_m": (0.05, 0.09), "mortar_m": (0.006, 0.015),
              "brick_variation": (0.05, 0.3), "dirt_amount": (0.0, 0.6), "streak_height_m": (1.0, 6.0)},
    "plaster": {"color_variation": (0.02, 0.12), "dirt_amount": (0.0, 0.6), "streak_height_m": (1.0, 6.0)},
    "grass": {"dry_coverage": (0.0, 0.6), "patch_size_m": (1.0, 10.0), "color_variation": (0.1, 0.35),
              "blade_scale_per_m": (30.0, 80.0)},
    "painted_metal": {"clearcoat": (0.3, 1.0), "coat_roughness": (0.02, 0.12), "dirt_height_m": (0.2, 0.7),
                      "dirt_amount": (0.0, 0.9), "chip_coverage": (0.0, 0.02), "chip_metallic": (0.0, 1.0)},
    "kerb": {"stone_length_m": (0.8, 1.0), "joint_width_m": (0.004, 0.012), "stone_variation": (0.02, 0.10),
             "stain_coverage": (0.0, 0.3), "stain_size_m": (0.3, 1.5)},
    "cloth": {"stripe_period_m": (0.015, 0.10), "stripe_duty": (0.2, 0.6), "weave_scale_per_m": (250.0, 700.0),
              "weave_contrast": (0.04, 0.14)},
    "worn_paint": {"paint_wear": (0.0, 0.6), "blotch_size_m": (0.2, 1.0)},
    "verge": {"color_variation": (0.1, 0.3), "blade_scale_per_m": (120.0, 260.0), "tuft_size_m": (0.04, 0.12),
              "dry_coverage": (0.0, 0.4), "patch_size_m": (0.4, 3.0), "soil_edge_m": (0.04, 0.15),
              "bare_coverage": (0.0, 0.25)},
}
"""Every procedural texture's float parameters and the [low, high] they are drawn from
(uniform; `crack_density` is 0.1 + 0.9 * wear * U(0.3, 1), `joint_offset` and
`chip_metallic` are 0 or the high value). Each texture also has `offset_m` in [0, 1000).
Asphalt also carries the road's `lane_width_m` and `lanes_per_direction` (not drawn: the
layout sets them with `with_lanes`; 0 lanes, the default, draws no wheel paths); a verge its
strip's `half_width_m` (`sample_verge`)."""
NO_LANES = (("lane_width_m", 3.5), ("lanes_per_direction", 0.0))
"""Asphalt's lane parameters until a layout sets them (`with_lanes`): no wheel paths."""
TEXTURES = ("flat", *TEXTURE_RANGES)
"""The valid `MaterialSpec.texture` names."""
OFFSET_RANGE_M = (0.0, 1000.0)

_FUR = ((0.28, 0.15, 0.07), (0.18, 0.10, 0.05), (0.05, 0.04, 0.03), (0.55, 0.45, 0.32), (0.40, 0.40, 0.38))
_ROCK = ((0.25, 0.24, 0.22), (0.35, 0.30, 0.25), (0.15, 0.15, 0.16))


def _jitter(rng: np.random.Generator, rgb: Iterable[float], amount: float) -> tuple[float, float, float]:
    values = np.asarray(tuple(rgb), dtype=np.float64) * rng.uniform(1.0 - amount, 1.0 + amount, size=3)
    return tuple(float(v) for v in np.clip(values, 0.0, 1.0))  # type: ignore[return-value]


def _hsv(rng: np.random.Generator, saturation: tuple[float, float], value: tuple[float, float]) -> tuple:
    rgb = colorsys.hsv_to_rgb(float(rng.uniform()), float(rng.uniform(*saturation)), float(rng.uniform(*value)))
    return tuple(float(c) ** 2.2 for c in rgb)  # sRGB-ish to linear


def _texture_params(texture: str, rng: np.random.Generator, **drawn) -> tuple:
    """Uniform draws of the texture's parameters in `TEXTURE_RANGES` order (those given in
    `drawn` are taken as they are), plus `offset_m`, as sorted (name, value) pairs."""
    values = {}
    for name, (low, high) in TEXTURE_RANGES[texture].items():
        values[name] = drawn.pop(name) if name in drawn else float(rng.uniform(low, high))
    values["offset_m"] = float(rng.uniform(*OFFSET_RANGE_M))
    values.update(drawn)
    return tuple(sorted(values.items()))


def _weighted(table: tuple, rng: np.random.Generator) -> tuple[float, float, float]:
    """One colour of a ((rgb, weight), ...) table, drawn by weight."""
    weights = np.array([w for _, w in table])
    return table[int(rng.choice(len(table), p=weights / weights.sum()))][0]


def _garment_rgb(slot: str, rng: np.random.Generator) -> tuple[float, float, float]:
    """A garment colour of `slot`: a palette neutral jittered 15 %, or (`CLOTH_BRIGHT_SHARE`) a
    saturated colour of any hue (value 0.5-0.9 before the gamma)."""
    if rng.uniform() < CLOTH_BRIGHT_SHARE[slot]:
        return _hsv(rng, (0.5, 0.9), (0.5, 0.9))
    return _jitter(rng, _weighted(_GARMENT_PALETTES[slot], rng), 0.15)


def _textured(texture: str, flat: MaterialSpec, params: tuple) -> MaterialSpec:
    return MaterialSpec(flat.base_color_rgb, flat.roughness, flat.metallic, texture=texture, texture_params=params)


def _sample_asphalt(rng: np.random.Generator) -> MaterialSpec:
    """Road wear drives both: fresh asphalt is dark and blue-black, smooth, hardly cracked;
    worn asphalt is lighter, warmer, rougher and cracked."""
    wear = float(rng.uniform())
    flat = _asphalt_flat(wear, rng)
    return _textured("asphalt", flat, _texture_params(
        "asphalt", rng, wear=wear, crack_density=0.1 + 0.9 * wear * float(rng.uniform(0.3, 1.0)), **dict(NO_LANES)))


def with_lanes(asphalt: MaterialSpec, lane_width_m: float, lanes_per_direction: int) -> MaterialSpec:
    """The asphalt spec with the lanes of the road it covers (draws nothing): its wheel paths
    (`simgen.blender.textures`) run along the lanes of a slab centred across them."""
    params = {**dict(asphalt.texture_params), "lane_width_m": float(lane_width_m),
              "lanes_per_direction": float(lanes_per_direction)}
    return dataclasses.replace(asphalt, texture_params=tuple(sorted(params.items())))


def sample_kerb(rng: np.random.Generator) -> MaterialSpec:
    """Kerb stones: light grey concrete or granite (0.40-0.60), one stone of 0.8-1.0 m between
    transverse joints (texture 'kerb')."""
    grey = float(rng.uniform(0.40, 0.60))
    flat = MaterialSpec(_jitter(rng, (grey, grey, grey * 0.98), 0.03), float(rng.uniform(0.7, 0.9)))
    return _textured("kerb", flat, _texture_params("kerb", rng))


def sample_verge(half_width_m: float, rng: np.random.Generator) -> MaterialSpec:
    """A grass verge (texture 'verge'): a lawn green (jittered 25 %, roughness 0.9), straw-dry
    patches and bare soil, soil showing along the strip's long edges; `half_width_m` (not
    drawn) is half the strip's width, object y running across it."""
    flat = MaterialSpec(_jitter(rng, (0.06, 0.15, 0.03), 0.25), 0.9)
    dry = _jitter(rng, _DRY_GRASS_RGB, 0.2)
    soil = _jitter(rng, _SOIL_RGB, 0.2)
    return _textured("verge", flat, _texture_params("verge", rng, dry_rgb=dry, soil_rgb=soil,
                                                    half_width_m=float(half_width_m)))


def wear_paint(paint: MaterialSpec, rng: np.random.Generator) -> MaterialSpec:
    """Road paint (a flat 'lane_paint' spec) worn off in patches (texture 'worn_paint',
    `paint_wear` 0..0.6 of the paint gone at most), its parameters drawn from `rng`."""
    return _textured("worn_paint", paint, _texture_params("worn_paint", rng))


def _asphalt_flat(wear: float, rng: np.random.Generator) -> MaterialSpec:
    # Asphalt's measured solar reflectance is about 0.05 fresh and rises to 0.10-0.20 as the
    # binder weathers off the aggregate (LBNL Heat Island Group's pavement measurements);
    # wear 0..1 spans fresh to aged.
    grey = 0.04 + 0.12 * wear
    return MaterialSpec((grey * (1.0 + 0.04 * wear), grey, grey * (1.04 - 0.08 * wear)),
                        0.72 + 0.2 * wear + float(rng.uniform(-0.03, 0.03)))


def _add_texture(slot: str, flat: MaterialSpec, rng: np.random.Generator) -> MaterialSpec:
    """The slot's procedural surface on top of its flat material (drawn after it), or `flat`
    itself for slots without a texture (no draws)."""
    if slot == "concrete":
        offset = 0.5 if rng.uniform() < 0.5 else 0.0
        return _textured("concrete", flat, _texture_params("concrete", rng, joint_offset=offset))
    if slot == "facade":
        if rng.uniform() < BRICK_FACADE_SHARE:
            brick = MaterialSpec(_jitter(rng, _BRICK[int(rng.integers(len(_BRICK)))], 0.1), 0.9)
            mortar = _jitter(rng, _MORTAR_RGB, 0.15)
            return _textured("brick", brick, _texture_params("brick", rng, mortar_rgb=mortar))
        return _textured("plaster", flat, _texture_params("plaster", rng))
    if slot == "grass":
        dry = _jitter(rng, _DRY_GRASS_RGB, 0.2)
        return _textured("grass", flat, _texture_params("grass", rng, dry_rgb=dry))
    if slot == "paint":
        metallic = 1.0 if rng.uniform() < 0.5 else 0.0
        return _textured("painted_metal", flat, _texture_params("painted_metal", rng, chip_metallic=metallic))
    if slot in CLOTH_PATTERN_SHARES:
        striped, checked = CLOTH_PATTERN_SHARES[slot]
        pattern = float(rng.uniform())
        second = _garment_rgb(slot, rng)
        return _textured("cloth", flat, _texture_params("cloth", rng, stripes=float(pattern < striped),
                                                        checks=float(striped <= pattern < striped + checked),
                                                        second_rgb=second))
    return flat


def sample_flat_material(slot: str, rng: np.random.Generator) -> MaterialSpec:
    """A flat material for one slot. Unknown slots get a neutral grey plastic."""
    if slot == "paint":
        base = _weighted(_PAINT, rng)
        return MaterialSpec(_jitter(rng, base, 0.15), float(rng.uniform(0.15, 0.4)), float(rng.uniform(0.0, 0.6)))
    if slot == "shoes":
        return MaterialSpec(_jitter(rng, _weighted(_SHOES, rng), 0.1), float(rng.uniform(0.4, 0.8)))
    if slot == "skin":
        return MaterialSpec(_jitter(rng, _SKIN[int(rng.integers(len(_SKIN)))], 0.1), 0.5)
    if slot == "hair":
        return MaterialSpec(_jitter(rng, _HAIR[int(rng.integers(len(_HAIR)))], 0.1), 0.6)
    if slot in ("clothing_top", "clothing_bottom"):
        return MaterialSpec(_garment_rgb(slot, rng), float(rng.uniform(0.6, 0.95)))
    if slot == "facade":
        return MaterialSpec(_jitter(rng, _FACADE[int(rng.integers(len(_FACADE)))], 0.12),
                            float(rng.uniform(0.7, 0.95)))
    if slot == "asphalt":
        return _asphalt_flat(float(rng.uniform()), rng)
    if slot == "concrete":
        grey = float(rng.uniform(0.25, 0.45))
        return MaterialSpec(_jitter(rng, (grey, grey, grey * 0.97), 0.03), float(rng.uniform(0.8, 0.95)))
    if slot == "bark":
        return MaterialSpec(_jitter(rng, (0.12, 0.07, 0.04), 0.2), 0.9)
    if slot == "foliage":
        return MaterialSpec(_jitter(rng, (0.05, 0.16, 0.03), 0.3), 0.8)
    if slot == "fur":
        return MaterialSpec(_jitter(rng, _FUR[int(rng.integers(len(_FUR)))], 0.15), float(rng.uniform(0.7, 0.95)))
    if slot == "cardboard":
        return MaterialSpec(_jitter(rng, (0.42, 0.27, 0.12), 0.2), float(rng.uniform(0.75, 0.95)))
    if slot == "fabric":
        return MaterialSpec(_hsv(rng, (0.0, 0.6), (0.3, 0.95)), float(rng.uniform(0.7, 0.95)))
    if slot == "rock":
        return MaterialSpec(_jitter(rng, _ROCK[int(rng.integers(len(_ROCK)))], 0.2), float(rng.uniform(0.6, 0.95)))
    if slot == "grass":
        return MaterialSpec(_jitter(rng, (0.06, 0.15, 0.03), 0.25), 0.9)
    if slot in _FIXED:
        fixed = _FIXED[slot]
        return MaterialSpec(_jitter(rng, fixed.base_color_rgb, 0.05), fixed.roughness, fixed.metallic)
    return MaterialSpec((0.5, 0.5, 0.5), 0.5)


def sample_material(slot: str, rng: np.random.Generator) -> MaterialSpec:
    """A material for one slot: its flat base values, then (for textured slots) the procedural
    surface's parameters, both from `rng`."""
    if slot == "asphalt":
        return _sample_asphalt(rng)
    return _add_texture(slot, sample_flat_material(slot, rng), rng)


def sample_materials(slots: Iterable[str], rng: np.random.Generator) -> dict[str, MaterialSpec]:
    """One material per slot, drawn in slot order."""
    return {slot: sample_material(slot, rng) for slot in slots}
