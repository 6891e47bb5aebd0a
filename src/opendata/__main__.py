"""``python -m opendata``: the same command line as ``opendata``."""

from opendata.cli import main

main()
