"""Training helpers (optional extra `simgen[torch]`): `simgen.training.detection` holds a PyTorch
dataset over a simgen split. Importing this package imports nothing heavy; its modules need torch."""
