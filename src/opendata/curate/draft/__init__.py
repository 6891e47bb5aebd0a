"""Drafting curation for a new report: layout → clauses → proposals → curation files.

``project.run`` is what ``opendata draft`` calls; ``pending`` is what ``build`` checks.
"""
