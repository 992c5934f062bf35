"""Pure label extraction: render passes + frame spec -> instances (masks, boxes, areas)."""
