"""`python -m simgen` is the `simgen` command."""

from simgen.cli import main

main()
