#!/usr/bin/env bash
# Validate the package with frictionless 4, which users of older pipelines still run.
# frictionless 4 and 5 cannot share one environment, so this installs frictionless<5 in a
# throwaway venv (from PyPI) and runs its validate on datapackage.json.
# Usage: scripts/frictionless4-check.sh [DESCRIPTOR]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
descriptor="$(realpath "${1:-$repo/datapackage.json}")"
venv="$(mktemp -d)"
trap 'rm -rf "$venv"' EXIT
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet 'frictionless<5'
cd "$(dirname "$descriptor")"
"$venv/bin/frictionless" validate "$descriptor"
