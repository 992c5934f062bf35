"""Write the bundled real-photo patches that the fidelity numbers in docs/fidelity.md were measured on.

Cuts scikit-image's bundled colour photos (shipped in its wheel; nothing is downloaded) into
2 x 2 patches per photo of the given size (24 patches), for `simgen fidelity --real DIR`:

    python bench/fidelity_photos.py /tmp/real --width 320 --height 240
    simgen fidelity outputs/urban_day --real /tmp/real
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from simgen.fidelity.reference import write_photo_patches

log = logging.getLogger("bench.fidelity_photos")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--width", type=int, default=320)
    parser.add_argument("--height", type=int, default=240)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    paths = write_photo_patches(args.out_dir, (args.width, args.height))
    log.info("%d patches of %dx%d px in %s", len(paths), args.width, args.height, args.out_dir)


if __name__ == "__main__":
    main()
