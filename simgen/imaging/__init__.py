"""Post-render imaging, pure numpy/OpenCV: what happens to a pinhole render before labels.

`atmosphere` adds depth fog, rain and snow overlays; the sensor model is `lens` (distortion
maths, OpenCV Brown-Conrady), `sensor_effects` (RGB effects: vignetting, noise, JPEG, ...) and
`sensor` (the one entry point the pipeline calls between the render and label extraction).
"""
