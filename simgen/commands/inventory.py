"""`simgen list`: what a user can choose from, and where each choice comes from.

Prints the options of every config group (packaged ones and those in `--config-dir` folders),
the registered scene layouts, the label categories, and the asset catalog entries.
"""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from pathlib import Path

from simgen.blender import import_asset_mesh
from simgen.catalog.entries import default_catalog_path, load_catalog

GROUPS = ("scenario", "camera", "lighting", "layout", "traffic", "weather", "obstacles", "sensor", "motion")


def _group_options(root: Path, origin: str) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for group_dir in sorted(p for p in root.iterdir() if p.is_dir() and p.name != "hydra" and
                            not p.name.startswith(("_", "."))):
        for option in sorted(group_dir.glob("*.yaml")):
            found.setdefault(group_dir.name, []).append((option.stem, f"{origin}: {option}"))
    return found


def collect(config_dirs: list[Path], catalog_path: Path | None) -> dict[str, list[tuple[str, str]]]:
    """{section: [(name, where it comes from)]}, sections in a stable order."""
    packaged = Path(str(resources.files("simgen.configs")))
    sections = _group_options(packaged, "simgen")
    for directory in config_dirs:
        for group, options in _group_options(directory, "user").items():
            sections.setdefault(group, []).extend(options)
    from simgen.sampling.layouts import LAYOUTS

    sections["scene layouts (layout.name)"] = [
        (name, f"simgen: {function.__module__}") for name, function in sorted(LAYOUTS.items())]
    from simgen.config.schema import LabelsConfig

    sections["label categories (labels.categories)"] = [
        (name, f"id {cid}") for name, cid in sorted(LabelsConfig().categories.items(), key=lambda i: i[1])]
    catalog_file = catalog_path or default_catalog_path()
    catalog = load_catalog(extra=catalog_path, import_mesh=import_asset_mesh)
    sections["assets (catalog)"] = [
        (name, f"{entry.category or 'scenery'}; recipe {entry.recipe}; {catalog_file}")
        for name, entry in catalog.entries.items()]
    order = [g for g in GROUPS if g in sections] + [g for g in sections if g not in GROUPS]
    return {key: sections[key] for key in order}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="simgen list", description=__doc__.splitlines()[0])
    parser.add_argument("--config-dir", action="append", type=Path, default=[],
                        help="a user config directory (as passed to simgen --config-dir); repeatable")
    parser.add_argument("--catalog", type=Path, default=None, help="a user asset catalog added to the packaged one")
    args = parser.parse_args(argv)
    for section, entries in collect(args.config_dir, args.catalog).items():
        sys.stdout.write(f"{section}:\n")
        width = max(len(name) for name, _ in entries) if entries else 0
        for name, origin in entries:
            sys.stdout.write(f"  {name.ljust(width)}  {origin}\n")
    return 0
