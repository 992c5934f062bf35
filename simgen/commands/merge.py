"""`simgen merge OUTPUT_DIR`: finish a sweep into one dataset (see `simgen.dataset.merge`).

Exit status 0 when the dataset is assembled and valid; 3 when frames are missing (stderr names
each shard and frame, stdout stays empty); 2 for other bad input (not a dataset).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from simgen.dataset.merge import IncompleteSweepError, merge_dataset

log = logging.getLogger(__name__)

EXIT_INCOMPLETE = 3


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="simgen merge", description=__doc__.splitlines()[0])
    parser.add_argument("output_dir", type=Path, help="the sweep's output.dir")
    check = parser.add_mutually_exclusive_group()
    check.add_argument("--pycocotools", dest="pycocotools", action="store_true", default=None,
                       help="always load the result with pycocotools (default: up to 200000 annotations)")
    check.add_argument("--no-pycocotools", dest="pycocotools", action="store_false",
                       help="skip the pycocotools load (the streaming checks still run)")
    args = parser.parse_args(argv)
    try:
        summary = merge_dataset(args.output_dir, args.pycocotools)
    except IncompleteSweepError as error:
        log.error("%s", error)
        return EXIT_INCOMPLETE
    sys.stdout.write(f"merged {summary.root}: {summary.frames} frames from {summary.shards} shard(s), "
                     f"{summary.annotations} annotations\n")
    return 0
