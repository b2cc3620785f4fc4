"""Optional check, outside `make test`: the repository's copies of reference data still equal an
upstream reference folder (by default ``../shared`` beside the checkout, when it exists).

    uv run python scripts/check_reference.py [SHARED_DIR]

Exits 0 when every copy matches or when there is no such folder; 1 on a difference.
"""

from __future__ import annotations

import filecmp
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAIRS = [
    ("reference/annual-report-templates.json", "src/gongkai/core/annual-report-templates.json"),
    ("reference/regulation-2019.md", "tests/data/reference/regulation-2019.md"),
    ("reference/holiday-notice-2025.md", "tests/data/reference/holiday-notice-2025.md"),
]


def main(argv: list[str]) -> int:
    shared = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared"
    if not shared.is_dir():
        print(f"no reference folder at {shared}: nothing to compare")
        return 0
    pairs = list(PAIRS)
    fixtures = shared / "fixtures" / "reports"
    if fixtures.is_dir():
        pairs += [
            (f"fixtures/reports/{p.name}", f"tests/data/reports/{p.name}") for p in sorted(fixtures.iterdir())
        ]
    bad = 0
    for upstream, ours in pairs:
        a, b = shared / upstream, ROOT / ours
        ok = a.exists() and b.exists() and filecmp.cmp(a, b, shallow=False)
        print(("same     " if ok else "DIFFERS  ") + ours)
        bad += not ok
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
