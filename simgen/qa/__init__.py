"""Looking at and checking datasets: preview, report, validation (pure library code)."""

from simgen.config.schema import QA_CHECKS as CHECKS

__all__ = ["CHECKS"]
