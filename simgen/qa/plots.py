"""Matplotlib (Agg, no display) plots as PNG bytes, for the self-contained HTML report."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import numpy as np  # noqa: E402

DPI = 80


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def histogram_grid_png(panels: Sequence[tuple[Sequence[float], str, str, tuple[float, float] | None]],
                       columns: int = 3) -> bytes:
    """Histograms in one figure (one render, which is much faster than one figure each).

    Args:
        panels: (values, title, x label, asked range or None) per histogram; the asked range
            (what the config allowed) is shaded behind the bars.
    """
    rows = max(1, -(-len(panels) // columns))
    fig, axes = plt.subplots(rows, columns, figsize=(4.0 * columns, 2.7 * rows), squeeze=False)
    for ax, (values, title, xlabel, asked_range) in zip(axes.flat, panels, strict=False):
        _histogram(ax, values, title, xlabel, asked_range)
    for ax in list(axes.flat)[len(panels):]:
        ax.axis("off")
    # Fixed margins: tight_layout would cost a second full draw of every axis.
    fig.subplots_adjust(left=0.06, right=0.98, top=1 - 0.3 / (2.7 * rows), bottom=0.45 / (2.7 * rows),
                        hspace=0.55, wspace=0.3)
    return _png(fig)


def _histogram(ax, values: Sequence[float], title: str, xlabel: str, asked_range: tuple[float, float] | None) -> None:
    data = np.asarray([v for v in values if v is not None and np.isfinite(v)], dtype=float)
    if asked_range is not None:
        ax.axvspan(asked_range[0], asked_range[1], color="#c8e6c9", label="config range", zorder=0)
        ax.legend(loc="upper right", fontsize=7)
    if data.size:
        ax.hist(data, bins=20, color="#1f77b4", zorder=2)
    else:
        ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_ylabel("count", fontsize=8)
    ax.tick_params(labelsize=7)


def bars_png(labels: Sequence[str], observed: Sequence[float], title: str,
             expected: Sequence[float] | None = None, ylabel: str = "count") -> bytes:
    """Bars of observed values, with expected values (e.g. config weights) as black ticks."""
    fig, ax = plt.subplots(figsize=(4.2, 2.8))
    positions = np.arange(len(labels))
    ax.bar(positions, observed, color="#ff7f0e", label="observed")
    if expected is not None:
        ax.scatter(positions, expected, marker="_", s=600, color="black", label="config", zorder=3)
        ax.legend(fontsize=7)
    ax.set_xticks(positions, [str(label) for label in labels], rotation=30, ha="right", fontsize=7)
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(ylabel, fontsize=8)
    ax.tick_params(labelsize=7)
    fig.subplots_adjust(left=0.14, right=0.97, top=0.9, bottom=0.28)
    return _png(fig)
