"""Curation: reading what curators write (rows with their quotes, units, the catalog),
and the tools that start a new report (``init``, ``draft``)."""
