"""`simgen fidelity DATASET --real DIR`: how far the synthetic images are from real photos.

Computes low-level statistics of every synthetic image (`DATASET/images/*.png`, or the image
files of DATASET itself if it has no images/ folder) and every real photo under DIR, trains a
logistic-regression real-vs-synthetic classifier on them with stratified cross-validation and
writes `fidelity.json` and `fidelity.html` (default: DATASET/fidelity/). Prints the ROC AUC
(0.5 = indistinguishable) and the features that separate most.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from simgen.errors import ConfigError
from simgen.fidelity.classify import compare_features
from simgen.fidelity.features import folder_features, image_files
from simgen.fidelity.report import plots, report_data, write_report

log = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="simgen fidelity", description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", type=Path, help="a simgen dataset directory (or a folder of images)")
    parser.add_argument("--real", type=Path, required=True, help="folder of real photos (searched recursively)")
    parser.add_argument("--out", type=Path, default=None, help="report directory (default: DATASET/fidelity)")
    parser.add_argument("--analysis-width", type=int, default=320,
                        help="images wider than this are downscaled to it before analysis (default 320)")
    parser.add_argument("--top", type=int, default=6, help="how many separating features to plot (default 6)")
    parser.add_argument("--seed", type=int, default=0, help="cross-validation shuffle seed (default 0)")
    return parser


def _images(folder: Path, flag: str) -> list[Path]:
    if not folder.is_dir():
        raise ConfigError(flag, str(folder), "an existing directory")
    source = folder / "images" if (folder / "images").is_dir() else folder
    files = image_files(source)
    if len(files) < 2:
        raise ConfigError(flag, str(folder), f"a folder with at least 2 images (found {len(files)} in {source})")
    return files


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    if args.analysis_width < 16:
        raise ConfigError("--analysis-width", args.analysis_width, "an integer >= 16")
    synthetic_files, real_files = _images(args.dataset, "dataset"), _images(args.real, "--real")
    try:
        synthetic = folder_features(synthetic_files, args.analysis_width)
        real = folder_features(real_files, args.analysis_width)
    except ValueError as error:
        raise ConfigError("--real", str(args.real), f"readable image files: {error}") from error
    result = compare_features(synthetic, real, seed=args.seed)
    data = report_data(result, [str(p) for p in synthetic_files], [str(p) for p in real_files], args.analysis_width)
    json_path, html_path = write_report(args.out or args.dataset / "fidelity", data,
                                        plots(result, synthetic, real, max(1, args.top)))
    lines = [f"real vs synthetic ROC AUC: {result.auc:.3f} (0.5 = indistinguishable; {len(synthetic_files)} "
             f"synthetic, {len(real_files)} real, {result.folds}-fold cross-validation)"]
    lines += [f"  {feature['name']:<20} AUC alone {feature['auc']:.3f}  effect size {feature['effect_size']:+.2f}"
              for feature in result.features[: max(1, args.top)]]
    lines.append(f"report: {html_path}\n        {json_path}")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
