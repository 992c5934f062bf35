"""README's "Editing configs" section runs verbatim and shows what it says it shows, and the
distribution examples of docs/configs.md work verbatim in a scenario file (issue 13)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from simgen.config.compose import compose_config
from simgen.config.distributions import Choice, IntRange, LogUniform, Normal, Uniform

ROOT = Path(__file__).resolve().parents[2]
SECTION = re.search(r"## Editing configs\n(.*?)\n## ", (ROOT / "README.md").read_text(encoding="utf-8"), re.S).group(1)


def _run(command: str, cwd: Path) -> subprocess.CompletedProcess:
    argv = shlex.split(command)
    assert argv[0] == "simgen"
    return subprocess.run([sys.executable, "-m", "simgen", *argv[1:]], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONWARNINGS": "ignore"})


def test_the_editing_configs_section_runs_verbatim(tmp_path):
    files = dict(re.findall(r"<!-- tutorial-file: (\S+) -->\n```yaml\n(.*?)```", SECTION, re.S))
    (block,) = re.findall(r"<!-- editing-configs-commands -->\n```bash\n(.*?)```", SECTION, re.S)
    for name, body in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(body)
    check, show = [line for line in block.splitlines() if line.strip()]
    checked = _run(check, tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "camera.pitch_deg = {'normal': [-3.0, 1.5], 'clip': [-8.0, 0.0]}" in checked.stdout
    assert not (tmp_path / "outputs").exists()
    shown = _run(show, tmp_path)
    assert shown.returncode == 0, shown.stderr
    cfg = yaml.safe_load(shown.stdout)
    assert (cfg["frames"], cfg["render"]["samples"], cfg["camera"]["pitch_deg"]) == (50, 32, "uniform(-10.0, -4.0)")
    assert "`frames: 50`, `samples: 32` and `pitch_deg: uniform(-10.0, -4.0)`" in SECTION.replace("\n", " ")


def test_the_distribution_examples_of_the_configs_page_work_verbatim(tmp_path):
    page = (ROOT / "docs" / "configs.md").read_text(encoding="utf-8")
    block = re.search(r"Numeric fields accept distributions:\n\n```yaml\n(.*?)```", page, re.S).group(1)
    group = {"height_m": "camera", "pitch_deg": "camera", "focal_length_mm": "camera", "cars": "traffic",
             "lanes_per_direction": "layout"}
    expected = {"pitch_deg": Normal(-3.0, 1.5, (-8.0, 0.0)), "focal_length_mm": LogUniform(14.0, 50.0),
                "cars": IntRange(3, 8), "lanes_per_direction": Choice((1, 2, 3), (5 / 9, 3 / 9, 1 / 9)),
                "height_m": Uniform(1.3, 1.6)}
    lines = [line.split("#")[0].rstrip() for line in block.splitlines() if line.strip()]
    assert len(lines) == 6
    (tmp_path / "scenario").mkdir()
    for index, line in enumerate(lines[1:]):
        key, text = (part.strip() for part in line.split(":", 1))
        (tmp_path / "scenario" / f"s{index}.yaml").write_text(f"# @package _global_\n{group[key]}:\n  {line}\n")
        in_scenario = compose_config([f"scenario=s{index}", f"output.dir={tmp_path / 'out'}"], [tmp_path])
        on_cli = compose_config([f"{group[key]}.{key}={text.replace(': ', ':').replace(', ', ',')}",
                                 f"output.dir={tmp_path / 'out'}"])
        for cfg in (in_scenario, on_cli):
            value = getattr(getattr(cfg, group[key]), key)
            assert value == expected[key] or (isinstance(value, Choice) and value.options == (1, 2, 3)
                                              and value.probabilities == pytest.approx((5 / 9, 3 / 9, 1 / 9))), line
