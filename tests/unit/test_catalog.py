from __future__ import annotations

import numpy as np
import pytest

from simgen.catalog.entries import load_catalog, sample_asset_params
from simgen.errors import AssetError


def test_packaged_catalog_loads_with_every_traffic_category():
    catalog = load_catalog()
    for category in ("car", "pedestrian", "cyclist", "traffic_cone"):
        assert catalog.by_category(category)
    assert len(catalog.sha256) == 64


def test_params_are_drawn_within_ranges():
    entry = load_catalog().get("sedan")
    params = sample_asset_params(entry, np.random.default_rng(0))
    assert 4.3 <= params["length_m"] <= 4.9


def test_a_range_per_an_earlier_parameter_keeps_the_proportion_whatever_the_size(tmp_path):
    """`{per: height_m, range: [a, b]}` draws one number in [a, b] and multiplies it by the drawn
    height, so shoulder width over height stays in [a, b] for a short and a tall draw alike."""
    user = tmp_path / "people.yaml"
    user.write_text("kid: {category: pedestrian, recipe: pedestrian, params: {height_m: [1.0, 1.4], "
                    "shoulder_width_m: {per: height_m, range: [0.23, 0.26]}}}\n"
                    "kid_flat: {category: pedestrian, recipe: pedestrian, params: {height_m: [1.0, 1.4], "
                    "shoulder_width_m: [0.23, 0.26]}}\n")
    catalog = load_catalog(extra=user)
    draws = [sample_asset_params(catalog.get("kid"), np.random.default_rng(seed)) for seed in range(400)]
    heights = np.array([d["height_m"] for d in draws])
    ratios = np.array([d["shoulder_width_m"] for d in draws]) / heights
    assert heights.min() < 1.05 and heights.max() > 1.35
    assert 0.23 <= ratios.min() and ratios.max() <= 0.26 and ratios.max() - ratios.min() > 0.025
    # one draw per ranged parameter, as for [low, high]: the other parameters are the same draws
    flat = sample_asset_params(catalog.get("kid_flat"), np.random.default_rng(7))
    per = sample_asset_params(catalog.get("kid"), np.random.default_rng(7))
    assert per["height_m"] == flat["height_m"]
    assert per["shoulder_width_m"] == pytest.approx(flat["shoulder_width_m"] * flat["height_m"])
    packaged = {e.name: e.params["shoulder_width_m"] for e in load_catalog().by_category("pedestrian")}
    assert all(value.per == "height_m" for value in packaged.values())


def test_runners_are_dressed_to_run():
    """The packaged runner never draws a skirt, a coat or a shoulder bag; it draws trousers
    (leggings) and shorts, long and short sleeves, a backpack or nothing."""
    from simgen.catalog.recipes.figure import Outfit

    entry = load_catalog().get("pedestrian_runner")
    rng = np.random.default_rng(0)
    outfits = []
    for _ in range(400):
        p = sample_asset_params(entry, rng)
        outfits.append(Outfit.of(p["bottom_style"], p["coat"], p["sleeves"], p["hair_style"], p["bag"]))
    assert {o.bottom for o in outfits} == {"trousers", "shorts"}
    assert not any(o.coat for o in outfits)
    assert {o.short_sleeves for o in outfits} == {True, False}
    assert {o.bag for o in outfits} == {"none", "backpack"}


@pytest.mark.parametrize("text, match", [
    ("car1: {category: car, recipe: kar}", "did you mean 'car'"),
    ("p: {category: pedestrian, recipe: pedestrian, params: {shoulder_width_m: {per: height_m, range: [0.2, 0.3]}, "
     "height_m: 1.7}}", r"shoulder_width_m'?, per: got 'height_m'; allowed: a parameter listed before it"),
    ("p: {category: pedestrian, recipe: pedestrian, params: {height_m: 1.7, "
     "shoulder_width_m: {per: height_m, range: [0.3, 0.2]}}}", r"shoulder_width_m'?, range.*low <= high"),
    ("p: {category: pedestrian, recipe: pedestrian, params: {height_m: 1.7, "
     "shoulder_width_m: {per: height_m, range: 0.25}}}", r"range: got 0.25; allowed: \[low, high\]"),
    ("p: {category: pedestrian, recipe: pedestrian, params: {height_m: 1.7, shoulder_width_m: {of: height_m}}}",
     r"shoulder_width_m'?: got \{'of': 'height_m'\}; allowed: .*per:"),
    ("p: {category: pedestrian, recipe: pedestrian, params: {height_m: 1.7, "
     "shoulder_width_m: {per: height_m, range: [0.5, 0.6]}}}", "shoulder_width_m"),
    ("car1: {category: car, recipe: car, params: {lenght_m: 4}}", "did you mean 'length_m'"),
    ("car1: {category: car, recipe: car, params: {length_m: [5, 4]}}", "low <= high"),
    ("car1: {category: car, recipe: car, params: {length_m: 900}}", "implausible size"),
    ("car1: {category: car, recipe: car, params: {length_m: -1}}", "length_m"),
    ("car1: {category: car}", "recipe"),
    ("- not a mapping", "must map"),
    ("car1: {category: car, recipe: car, colour: red}", "unknown keys"),
])
def test_bad_catalogs_name_the_entry(tmp_path, text, match):
    path = tmp_path / "catalog.yaml"
    path.write_text(text)
    with pytest.raises(AssetError, match=match):
        load_catalog(path)


def test_missing_and_corrupt_files(tmp_path):
    with pytest.raises(AssetError, match="cannot read"):
        load_catalog(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"a: [unclosed")
    with pytest.raises(AssetError, match="cannot read"):
        load_catalog(bad)


def test_entry_weights_set_how_often_each_entry_of_a_category_is_picked(tmp_path):
    import numpy as np

    from simgen.catalog.entries import load_catalog, pick_entry

    user = tmp_path / "weights.yaml"
    user.write_text("rare_cone: {category: traffic_cone, recipe: traffic_cone, weight: 0.25}\n"
                    "common_cone: {category: traffic_cone, recipe: traffic_cone, weight: 0.75}\n")
    catalog = load_catalog(extra=user)
    entries = (catalog.get("rare_cone"), catalog.get("common_cone"))
    rng = np.random.default_rng(0)
    picks = [pick_entry(entries, rng).name for _ in range(4000)]
    assert abs(picks.count("rare_cone") / 4000 - 0.25) < 4.5 * (0.25 * 0.75 / 4000) ** 0.5
    pedestrians = {e.name: e.weight for e in load_catalog().by_category("pedestrian")}
    assert pedestrians == {"pedestrian_adult": 6.0, "pedestrian_child": 2.0, "pedestrian_runner": 1.0}


@pytest.mark.parametrize("weight", [0, -1, "often", float("nan")])
def test_a_bad_entry_weight_names_the_entry(tmp_path, weight):
    from simgen.catalog.entries import load_catalog
    from simgen.errors import AssetError

    user = tmp_path / "bad.yaml"
    user.write_text(f"odd_cone: {{category: traffic_cone, recipe: traffic_cone, weight: {weight}}}\n")
    with pytest.raises(AssetError, match="odd_cone.*weight"):
        load_catalog(extra=user)
