"""``python -m opendata``: the same command line as ``opendata``."""

from opendata.cli import main

if __name__ == "__main__":  # not when a worker process started by spawning imports it
    main()
