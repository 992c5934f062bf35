"""The config-error matrix (issue 13): every bad input through the real `simgen` entry point
(`simgen.cli.main`, in process, so it stays fast: all of these fail before anything renders)
exits 2 with one message naming the field, no traceback, and nothing written.

A few cases also run as real subprocesses, to pin the exit status and stderr of the command.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from simgen import cli

pytestmark = pytest.mark.slow  # about 1 s a case on an idle 2-core machine; 80+ cases

SCENARIOS = {
    "tab": "# @package _global_\nframes: 3\ncamera:\n\tpitch_deg: 1\n",
    "dup": "# @package _global_\nframes: 3\nframes: 4\n",
    "unsafe": "# @package _global_\nframes: !!python/object/apply:os.system [ls]\n",
    "typo": "# @package _global_\ntraffic:\n  carz: 3\n",
    "deep_typo": "# @package _global_\nlabels:\n  category_overrides:\n    pedestrian: {min_bbox_heigt_px: 3}\n",
    "nopkg": "traffic:\n  cars: 3\n",
    "wrong_type": "# @package _global_\nframes: abc\n",
    "bad_option": "# @package _global_\ndefaults:\n  - override /camera: dashcamm\n",
    "bad_kind": "# @package _global_\ncamera:\n  pitch_deg: {gauss: [0, 1]}\n",
    "out_of_range": "# @package _global_\ncamera:\n  pitch_deg: uniform(-100.0, 0.0)\n",
    "env": "# @package _global_\nframes: ${oc.env:HOME}\n",
    "top_typo": "# @package _global_\nframez: 3\n",
    "unclosed": "# @package _global_\nframes: [1\n",
    "path_name": "# @package _global_\nscenario_name: ../../escaped\n",
    "leak": "# @package _global_\nscenario_name: leak-${oc.env:HOME}\n",
    "merged": ("# @package _global_\ndefaults:\n  - override /camera: mine\n"
               "camera:\n  pitch_deg: {normal: [-3.0, 1.5]}\n"),
    "option_typo": "# @package _global_\ndefaults:\n  - override /camera: typo\n",
    "bad_call": "# @package _global_\ncamera:\n  pitch_deg: normal(0, [1)\n",
    "list_value": "# @package _global_\ntraffic:\n  cars: [1, 2]\n",
    "bad_interpolation": "# @package _global_\nseed: ${nope.key}\n",
}
OPTIONS = {"camera/mine.yaml": "pitch_deg: {uniform: [-6.0, -1.0]}\n", "camera/typo.yaml": "heigth_m: 1.4\n"}

# (id, arguments after `simgen`, text the message must contain); {d}: the config dir, {f}: files
CASES = [
    ("yaml tab", ["scenario=tab"], "tab.yaml line 4: camera.pitch_deg"),
    ("yaml duplicate key", ["scenario=dup"], "dup.yaml line 3: frames"),
    ("yaml unsafe tag", ["scenario=unsafe"], "unsafe.yaml line 2: frames"),
    ("yaml unknown key", ["scenario=typo"], "typo.yaml line 3: traffic.carz"),
    ("yaml unknown key deep", ["scenario=deep_typo"], "labels.category_overrides.pedestrian.min_bbox_heigt_px"),
    ("yaml missing package", ["scenario=nopkg"], "# @package _global_"),
    ("yaml wrong type", ["scenario=wrong_type"], "wrong_type.yaml line 2: frames: got 'abc'"),
    ("yaml unknown option", ["scenario=bad_option"], "camera: got 'dashcamm'"),
    ("yaml unknown kind", ["scenario=bad_kind"], "camera.pitch_deg"),
    ("yaml out of range", ["scenario=out_of_range"], "camera.pitch_deg: got (-100.0, 0.0)"),
    ("yaml env outside paths", ["scenario=env"], "frames"),
    ("yaml top-level typo", ["scenario=top_typo"], "did you mean 'frames'"),
    ("yaml syntax", ["scenario=unclosed"], "unclosed.yaml line"),
    ("yaml path as name", ["scenario=path_name"], "scenario_name: got '../../escaped'"),
    ("yaml env in name", ["scenario=leak"], "scenario_name"),
    ("yaml two mapping layers", ["scenario=merged"], "camera.pitch_deg"),
    ("option file typo", ["scenario=option_typo"], "camera.heigth_m"),
    ("yaml bad call", ["scenario=bad_call"], "camera.pitch_deg"),
    ("yaml list for a count", ["scenario=list_value"], "traffic.cars"),
    ("yaml bad interpolation", ["scenario=bad_interpolation"], "seed: got '${nope.key}'"),
    ("cli unknown key", ["weather.fog_densty=0.1"], "weather.fog_densty: got '0.1'; allowed: a field of WeatherConfig"),
    ("cli unknown top key", ["framez=3"], "did you mean 'frames'"),
    ("cli unknown option", ["camera=dashcamm"], "did you mean 'dashcam'"),
    ("cli unknown scenario", ["scenario=urban_dya"], "did you mean 'urban_day'"),
    ("cli wrong type", ["frames=abc"], "frames: got 'abc'; allowed: an integer"),
    ("cli parse error", ["frames=[1"], "frames: got '[1'"),
    ("cli plus on a field", ["+frames=3"], "frames"),
    ("cli env outside paths", ["frames=${oc.env:HOME}"], "frames"),
    ("cli missing env", ["catalog=${oc.env:SIMGEN_SURELY_UNSET}/x.yaml"], "catalog"),
    ("cli bad interpolation", ["seed=${nope.key}"], "seed"),
    ("cli other resolver", ["scenario_name=${oc.decode:'x'}"], "scenario_name"),
    ("cli path as name", ["scenario_name=../../escaped"], "scenario_name"),
    ("cli empty mapping", ["labels.categories={}"], "labels.categories: got {}"),
    ("cli unknown kind", ["camera.roll_deg={gauss:[0,1]}"], "camera.roll_deg"),
    ("cli negative std", ["camera.pitch_deg={normal:[0,-1]}"], "camera.pitch_deg.normal"),
    ("cli empty choice", ["camera.sensor_width_mm={choice:[]}"], "camera.sensor_width_mm.choice"),
    ("cli zero weights", ["camera.sensor_width_mm={choice:[36,24],weights:[0,0]}"], "weights with a positive sum"),
    ("cli weights arity", ["camera.sensor_width_mm={choice:[36,24],weights:[1]}"], "camera.sensor_width_mm.weights"),
    ("cli clip without normal", ["camera.height_m={uniform:[1,2],clip:[0,1]}"], "camera.height_m.clip"),
    ("cli low > high", ["camera.height_m={uniform:[2,1]}"], "camera.height_m.uniform"),
    ("cli loguniform at zero", ["camera.focal_length_mm={loguniform:[0,10]}"], "camera.focal_length_mm.loguniform"),
    ("cli unbounded normal", ["lighting.sun_elevation_deg={normal:[10,5]}"], "lighting.sun_elevation_deg"),
    ("cli fractional count", ["traffic.cars={uniform:[1,3]}"], "traffic.cars"),
    ("cli one-value call typo", ["camera.pitch_deg='unifrom(1, 2)'"], "did you mean 'uniform'"),
    ("cli call not literal", ["camera.pitch_deg='uniform(a, b)'"], "camera.pitch_deg"),
    ("cli negative count", ["traffic.cars=-1"], "traffic.cars: got -1"),
    ("cli angle out of range", ["camera.pitch_deg=120"], "camera.pitch_deg: got 120"),
    ("cli probability above 1", ["layout.tree_probability=1.5"], "layout.tree_probability"),
    ("cli verge too narrow", ["layout.verge_width_m=0.1"], "layout.verge_width_m: got 0.1"),
    ("cli zero samples", ["render.samples=0"], "render.samples: got 0"),
    ("cli unknown device", ["render.device=metal"], "render.device: got 'metal'"),
    ("cli bool expected", ["render.denoise=maybe"], "render.denoise"),
    ("cli choice typo", ["render.view_transform=Filmik"], "did you mean 'Filmic'"),
    ("cli unknown layout", ["layout.name=downtown"], "layout.name"),
    ("cli unknown depth kind", ["labels.depth_kind=mist"], "labels.depth_kind"),
    ("cli zero frames", ["frames=0"], "frames: got 0"),
    ("cli negative seed", ["seed=-1"], "seed: got -1"),
    ("cli resolution arity", ["render.resolution=[64]"], "render.resolution"),
    ("cli shard out of range", ["frames=4", "frames_per_shard=2", "shard=5"], "shard: got 5"),
    ("cli distances", ["traffic.min_distance_m=50", "traffic.max_distance_m=20"], "traffic.max_distance_m"),
    ("cli duplicate ids", ["labels.categories.pedestrian=1"], "labels.categories"),
    ("cli fail_on typo", ["validate.fail_on=[boxs]"], "validate.fail_on"),
    ("cli policy typo", ["+labels.category_overrides.pedestrian.min_bbox_heigt_px=3"], "min_bbox_heigt_px"),
    ("cli policy of unknown category", ["+labels.category_overrides.pedestrain.min_visible_px=3"], "pedestrain"),
    ("cli unknown obstacle class", ["+obstacles.rates.unicorn=0.1"], "obstacles.rates.unicorn"),
    ("cli quota above 1", ["obstacles.quota_fraction=2"], "obstacles.quota_fraction"),
    ("cli delete a field", ["~camera.pitch_deg"], "camera"),
    ("catalog unknown category", ["catalog={f}/unicorn.yaml"], "category: got 'unicorn'"),
    ("catalog tiny unit scale", ["catalog={f}/tiny.yaml"], "unit_scale_m: got 1e-09"),
    ("hdri missing folder", ["lighting.hdri_dir={f}/nowhere"], "lighting.hdri_dir: got"),
    ("hdri folder without images", ["lighting.hdri_dir={f}/no_hdri"], "holds none"),
    ("hdri not equirectangular", ["lighting.hdri_dir={f}/square_hdri"], "32x32 px, not equirectangular"),
    ("pbr missing folder", ["materials.pbr_dir={f}/nowhere"], "materials.pbr_dir: got"),
    ("pbr unknown slot", ["materials.pbr_dir={f}/pbr_slot"], "did you mean 'road'?"),
    ("pbr missing albedo", ["materials.pbr_dir={f}/pbr_no_albedo"], "add worn_albedo.png"),
    ("pbr unreadable map", ["materials.pbr_dir={f}/pbr_unreadable"], "cannot be read"),
    ("pbr wrong channels", ["materials.pbr_dir={f}/pbr_grey_albedo"], "1 channel(s)"),
    ("pbr albedo as normal map", ["materials.pbr_dir={f}/pbr_not_normal"], "not a tangent-space normal map"),
    ("pbr map too small", ["materials.pbr_dir={f}/pbr_small"], "at least 8 px"),
    ("sky model typo", ["lighting.sky_model=nishita"], "lighting.sky_model: got 'nishita'"),
    ("cloud type typo", ["lighting.cloud_type=cumulos"], "did you mean 'cumulus'?"),
    ("cloud coverage out of range", ["lighting.cloud_coverage=1.5"], "lighting.cloud_coverage: got 1.5"),
    ("exposure mode typo", ["lighting.exposure_mode=meterd"], "lighting.exposure_mode: got 'meterd'"),
    ("metering target out of range", ["lighting.metering_target=2.0"], "lighting.metering_target: got 2.0"),
    ("metering gain clamp positive minimum", ["lighting.metering_min_ev=1.0"], "lighting.metering_min_ev: got 1.0"),
    ("sweep bad value", ["-m", "camera.pitch_deg=1,120"], "camera.pitch_deg: got 120"),
    ("sweep bad frames", ["-m", "frames=2,0"], "frames: got 0"),
    ("sweep typo with submitit", ["-m", "hydra/launcher=simgen_local", "weather.fog_densty=0.1,0.2"],
     "weather.fog_densty"),
    ("sweep catalog error", ["-m", "seed=1,2", "catalog={f}/unicorn.yaml"], "category: got 'unicorn'"),
    ("sweep typo with joblib", ["-m", "hydra/launcher=simgen_joblib", "seed=1,2", "framez=3"], "framez"),
    ("preview bad ids", ["preview", "{f}/dataset", "--images", "abc"], "--images: got 'abc'"),
    ("preview zero images", ["preview", "{f}/dataset", "--max-images", "0"], "--max-images"),
    ("validate missing dataset", ["validate", "{f}/nowhere"], "does not exist"),
    ("validate negative area", ["validate", "{f}/dataset", "--min-area-px", "-1"], "--min-area-px"),
    ("validate fraction", ["validate", "{f}/dataset", "--min-mask-depth-fraction", "2"], "--min-mask-depth-fraction"),
    ("validate fail-on typo", ["validate", "{f}/dataset", "--fail-on", "boxs"], "did you mean 'boxes'"),
    ("check typo", ["check", "weather.fog_densty=0.1"], "weather.fog_densty"),
    ("plan typo", ["plan", "framez=3"], "framez"),
    ("slurm-script typo", ["slurm-script", "--frames", "8", "--frames-per-shard", "4", "--output-dir", "{out}",
                           "-o", "{out}.sbatch", "weather.fog_densty=0.1"], "weather.fog_densty"),
]
SUBCOMMAND_WRITES = {"slurm-script"}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("config_errors")
    for name, text in SCENARIOS.items():
        (root / "configs" / "scenario").mkdir(parents=True, exist_ok=True)
        (root / "configs" / "scenario" / f"{name}.yaml").write_text(text)
    for name, text in OPTIONS.items():
        (root / "configs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "configs" / name).write_text(text)
    (root / "unicorn.yaml").write_text("pony:\n  category: unicorn\n  recipe: slab\n")
    (root / "model.obj").write_text("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n")
    (root / "tiny.yaml").write_text("speck:\n  category: car\n  file: model.obj\n  unit_scale_m: 1.0e-9\n")
    (root / "no_hdri").mkdir()
    (root / "no_hdri" / "sky.png").write_bytes(b"not an HDRI")
    (root / "square_hdri").mkdir()
    cv2.imwrite(str(root / "square_hdri" / "square.hdr"), np.ones((32, 32, 3), np.float32))
    colour = np.full((16, 16, 3), (40, 90, 200), np.uint8)
    for folder, files in {"pbr_slot/roads": {"albedo.png": colour}, "pbr_no_albedo/road": {"worn_normal.png": colour},
                          "pbr_unreadable/road": {"albedo.png": None},
                          "pbr_grey_albedo/road": {"albedo.png": colour[..., 0]},
                          "pbr_not_normal/facade": {"albedo.png": colour, "normal.png": colour},
                          "pbr_small/paint": {"albedo.png": colour[:4, :4]}}.items():
        (root / folder).mkdir(parents=True)
        for name, image in files.items():
            if image is None:
                (root / folder / name).write_bytes(b"not a png")
            else:
                cv2.imwrite(str(root / folder / name), image)
    (root / "dataset").mkdir()
    return root


def _argv(args: list[str], files: Path, out: Path) -> list[str]:
    argv = [a.replace("{f}", str(files)).replace("{out}", str(out)) for a in args]
    if argv[0] in cli.SUBCOMMANDS:
        return argv
    return ["--config-dir", str(files / "configs"), *argv, f"output.dir={out}"]


@pytest.mark.parametrize("name, args, expected", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_one_message_and_exit_2(name, args, expected, files, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    monkeypatch.setattr(sys, "argv", ["simgen", *_argv(args, files, out)])
    monkeypatch.delenv("HYDRA_FULL_ERROR", raising=False)
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    captured = capsys.readouterr()
    assert exit_.value.code == 2, captured.err
    errors = [line for line in captured.err.splitlines() if line.startswith("simgen: ")]
    assert len(errors) == 1, captured.err
    assert expected in errors[0], errors[0]
    assert "Traceback" not in captured.out + captured.err
    assert not out.exists() and not Path(f"{out}.sbatch").exists()


@pytest.fixture(autouse=True)
def _fresh_logging():
    """In process, a handler installed by one case would write to the next case's closed stream."""
    root = logging.getLogger()
    handlers = list(root.handlers)
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)


def test_the_case_table_has_at_least_60_inputs():
    assert len(CASES) >= 60


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "simgen", *args], capture_output=True, text=True, timeout=300,
                          env={**{k: v for k, v in os.environ.items() if k != "HYDRA_FULL_ERROR"}, **env})


def test_the_command_exits_2_with_one_line_and_debug_shows_the_traceback(files, tmp_path):
    args = ["--config-dir", str(files / "configs"), "scenario=tab", f"output.dir={tmp_path / 'out'}"]
    plain = _run(args)
    assert plain.returncode == 2 and "Traceback" not in plain.stderr
    assert "tab.yaml line 4: camera.pitch_deg" in plain.stderr
    debug = _run([*args, "--debug"])
    assert debug.returncode == 2 and "Traceback" in debug.stderr
    assert not (tmp_path / "out").exists()
