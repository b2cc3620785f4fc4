"""Personal-data detection (core.pii): GB 11643 check character, Luhn, patterns, redaction."""

import datetime as dt

from hypothesis import example, given
from hypothesis import strategies as st

from gongkai.core import pii

# A published example number (GB 11643 annex): 11010519491231002X
KNOWN_ID = "11010519491231002X"


def make_id(region: int, born: dt.date, seq: int) -> str:
    first17 = f"{region:06d}{born:%Y%m%d}{seq:03d}"
    return first17 + pii.id_check_char(first17)


ids = st.builds(
    make_id,
    st.integers(110000, 659999),
    st.dates(dt.date(1900, 1, 1), dt.date(2025, 12, 31)),
    st.integers(0, 999),
)


def test_known_id_number():
    assert pii.id_check_char(KNOWN_ID[:17]) == "X"
    assert pii.valid_id_number(KNOWN_ID)
    assert pii.valid_id_number(KNOWN_ID.lower())
    assert not pii.valid_id_number("110105194912310021")


@given(ids)
def test_every_valid_id_is_found(number):
    text = f"申请人身份证号码：{number}，住址略。"
    hits = pii.find_patterns(text)
    assert [(h.kind, h.value) for h in hits] == [(pii.ID_CARD, number)]
    assert number not in pii.redact(text, hits)


@given(ids, st.integers(1, 10))
@example("444252200401235222", 3)  # wrong check character X: its 17 digits passed Luhn (a "card")
def test_a_wrong_check_character_is_not_flagged(number, shift):
    wrong = pii.ID_CHECK_CHARS[(pii.ID_CHECK_CHARS.index(number[-1]) + shift) % 11]
    bad = number[:17] + wrong
    assert not pii.valid_id_number(bad)
    assert pii.find_patterns(f"编号{bad}。") == []


@given(st.text("0123456789", min_size=15, max_size=18))
def test_luhn_check_digit_makes_a_valid_number(payload):
    number = payload + pii.luhn_check_digit(payload)
    assert pii.luhn_valid(number)
    broken = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert not pii.luhn_valid(broken)


def test_bank_card_grouped_and_plain():
    card = "6222020200112233" + pii.luhn_check_digit("6222020200112233")
    grouped = " ".join(card[i : i + 4] for i in range(0, len(card), 4))
    for text in (f"账号{card}", f"卡号：{grouped}。"):
        hits = pii.find_patterns(text)
        assert [h.kind for h in hits] == [pii.BANK_CARD]
    not_luhn = card[:-1] + str((int(card[-1]) + 1) % 10)
    assert pii.find_patterns(f"账号{not_luhn}") == []


def test_phones_and_email():
    text = "联系电话13812345678或138 1234 5678，办公室（0571）87654321、010-12345678，邮箱zhang.san@example.com。"
    kinds = [(h.kind, h.value) for h in pii.find_patterns(text)]
    assert kinds == [
        (pii.MOBILE, "13812345678"),
        (pii.MOBILE, "138 1234 5678"),
        (pii.LANDLINE, "（0571）87654321"),
        (pii.LANDLINE, "010-12345678"),
        (pii.EMAIL, "zhang.san@example.com"),
    ]


def test_numbers_that_are_not_personal():
    # a document number, a date, an amount and a 12345 hotline are not personal data
    text = "临政发〔2026〕12号，2026年11月30日，资金12000000元，服务热线12345。"
    assert pii.find_patterns(text) == []


def test_names_are_candidates_from_tags():
    text = "经办人张伟，联系电话13812345678。"
    tagged = [
        ("经办人", "n"),
        ("张伟", "nr"),
        ("，", "x"),
        ("联系电话", "n"),
        ("13812345678", "m"),
        ("。", "x"),
    ]
    hits = pii.find(text, tagged)
    assert [(h.kind, h.value) for h in hits] == [(pii.PERSON_NAME, "张伟"), (pii.MOBILE, "13812345678")]
    assert pii.redact(text, hits) == "经办人［姓名已隐去］，联系电话［电话已隐去］。"


@given(st.text(max_size=40), ids, st.text(max_size=40))
def test_redact_removes_the_value_and_keeps_the_rest(before, number, after):
    text = before + "：" + number + "。" + after
    start = len(before) + 1
    hit = pii.Hit(pii.ID_CARD, start, start + 18, number)
    out = pii.redact(text, [hit])
    assert out == before + "：" + pii.MASKS[pii.ID_CARD] + "。" + after
    assert pii.redact_values(text, [(pii.ID_CARD, number)]).count(number) == 0
