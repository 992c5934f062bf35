"""The fidelity report: `fidelity.json` (numbers) and `fidelity.html` (numbers and plots).

Plots are drawn with matplotlib's Agg backend and embedded in the HTML as PNG data URIs, so
the report is one self-contained file. Both files are written atomically; for the same inputs
they hold the same bytes (no timestamps; PNG metadata stripped).
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import numpy as np

from simgen.fidelity.classify import FidelityResult
from simgen.fidelity.features import FEATURE_NAMES
from simgen.writers.atomic import write_bytes_atomic, write_json_atomic

JSON_FILE = "fidelity.json"
HTML_FILE = "fidelity.html"


def report_data(result: FidelityResult, synthetic_files: list[str], real_files: list[str],
                analysis_width_px: int) -> dict:
    """The JSON report: AUC, folds, ranked features, ROC curve and the inputs."""
    return {"roc_auc": round(result.auc, 4), "folds": result.folds,
            "interpretation": "cross-validated ROC AUC of a logistic-regression real-vs-synthetic classifier on "
                              "low-level image statistics; 0.5 = indistinguishable, 1.0 = always told apart",
            "analysis_width_px": analysis_width_px, "synthetic_images": len(synthetic_files),
            "real_images": len(real_files), "features": result.features,
            "roc": {"fpr": [round(v, 4) for v in result.roc[0]], "tpr": [round(v, 4) for v in result.roc[1]]},
            "synthetic_files": synthetic_files, "real_files": real_files}


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80, metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def plots(result: FidelityResult, synthetic: np.ndarray, real: np.ndarray, top: int) -> dict[str, str]:
    """{title: base64 PNG}: the ROC curve and the distributions of the `top` separating features."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    out = {}
    figure, axes = plt.subplots(figsize=(4, 4))
    axes.plot(*result.roc, label=f"classifier (AUC {result.auc:.3f})")
    axes.plot([0, 1], [0, 1], "--", color="grey", label="chance (0.5)")
    axes.set_xlabel("false positive rate")
    axes.set_ylabel("true positive rate")
    axes.legend(loc="lower right", fontsize=8)
    figure.tight_layout()
    out["ROC curve (cross-validated)"] = _png(figure)
    plt.close(figure)
    names = [f["name"] for f in result.features[:top]]
    cols = 3
    rows = max(1, -(-len(names) // cols))
    figure, grid = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.6 * rows), squeeze=False)
    for axes, name in zip(grid.ravel(), names, strict=False):
        i = FEATURE_NAMES.index(name)
        low = min(synthetic[:, i].min(), real[:, i].min())
        high = max(synthetic[:, i].max(), real[:, i].max())
        bins = np.linspace(low, high if high > low else low + 1.0, 16)
        axes.hist(synthetic[:, i], bins=bins, alpha=0.6, label="synthetic")
        axes.hist(real[:, i], bins=bins, alpha=0.6, label="real")
        axes.set_title(name, fontsize=9)
        axes.tick_params(labelsize=7)
    for axes in grid.ravel()[len(names):]:
        axes.axis("off")
    grid[0, 0].legend(fontsize=7)
    figure.tight_layout()
    out[f"The {len(names)} features that separate most"] = _png(figure)
    plt.close(figure)
    return out


def render_html(data: dict, images: dict[str, str]) -> str:
    """The HTML report as text: the real-vs-synthetic section (when `data` has `roc_auc`), the
    AUC per slice (when it has `slices`) and the probe tables (when it has `probe`)."""
    body = _auc_html(data, images) if "roc_auc" in data else "<h1>simgen fidelity</h1>"
    body += _slices_html(data.get("slices", {})) + _probe_html(data.get("probe", {}))
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>simgen fidelity</title>"
            "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td,th{padding:2px 8px;"
            f"text-align:right}}td:first-child{{text-align:left}}</style></head><body>{body}</body></html>\n")


def _auc_html(data: dict, images: dict[str, str]) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(f['name'])}</td><td>{f['auc']:.3f}</td><td>{f['separation']:.3f}</td>"
        f"<td>{f['effect_size']:+.2f}</td><td>{f['synthetic_mean']:.4g}</td><td>{f['real_mean']:.4g}</td></tr>"
        for f in data["features"])
    figures = "".join(f"<h2>{html.escape(title)}</h2><img alt='{html.escape(title)}' src='data:image/png;base64,"
                      f"{png}'>" for title, png in images.items())
    return (f"<h1>Real vs synthetic: ROC AUC {data['roc_auc']:.3f}</h1>"
            f"<p>{html.escape(data['interpretation'])}. {data['synthetic_images']} synthetic and "
            f"{data['real_images']} real images, {data['folds']}-fold stratified cross-validation, analysed at "
            f"{data['analysis_width_px']} px width at most.</p>"
            "<h2>Features, most separating first</h2><table><tr><th>feature</th><th>AUC alone</th>"
            "<th>separation</th><th>effect size (real - synth)</th><th>synthetic mean</th><th>real mean</th></tr>"
            f"{rows}</table>{figures}")


def _slices_html(slices: dict) -> str:
    if not slices:
        return ""
    rows = "".join(f"<tr><td>{html.escape(name)} = {html.escape(value)}</td><td>{cell['images']}</td>"
                   f"<td>{'-' if cell['auc'] is None else format(cell['auc'], '.3f')}</td></tr>"
                   for name, values in slices.items() for value, cell in values.items())
    return ("<h2>ROC AUC per slice of the synthetic frames (each against all real photos)</h2>"
            f"<table><tr><th>slice</th><th>synthetic images</th><th>ROC AUC</th></tr>{rows}</table>")


def _probe_html(probes: dict) -> str:
    out = ""
    for name, probe in probes.items():
        out += (f"<h2>Recognizability probe: {html.escape(name)}</h2><p>{probe['images']} images, "
                f"{probe['labels']} labels, {probe['detections']} detections ({probe['unmatched_detections']} "
                f"matching no label), IoU &ge; {probe['min_iou']}.</p><table><tr><th>category</th>"
                "<th>visibility</th><th>visible height px</th><th>found</th><th>total</th><th>recall</th></tr>")
        for category, table in probe["recall"].items():
            head = table["headline"]
            out += (f"<tr><td><b>{html.escape(category)}</b></td><td>unoccluded</td><td>&ge; 96</td>"
                    f"<td>{head['found']}</td><td>{head['total']}</td><td><b>{_recall(head)}</b></td></tr>")
            out += "".join(f"<tr><td>{html.escape(category)}</td><td>{vis}</td><td>{tall}</td><td>{cell['found']}"
                           f"</td><td>{cell['total']}</td><td>{_recall(cell)}</td></tr>"
                           for vis, heights in table["bins"].items() for tall, cell in heights.items())
        out += "</table>"
    return out


def _recall(cell: dict) -> str:
    return "-" if cell["recall"] is None else f"{cell['recall']:.3f}"


def write_report(out_dir: Path, data: dict, images: dict[str, str]) -> tuple[Path, Path]:
    """Write fidelity.json and fidelity.html into out_dir (created); returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    write_json_atomic(out_dir / JSON_FILE, data)
    write_bytes_atomic(out_dir / HTML_FILE, render_html(data, images).encode("utf-8"))
    return out_dir / JSON_FILE, out_dir / HTML_FILE
