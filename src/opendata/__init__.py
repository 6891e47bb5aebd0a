"""Build, validate and publish government work reports as bilingual data packages."""

__version__ = "0.1.0"


def load(*args, **kwargs):
    """The published tables as typed pandas DataFrames: see :func:`opendata.loader.load`."""
    from opendata.loader import load as load_tables  # pandas only when someone loads

    return load_tables(*args, **kwargs)
