"""How far synthetic images are from real ones: low-level statistics and a real-vs-synthetic
classifier (`features`, `classify`), reported as JSON and HTML (`report`).
"""
