"""bench/realism_sheet.py's composition: tiles + labels -> one array of the documented layout,
with the labels drawn (no rendering here: the sheet's renders are the script's job)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "realism_sheet.py"


@pytest.fixture(scope="module")
def sheet_module():
    spec = importlib.util.spec_from_file_location("bench_realism_sheet", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tiles(rows: int, columns: int, h: int = 30, w: int = 40) -> list[list[np.ndarray]]:
    return [[np.full((h, w, 3), 10 * (r * columns + c + 1), np.uint8) for c in range(columns)] for r in range(rows)]


def test_the_sheet_has_the_documented_shape_and_the_tiles_in_place(sheet_module):
    tiles = _tiles(3, 2)
    sheet = sheet_module.compose_sheet(tiles, ["before (abc)", "after (def)"], ["a, frame 0", "b, frame 0", "c, 1"],
                                       "title")
    gutter = sheet_module.GUTTER_PX
    assert sheet.shape == (44 + 22 + 3 * (18 + 30), 2 * 40 + gutter, 3) and sheet.dtype == np.uint8
    for r in range(3):
        top = 44 + 22 + r * (18 + 30) + 18
        np.testing.assert_array_equal(sheet[top:top + 30, :40], tiles[r][0])
        np.testing.assert_array_equal(sheet[top:top + 30, 40 + gutter:], tiles[r][1])
        assert (sheet[top:top + 30, 40:40 + gutter] == 255).all()


def test_the_labels_are_drawn_in_their_strips(sheet_module):
    tiles = _tiles(2, 2, h=20, w=200)
    sheet = sheet_module.compose_sheet(tiles, ["before (abc)", "after (def)"], ["urban_day, frame 0", ""], "a title")
    gutter = sheet_module.GUTTER_PX

    def inked(block: np.ndarray) -> int:
        return int((block < 128).any(axis=2).sum())

    assert inked(sheet[:22]) > 0 and inked(sheet[22:44]) > 0        # title line, caption line
    assert inked(sheet[44:66, :200]) > 0 and inked(sheet[44:66, 200 + gutter:]) > 0   # both column labels
    assert inked(sheet[66:84]) > 0                                   # first row's label
    assert inked(sheet[66 + 18 + 20:66 + 18 + 20 + 18]) == 0         # the empty second row label stays blank


def test_tiles_of_different_shapes_or_a_missing_label_are_refused(sheet_module):
    tiles = _tiles(1, 2)
    tiles[0][1] = np.zeros((31, 40, 3), np.uint8)
    with pytest.raises(ValueError):
        sheet_module.compose_sheet(tiles, ["a", "b"], ["r"], "t")
    with pytest.raises(ValueError):
        sheet_module.compose_sheet(_tiles(2, 2), ["a", "b"], ["only one row label"], "t")
