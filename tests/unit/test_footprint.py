from __future__ import annotations

from simgen.geometry.footprint import footprints_overlap
from simgen.specs import Footprint


def test_overlap_and_separation():
    a = Footprint(0, 0, 4, 2, 0)
    assert footprints_overlap(a, Footprint(3, 0, 4, 2, 0))
    assert not footprints_overlap(a, Footprint(4.01, 0, 4, 2, 0))
    assert not footprints_overlap(a, Footprint(0, 2.01, 4, 2, 0))
    # rotated: a 45-degree square just clear of a's corner
    assert not footprints_overlap(a, Footprint(3.5, 2.5, 1, 1, 45))
    assert footprints_overlap(a, Footprint(2.2, 1.2, 1, 1, 45))


def test_grown_adds_margin():
    a = Footprint(0, 0, 4, 2, 30).grown(0.5)
    assert (a.length_m, a.width_m) == (5, 3)
