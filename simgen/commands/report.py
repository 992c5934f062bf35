"""`simgen report DATASET`: a self-contained HTML report (plots embedded; no server, no network).

Writes OUT (default DATASET/qa/report.html) and prints its path.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simgen.qa.report import write_report


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="simgen report", description=__doc__)
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--out", type=Path, help="HTML file to write (default DATASET/qa/report.html)")
    args = parser.parse_args(argv)
    path = write_report(args.dataset, args.out or args.dataset / "qa" / "report.html")
    sys.stdout.write(f"{path}\n")
    return 0
