"""`simgen validate --fail-on`: which checks gate."""

from __future__ import annotations

import pytest

from simgen.commands.validate import parse_fail_on
from simgen.errors import ConfigError
from simgen.qa.validate import CHECKS


def test_parse_fail_on():
    assert parse_fail_on("all") == CHECKS and parse_fail_on("none") == ()
    assert parse_fail_on("rle, depth") == ("rle", "depth")
    with pytest.raises(ConfigError, match="--fail-on"):
        parse_fail_on("rle,dpeth")
