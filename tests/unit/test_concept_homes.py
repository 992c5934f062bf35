"""One home per concept (docs/architecture.md, "One home per concept"): each named concept is
defined in exactly one module, and no public top-level name is defined twice unless it is a
per-module entry point by design. Read with `ast`; nothing is imported.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARCHITECTURE = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")

# concept name -> its one defining module (each module is named in the architecture table).
HOMES = {
    "MeshData": "simgen.geometry.mesh",
    "prop_mesh": "simgen.catalog.prop_mesh",
    "Box3D": "simgen.annotations.box3d",
    "FrameSpec": "simgen.specs.scene",
    "SimgenError": "simgen.errors",
    "ConfigError": "simgen.errors",
    "SimgenConfig": "simgen.config.schema.root",
    "load_config": "simgen.config.load",
    "RECIPES": "simgen.catalog.recipes",
    "load_catalog": "simgen.catalog.entries",
    "LAYOUTS": "simgen.sampling.layouts",
    "sample_frame": "simgen.sampling.frame",
    "intrinsics_matrix": "simgen.geometry.camera",
    "rasterize": "simgen.geometry.raster",
    "camera_triangles_px": "simgen.geometry.silhouette",
    "Renderer": "simgen.render.protocol",
    "RenderPasses": "simgen.render.passes",
    "label_frame": "simgen.annotations.labels",
    "FrameLabels": "simgen.annotations.labels",
    "Instance": "simgen.annotations.instances",
    "ObstacleVisibility": "simgen.annotations.obstacles",
    "annotation_entry": "simgen.writers.coco",
    "render_camera": "simgen.render.camera",
    "render_with_retry": "simgen.render.protocol",
    "post_process": "simgen.imaging.post",
    "ImagedFrame": "simgen.imaging.post",
    "LabeledFrame": "simgen.writers.frame_files",
    "frame_record": "simgen.writers.frame_record",
    "shard_frames": "simgen.dataset.shards",
    "frames_to_render": "simgen.dataset.resume",
    "frame_provenance": "simgen.dataset.lineage",
    "DatasetDir": "simgen.dataset.directory",
    "DatasetView": "simgen.dataset.view",
    "QA_CHECKS": "simgen.config.schema.validate",
    "Footprint": "simgen.specs.scene",
    "footprints_overlap": "simgen.geometry.footprint",
    "distort_pixels": "simgen.geometry.lens",
    "source_map": "simgen.geometry.lens",
    "srgb_to_linear": "simgen.imaging.srgb",
    "linear_to_srgb": "simgen.imaging.srgb",
    "time_of_day": "simgen.sampling.lighting",
    "FRAME_FILES": "simgen.contract",
    "shard_range": "simgen.contract",
    "PROVENANCE_UNKNOWN": "simgen.contract",
}

# Concept -> the only modules that may call it: one derivation of the render camera (by the
# renderer, whose passes then carry it), one label stage and one COCO serialisation.
CALLERS = {
    "render_camera": {"simgen.blender.renderer"},
    "label_frame": {"simgen.pipeline"},
    "annotation_entry": {"simgen.writers.frame_record"},
    "post_process": {"simgen.pipeline"},
}

# Same name, different things, by design: one per module of a registry.
PER_MODULE_BY_DESIGN = {
    "main": "every subcommand module's entry point (simgen.cli.SUBCOMMANDS)",
    "sample_layout": "every layout module's entry point (simgen.sampling.layouts.LAYOUTS)",
    "write_report": "the QA report and the fidelity report, two different pages",
    "COLUMNS": "grid widths of two different figures",
}

# A concept defined in more than one module today -> what unifies it. Shrinks to empty; an entry
# that no longer duplicates fails `test_every_known_duplicate_still_occurs`.
KNOWN_DUPLICATES = {
}


def definitions() -> dict[str, set[str]]:
    """Public top-level class, function and UPPER_CASE constant names -> modules defining them."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in sorted((ROOT / "simgen").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef | ast.FunctionDef) and not node.name.startswith("_"):
                found[node.name].add(module)
            targets = node.targets if isinstance(node, ast.Assign) else []
            targets += [node.target] if isinstance(node, ast.AnnAssign) else []
            for target in targets:
                if isinstance(target, ast.Name) and target.id.isupper() and not target.id.startswith("_"):
                    found[target.id].add(module)
    return found


DEFINITIONS = definitions()


def calls(names: set[str], root: Path = ROOT) -> dict[str, set[str]]:
    """Function name -> the modules under root/simgen calling it (by bare or attribute name)."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in sorted((root / "simgen").rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                if name in names:
                    found[name].add(module)
    return found


def test_each_concept_is_defined_in_its_home():
    wrong = {name: sorted(DEFINITIONS[name]) for name, home in HOMES.items()
             if home not in DEFINITIONS[name] or (len(DEFINITIONS[name]) > 1 and name not in KNOWN_DUPLICATES)}
    assert wrong == {}


def test_each_home_is_in_the_architecture_table():
    missing = [home for home in set(HOMES.values())
               if f"`{home.replace('.', '/')}.py`" not in ARCHITECTURE
               and f"`{home.replace('.', '/')}/" not in ARCHITECTURE
               and f"`{home.rpartition('.')[0].replace('.', '/')}/" not in ARCHITECTURE]
    assert missing == []


def test_no_public_name_is_defined_twice():
    duplicated = {name: sorted(modules) for name, modules in DEFINITIONS.items()
                  if len(modules) > 1 and name not in PER_MODULE_BY_DESIGN and name not in KNOWN_DUPLICATES}
    assert duplicated == {}, "one home per concept: merge them, or say why in PER_MODULE_BY_DESIGN"


def test_every_known_duplicate_still_occurs():
    unified = [name for name in KNOWN_DUPLICATES if len(DEFINITIONS.get(name, ())) < 2]
    assert unified == [], "unified: remove these from KNOWN_DUPLICATES and the 'today' column of docs/architecture.md"


def test_each_stage_concept_has_only_its_callers():
    """No caller derives the render camera, assembles a COCO annotation or labels a frame on the side."""
    found = calls(set(CALLERS))
    assert {name: sorted(found[name] - allowed) for name, allowed in CALLERS.items()} == {n: [] for n in CALLERS}
    assert all(found[name] for name in CALLERS), "a concept with no caller left: update CALLERS"


def test_a_second_caller_is_caught(tmp_path):
    (tmp_path / "simgen").mkdir()
    (tmp_path / "simgen" / "stray.py").write_text(
        "from simgen.render.camera import render_camera\n\n\ndef f(spec):\n    return render_camera(spec)\n")
    assert calls({"render_camera"}, tmp_path) == {"render_camera": {"simgen.stray"}}
