"""Looking at and checking datasets: preview, report, validation (pure library code)."""
