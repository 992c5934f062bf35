"""`simgen fidelity DATASET [--real DIR] [--probe hog] [--probe-onnx MODEL --onnx-classes ...]`:
how far the synthetic images are from real photos, and whether real-trained detectors see them.

With `--real`: computes low-level statistics of every synthetic image (`DATASET/images/*.png`,
or the image files of DATASET itself if it has no images/ folder) and every real photo under
DIR, trains a logistic-regression real-vs-synthetic classifier with stratified
cross-validation, and reports its ROC AUC (0.5 = indistinguishable), the features that
separate most and the AUC per weather and lighting slice of the frames.

With `--probe hog` and/or `--probe-onnx`: runs OpenCV's HOG people detector and/or the user's
ONNX detector (contract: `simgen.fidelity.detectors`) on the dataset's frames and reports
recall per category against the labels, in bins of visible height and visibility.

Writes `fidelity.json` and `fidelity.html` (default: DATASET/fidelity/).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from simgen import contract
from simgen.dataset.view import DatasetView, load_dataset, read_json
from simgen.errors import ConfigError, DatasetError
from simgen.fidelity.classify import compare_features
from simgen.fidelity.detectors import IGNORED_CLASS, HogPeopleDetector, OnnxDetector
from simgen.fidelity.features import folder_features, image_files
from simgen.fidelity.probe import ProbeLabel, probe_images
from simgen.fidelity.report import plots, report_data, write_report
from simgen.fidelity.slices import frame_slices, slice_aucs

log = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="simgen fidelity", description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", type=Path, help="a simgen dataset directory (or a folder of images, --real only)")
    parser.add_argument("--real", type=Path, default=None, help="folder of real photos (searched recursively)")
    parser.add_argument("--probe", choices=["hog"], default=None,
                        help="built-in recognizability probe: OpenCV's HOG people detector on the pedestrians")
    parser.add_argument("--probe-onnx", type=Path, default=None, help="your detector as an ONNX model (see docs)")
    parser.add_argument("--onnx-classes", default="",
                        help="comma-separated simgen category per model class index ('_' = none)")
    parser.add_argument("--onnx-min-score", type=float, default=0.5, help="ONNX detections below are dropped")
    parser.add_argument("--probe-min-iou", type=float, default=0.5, help="IoU a detection needs with a label")
    parser.add_argument("--hog-upscale", type=float, default=1.0, help="enlarge frames by this before HOG")
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


def _frame_slices(dataset: Path, files: list[Path]) -> list[dict[str, str]] | None:
    """Slices of every synthetic image from its frame record, or None when any record is missing."""
    out = []
    for path in files:
        record = dataset / contract.FRAMES_DIR / f"{path.stem}.json" if path.stem.isdigit() else None
        if record is None or not record.is_file():
            return None
        out.append(frame_slices(read_json(record).get("spec", {})))
    return out


def _compare(args: argparse.Namespace) -> tuple[dict, dict[str, str], list[str]]:
    synthetic_files, real_files = _images(args.dataset, "dataset"), _images(args.real, "--real")
    try:
        synthetic = folder_features(synthetic_files, args.analysis_width)
        real = folder_features(real_files, args.analysis_width)
    except ValueError as error:
        raise ConfigError("--real", str(args.real), f"readable image files: {error}") from error
    result = compare_features(synthetic, real, seed=args.seed)
    data = report_data(result, [str(p) for p in synthetic_files], [str(p) for p in real_files], args.analysis_width)
    slices = _frame_slices(args.dataset, synthetic_files)
    if slices is not None:
        data["slices"] = slice_aucs(synthetic, slices, real, args.seed)
    lines = [f"real vs synthetic ROC AUC: {result.auc:.3f} (0.5 = indistinguishable; {len(synthetic_files)} "
             f"synthetic, {len(real_files)} real, {result.folds}-fold cross-validation)"]
    lines += [f"  {feature['name']:<20} AUC alone {feature['auc']:.3f}  effect size {feature['effect_size']:+.2f}"
              for feature in result.features[: max(1, args.top)]]
    for name, values in data.get("slices", {}).items():
        lines += [f"  {name} = {value}: {cell['images']} images, AUC "
                  f"{'-' if cell['auc'] is None else format(cell['auc'], '.3f')}" for value, cell in values.items()]
    return data, plots(result, synthetic, real, max(1, args.top)), lines


def _detectors(args: argparse.Namespace, categories: set[str]) -> dict:
    detectors: dict = {}
    if args.probe == "hog":
        if args.hog_upscale <= 0:
            raise ConfigError("--hog-upscale", args.hog_upscale, "a number > 0")
        detectors["hog"] = HogPeopleDetector(upscale=args.hog_upscale)
    if args.probe_onnx is not None:
        classes = [c.strip() for c in args.onnx_classes.split(",") if c.strip()]
        for name in classes:
            if name != IGNORED_CLASS and name not in categories:
                raise ConfigError("--onnx-classes", name, f"{IGNORED_CLASS!r} or a category of the dataset: "
                                  f"{', '.join(sorted(categories))}")
        detectors["onnx"] = OnnxDetector(args.probe_onnx, classes, args.onnx_min_score)
    return detectors


def _labels(view: DatasetView, image: dict, categories: set[str]) -> list[ProbeLabel]:
    names = view.category_names
    return [ProbeLabel(names[a["category_id"]], tuple(float(v) for v in a["bbox"]),
                       float(a.get("visible_fraction", 1.0)), float(a.get("truncation", 0.0)))
            for a in view.annotations_of(image["id"])
            if not a.get("iscrowd", 0) and names[a["category_id"]] in categories]


def _probe(args: argparse.Namespace) -> tuple[dict, list[str]]:
    try:
        view = load_dataset(args.dataset)
    except DatasetError as error:
        raise ConfigError("dataset", str(args.dataset), f"a simgen dataset directory for --probe ({error})") from error
    if not 0.0 < args.probe_min_iou <= 1.0:
        raise ConfigError("--probe-min-iou", args.probe_min_iou, "a number in (0, 1]")
    out, lines = {}, []
    for name, detector in _detectors(args, set(view.category_names.values())).items():
        probed = {"pedestrian"} if name == "hog" else {c for c in detector.classes if c != IGNORED_CLASS}
        items = ((view.read_rgb(image), _labels(view, image, probed)) for image in view.images)
        out[name] = probe_images(items, detector, args.probe_min_iou)
        for category, table in out[name]["recall"].items():
            head = table["headline"]
            recall = "-" if head["recall"] is None else f"{head['recall']:.3f}"
            lines.append(f"probe {name}: {category} recall {recall} on unoccluded >= 96 px "
                         f"({head['found']} of {head['total']}); {out[name]['labels']} labels in all")
    return out, lines


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    if args.analysis_width < 16:
        raise ConfigError("--analysis-width", args.analysis_width, "an integer >= 16")
    if args.real is None and args.probe is None and args.probe_onnx is None:
        raise ConfigError("simgen fidelity", "no measure", "--real DIR, --probe hog and/or --probe-onnx MODEL")
    data, images, lines = ({}, {}, []) if args.real is None else _compare(args)
    if args.probe is not None or args.probe_onnx is not None:
        data["probe"], probe_lines = _probe(args)
        lines += probe_lines
    json_path, html_path = write_report(args.out or args.dataset / "fidelity", data, images)
    lines.append(f"report: {html_path}\n        {json_path}")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
