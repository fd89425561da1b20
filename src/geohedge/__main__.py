"""``python -m geohedge`` runs the CLI."""

from geohedge.cli import main

main()
