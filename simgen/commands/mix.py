"""`simgen mix OUT --real SPLIT=COCO.json ... --synthetic DATASET ... --fraction SPLIT=F ...`.

Mix a real COCO dataset with simgen datasets (see `simgen.export.mix`). The common recipe,
synthetic images in train only and real ones in val and test:

    simgen mix mixed --real train=real/train.json --real val=real/val.json --real test=real/test.json \\
        --synthetic outputs/urban_day --fraction train=0.5 --map pedestrian=person

Prints the output folder and one line per split (real, synthetic, synthetic fraction).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simgen.errors import DatasetError
from simgen.export.mix import mix_datasets


def _pairs(values: list[str], what: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        key, sep, rest = value.partition("=")
        if not sep or not key or not rest:
            raise DatasetError(f"mix: {what} {value!r}; allowed: KEY=VALUE")
        pairs[key] = rest
    return pairs


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="simgen mix", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="output folder")
    parser.add_argument("--real", action="append", default=[], metavar="SPLIT=COCO_JSON",
                        help="the real COCO file of a split (train, val, test); repeatable")
    parser.add_argument("--real-images", type=Path, help="folder the real file_names are relative to "
                        "(default: each COCO file's folder)")
    parser.add_argument("--synthetic", action="append", default=[], type=Path, metavar="DATASET",
                        help="a simgen dataset directory; repeatable")
    parser.add_argument("--fraction", action="append", default=[], metavar="SPLIT=F",
                        help="synthetic fraction of a split's images, in [0, 1] (default 0); repeatable")
    parser.add_argument("--map", action="append", default=[], metavar="SYNTHETIC=REAL",
                        help="map a synthetic category name onto a real one; repeatable")
    parser.add_argument("--drop", action="append", default=[], metavar="NAME",
                        help="leave out the annotations of a synthetic category; repeatable")
    args = parser.parse_args(argv)
    real = {split: Path(path) for split, path in _pairs(args.real, "--real").items()}
    fractions = {}
    for split, value in _pairs(args.fraction, "--fraction").items():
        try:
            fractions[split] = float(value)
        except ValueError as error:
            raise DatasetError(f"mix: --fraction {split}={value}; allowed: a number in [0, 1]") from error
    mixes = mix_datasets(args.out, real, args.real_images, args.synthetic, fractions, _pairs(args.map, "--map"),
                         args.drop)
    sys.stdout.write(f"{args.out}\n")
    for split, mix in mixes.items():
        sys.stdout.write(f"{split}: {mix.real} real, {mix.synthetic} synthetic, synthetic fraction "
                         f"{mix.achieved_fraction:.3f}\n")
    return 0
