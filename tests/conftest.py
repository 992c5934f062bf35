"""Shared test fixtures."""

from __future__ import annotations

import pytest

from simgen.config.load import load_config
from simgen.config.schema import SimgenConfig


def tiny_config(tmp_path, **overrides) -> SimgenConfig:
    """The default config at tiny size, writing under tmp_path."""
    data = {"frames": 2, "seed": 3, "render": {"resolution": [64, 48], "samples": 2, "denoise": False},
            "output": {"dir": str(tmp_path / "out"), "progress": False}}
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
