"""Subcommands of `simgen` that work on existing datasets (see `simgen.cli.SUBCOMMANDS`).

Each module defines `main(argv: list[str]) -> int` built on argparse; raise `SimgenError`
subclasses for bad input (the CLI maps them to exit status 2).
"""
