"""Looking at and checking datasets: preview, report, validation (pure library code)."""

CHECKS = ("files", "ids", "categories", "rle", "boxes", "depth", "instances", "manifest", "keypoints", "panoptic",
          "flow", "content", "maps", "json")
"""Names of the dataset checks of `simgen.qa.validate`, as `--fail-on` and `validate.fail_on` take them."""
