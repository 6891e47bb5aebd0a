"""``opendata draft --report``: what a draft proposed, excluded and could not place."""

from __future__ import annotations

from collections import Counter

from opendata.curate.draft.model import Draft
from opendata.text import visible


def counts(draft: Draft) -> Counter:
    """Proposed rows by table."""
    return Counter(row["_table"] for s in draft.statements for row in s.rows)


def render(draft: Draft, summary: bool = False) -> str:
    """The report, or with ``summary`` its totals only."""
    by_table = counts(draft)
    standard = sum(1 for i in draft.indicators.values() if i["standard"])
    totals = (f"proposed {sum(by_table.values())} row(s) ("
              + ", ".join(f"{table} {n}" for table, n in sorted(by_table.items()))
              + f"), {len(draft.indicators)} indicator(s) ({standard} from the standard "
              f"vocabulary); excluded {len(draft.exclusions)}; unplaced {len(draft.unplaced)}")
    if summary:
        return totals
    lines = ["PROPOSED"]
    for statement in draft.statements:
        for row in statement.rows:
            what = row.get("indicator") or row.get("name") or row.get("honor")
            lines.append(f"  {statement.line:>5}  {row['_table']:<8} {statement.year}  "
                         f"{what}  「{statement.quote}」")
    lines.append("EXCLUDED")
    lines += [f"  {e.line:>5}  「{e.context}」 {e.reason}" for e in draft.exclusions]
    lines.append("UNPLACED")
    lines += [f"  {u.line:>5}  {u.number} in 「{u.context}」: {u.why}" for u in draft.unplaced]
    lines.append("JOINED ACROSS LINES (newspaper columns; check each)")
    lines += [f"  line {a} goes on at line {b}" for a, b in draft.joins]
    lines.append(totals)
    return "\n".join(visible(line) for line in lines)
