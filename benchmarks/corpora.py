"""Seeded corpora: packages with known errors, and ``opendata validate --json`` on each.

    python -m benchmarks.corpora make WORK [--rows 10000 100000]
    python -m benchmarks.corpora record WORK OUT [--jobs 1 2]
    python -m benchmarks.corpora compare OUT_BEFORE OUT_AFTER

A change to validation must not change one byte of what it reports: ``make`` writes
copies of this project's package and of synthetic packages with errors that frictionless
finds (``synth.seed_errors``), errors that only the project's own checks find
(``seed_own_errors``: wrong base values, lines, English, values and flags, a BOM, an
uppercase hash), and both. ``record`` runs ``opendata validate --json`` on each, with its
project and on the bare descriptor, and keeps the exit code, the output and the error
output; ``compare`` says which differ. Record before the change, record after it (with
every ``--jobs`` that matters), compare.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import subprocess
import sys
from pathlib import Path

from benchmarks import synth
from benchmarks.run import OPENDATA, REPO, copy_project
from opendata.build.descriptor import dumps

KINDS = ("frictionless", "own", "both")


def seed_own_errors(root: Path, per_kind: int = 15, seed: int = 11) -> list[tuple[str, int]]:
    """Break rows in ways only the project's checks see; the hashes are updated (but one,
    written in uppercase), so frictionless finds these files valid."""
    rng = random.Random(seed)
    descriptor = json.loads((root / "datapackage.json").read_text("utf-8"))
    edits = {  # table: [(column, how)]
        "results": [("value_base", lambda v: v + "1" if v else v),
                    ("source_line", lambda v: str(int(v) + 1)),
                    ("value", lambda v: v + "1" if v else v),
                    ("estimate", lambda v: "false" if v == "true" else "true")],
        "targets": [("aspirational", lambda v: "false" if v == "true" else "true"),
                    ("source_quote", lambda v: v[:-1] + "国")],
        "indicators": [("name_en", lambda v: v + " (edited)"), ("name_en", lambda v: "")],
        "honors": [("recipient_en", lambda v: v.upper())],
        "projects": [("places_en", lambda v: v.split(",")[0] if "," in v else v + ",Extra")],
    }
    changed = []
    for resource in descriptor["resources"]:
        kinds = edits.get(resource["name"])
        if not kinds:
            continue
        path = root / resource["path"]
        rows = list(csv.reader(path.read_text("utf-8").splitlines()))
        header = rows[0]
        targets = rng.sample(range(2, len(rows) + 1), min(len(rows) - 1, per_kind * len(kinds)))
        for i, number in enumerate(sorted(targets)):
            column, how = kinds[i % len(kinds)]
            row = rows[number - 1]
            row[header.index(column)] = how(row[header.index(column)])
            changed.append((resource["path"], number))
        content = synth.csvfile_bytes(header, rows[1:])
        if resource["name"] == "honors":
            content = b"\xef\xbb\xbf" + content  # frictionless accepts a BOM silently
        path.write_bytes(content)
        resource["bytes"] = len(content)
        digest = hashlib.sha256(content).hexdigest()
        if resource["name"] == "indicators":
            digest = digest.upper()  # frictionless checks only a lowercase hash
        resource["hash"] = f"sha256:{digest}"
    (root / "datapackage.json").write_bytes(dumps(descriptor))
    return changed


def make(work: Path, sizes: list[int]) -> list[Path]:
    """The corpora, each a project folder under ``work``."""
    made = [copy_project(REPO, work / "project")]
    for rows in sizes:
        origin = work / f"synthetic-{rows}"
        if not origin.exists():
            synth.generate(origin, rows)
        for kind in KINDS:
            root = copy_project(origin, work / f"synthetic-{rows}-{kind}")
            if kind in ("frictionless", "both"):
                synth.seed_errors(root)
            if kind in ("own", "both"):
                seed_own_errors(root)
            made.append(root)
    return made


def corpora(work: Path) -> list[Path]:
    return sorted(p for p in work.iterdir() if (p / "datapackage.json").is_file()
                  and (p.name == "project" or p.name.endswith(KINDS)))


def record(work: Path, out: Path, jobs: list[str | None]) -> None:
    """``opendata validate --json`` on every corpus, with its project and bare."""
    out.mkdir(parents=True, exist_ok=True)
    for root in corpora(work):
        for bare in (False, True):
            for job in jobs:
                command = [OPENDATA, "validate", "--json",
                           *(["--jobs", job] if job else []),
                           *(["datapackage.json"] if bare else [])]
                done = subprocess.run(command, cwd=root, capture_output=True, check=False)
                name = f"{root.name}{'-bare' if bare else ''}-jobs{job or 'auto'}"
                (out / f"{name}.json").write_bytes(done.stdout)
                (out / f"{name}.txt").write_bytes(f"exit {done.returncode}\n".encode()
                                                  + done.stderr)
                print(f"{name}: exit {done.returncode}, "
                      f"{len(json.loads(done.stdout or b'{}').get('problems', []))} problems",
                      flush=True)


def compare(before: Path, after: Path) -> list[str]:
    """What differs: each output of ``after`` against ``before``'s for the same corpus
    (whatever the jobs)."""
    differ = []
    for mine in sorted(after.glob("*.json")):
        stem = mine.stem.rsplit("-jobs", 1)[0]
        base = sorted(before.glob(f"{stem}-jobs*.json"))
        if not base:
            differ.append(f"{mine.name}: nothing recorded before")
            continue
        if mine.read_bytes() != base[0].read_bytes():
            differ.append(f"{mine.name}: --json differs from {base[0].name}")
        if (mine.with_suffix(".txt").read_bytes()
                != base[0].with_suffix(".txt").read_bytes()):
            differ.append(f"{mine.name}: exit code or error output differs")
    return differ


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.corpora", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    making = commands.add_parser("make")
    making.add_argument("work", type=Path)
    making.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    recording = commands.add_parser("record")
    recording.add_argument("work", type=Path)
    recording.add_argument("out", type=Path)
    recording.add_argument("--jobs", nargs="+", default=[None])
    comparing = commands.add_parser("compare")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "make":
        for root in make(args.work, args.rows):
            print(root)
    elif args.command == "record":
        record(args.work, args.out, args.jobs)
    else:
        differ = compare(args.before, args.after)
        print("\n".join(differ) or f"all {len(list(args.after.glob('*.json')))} outputs "
              "are the same bytes as before")
        return 1 if differ else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
