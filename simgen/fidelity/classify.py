"""A real-vs-synthetic classifier on image statistics, evaluated with cross-validation.

Logistic regression on standardized features (scikit-learn). Its cross-validated ROC AUC says
how well low-level statistics tell the synthetic images from the real ones: 0.5 means
indistinguishable, 1.0 means every image is told apart. Per feature, the univariate AUC (how
well that feature alone ranks real above synthetic) and the standardized mean difference say
which statistics separate most.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simgen.fidelity.features import FEATURE_NAMES


@dataclass(frozen=True)
class FidelityResult:
    """Outcome of a real-vs-synthetic comparison.

    Attributes:
        auc: cross-validated ROC AUC of the classifier (label 1 = real).
        folds: number of stratified folds used.
        roc: (false positive rates, true positive rates) of the pooled out-of-fold scores.
        features: per feature, in decreasing order of separation: name, univariate AUC,
            separation |AUC - 0.5| * 2, standardized mean difference (real - synthetic) / pooled
            std, and the mean of each set.
    """

    auc: float
    folds: int
    roc: tuple[list[float], list[float]]
    features: list[dict]


def compare_features(synthetic: np.ndarray, real: np.ndarray, seed: int = 0) -> FidelityResult:
    """Cross-validated real-vs-synthetic classification on (N, F) feature arrays.

    Args:
        synthetic: (Ns, F) float64 features of the synthetic images.
        real: (Nr, F) float64 features of the real images.
        seed: the fold shuffle's seed (results are deterministic for a given seed).

    Raises:
        ValueError: fewer than 2 images in either set.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score, roc_curve
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if len(synthetic) < 2 or len(real) < 2:
        raise ValueError(f"need at least 2 images of each kind, got {len(synthetic)} synthetic and {len(real)} real")
    x = np.concatenate([synthetic, real])
    y = np.concatenate([np.zeros(len(synthetic), dtype=int), np.ones(len(real), dtype=int)])
    folds = int(min(5, len(synthetic), len(real)))
    model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=5000))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    scores = cross_val_predict(model, x, y, cv=splitter, method="predict_proba")[:, 1]
    fpr, tpr, _ = roc_curve(y, scores)
    ranked = []
    for i, name in enumerate(FEATURE_NAMES):
        auc_i = float(roc_auc_score(y, x[:, i])) if np.ptp(x[:, i]) > 0 else 0.5
        pooled = np.sqrt(0.5 * (synthetic[:, i].var(ddof=1) + real[:, i].var(ddof=1)))
        d = float((real[:, i].mean() - synthetic[:, i].mean()) / pooled) if pooled > 0 else 0.0
        ranked.append({"name": name, "auc": round(auc_i, 4), "separation": round(abs(auc_i - 0.5) * 2, 4),
                       "effect_size": round(d, 4), "real_mean": float(real[:, i].mean()),
                       "synthetic_mean": float(synthetic[:, i].mean())})
    ranked.sort(key=lambda f: (-f["separation"], -abs(f["effect_size"]), f["name"]))
    return FidelityResult(float(roc_auc_score(y, scores)), folds, (fpr.tolist(), tpr.tolist()), ranked)
