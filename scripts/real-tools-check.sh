#!/usr/bin/env bash
# Accepted by the real tools: publish a fresh copy of this package and hand it to the tools its
# users run, each installed in a throwaway venv of its own. Prints one line per tool ("ok" or
# "FAIL"), then exits 1 if any refused.
#
#   CKAN 2.12            default_create_package_schema validates site/ckan.json (owner_org set)
#   ckanext-dcat 2.4     DCAT-AP 3 parser harvests site/dcat.ttl: licence cc-by, agrees with ckan.json
#   datasette 0.65.x     serves the SQLite export; every foreign-key link 200; enum facets
#   datasette 1.0a       the same
#   frictionless 4.40    validates datapackage.json and the release zip
#   frictionless 5.21    the same
#   sqlite-utils         reads every table, its rows and foreign keys from the SQLite export
#   cffconvert 2         validates CITATION.cff; its BibTeX carries the dataset URL
#
# Venvs live in $REAL_TOOLS_VENVS (default .real-tools/, git-ignored) and are reused while
# their requirements are unchanged; each line says how long its install took. The project
# itself runs from .venv (the README's install), or $OPENDATA.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HERE="$ROOT/scripts/real_tools"
VENVS=${REAL_TOOLS_VENVS:-$ROOT/.real-tools}
OPENDATA=${OPENDATA:-$ROOT/.venv/bin/opendata}
PYTHON=${PYTHON:-python3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/real-tools.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$VENVS"
FAILED=0

say() { echo "$*"; case "$*" in FAIL*) FAILED=1 ;; esac; }

# venv NAME REQUIREMENT...: a venv with exactly these requirements; records its install time.
venv() {
  local name=$1; shift
  local dir="$VENVS/$name" wants="$*"
  if [[ -x "$dir/bin/python" && "$(cat "$dir/.wants" 2>/dev/null)" == "$wants" ]]; then
    echo "reused" >"$dir/.took"; return 0
  fi
  rm -rf "$dir"
  local start=$SECONDS
  "$PYTHON" -m venv "$dir" && "$dir/bin/pip" install -q "$@" >"$dir.log" 2>&1 || {
    echo "install failed, see $dir.log" >"$VENVS/$name.failed"; return 1; }
  echo "$wants" >"$dir/.wants"
  echo "installed in $((SECONDS - start)) s" >"$dir/.took"
  rm -f "$VENVS/$name.failed"
}

# CKAN keeps its dependencies in requirements.txt, not in its package metadata: install them
# from its sdist, as CKAN's install guide does (psycopg2 as the binary wheel: no compiler here).
ckan_venv() {
  local dir="$VENVS/ckan" wants="ckan==2.12.0 ckanext-dcat==2.4.4"
  if [[ -x "$dir/bin/python" && "$(cat "$dir/.wants" 2>/dev/null)" == "$wants" ]]; then
    echo "reused" >"$dir/.took"; return 0
  fi
  rm -rf "$dir"
  local start=$SECONDS sdist="$VENVS/ckan-sdist"
  {
    "$PYTHON" -m venv "$dir" &&
    "$dir/bin/pip" download -q --no-deps --no-binary :all: ckan==2.12.0 -d "$sdist" &&
    tar -xzf "$sdist"/ckan-2.12.0.tar.gz -C "$sdist" ckan-2.12.0/requirements.txt &&
    sed 's/^psycopg2==/psycopg2-binary==/' "$sdist/ckan-2.12.0/requirements.txt" >"$sdist/req.txt" &&
    "$dir/bin/pip" install -q -r "$sdist/req.txt" ckan==2.12.0 ckanext-dcat==2.4.4
  } >"$dir.log" 2>&1 || { echo "install failed, see $dir.log" >"$VENVS/ckan.failed"; return 1; }
  echo "$wants" >"$dir/.wants"
  echo "installed in $((SECONDS - start)) s" >"$dir/.took"
  rm -f "$VENVS/ckan.failed"
}

took() { cat "$VENVS/$1/.took" 2>/dev/null; }
installed() {  # installed NAME LABEL: say FAIL when the venv could not be made
  if [[ -f "$VENVS/$1.failed" ]]; then say "FAIL $2: $(cat "$VENVS/$1.failed")"; return 1; fi
}

# 1. The tools, installed side by side.
ckan_venv &
venv datasette-0.65 'datasette>=0.65,<0.66' &
venv datasette-1.0 'datasette>=1.0a1,<1.1' &
wait
venv frictionless-4 'frictionless>=4.40,<4.41' &
venv frictionless-5 'frictionless>=5.21,<5.22' &
venv sqlite-utils 'sqlite-utils>=3.36' &
venv cffconvert 'cffconvert>=2,<3' &
wait

# 2. A fresh copy of the package, built and published as the project's config says (no preview).
PROJECT="$WORK/project"
mkdir -p "$PROJECT"
for part in curation schemas locales data releases datapackage.json README.md LICENSE LICENSE-DATA \
            CHANGELOG.md CITATION.cff; do
  cp -r "$ROOT/$part" "$PROJECT/"
done
if ! "$OPENDATA" build --project "$PROJECT" >"$WORK/build.log" 2>&1 ||
   ! "$OPENDATA" publish --project "$PROJECT" >"$WORK/publish.log" 2>&1; then
  say "FAIL opendata: build or publish of a fresh copy failed"; cat "$WORK"/*.log; exit 1
fi
SITE="$PROJECT/site"
NAME=$("$ROOT/.venv/bin/python" -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['name'], d['version'])" "$PROJECT/datapackage.json")
read -r PACKAGE VERSION <<<"$NAME"
ZIP="$PROJECT/dist/$PACKAGE-$VERSION.zip"
DATABASE="$PROJECT/dist/$PACKAGE.sqlite"
if grep -rq localhost "$SITE"; then
  say "FAIL opendata publish: the site names localhost: $(grep -rl localhost "$SITE" | head -3)"
else
  say "ok   opendata publish: $(head -1 "$WORK/publish.log" | cut -c1-80)…; no localhost in site/"
fi

# 3. Each tool against the published copy.
LICENCES=$("$ROOT/.venv/bin/python" -c "import json; from opendata.publish.facts import CKAN_LICENCES; print(json.dumps(CKAN_LICENCES))")
if installed ckan "ckan 2.12"; then
  say "$("$VENVS/ckan/bin/python" "$HERE/ckan_payload.py" "$SITE/ckan.json" 2>&1 | tail -5) [$(took ckan)]"
  while IFS= read -r line; do say "$line"; done < <(
    "$VENVS/ckan/bin/python" "$HERE/dcat_harvest.py" "$SITE/dcat.ttl" "$SITE/ckan.json" \
      "$LICENCES" 2>&1 | tail -12)
fi
for version in 0.65 1.0; do
  if installed "datasette-$version" "datasette $version"; then
    while IFS= read -r line; do say "$line [$(took "datasette-$version")]"; done < <(
      "$VENVS/datasette-$version/bin/python" "$HERE/datasette_links.py" "$DATABASE" \
        "$PROJECT/dist/metadata.json" "$PROJECT/datapackage.json" 2>&1 | tail -12)
  fi
done
for major in 4 5; do
  tool="$VENVS/frictionless-$major/bin/frictionless"
  if installed "frictionless-$major" "frictionless $major"; then
    release=$("$VENVS/frictionless-$major/bin/python" -c "from importlib.metadata import version; print(version('frictionless'))")
    verdicts=""
    for target in "$PROJECT/datapackage.json" "$ZIP"; do
      if (cd "$PROJECT" && "$tool" validate --type package "$target" >"$WORK/fl.log" 2>&1); then
        verdicts+=" $(basename "$target") valid;"
      else
        verdicts+=" $(basename "$target") INVALID;"
        grep -m3 -i "error\|not supported" "$WORK/fl.log" | sed 's/^/     /'
      fi
    done
    case "$verdicts" in *INVALID*) state=FAIL ;; *) state="ok  " ;; esac
    say "$state frictionless $release:$verdicts [$(took "frictionless-$major")]"
  fi
done
if installed sqlite-utils "sqlite-utils"; then
  say "$("$VENVS/sqlite-utils/bin/python" "$HERE/sqlite_tables.py" "$DATABASE" \
        "$PROJECT/datapackage.json" 2>&1 | tail -5) [$(took sqlite-utils)]"
fi
if installed cffconvert "cffconvert"; then
  cff="$VENVS/cffconvert/bin/cffconvert"
  release=$("$VENVS/cffconvert/bin/python" -c "from importlib.metadata import version; print(version('cffconvert'))")
  if "$cff" --validate -i "$PROJECT/CITATION.cff" >"$WORK/cff.log" 2>&1 &&
     "$cff" -f bibtex -i "$PROJECT/CITATION.cff" >"$WORK/cff.bib" 2>&1 &&
     grep -q "url = {https://" "$WORK/cff.bib"; then
    say "ok   cffconvert $release: CITATION.cff is valid; its BibTeX has $(grep -m1 'url = ' "$WORK/cff.bib" | tr -s ' ') [$(took cffconvert)]"
  else
    say "FAIL cffconvert $release: $(cat "$WORK/cff.log" "$WORK/cff.bib" | tail -3)"
  fi
fi
exit "$FAILED"
