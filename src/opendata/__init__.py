"""Build, validate and publish government work reports as bilingual data packages."""

__version__ = "0.2.0"  # the one place of the version: pyproject.toml reads it
# What pip installs: pyproject.toml's [project] name ("opendata" on PyPI is another package).
DISTRIBUTION = "gwr-opendata"


def load(*args, **kwargs):
    """The published tables as typed pandas DataFrames: see :func:`opendata.loader.load`."""
    from opendata.loader import load as load_tables  # pandas only when someone loads

    return load_tables(*args, **kwargs)
