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
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def histogram_png(values: Sequence[float], title: str, xlabel: str, bins: int = 20,
                  asked_range: tuple[float, float] | None = None) -> bytes:
    """A histogram; `asked_range` (what the config allowed) is shaded behind the bars."""
    fig, ax = plt.subplots(figsize=(4.2, 2.8))
    data = np.asarray([v for v in values if v is not None and np.isfinite(v)], dtype=float)
    if asked_range is not None:
        ax.axvspan(asked_range[0], asked_range[1], color="#c8e6c9", label="config range", zorder=0)
        ax.legend(loc="upper right", fontsize=7)
    if data.size:
        ax.hist(data, bins=bins, color="#1f77b4", zorder=2)
    else:
        ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_ylabel("count", fontsize=8)
    ax.tick_params(labelsize=7)
    return _png(fig)


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
    return _png(fig)
