"""``python -m inograph`` runs the CLI."""

from inograph.cli import main

main()
