"""The project's own checks on a built package, one module each, run after frictionless."""
