"""Real-vs-synthetic AUC per slice of the synthetic frames: per weather condition and per time
of day, read from each frame's spec (`frames/NNNNNN.json`).

Each slice is compared with all the real photos on its own (`compare_features`), so a slice
whose AUC stays high names the conditions whose rendering is least like the photos. A slice
with fewer than 2 frames gets no AUC (`auc` None).
"""

from __future__ import annotations

import numpy as np

from simgen.fidelity.classify import compare_features

SLICE_KEYS: tuple[tuple[str, str, str], ...] = (
    ("weather", "weather", "condition"),
    ("lighting", "lighting", "time_of_day"),
)
"""(slice name, spec section, field) of each slicing."""


def frame_slices(spec: dict) -> dict[str, str]:
    """{slice name: value} of one frame spec, e.g. {'weather': 'rain', 'lighting': 'night'}."""
    return {name: str(spec.get(section, {}).get(key, "unknown")) for name, section, key in SLICE_KEYS}


def slice_aucs(synthetic: np.ndarray, slices: list[dict[str, str]], real: np.ndarray, seed: int) -> dict:
    """Per slicing, per value: {'images': n, 'auc': cross-validated AUC or None}.

    Args:
        synthetic: (Ns, F) float64 features of the synthetic images.
        slices: Ns dicts from `frame_slices`, in the same order.
        real: (Nr, F) float64 features of the real photos.
        seed: the fold shuffle's seed.
    """
    out: dict[str, dict[str, dict]] = {}
    for name, _, _ in SLICE_KEYS:
        values = sorted({s[name] for s in slices})
        out[name] = {}
        for value in values:
            rows = np.array([s[name] == value for s in slices])
            auc = round(compare_features(synthetic[rows], real, seed=seed).auc, 4) if rows.sum() >= 2 else None
            out[name][value] = {"images": int(rows.sum()), "auc": auc}
    return out
