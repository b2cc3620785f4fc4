"""Reading a table as constraint solving: the rows whose printed digits allow several splits are
variables, the template's row equations (a sum row = its parts; Section 3's identity new + carried
= results + carried forward) are the constraints, solved jointly and exactly.

A small exact solver of our own (backtracking with forward checking through hash look-ups), not a
general CP library: the domains are explicit candidate lists (the splits of a glued digit run), the
constraints are per-column sums with coefficients ±1, and the answer needed is not *a* solution but
*every* value a cell takes in *some* solution — a cell is read only when that set has one element.
OR-Tools CP-SAT would need a model per table and an enumeration of all solutions, for tables of a
few variables; python-constraint enumerates the full product. Here a search budget bounds the
work; when it runs out nothing is narrowed (the cells stay unread with their candidates listed).

Equation instances (one equation in one column) whose cells are all unambiguous decide nothing: if
they hold they carry no information, if they fail the publisher's own arithmetic is wrong — that
stays a finding of the audit and must not stop the other columns from being solved.

Pure Python: no Django import.
"""

from __future__ import annotations

from collections.abc import Sequence

Equation = tuple[tuple[str, ...], tuple[str, ...]]  # (lhs rows, rhs rows): sum(lhs) == sum(rhs)

MAX_NODES = 5_000


def joint_candidates(
    rows: dict[str, Sequence[tuple]],
    equations: Sequence[Equation],
    max_nodes: int = MAX_NODES,
    free: dict[str, set[int]] | None = None,
) -> dict[str, list[tuple]] | None:
    """The candidates of each row that take part in at least one joint solution.

    ``rows``: every row read, its candidate tuples (one tuple: unambiguous). Equations naming a row
    not in ``rows`` are ignored. ``free``: per row, the columns whose printed cell is an unknown
    variable (a 总计 left blank or printed against its own row): an equation in such a column
    involving that row constrains nothing and is left out. Returns None when no joint solution
    exists or the search budget ran out (then nothing may be narrowed); otherwise the surviving
    candidates per row, in the given order (rows with one candidate are returned unchanged)."""
    if not rows:
        return None
    free = free or {}
    ncol = len(next(iter(rows.values()))[0])
    amb = [r for r, c in rows.items() if len(c) > 1]
    if not amb:
        return None
    # per equation: the columns where some ambiguous cell's value is not settled
    live: list[tuple[dict[str, int], tuple[int, ...]]] = []
    for lhs, rhs in equations:
        if not all(r in rows for r in lhs + rhs):
            continue
        coef: dict[str, int] = {}
        for r in lhs:
            coef[r] = coef.get(r, 0) + 1
        for r in rhs:
            coef[r] = coef.get(r, 0) - 1
        coef = {r: k for r, k in coef.items() if k}
        cols = tuple(
            c
            for c in range(ncol)
            if any(len({t[c] for t in rows[r]}) > 1 for r in coef)
            and not any(c in free.get(r, ()) for r in coef)
        )
        if cols and any(r in coef for r in amb):
            live.append((coef, cols))
    if not live:
        return None
    fixed = {r: c[0] for r, c in rows.items() if len(c) == 1}
    dom = _bounds_domains(rows, amb, live)
    if dom is None:
        return None
    # equations touching each ambiguous row, and its candidates indexed by their values in them
    touching: dict[str, list[int]] = {r: [] for r in amb}
    for k, (coef, _cols) in enumerate(live):
        for r in coef:
            if r in touching:
                touching[r].append(k)
    index: dict[tuple[str, int], dict[tuple, list[int]]] = {}
    for r in amb:
        for k in touching[r]:
            cols = live[k][1]
            idx: dict[tuple, list[int]] = {}
            for i, cand in enumerate(rows[r]):
                idx.setdefault(tuple(cand[c] for c in cols), []).append(i)
            index[(r, k)] = idx
    seen: dict[str, set[int]] = {r: set() for r in amb}
    assigned: dict[str, int] = {}
    nodes = 0

    def value(r: str) -> tuple:
        return fixed[r] if r in fixed else rows[r][assigned[r]]

    def domain(r: str) -> list[int] | None:
        """Candidates of ``r`` allowed by the equations in which it is the last open row."""
        allowed: set[int] | None = None
        for k in touching[r]:
            coef, cols = live[k]
            if any(q != r and q not in fixed and q not in assigned for q in coef):
                continue
            need = []
            for c in cols:
                rest = sum(coef[q] * value(q)[c] for q in coef if q != r)
                if rest % coef[r]:
                    return []
                need.append(-rest // coef[r])
            hit = set(index[(r, k)].get(tuple(need), ()))
            allowed = hit & dom[r] if allowed is None else allowed & hit
            if not allowed:
                return []
        return None if allowed is None else sorted(allowed)

    def search() -> bool:
        nonlocal nodes
        open_rows = [r for r in amb if r not in assigned]
        if not open_rows:
            for r in amb:
                seen[r].add(assigned[r])
            return True
        best, best_dom = None, None
        for r in open_rows:
            d = domain(r)
            if d is None:
                d = sorted(dom[r])
            if best is None or len(d) < len(best_dom):
                best, best_dom = r, d
            if not d:
                return True
        for i in best_dom:
            nodes += 1
            if nodes > max_nodes:
                return False
            assigned[best] = i
            ok = search()
            del assigned[best]
            if not ok:
                return False
        return True

    if not search() or not any(seen.values()):
        return None
    return {r: ([rows[r][i] for i in sorted(seen[r])] if r in seen else list(rows[r])) for r in rows}


def _bounds_domains(
    rows: dict[str, Sequence[tuple]], amb: list[str], live: list[tuple[dict[str, int], tuple[int, ...]]]
) -> dict[str, set[int]] | None:
    """The candidates of each ambiguous row that bounds reasoning cannot exclude: in every live
    equation column, a candidate's term must fit between what the other rows can contribute at
    least and at most. Repeated until nothing changes (sound: only candidates in no solution are
    removed). None when a row has no candidate left (no joint solution)."""
    dom = {r: set(range(len(rows[r]))) for r in amb}
    changed = True
    while changed:
        changed = False
        for coef, cols in live:
            for c in cols:
                lo: dict[str, int] = {}
                hi: dict[str, int] = {}
                for r, k in coef.items():
                    vals = [k * rows[r][i][c] for i in dom[r]] if r in dom else [k * rows[r][0][c]]
                    lo[r], hi[r] = min(vals), max(vals)
                sum_lo, sum_hi = sum(lo.values()), sum(hi.values())
                for r, k in coef.items():
                    if r not in dom or len(dom[r]) < 2 and lo[r] == hi[r]:
                        continue
                    rest_lo, rest_hi = sum_lo - lo[r], sum_hi - hi[r]
                    keep = {i for i in dom[r] if -rest_hi <= k * rows[r][i][c] <= -rest_lo}
                    if not keep:
                        return None
                    if len(keep) < len(dom[r]):
                        dom[r] = keep
                        changed = True
                        vals = [k * rows[r][i][c] for i in keep]
                        sum_lo += min(vals) - lo[r]
                        sum_hi += max(vals) - hi[r]
                        lo[r], hi[r] = min(vals), max(vals)
    return dom
