"""Camera sensor model: lens distortion, optics and sensor effects applied to a pinhole render.

`lens` holds the distortion maths (OpenCV Brown-Conrady), `image` the RGB effects, and
`apply` the one entry point the pipeline calls between the render and label extraction.
"""
