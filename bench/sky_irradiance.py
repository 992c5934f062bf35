"""Sun / sky horizontal irradiance ratio of simgen's day lighting, from real tiny Cycles renders.

For each sun elevation and turbidity of a grid over the day option's ranges
(configs/lighting/sun_sky.yaml), builds simgen's own world and sun lamp
(`simgen.blender.build.build_lighting`, Hosek-Wilkie, clear) over an unbounded horizontal plane
of white Lambertian (albedo 1) seen from straight above, and renders it twice: sun lamp only
(world strength 0) and sky only (sun lamp off). A white Lambertian surface's radiance is
E / pi, so the ratio of the two renders' mean luminance (Rec. 709, linear EXR) is the ratio of
the horizontal irradiances E_sun / E_sky. The sun render is checked against the analytic
E_sun = strength * sin(elevation). Prints, per `--sky-strength`, the ratio at each grid point
for a 1 W/m2 sun and its range over the sun strengths `--sun-strength` (default: the day
option's 3-5 W/m2). Real clear days: about 2-8 (direct / diffuse horizontal irradiance at
15-65 deg sun elevation).

    .venv/bin/python bench/sky_irradiance.py --sky-strength 1.0 2.0
"""

from __future__ import annotations

import argparse
import math
import tempfile
from pathlib import Path

from simgen.blender.irradiance import horizontal_irradiance


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sky-strength", type=float, nargs="+", default=[1.0, 2.0])
    parser.add_argument("--sun-strength", type=float, nargs=2, default=[3.0, 5.0], metavar=("LOW", "HIGH"))
    parser.add_argument("--elevations", type=float, nargs="+", default=[15.0, 25.0, 35.0, 45.0, 55.0, 65.0])
    parser.add_argument("--turbidities", type=float, nargs="+", default=[2.0, 3.5, 5.0])
    parser.add_argument("--size", type=int, default=8, help="render side, pixels")
    parser.add_argument("--samples", type=int, default=256)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for strength in args.sky_strength:
            ratios = []
            print(f"sky_strength {strength:g}: E_sun / E_sky for a 1 W/m2 sun (rows: elevation; columns: "
                  f"turbidity {', '.join(f'{t:g}' for t in args.turbidities)})")
            for elevation in args.elevations:
                row = []
                for turbidity in args.turbidities:
                    e_sun, e_sky = horizontal_irradiance(elevation, turbidity, strength, args.size, args.samples,
                                                         Path(tmp))
                    analytic = math.sin(math.radians(elevation))
                    assert abs(e_sun / analytic - 1.0) < 0.02, (elevation, e_sun, analytic)
                    row.append(e_sun / e_sky)
                ratios += row
                print(f"  {elevation:4.0f} deg: " + "  ".join(f"{r:6.3f}" for r in row)
                      + f"   (E_sky {e_sky:.4f} at turbidity {args.turbidities[-1]:g})")
            low, high = args.sun_strength
            print(f"sky_strength {strength:g}, sun {low:g}-{high:g} W/m2: sun/sky horizontal irradiance "
                  f"{low * min(ratios):.2f} - {high * max(ratios):.2f}")


if __name__ == "__main__":
    main()
