"""`simgen preview DATASET`: a contact-sheet PNG of labels, depth and sampled parameters.

Writes OUT/contact_sheet.png (default OUT: DATASET/qa/preview) and, with --overlays, one
OUT/overlays/NNNNNN.png per shown image. Prints the written paths.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simgen.errors import ConfigError
from simgen.qa.preview import write_preview


def parse_image_ids(text: str) -> list[int]:
    """'0,5,9' -> [0, 5, 9].

    Raises:
        ConfigError: naming --images, the text and what is allowed.
    """
    try:
        ids = [int(v) for v in text.split(",") if v.strip()]
    except ValueError as error:
        raise ConfigError("--images", text, "a comma list of image ids (integers >= 0), e.g. 0,5,9") from error
    if not ids or any(i < 0 for i in ids):
        raise ConfigError("--images", text, "a comma list of image ids (integers >= 0), e.g. 0,5,9")
    return ids


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="simgen preview", description=__doc__)
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--out", type=Path, help="output folder (default DATASET/qa/preview)")
    parser.add_argument("--max-images", type=int, default=16, help="images on the sheet (default: the first 16)")
    parser.add_argument("--images", help="comma list of image ids to show instead")
    parser.add_argument("--columns", type=int, default=2)
    parser.add_argument("--overlays", action="store_true", help="also write one overlay PNG per image")
    args = parser.parse_args(argv)
    if args.max_images < 1 or args.columns < 1:
        raise ConfigError("--max-images" if args.max_images < 1 else "--columns",
                          min(args.max_images, args.columns), "an integer >= 1")
    ids = parse_image_ids(args.images) if args.images is not None else None
    written = write_preview(args.dataset, args.out or args.dataset / "qa" / "preview", args.max_images, ids,
                            args.overlays, args.columns)
    sys.stdout.write("".join(f"{path}\n" for path in written))
    return 0
