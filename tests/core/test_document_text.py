"""Text of disclosed documents' files for search: XLSX cells read, old binary Office / WPS files
never decoded as text (they used to come back as mojibake)."""

from pathlib import Path

import pytest

from gongkai.core.document_text import LEGACY_NOTE, extract_text
from gongkai.core.untrusted import Limits, UnsafeFile

DATA = Path(__file__).resolve().parent.parent / "data"


def test_xlsx_cells_a_line_per_row():
    text, note = extract_text((DATA / "remote_fee_table.xlsx").read_bytes(), "修复费用计算表.xlsx")
    assert note == "" and "沥青路面修复  平方米  120" in text and "人行道铺装修复  平方米  85" in text


def test_xlsx_is_measured_before_it_is_opened():
    with pytest.raises(UnsafeFile):
        extract_text((DATA / "remote_fee_table.xlsx").read_bytes(), "a.xlsx", Limits(max_members=2))


@pytest.mark.parametrize("name", ["说明.doc", "表.XLS", "通知.wps", "表.et"])
def test_old_binary_formats_are_not_decoded(name):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8
    assert extract_text(ole, name) == ("", LEGACY_NOTE)
