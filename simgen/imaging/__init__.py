"""Post-render imaging, pure numpy/OpenCV: what happens to a pinhole render before labels.

The post-process stage of the pipeline, `post.post_process` (render passes -> `ImagedFrame`):
`atmosphere` adds depth fog, rain and snow overlays; the sensor model is
`simgen.geometry.lens` (distortion maths, OpenCV Brown-Conrady), `sensor_effects` (RGB effects:
vignetting, noise, JPEG, ...) and `sensor` (the warp of the image and the label passes from the
render camera the passes carry to the output camera).
"""
