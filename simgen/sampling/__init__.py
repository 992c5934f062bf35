"""Pure samplers: `sample_*(cfg, rng) -> *Spec`. No Blender, no global randomness."""
