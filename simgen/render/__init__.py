"""The render contract: the `Renderer` protocol, the passes a render returns, device choice.

`simgen.blender` implements it with Cycles; nothing here imports Blender.
"""
