"""Every `simgen` command shown in a ```bash block of README.md, CONTRIBUTING.md, scenes/README.md
or docs/*.md is a command simgen accepts, so the docs never show a broken one.

Cheap by design (no render): a render command is composed with Hydra exactly as `simgen` composes
it (plus `hydra.*` overrides, as `--cfg job` does) and validated into a typed config; a subcommand
runs its own `main(argv)` up to its argparse parse and stops there (a parse error fails the test).
`docs/tutorial.md` is also run verbatim, with renders, by tests/e2e/test_tutorial.py.
"""

from __future__ import annotations

import argparse
import importlib
import re
import shlex
from pathlib import Path

import pytest
from hydra import compose, initialize_config_module
from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import OmegaConf

from simgen.cli import SUBCOMMANDS
from simgen.config.load import load_config

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "scenes" / "README.md",
         *sorted((ROOT / "docs").glob("*.md"))]
HYDRA_FLAGS_WITHOUT_VALUE = {"-m", "--multirun", "--help", "-h"}
HYDRA_FLAGS_WITH_VALUE = {"--cfg", "-c", "--config-dir", "-cd"}


def bash_commands(page: Path) -> list[str]:
    """The `simgen ...` lines of the page's ```bash blocks, continuation lines joined."""
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", page.read_text(encoding="utf-8"), re.S):
        for line in block.replace("\\\n", " ").splitlines():
            argv = shlex.split(line, comments=True)
            if argv and argv[0] == "simgen":
                commands.append(shlex.join(argv))
    return commands


def tutorial_files(page: Path) -> dict[str, str]:
    """The files a page asks the reader to create (`<!-- tutorial-file: PATH -->` blocks)."""
    return dict(re.findall(r"<!-- tutorial-file: (\S+) -->\n```yaml\n(.*?)```", page.read_text(encoding="utf-8"),
                           re.S))


DOC_COMMANDS = [(page, command) for page in PAGES if page.exists() for command in bash_commands(page)]


def _first_sweep_value(overrides: list[str]) -> list[str]:
    """`shard=3,7` -> `shard=3`: a multirun's first job, which Hydra composes like every other."""
    parsed = OverridesParser.create().parse_overrides(overrides)
    return [f"{o.get_key_element()}={next(o.sweep_string_iterator())}" if o.is_sweep_override() else o.input_line
            for o in parsed]


def compose_and_validate(overrides: list[str], config_dirs: list[str]) -> None:
    """Compose as the `simgen` app does (hydra.* included) and validate the typed config."""
    from simgen.config.compose import register_configs, to_plain
    from simgen.config.overrides import rewrite_overrides

    register_configs()
    overrides = rewrite_overrides(overrides)  # as `simgen` reads them before Hydra does
    searchpath = [f"file://{Path(d).resolve()}" for d in config_dirs]
    extra = [f"hydra.searchpath=[{','.join(searchpath)}]"] if searchpath else []
    cfg = compose(config_name="config", overrides=[*_first_sweep_value(overrides), *extra], return_hydra_config=True)
    OmegaConf.to_container(cfg.hydra.launcher)  # the launcher preset or plugin config exists
    content = OmegaConf.masked_copy(cfg, [k for k in cfg if k != "hydra"])
    load_config(to_plain(content))


@pytest.fixture(scope="module", autouse=True)
def hydra_configs():
    """One Hydra initialisation for the module (plugin discovery costs about a second)."""
    with initialize_config_module(config_module="simgen.configs", version_base="1.3"):
        yield


def split_hydra_flags(argv: list[str]) -> tuple[list[str], list[str]]:
    """(overrides, config dirs) of a render command line; an unknown flag fails the test."""
    overrides, config_dirs, args = [], [], iter(argv)
    for arg in args:
        if arg in HYDRA_FLAGS_WITHOUT_VALUE:
            continue
        if arg in HYDRA_FLAGS_WITH_VALUE:
            value = next(args)
            if arg in ("--config-dir", "-cd"):
                config_dirs.append(value)
            continue
        assert not arg.startswith("-"), f"{arg}: not a flag the simgen app takes"
        overrides.append(arg)
    return overrides, config_dirs


class _Parsed(Exception):
    """Raised right after a subcommand parsed its arguments, to stop it before it does any work."""

    def __init__(self, namespace: argparse.Namespace):
        super().__init__("parsed")
        self.namespace = namespace


def parse_subcommand(name: str, argv: list[str], monkeypatch) -> argparse.Namespace:
    """The namespace `simgen <name> argv...` parses to with the subcommand's own parser."""
    real_parse_args = argparse.ArgumentParser.parse_args

    def parse_then_stop(parser, args=None, namespace=None):
        raise _Parsed(real_parse_args(parser, args, namespace))

    module = importlib.import_module(f"simgen.commands.{SUBCOMMANDS[name]}")
    with monkeypatch.context() as patch:
        patch.setattr(argparse.ArgumentParser, "parse_args", parse_then_stop)
        try:
            module.main(argv)
        except _Parsed as parsed:
            return parsed.namespace
        except SystemExit as exit_:
            pytest.fail(f"simgen {name} {shlex.join(argv)}: argparse refused it (exit {exit_.code})")
    pytest.fail(f"simgen {name} returned without parsing arguments")


def test_the_docs_show_commands():
    pages = {page.relative_to(ROOT).as_posix() for page, _ in DOC_COMMANDS}
    assert {"README.md", "scenes/README.md"} | {f"docs/{n}" for n in ("sweeps.md", "qa.md", "exports.md", "cli.md",
                                                                    "sensor.md", "tutorial.md")} <= pages
    assert len(DOC_COMMANDS) >= 30


@pytest.mark.parametrize("page, command", DOC_COMMANDS,
                         ids=[f"{p.relative_to(ROOT)}:{c[:60]}" for p, c in DOC_COMMANDS])
def test_every_documented_command_composes(page, command, tmp_path, monkeypatch):
    files = tutorial_files(page)
    for name, body in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(body)
    # Relative paths resolve as for the reader: in the folder a tutorial has them make, else the checkout.
    monkeypatch.chdir(tmp_path if files else ROOT)
    argv = shlex.split(command)[1:]
    if argv and argv[0] in SUBCOMMANDS:
        namespace = parse_subcommand(argv[0], argv[1:], monkeypatch)
        if argv[0] == "plan":
            compose_and_validate(namespace.overrides, [str(d) for d in namespace.config_dir])
    else:
        compose_and_validate(*split_hydra_flags(argv))


def test_a_broken_command_is_caught(tmp_path, monkeypatch):
    """The checks above can fail: a renamed field, an unknown option, a removed flag."""
    from hydra.errors import ConfigCompositionException

    from simgen.errors import ConfigError

    with pytest.raises(ConfigCompositionException):
        compose_and_validate(["render.resolutoin=[64,48]"], [])
    with pytest.raises(ConfigError):
        compose_and_validate(["render.samples=0"], [])
    with pytest.raises(pytest.fail.Exception, match="argparse refused"):
        parse_subcommand("export", ["yolo", "outputs/x", "--format", "csv"], monkeypatch)
    with pytest.raises(AssertionError, match="not a flag"):
        split_hydra_flags(["--dry-run"])
