"""Pure geometry: camera models and ground footprints (numpy only)."""
