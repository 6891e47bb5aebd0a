#!/usr/bin/env bash
# Check main as a new user and CI would: clone it beside ../shared, run the README's two
# commands, then .ci/run. Usage: scripts/fresh-clone-check.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
clone="$(mktemp -d "$(dirname "$repo")/fresh-clone.XXXXXX")"
trap 'rm -rf "$clone"' EXIT
git clone --quiet "$repo" "$clone/repo"
cd "$clone/repo"
# The first two commands of the README, exactly as written there.
sed -n '/^```sh$/,/^```$/p' README.md | sed '1d;$d' > "$clone/readme-commands.sh"
while IFS= read -r command; do
  echo "+ $command"
  bash -c "$command"
done < "$clone/readme-commands.sh"
echo "+ bash .ci/run"
CI=true bash .ci/run
