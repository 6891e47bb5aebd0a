#!/usr/bin/env bash
# Check main as a new user and CI would: clone it beside ../shared, run the README's two
# commands, then .ci/run. Usage: scripts/fresh-clone-check.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
# A sibling of the repository, so that ../shared is found as in CI.
clone="$(mktemp -d "$(dirname "$repo")/fresh-clone.XXXXXX")"
trap 'rm -rf "$clone"' EXIT
git clone --quiet "$repo" "$clone"
cd "$clone"
# The first two commands of the README, exactly as written there.
commands="$(sed -n '/^```sh$/,/^```$/p' README.md | sed '1d;$d')"
while IFS= read -r command; do
  echo "+ $command"
  bash -c "$command"
done <<< "$commands"
echo "+ bash .ci/run"
CI=true bash .ci/run
