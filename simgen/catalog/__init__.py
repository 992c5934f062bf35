"""What can be placed in a scene: the asset catalog (`entries`), file-based entries
(`file_entry`) and the procedural mesh recipes (`recipes`), all pure numpy.

The catalog's data (`catalog.yaml`) lives in the top-level `assets/` folder, packaged as
`simgen.assets`.
"""
