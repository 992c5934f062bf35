"""Procedural 3D asset recipes for simgen (pure numpy; see `assets.recipes`)."""
