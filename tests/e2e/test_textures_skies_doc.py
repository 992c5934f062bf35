"""docs/textures.md and docs/skies.md work as written: their commands run (1 tiny frame each),
the texture-set folder laid out as the page shows, and the frames record what the pages say."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.e2e.tiny import render_tiny

pytestmark = [pytest.mark.blender, pytest.mark.slow]

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _command(page: str, marker: str) -> list[str]:
    (block,) = re.findall(rf"<!-- {marker} -->\n```bash\n(.*?)```", (DOCS / page).read_text(encoding="utf-8"), re.S)
    argv = shlex.split(block.strip())
    assert argv[0] == "simgen"
    return [a for a in argv[1:] if not a.startswith("output.dir=")]


def _layout_from_page(root: Path) -> None:
    """The folder tree drawn on docs/textures.md, with small images."""
    (tree,) = re.findall(r"```\n(pbr/\n.*?)```", (DOCS / "textures.md").read_text(encoding="utf-8"), re.S)
    colour = np.full((16, 16, 3), (60, 80, 200), np.uint8)
    normal = np.full((16, 16, 3), (255, 128, 128), np.uint8)
    slot = None
    for line in tree.splitlines()[1:]:
        words = line.split("#")[0].split()
        if words and words[0].endswith("/"):
            slot, words = root / words[0].rstrip("/"), words[1:]
            slot.mkdir(parents=True)
        for name in words:
            path = slot / name
            if "roughness" in name:
                cv2.imwrite(str(path), np.full((16, 16), 150, np.uint8))
            elif path.suffix == ".exr":
                import OpenEXR

                channels = {c: np.full((16, 16), 0.3, np.float32) for c in "RGB"}
                with OpenEXR.File({"compression": OpenEXR.ZIP_COMPRESSION, "type": OpenEXR.scanlineimage},
                                  channels) as exr:
                    exr.write(str(path))
            else:
                cv2.imwrite(str(path), normal if "normal" in name else colour)


def test_the_textures_page_runs(tmp_path):
    _layout_from_page(tmp_path / "pbr")
    out = render_tiny(tmp_path / "pbr_out", *_command("textures.md", "textures-command"), frames=1)
    spec = json.loads((out / "frames" / "000000.json").read_text())["spec"]
    worn = [m["pbr"] for p in spec["layout"]["scenery"] + spec["objects"] for m in p["materials"].values()
            if "pbr" in m]
    assert worn and all(1.5 <= p["tile_m"] <= 3.0 for p in worn)
    assert {p["name"].split("/")[0] for p in worn} <= {"road", "sidewalk", "facade", "paint"}


def test_the_skies_page_runs(tmp_path):
    out = render_tiny(tmp_path / "clouds", *_command("skies.md", "skies-command"), frames=1)
    lighting = json.loads((out / "frames" / "000000.json").read_text())["spec"]["lighting"]
    assert lighting["sky_model"] == "multiple_scattering"
    assert lighting["clouds"]["cloud_type"] in ("cumulus", "stratus") and 0.2 <= lighting["clouds"]["coverage"] <= 0.7
