"""Shared test fixtures."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from simgen.config.load import load_config
from simgen.config.schema import SimgenConfig

KEEP_ALL = yaml.safe_load(resources.files("simgen.configs").joinpath("labels", "keep_all.yaml").read_text())
"""The `labels=keep_all` policy: at 64x48 the training policy would make most objects ignore
regions, and these tests check label geometry, not the policy (tests of the policy set it)."""


def tiny_config(tmp_path, **overrides) -> SimgenConfig:
    """The default config at tiny size with the keep_all label policy, writing under tmp_path."""
    data = {"frames": 2, "seed": 3, "render": {"resolution": [64, 48], "samples": 2, "denoise": False},
            "output": {"dir": str(tmp_path / "out"), "progress": False}, "labels": dict(KEEP_ALL)}
    for key, value in overrides.items():
        node = data
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return load_config(data)


@pytest.fixture
def make_config(tmp_path):
    return lambda **overrides: tiny_config(tmp_path, **overrides)
