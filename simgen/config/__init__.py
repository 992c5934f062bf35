"""Typed configs: schemas (one per config group), distributions and validation."""

from simgen.config.load import load_config
from simgen.config.schema import SimgenConfig

__all__ = ["SimgenConfig", "load_config"]
