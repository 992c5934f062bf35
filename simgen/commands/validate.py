"""`simgen validate DATASET`: the QA gate. Prints a JSON summary; exit 1 when a gating check fails.

Exit codes: 0 every gating check passed; 1 a gating check found problems; 2 a bad argument
(unknown check, a threshold out of range), a path that is not a finished dataset (missing, not
a directory, no annotations.json), or a path in the dataset's files that resolves outside it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from simgen import contract
from simgen.errors import ConfigError, DatasetError, closest_name
from simgen.qa.validate import CHECKS, Thresholds, validate_dataset
from simgen.writers.atomic import write_json_atomic


def parse_fail_on(text: str) -> tuple[str, ...]:
    """'all', 'none' or a comma list of check names -> the gating checks."""
    if text == "all":
        return CHECKS
    if text == "none":
        return ()
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    unknown = [n for n in names if n not in CHECKS]
    if unknown:
        raise ConfigError("--fail-on", text, f"'all', 'none' or a comma list of {', '.join(CHECKS)}"
                          + closest_name(unknown[0], CHECKS))
    return names


def check_arguments(args: argparse.Namespace) -> None:
    """Ranges of the thresholds, and that DATASET is a finished dataset (else exit 2, not 1).

    Raises:
        ConfigError: a threshold out of range.
        DatasetError: DATASET is missing, not a directory, or has no annotations.json.
    """
    if args.min_area_px < 0:
        raise ConfigError("--min-area-px", args.min_area_px, "an integer >= 0")
    if not 0.0 <= args.min_mask_depth_fraction <= 1.0:
        raise ConfigError("--min-mask-depth-fraction", args.min_mask_depth_fraction, "a number in [0, 1]")
    if not args.dataset.is_dir():
        what = "does not exist" if not args.dataset.exists() else "is not a directory"
        raise DatasetError(f"dataset: {str(args.dataset)!r} {what}; allowed: the output.dir of a finished simgen run")
    if not (args.dataset / contract.ANNOTATIONS_FILE).exists():
        raise DatasetError(f"dataset: {str(args.dataset)!r} has no {contract.ANNOTATIONS_FILE}; allowed: the "
                           "output.dir of a finished simgen run (a sweep is finished by `simgen merge`)")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="simgen validate", description=__doc__)
    parser.add_argument("dataset", type=Path, help="a finished dataset directory (output.dir of a run)")
    parser.add_argument("--fail-on", default="all", help=f"checks that fail the gate: all (default), none, or "
                        f"a comma list of {', '.join(CHECKS)}; the others are reported only")
    parser.add_argument("--min-area-px", type=int, default=1, help="smallest allowed annotation area (default 1)")
    parser.add_argument("--min-mask-depth-fraction", type=float, default=1.0,
                        help="fraction of each mask that must have a surface depth (default 1.0)")
    parser.add_argument("--json", type=Path, help="also write the JSON summary to this file")
    args = parser.parse_args(argv)
    fail_on = parse_fail_on(args.fail_on)  # the arguments first, then the dataset they are about
    check_arguments(args)
    thresholds = Thresholds(fail_on=fail_on, min_area_px=args.min_area_px,
                            min_mask_depth_fraction=args.min_mask_depth_fraction)
    report = validate_dataset(args.dataset, thresholds)
    summary = report.summary()
    if args.json:
        write_json_atomic(args.json, summary)
    sys.stdout.write(json.dumps(summary, indent=2) + "\n")
    return 0 if report.ok else 1
