"""Build, validate and publish government work reports as bilingual data packages."""

__version__ = "0.1.0"
