"""Numbers of table cells: one printed cell's value, and the ways a glued run of digits
(「230 000023」, flattened web tables) splits into a row's cells.

Every split keeps the digits in order, without leading zeros, signs only at the start of a piece
and only in signed columns, decimals only in money columns; ``cons`` (total column = its parts)
prunes while splitting. Too many ways (``MAX_SPLITS``, ``MAX_NODES``): None, never a choice.

Pure Python: no Django import.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

MAX_SPLITS = 20000
MAX_DIGITS = 9
MAX_NODES = 60000  # search budget of one glued run; beyond it the run is reported as too ambiguous
_CELL_NUM = re.compile(r"^\s*([+\-]?\d+(?:\.\d+)?)\s*(万)?\s*(元|件|项|个|条)?\s*$")


def parse_cell_number(raw: str, ctype: str, in_wan: bool = False) -> Decimal | int | None:
    """A single cell's value: int for counts, Decimal for money; units 元/件… dropped, 万 applied.

    ``in_wan``: the column is printed in 万元 (2021 第二十条第（八）项): a cell 「5098.41万元」 is
    5098.41 and a cell written in 元 is converted to 万元."""
    if raw.isdecimal() and raw.isascii():  # the common case: plain digits
        return Decimal(raw) if ctype == "money" else int(raw)
    m = _CELL_NUM.match(raw.replace(" ", ""))
    if not m:
        return None
    num, wan, unit = m.group(1), m.group(2), m.group(3)
    try:
        d = Decimal(num)
    except InvalidOperation:
        return None
    if in_wan:
        if unit == "元" and not wan:
            d = d / 10000
    elif wan:
        d *= 10000
    if ctype == "money":
        return d
    if d != d.to_integral_value():
        return None
    if ctype != "signed_int" and d < 0:
        return None
    return int(d)


def _in_wan(col) -> bool:
    return "万元" in (col.label or "") or "万元" in (col.unit or "")


_UNIT_TAIL = re.compile(r"(?:万)?(?:元|件|项|个|条)$")


def _digits(raw: str) -> tuple[str, str, bool]:
    """(sign, body, has_yuan) of a glued numeric piece."""
    if raw.isdecimal():
        return "", raw, False
    s = raw.replace(" ", "")
    has_unit = s.endswith("元")
    s = _UNIT_TAIL.sub("", s)
    sign = ""
    if s[:1] in "+-":
        sign, s = s[0], s[1:]
    return sign, s, has_unit


def _valid_part(part: str, ctype: str) -> bool:
    if not part or part.startswith(".") or part.endswith("."):
        return False
    if "." in part:
        if ctype != "money" or part.count(".") > 1:
            return False
        ip = part.split(".")[0]
        return ip == "0" or not ip.startswith("0")
    if len(part) > MAX_DIGITS:
        return False
    return part == "0" or not part.startswith("0")


def split_candidates(pieces, ctypes, limit: int = MAX_SPLITS, cons=()) -> list[tuple[str, ...]] | None:
    """See :func:`_split_candidates`; ``cons`` ((total_index, part_indexes), ...) prunes splits
    whose totals do not add up while they are generated."""
    return _split_cached(tuple(pieces), tuple(ctypes), limit, tuple(cons))


@lru_cache(maxsize=4096)
def _split_cached(pieces: tuple[str, ...], ctypes: tuple[str, ...], limit: int, cons: tuple = ()):
    r = _split_candidates(list(pieces), list(ctypes), limit, cons)
    return None if r is None else tuple(r)


def _split_candidates(
    pieces: list[str], ctypes: list[str], limit: int = MAX_SPLITS, cons: tuple = ()
) -> list[tuple[str, ...]] | None:
    """All ways to cut the glued pieces into ``len(ctypes)`` numbers (no leading zeros, signs only
    at the start of a piece and only in signed columns, decimals only in money columns).
    ``None`` when there are more than ``limit`` ways (too ambiguous to try)."""
    n = len(ctypes)
    parsed = [_digits(p) for p in pieces]
    if any(not body or not re.fullmatch(r"[\d.]+", body) for _, body, _ in parsed):
        return []
    bodies = [body for _, body, _ in parsed]
    if all("." not in b for b in bodies) and sum(len(b) for b in bodies) == n:
        # one digit per column: the only possible reading
        cells = []
        for sign, body, _ in parsed:
            for i, ch in enumerate(body):
                cells.append((sign if i == 0 else "") + ch)
        ok = all(not (c[0] in "+-" and t != "signed_int") for c, t in zip(cells, ctypes))
        return [tuple(cells)] if ok else []
    n_prev = n - 1
    if (
        cons
        and len(cons) == 1
        and cons[0][0] == n - 1
        and tuple(cons[0][1]) == tuple(range(n_prev))
        and all(t == "int" for t in ctypes)
        and not any(sign or "." in body for sign, body, _ in parsed)
    ):
        return _split_sum_last(bodies, n, limit)
    # digits still available after piece i (for pruning)
    after = [0] * (len(parsed) + 1)
    for i in range(len(parsed) - 1, -1, -1):
        after[i] = after[i + 1] + len(bodies[i].replace(".", ""))
    checks = {t: parts for t, parts in cons if all(q < t for q in parts) and ctypes[t] != "money"}
    out: list[tuple[str, ...]] = []
    count = 0

    def rec(pi: int, ci: int, acc: list[str]) -> bool:
        nonlocal count
        if pi == len(parsed):
            if ci == n:
                out.append(tuple(acc))
                count += 1
                return count <= limit
            return True
        sign, body, _unit = parsed[pi]
        remaining_pieces = len(parsed) - pi - 1
        return cut(pi, body, sign, ci, acc, remaining_pieces)

    nodes = 0

    def cut(pi: int, rest: str, sign: str, ci: int, acc: list[str], remaining_pieces: int) -> bool:
        # rest of piece pi to be cut from column ci on
        nonlocal nodes
        nodes += 1
        if nodes > MAX_NODES:
            return False
        if ci >= n:
            return True
        max_cols_left = n - ci
        if max_cols_left < 1 + remaining_pieces:
            return True
        digits_left = len(rest.replace(".", "")) + after[pi + 1]
        if digits_left < max_cols_left or digits_left > max_cols_left * MAX_DIGITS:
            return True
        later = after[pi + 1]
        for k in range(1, len(rest) + 1):
            # the columns after this one need at least one digit each
            if len(rest) - k + later < max_cols_left - 1:
                break
            part = rest[:k]
            ctype = ctypes[ci]
            if sign and ctype != "signed_int":
                break
            if not _valid_part(part, ctype):
                if not part.replace(".", "").isdigit():
                    break
                if part.startswith("0") and part != "0" and not part.startswith("0."):
                    break
                continue
            tail = rest[k:]
            if tail and tail.startswith("."):
                continue
            acc.append(sign + part)
            if ci in checks and int(acc[ci]) != sum(int(acc[q]) for q in checks[ci]):
                acc.pop()
                continue
            if tail:
                ok = cut(pi, tail, "", ci + 1, acc, remaining_pieces)
            else:
                ok = rec(pi + 1, ci + 1, acc)
            acc.pop()
            if not ok:
                return False
        return True

    finished = rec(0, 0, [])
    if not finished:
        return None
    return out


def _split_sum_last(bodies: list[str], n: int, limit: int) -> list[tuple[str, ...]] | None:
    """Splits of digit pieces into ``n`` integers whose last equals the sum of the others (the
    总计 column of Section 3): the total is a tail of the last piece, every other part is at most
    the total, so parts are short and running sums prune early."""
    out: list[tuple[str, ...]] = []
    last = bodies[-1]
    nodes = 0
    for d in range(1, min(len(last), MAX_DIGITS) + 1):
        tot = last[-d:]
        if len(tot) > 1 and tot[0] == "0":
            continue
        total = int(tot)
        prefix = bodies[:-1] + ([last[:-d]] if len(last) > d else [])
        if not prefix and n > 1:
            continue
        if sum(len(b) for b in prefix) < n - 1:
            continue
        after = [0] * (len(prefix) + 1)
        for i in range(len(prefix) - 1, -1, -1):
            after[i] = after[i + 1] + len(prefix[i])
        acc: list[str] = []

        def cut(pi: int, rest: str, ci: int, running: int) -> bool:
            nonlocal nodes
            nodes += 1
            if nodes > MAX_NODES:
                return False
            cols_left = n - 1 - ci
            if len(rest) + after[pi + 1] < cols_left or len(rest) + after[pi + 1] > cols_left * d:
                return True
            for k in range(1, min(len(rest), d) + 1):
                part = rest[:k]
                if k > 1 and part[0] == "0":
                    break
                v = int(part)
                if running + v > total:
                    break
                acc.append(part)
                tail = rest[k:]
                if tail:
                    ok = cut(pi, tail, ci + 1, running + v) if ci + 1 < n - 1 else True
                elif pi + 1 < len(prefix):
                    ok = cut(pi + 1, prefix[pi + 1], ci + 1, running + v) if ci + 1 < n - 1 else True
                else:
                    ok = True
                    if ci + 1 == n - 1 and running + v == total:
                        out.append(tuple(acc) + (tot,))
                        if len(out) > limit:
                            ok = False
                acc.pop()
                if not ok:
                    return False
            return True

        if not cut(0, prefix[0], 0, 0):
            return None
    return out


def to_number(s: str, ctype: str) -> int | Decimal:
    if ctype == "money":
        return Decimal(s)
    return int(s)
