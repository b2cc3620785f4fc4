"""Masking of applicants' personal data (个人信息保护法: minimum necessary), without Django.

Who sees what is decided in the shell (gongkai.applications.services.personal_data); these
functions only mask:

- identity numbers: ``110101********1234`` (first 6 = the issuing area, last 4 kept; shorter
  numbers such as passports keep 2 + 2, very short ones only the last character);
- phone numbers: ``138****5678`` (first 3 and last 4 digits; separators kept);
- postal addresses: cut after the district/county (``北京市东城区****``), never past the first
  digit or street-level word, so a house number never shows;
- e-mail addresses: ``z***@example.com``.

Every function returns ``""`` for an empty value and never returns more of the input than the
rule allows (see tests/core/test_masking.py).
"""

from __future__ import annotations

import re

STAR = "*"
ADDRESS_TAIL = "****"
# Words that start the street-level part of a Chinese address (after them come house numbers).
STREET_WORDS = (
    "路",
    "街",
    "道",
    "巷",
    "弄",
    "号",
    "村",
    "镇",
    "乡",
    "大厦",
    "小区",
    "楼",
    "栋",
    "单元",
    "室",
)
# District-level suffixes (区/县/旗; a county-level 市 is handled as a fallback); 自治区 and 地区
# are province/prefecture level and do not end the kept part.
_DISTRICT = re.compile(r"(?<!自治)(?<!地)[区县旗]")


def mask_id_number(value: str) -> str:
    """``110101199003071234`` → ``110101********1234``."""
    s = (value or "").strip()
    n = len(s)
    if n == 0:
        return ""
    if n >= 15:
        head, tail = 6, 4
    elif n >= 8:
        head, tail = 2, 2
    elif n >= 4:
        head, tail = 0, 1
    else:
        head, tail = 0, 0
    return s[:head] + STAR * (n - head - tail) + (s[n - tail :] if tail else "")


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``; ``0571-12345678`` → ``057*-****5678``."""
    s = (value or "").strip()
    positions = [i for i, ch in enumerate(s) if ch.isdigit()]
    if not s:
        return ""
    if len(positions) >= 8:
        keep = set(positions[:3]) | set(positions[-4:])
    elif len(positions) >= 4:
        keep = set(positions[-2:])
    else:
        keep = set()
    return "".join(ch if (i in keep or not ch.isdigit()) else STAR for i, ch in enumerate(s))


def _street_start(s: str) -> int:
    """Index where the street-level part begins: the first digit or street word."""
    cut = len(s)
    for i, ch in enumerate(s):
        if ch.isdigit():
            cut = i
            break
    for word in STREET_WORDS:
        j = s.find(word)
        if j != -1:
            cut = min(cut, j)
    return cut


def address_prefix(value: str) -> str:
    """The part of an address kept by :func:`mask_address` (province/city/district), or ``""``."""
    s = (value or "").strip()
    region = s[: _street_start(s)]
    m = _DISTRICT.search(region)
    if m:
        return region[: m.end()]
    j = region.rfind("市")
    if j != -1:
        return region[: j + 1]
    return ""


def mask_address(value: str) -> str:
    """``北京市东城区和平里街道和平路1号`` → ``北京市东城区****``."""
    s = (value or "").strip()
    if not s:
        return ""
    return address_prefix(s) + ADDRESS_TAIL


def mask_email(value: str) -> str:
    """``zhang@example.com`` → ``z***@example.com``."""
    s = (value or "").strip()
    name, at, domain = s.partition("@")
    if not s:
        return ""
    if not at:
        return STAR * 3
    return (name[:1] + STAR * 3 if name else STAR * 3) + "@" + domain
