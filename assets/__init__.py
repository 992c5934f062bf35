"""Catalog data for simgen (`catalog.yaml`), packaged as `simgen.assets`; no code lives here.

The procedural recipes the catalog names are `simgen.catalog.recipes`."""
