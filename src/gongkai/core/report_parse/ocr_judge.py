"""Low-confidence OCR cells judged by the template's identities, one identity instance at a time.

An *instance* is one identity in one place: a sum row in one column, a sum column in one row,
Section 3's identity (new + carried = results + carried forward) in one column. A marked cell is

- **confirmed** when an instance that holds names it and every other cell of that instance is
  unmarked (or already confirmed): the other cells then force its value, and it is the value read.
  Confirmation propagates (a confirmed cell counts as unmarked for the next instance);
- **rejected** when it is not confirmed and an instance naming it fails (its value is withdrawn
  and the cell listed unread; the identity never supplies a value);
- otherwise kept, still marked (every instance naming it holds, each with another marked cell).

Before, every marked cell of a failing instance was rejected: a right but unsure 「14」 went with
the misread total of its row although its column's sum confirmed it.

Pure Python: no Django import.
"""

from __future__ import annotations

from typing import Any

Key = tuple[str, str, str]  # (table, row, column); Section 4's one row is "count"


def instances(template) -> list[tuple[tuple[Key, ...], tuple[Key, ...]]]:
    """Every identity instance of Sections 3 and 4: (lhs cells, rhs cells), sum(lhs) == sum(rhs)."""
    out = []
    for tb in (template.applications, template.review_litigation):
        rows = [r.key for r in tb.cell_rows] if tb.key == "applications" else ["count"]
        cols = [c.key for c in tb.value_columns]
        for rule in tb.sum_rules:
            if rule.axis == "rows":
                for c in cols:
                    out.append((((tb.key, rule.target, c),), tuple((tb.key, p, c) for p in rule.parts)))
            else:
                for r in rows:
                    out.append((((tb.key, r, rule.target),), tuple((tb.key, r, p) for p in rule.parts)))
        for chk in tb.equations:
            lhs, rhs = chk.equation
            for c in cols:
                out.append((tuple((tb.key, r, c) for r in lhs), tuple((tb.key, r, c) for r in rhs)))
    return out


def judge(result: dict[str, Any], template) -> dict[Key, str]:
    """``{cell: "confirmed" | "rejected" | "kept"}`` for the marked cells of Sections 3/4 that
    have a value in ``result["tables"]``."""
    tables = result["tables"]

    def value(k: Key):
        return tables.get(k[0], {}).get(k[1], {}).get(k[2])

    marked = {
        (c["table"], "count" if c["table"] == "review_litigation" else c["row"], c["col"])
        for c in result["ocr"]["low"]
        if c["table"] in ("applications", "review_litigation")
    }
    marked = {k for k in marked if value(k) is not None}
    insts = [
        (lhs, rhs, sum(value(k) for k in lhs) == sum(value(k) for k in rhs))
        for lhs, rhs in instances(template)
        if all(value(k) is not None for k in lhs + rhs)
    ]
    confirmed: set[Key] = set()
    changed = True
    while changed:
        changed = False
        for lhs, rhs, holds in insts:
            if not holds:
                continue
            open_ = [k for k in lhs + rhs if k in marked and k not in confirmed]
            if len(open_) == 1:
                confirmed.add(open_[0])
                changed = True
    out: dict[Key, str] = {}
    for k in marked:
        if k in confirmed:
            out[k] = "confirmed"
        elif any(not holds and k in lhs + rhs for lhs, rhs, holds in insts):
            out[k] = "rejected"
        else:
            out[k] = "kept"
    return out
