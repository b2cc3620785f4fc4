"""Untrusted containers measured while streaming: member count, sizes, XML depth and elements."""

from __future__ import annotations

import io
import zipfile

import pytest

from gongkai.core.untrusted import Limits, UnsafeFile, check_office_file, read_member, scan_zip

SMALL = Limits(
    max_members=5,
    max_member_bytes=2000,
    max_text_member_bytes=1000,
    max_total_bytes=3000,
    max_office_total_bytes=5000,
    max_xml_bytes=4000,
    max_xml_depth=10,
    max_xml_elements=50,
)


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_members_are_measured_by_their_real_bytes():
    scan = scan_zip(_zip({"a.txt": b"x" * 700, "b.pdf": b"y" * 1500}), SMALL)
    assert [(i.filename, n) for i, n in scan.members] == [("a.txt", 700), ("b.pdf", 1500)]
    assert scan.total == 2200


@pytest.mark.parametrize(
    ("members", "reason"),
    [
        ({f"{i}.txt": b"x" for i in range(6)}, "文件过多（6 个，上限 5 个）"),
        ({"a.txt": b"x" * 1001}, "“a.txt”解压后超过 1000 字节"),
        ({"a.pdf": b"x" * 2001}, "“a.pdf”解压后超过 2000 字节"),
        ({"a.pdf": b"x" * 1900, "b.pdf": b"x" * 1200}, "压缩包解压后超过 3000 字节"),
    ],
)
def test_caps_refuse_with_a_chinese_reason(members, reason):
    with pytest.raises(UnsafeFile, match=reason):
        scan_zip(_zip(members), SMALL)


def test_declared_size_is_not_trusted():
    """A member whose headers claim fewer bytes than it holds is refused, never read in full."""
    data = bytearray(_zip({"a.txt": b"x" * 5000}))
    import struct

    struct.pack_into("<I", data, data.find(b"PK\x03\x04") + 22, 10)
    struct.pack_into("<I", data, data.rfind(b"PK\x01\x02") + 24, 10)
    with pytest.raises(UnsafeFile, match="已损坏或无法解压"):
        scan_zip(bytes(data), Limits())
    zf = zipfile.ZipFile(io.BytesIO(bytes(data)))
    with pytest.raises(UnsafeFile):
        read_member(zf, zf.infolist()[0], Limits())


def test_damaged_and_encrypted_zips():
    with pytest.raises(UnsafeFile, match="压缩包已损坏"):
        scan_zip(b"PK\x03\x04 not a zip", SMALL)
    with pytest.raises(UnsafeFile, match="已损坏"):
        scan_zip(_zip({"a.txt": b"x" * 900})[:-40], SMALL)


def _office(xml: bytes) -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": xml})


def test_office_xml_depth_and_element_count():
    check_office_file(_office(b"<a>" + b"<b/>" * 40 + b"</a>"), "docx", SMALL)
    with pytest.raises(UnsafeFile, match="嵌套层数超过 10 层"):
        check_office_file(_office(b"<a>" * 11 + b"</a>" * 11), "docx", SMALL)
    with pytest.raises(UnsafeFile, match="元素数超过 50 个"):
        check_office_file(_office(b"<a>" + b"<b/>" * 50 + b"</a>"), "docx", SMALL)
    with pytest.raises(UnsafeFile, match="解压后超过 4000 字节"):
        check_office_file(_office(b"<a>" + b" " * 4000 + b"</a>"), "docx", SMALL)
    with pytest.raises(UnsafeFile, match="不是有效的XML"):
        check_office_file(_office(b"<a><b></a>"), "docx", SMALL)


def test_office_entity_bomb_is_refused_unexpanded():
    """The billion-laughs DTD is refused by the pre-scan, quickly and without expanding it."""
    import time

    ents = b"".join(
        b'<!ENTITY %c "%s">' % (98 + i, b"".join(b"&%c;" % (97 + i) for _ in range(10))) for i in range(8)
    )
    laughs = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">' + ents + b"]><l>&i;</l>"
    start = time.perf_counter()
    with pytest.raises(UnsafeFile, match="不是有效的XML"):
        check_office_file(_office(laughs), "docx", Limits())
    assert time.perf_counter() - start < 1
