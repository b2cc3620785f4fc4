"""Personal information in text to be published (个人信息检查) — plain Python, no Django.

What is looked for, and how each hit is qualified:

- 身份证号 (GB 11643-1999): 18 characters, a valid birth date in positions 7–14 and the ISO 7064
  MOD 11-2 check character (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; remainders 0…10 map to
  ``1 0 X 9 8 7 6 5 4 3 2``). A number whose check character is wrong is NOT reported (it is
  not an identity number, e.g. a serial or account number of the same length).
- 手机号码: ``1[3-9]`` and nine more digits, not part of a longer digit run (spaces and hyphens
  in the 3-4-4 grouping allowed).
- 固定电话: an area code ``0`` + 2–3 digits, a separator, 7–8 digits (``010-12345678``,
  ``(0571)87654321``).
- 电子邮箱: the usual ``local@domain.tld`` shape.
- 银行卡号: 16–19 digits (optionally grouped by 4 with spaces) that pass the Luhn check.
- 姓名: words the segmenter tags as person names (``nr``). Segmenters miss names and tag
  non-names, so these hits are *candidates* for staff to confirm; they are never trusted.

Hits carry character offsets into the text; :func:`redact` replaces the confirmed ones.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

ID_CARD = "id_card"
MOBILE = "mobile"
LANDLINE = "landline"
EMAIL = "email"
BANK_CARD = "bank_card"
PERSON_NAME = "person_name"

KIND_CHOICES = [
    (ID_CARD, "身份证号"),
    (MOBILE, "手机号码"),
    (LANDLINE, "固定电话"),
    (EMAIL, "电子邮箱"),
    (BANK_CARD, "银行卡号"),
    (PERSON_NAME, "姓名（待确认）"),
]
KIND_LABELS = dict(KIND_CHOICES)
# What replaces a confirmed hit in the published text.
MASKS = {
    ID_CARD: "［身份证号已隐去］",
    MOBILE: "［电话已隐去］",
    LANDLINE: "［电话已隐去］",
    EMAIL: "［邮箱已隐去］",
    BANK_CARD: "［银行卡号已隐去］",
    PERSON_NAME: "［姓名已隐去］",
}

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"


def id_check_char(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("需要17位数字")
    return ID_CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def valid_id_number(value: str) -> bool:
    """True for an 18-character resident identity number with a real birth date and the right
    check character (``x`` accepted for ``X``)."""
    v = value.upper()
    if len(v) != 18 or not v[:17].isdigit() or not (v[17].isdigit() or v[17] == "X"):
        return False
    try:
        born = dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return False
    if born.year < 1880:
        return False
    return id_check_char(v[:17]) == v[17]


def id_shaped(value: str) -> bool:
    """18 characters with a plausible birth date: an identity number, valid or mistyped. Such
    numbers are never reported as bank cards (a mistyped ID is not a card)."""
    v = value.upper()
    if len(v) != 18 or not v[:17].isdigit():
        return False
    try:
        born = dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return False
    return born.year >= 1880


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check used by bank card numbers."""
    if not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def luhn_check_digit(payload: str) -> str:
    """The digit that makes ``payload + digit`` pass :func:`luhn_valid`."""
    for d in "0123456789":
        if luhn_valid(payload + d):
            return d
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Hit:
    kind: str
    start: int
    end: int
    value: str

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z０-９])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z０-９])"
_ID_RE = re.compile(_NOT_ALNUM_BEFORE + r"\d{17}[\dXx]" + _NOT_ALNUM_AFTER)
_MOBILE_RE = re.compile(r"(?<![0-9A-Za-z.-])(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?![\d])")
_LANDLINE_RE = re.compile(r"(?<![\d])(?:[(（]0\d{2,3}[)）]\s?|0\d{2,3}-)\d{7,8}(?:-\d{1,5})?(?![\d])")
_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
# not next to a letter either: 17 digits followed by X are a (mistyped) identity number, not a card
_CARD_RE = re.compile(
    r"(?<![0-9A-Za-z])(?:\d{4}[ -]){3,4}\d{1,7}(?![0-9A-Za-z])|(?<![0-9A-Za-z])\d{16,19}(?![0-9A-Za-z])"
)


def _overlaps(hits: Sequence[Hit], start: int, end: int) -> bool:
    return any(h.start < end and start < h.end for h in hits)


def find_patterns(text: str) -> list[Hit]:
    """Identity numbers, phones, e-mail addresses and bank cards in ``text`` (no names)."""
    hits: list[Hit] = []
    for m in _ID_RE.finditer(text):
        if valid_id_number(m.group()):
            hits.append(Hit(ID_CARD, m.start(), m.end(), m.group()))
    for m in _EMAIL_RE.finditer(text):
        hits.append(Hit(EMAIL, m.start(), m.end(), m.group()))
    for m in _CARD_RE.finditer(text):
        digits = re.sub(r"[ -]", "", m.group())
        if 16 <= len(digits) <= 19 and luhn_valid(digits) and not _overlaps(hits, m.start(), m.end()):
            if not (len(digits) == 18 and id_shaped(digits)):
                hits.append(Hit(BANK_CARD, m.start(), m.end(), m.group()))
    for m in _MOBILE_RE.finditer(text):
        if not _overlaps(hits, m.start(), m.end()):
            hits.append(Hit(MOBILE, m.start(), m.end(), m.group()))
    for m in _LANDLINE_RE.finditer(text):
        if not _overlaps(hits, m.start(), m.end()):
            hits.append(Hit(LANDLINE, m.start(), m.end(), m.group()))
    return sorted(hits, key=lambda h: (h.start, h.end))


# The segmenter tags many policy words as person names (小微, 养犬, 弘扬, 普惠性): a candidate must
# also start with one of the common surnames (covering the great majority of the population) and
# be two to four characters long. Words that are ordinary vocabulary despite a surname-like first
# character are listed in NOT_NAMES.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌"
    "毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦"
    "麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩"
    "明佘池查麻苑迟邝欧阳司马上官诸葛东方"
)
NOT_NAMES = frozenset(
    {"许可", "高龄", "文明", "安全", "金额", "石油", "马路", "周末", "周年", "江河", "黄金", "华侨"}
)


def plausible_name(word: str) -> bool:
    return (
        2 <= len(word) <= 4
        and word[0] in SURNAMES
        and word not in NOT_NAMES
        and word[-1] not in "人者员局委办处科"
    )


def find_names(text: str, tagged: Iterable[tuple[str, str]]) -> list[Hit]:
    """Person-name candidates from a segmenter's ``(word, tag)`` sequence over ``text``: tags
    starting with ``nr``, filtered by :func:`plausible_name`."""
    hits: list[Hit] = []
    pos = 0
    for word, tag in tagged:
        start = text.find(word, pos)
        if start < 0:
            continue
        pos = start + len(word)
        if tag.startswith("nr") and plausible_name(word) and not any(c.isdigit() for c in word):
            hits.append(Hit(PERSON_NAME, start, pos, word))
    return hits


def find(text: str, tagged: Iterable[tuple[str, str]] | None = None) -> list[Hit]:
    """Every hit in ``text``: patterns, plus name candidates when ``tagged`` (the segmenter's
    output over the same text) is given. Names inside a pattern hit are dropped."""
    hits = find_patterns(text)
    if tagged is not None:
        hits += [h for h in find_names(text, tagged) if not _overlaps(hits, h.start, h.end)]
    return sorted(hits, key=lambda h: (h.start, h.end))


def redact(text: str, hits: Iterable[Hit]) -> str:
    """``text`` with each hit replaced by its kind's mask (overlapping hits merged; the first
    kind wins)."""
    spans = sorted(hits, key=lambda h: (h.start, -h.end))
    out: list[str] = []
    pos = 0
    for h in spans:
        if h.end <= pos:
            continue
        start = max(h.start, pos)
        out.append(text[pos:start])
        out.append(MASKS[h.kind])
        pos = h.end
    out.append(text[pos:])
    return "".join(out)


def redact_values(text: str, confirmed: Iterable[tuple[str, str]]) -> str:
    """``text`` with every occurrence of each confirmed ``(kind, value)`` masked — used for texts
    other than the one the hit was found in (a title repeating a name, an attachment's copy)."""
    hits: list[Hit] = []
    for kind, value in confirmed:
        if not value:
            continue
        for m in re.finditer(re.escape(value), text):
            hits.append(Hit(kind, m.start(), m.end(), value))
    return redact(text, hits)


def context(text: str, hit: Hit, width: int = 20) -> str:
    """A short excerpt around ``hit`` for the reviewer."""
    a = max(0, hit.start - width)
    b = min(len(text), hit.end + width)
    return ("…" if a else "") + text[a:b].replace("\n", " ") + ("…" if b < len(text) else "")
