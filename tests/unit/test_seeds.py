from __future__ import annotations

from simgen.seeds import CONCERNS, concern_rng, cycles_seed


def test_streams_are_reproducible_and_distinct():
    a = concern_rng(7, 3, "camera").random(4)
    assert (a == concern_rng(7, 3, "camera").random(4)).all()
    assert not (a == concern_rng(7, 3, "lighting").random(4)).any()
    assert not (a == concern_rng(7, 4, "camera").random(4)).any()
    assert not (a == concern_rng(8, 3, "camera").random(4)).any()


def test_concern_codes_are_unique_and_stable():
    assert len(set(CONCERNS.values())) == len(CONCERNS)
    assert CONCERNS["camera"] == 0 and CONCERNS["placement"] == 3  # never renumber


def test_cycles_seed_is_a_valid_int32():
    seeds = {cycles_seed(0, i) for i in range(50)}
    assert len(seeds) == 50 and all(0 <= s < 2**31 for s in seeds)
