"""The `simgen plan` figure: a summary table and one histogram per sampled parameter.

Drawn with OpenCV (no plotting dependency), so the bytes depend only on the data.
"""

from __future__ import annotations

from collections import Counter

import cv2
import numpy as np

PANEL_W, PANEL_H = 320, 190
COLUMNS = 4
BINS = 20
MAX_CATEGORIES = 12
_FONT = cv2.FONT_HERSHEY_SIMPLEX
_INK = (30, 30, 30)
_BAR = (70, 110, 180)
_BG = (255, 255, 255)


def _text(image: np.ndarray, text: str, x: int, y: int, scale: float = 0.4, color=_INK) -> None:
    cv2.putText(image, text, (x, y), _FONT, scale, color, 1, cv2.LINE_AA)


def _bars(panel: np.ndarray, heights: np.ndarray, labels: list[str] | None) -> None:
    """Bars scaled to the tallest, in the panel's plot area (rows 24..150)."""
    top, bottom, left, right = 24, 150, 10, PANEL_W - 10
    width = (right - left) / max(len(heights), 1)
    peak = max(float(heights.max()), 1.0) if len(heights) else 1.0
    for i, h in enumerate(heights):
        x0 = int(left + i * width + 1)
        x1 = max(int(left + (i + 1) * width - 1), x0 + 1)
        y0 = int(bottom - (bottom - top) * float(h) / peak)
        cv2.rectangle(panel, (x0, y0), (x1, bottom), _BAR, -1)
        if labels:
            _text(panel, labels[i][:8], x0, bottom + 12 + 10 * (i % 2), 0.3)
    cv2.line(panel, (left, bottom), (right, bottom), _INK, 1)
    _text(panel, f"max {int(peak)}", right - 60, top - 4, 0.3)


def draw_panel(name: str, values: list) -> np.ndarray:
    """(PANEL_H, PANEL_W, 3) uint8 RGB: a histogram of numbers or a bar chart of categories."""
    panel = np.full((PANEL_H, PANEL_W, 3), _BG, dtype=np.uint8)
    _text(panel, name, 8, 14, 0.42)
    numeric = values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
    if not values:
        _text(panel, "(no values)", 110, 90)
    elif numeric and len(set(values)) > MAX_CATEGORIES:
        array = np.asarray(values, dtype=np.float64)
        counts, edges = np.histogram(array, bins=BINS)
        _bars(panel, counts, None)
        _text(panel, f"{edges[0]:.3g}", 8, 166, 0.35)
        _text(panel, f"{edges[-1]:.3g}", PANEL_W - 60, 166, 0.35)
        _text(panel, f"n {len(values)}  mean {array.mean():.3g}  std {array.std():.3g}", 8, 182, 0.35)
    else:
        counts = Counter(map(str, values))
        keys = sorted(counts, key=lambda k: (float(k), k) if _is_number(k) else (np.inf, k))[:MAX_CATEGORIES]
        _bars(panel, np.array([counts[k] for k in keys]), keys)
        _text(panel, f"n {len(values)}  " + "  ".join(f"{k}:{counts[k]}" for k in keys[:4]), 8, 182, 0.33)
    cv2.rectangle(panel, (0, 0), (PANEL_W - 1, PANEL_H - 1), (200, 200, 200), 1)
    return panel


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def draw_plan_figure(summary_text: str, columns: dict[str, list]) -> np.ndarray:
    """The whole figure as (H, W, 3) uint8 RGB: summary lines on top, then a grid of panels."""
    lines = summary_text.splitlines()
    header = np.full((18 * len(lines) + 16, PANEL_W * COLUMNS, 3), _BG, dtype=np.uint8)
    for i, line in enumerate(lines):
        _text(header, line, 10, 20 + 18 * i, 0.45)
    panels = [draw_panel(name, values) for name, values in columns.items()]
    while len(panels) % COLUMNS:
        panels.append(np.full((PANEL_H, PANEL_W, 3), _BG, dtype=np.uint8))
    rows = [np.concatenate(panels[i:i + COLUMNS], axis=1) for i in range(0, len(panels), COLUMNS)]
    return np.concatenate([header, *rows], axis=0)
