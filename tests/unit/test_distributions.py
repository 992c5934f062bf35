from __future__ import annotations

import numpy as np
import pytest

from simgen.config.distributions import (
    Choice,
    Constant,
    IntRange,
    LogUniform,
    Normal,
    Uniform,
    check_support,
    parse_distribution,
)
from simgen.errors import ConfigError


def test_parse_each_kind():
    assert parse_distribution(1.5, "f") == Constant(1.5)
    assert parse_distribution({"uniform": [1, 2]}, "f") == Uniform(1.0, 2.0)
    assert parse_distribution({"normal": [0, 1], "clip": [-1, 1]}, "f") == Normal(0.0, 1.0, (-1.0, 1.0))
    assert parse_distribution({"loguniform": [0.1, 10]}, "f") == LogUniform(0.1, 10.0)
    assert parse_distribution({"int_range": [1, 3]}, "f") == IntRange(1, 3)
    choice = parse_distribution({"choice": ["a", "b"], "weights": [3, 1]}, "f")
    assert isinstance(choice, Choice) and choice.probabilities == (0.75, 0.25)


@pytest.mark.parametrize("value, field", [
    ({"uniform": [2, 1]}, "x.uniform"),
    ({"uniform": [1]}, "x.uniform"),
    ({"gaussian": [0, 1]}, "x"),
    ({"normal": [0, -1]}, "x.normal"),
    ({"loguniform": [0, 1]}, "x.loguniform"),
    ({"choice": ["a", "b"], "weights": [0, 0]}, "x.weights"),
    ({"choice": ["a", "b"], "weights": [1]}, "x.weights"),
    ({"choice": []}, "x.choice"),
    ({"int_range": [0.5, 2]}, "x.int_range"),
    ({"uniform": [0, 1], "clip": [0, 1]}, "x.clip"),
    ([1, 2], "x"),
])
def test_bad_distributions_name_the_field(value, field):
    with pytest.raises(ConfigError) as info:
        parse_distribution(value, "x")
    assert info.value.field == field


def test_sampling_respects_bounds_and_frequencies():
    rng = np.random.default_rng(0)
    uniform = parse_distribution({"uniform": [2, 3]}, "f")
    draws = np.array([uniform.sample(rng) for _ in range(5000)])
    assert draws.min() >= 2 and draws.max() < 3 and abs(draws.mean() - 2.5) < 0.02
    clipped = parse_distribution({"normal": [0, 10], "clip": [-1, 1]}, "f")
    assert all(-1 <= clipped.sample(rng) <= 1 for _ in range(1000))
    ints = [parse_distribution({"int_range": [1, 3]}, "f").sample(rng) for _ in range(3000)]
    assert set(ints) == {1, 2, 3}
    choice = parse_distribution({"choice": ["a", "b"], "weights": [3, 1]}, "f")
    share = np.mean([choice.sample(rng) == "a" for _ in range(4000)])
    assert abs(share - 0.75) < 0.03
    log = parse_distribution({"loguniform": [1, 100]}, "f")
    assert abs(np.median([log.sample(rng) for _ in range(4000)]) - 10) < 1.5


def test_support_check():
    check_support(Uniform(0, 1), "f", 0, 1)
    with pytest.raises(ConfigError, match=r"values in \[0, 1\]"):
        check_support(Uniform(0, 2), "f", 0, 1)
    with pytest.raises(ConfigError):
        check_support(Normal(0, 1), "f", -5, 5)  # unbounded normal without clip


def test_the_one_value_spelling_round_trips_with_the_mapping_spelling():
    from simgen.config.distributions import format_distribution, parse_distribution_text

    for mapping in ({"uniform": [1.3, 1.6]}, {"normal": [-3.0, 1.5], "clip": [-8.0, 0.0]},
                    {"loguniform": [14.0, 50.0]}, {"choice": [1, 2, 3], "weights": [5, 3, 1]},
                    {"int_range": [3, 8]}, {"gauss": [0, 1]}):
        text = format_distribution(mapping)
        assert parse_distribution_text(text, "f") == mapping
        assert parse_distribution(text, "f") == parse_distribution(mapping, "f") if "gauss" not in mapping else True
    assert format_distribution({"normal": [0.0, 2.0], "clip": [-6.0, 6.0]}) == "normal(0.0, 2.0, clip=[-6.0, 6.0])"


def test_the_one_value_spelling_evaluates_nothing():
    from simgen.config.distributions import parse_distribution_text

    with pytest.raises(ConfigError, match="camera.pitch_deg"):
        parse_distribution_text("uniform(__import__('os').getcwd(), 1)", "camera.pitch_deg")
    assert parse_distribution_text("not a call", "f") == "not a call"


def test_two_merged_kinds_are_refused_with_the_one_value_spelling():
    with pytest.raises(ConfigError, match=r"one distribution kind.*normal\(0, 1\)"):
        parse_distribution({"uniform": [1, 2], "normal": [0, 1]}, "camera.pitch_deg")
