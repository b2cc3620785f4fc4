"""Masking of personal data (gongkai.core.masking): examples and Hypothesis properties."""

from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.masking import address_prefix, mask_address, mask_email, mask_id_number, mask_phone

DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=24)


def test_examples():
    assert mask_id_number("110101199003071234") == "110101********1234"
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_id_number("E12345678") == "E1*****78"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0571-12345678") == "057*-****5678"
    assert mask_address("北京市东城区和平里街道和平路1号2单元301室") == "北京市东城区****"
    assert mask_address("广西壮族自治区南宁市青秀区民族大道100号") == "广西壮族自治区南宁市青秀区****"
    assert mask_address("新疆维吾尔自治区阿克苏地区库车县新城路8号") == "新疆维吾尔自治区阿克苏地区库车县****"
    assert mask_address("临江市和平路1号和平小区") == "临江市****"  # no district: cut after the city
    assert mask_address("和平路1号") == "****"
    assert mask_email("zhang@example.com") == "z***@example.com"
    for f in (mask_id_number, mask_phone, mask_address, mask_email):
        assert f("") == "" and f(None) == ""


@given(st.text(alphabet="0123456789X", min_size=15, max_size=20))
def test_id_numbers_keep_area_and_last_four_only(number):
    masked = mask_id_number(number)
    assert len(masked) == len(number)
    assert masked[:6] == number[:6] and masked[-4:] == number[-4:]
    assert set(masked[6:-4]) == {"*"}


@given(st.text(min_size=1, max_size=30).filter(lambda s: s.strip()))
def test_id_mask_never_shows_more_than_ten_characters(number):
    masked = mask_id_number(number)
    assert len(masked) == len(number.strip())
    assert sum(ch != "*" for ch in masked) <= min(10, max(len(masked) - 4, 1))


@given(DIGITS, st.sampled_from(["", "-", " "]), DIGITS)
def test_phone_mask_keeps_at_most_seven_digits_and_the_last_four(a, sep, b):
    phone = a + sep + b
    masked = mask_phone(phone)
    assert len(masked) == len(phone)
    digits = [ch for ch in phone if ch.isdigit()]
    shown = [ch for ch in masked if ch.isdigit()]
    assert len(shown) <= 7
    if len(digits) >= 8:
        assert shown[-4:] == digits[-4:] and len(shown) == 7
    else:
        assert len(shown) <= 2


# Place names without street-level words (乡, 镇, 村 ... end the kept part by design).
PLACE = st.text(alphabet="东西南北中和平安宁城新华", min_size=1, max_size=4)


@given(
    st.sampled_from(["", "浙江省", "内蒙古自治区"]),
    PLACE,
    st.sampled_from(["市", "自治州", "地区", "盟"]),
    PLACE,
    st.sampled_from(["区", "县", "旗"]),
    PLACE,
    st.sampled_from(["路", "街", "巷"]),
    st.integers(1, 9999),
    st.text(alphabet="号栋单元室0123456789", max_size=8),
)
def test_address_cut_after_the_district(prov, city, city_suffix, dist, dist_suffix, street, word, n, rest):
    head = prov + city + city_suffix + dist + dist_suffix
    address = f"{head}{street}{word}{n}号{rest}"
    masked = mask_address(address)
    assert masked == head + "****"
    assert not any(ch.isdigit() for ch in masked)


@given(st.text(max_size=60))
def test_address_mask_is_a_prefix_without_digits_or_street(address):
    kept = address_prefix(address)
    assert address.strip().startswith(kept)
    assert not any(ch.isdigit() for ch in kept)
    assert "路" not in kept and "号" not in kept
    if address.strip():
        assert mask_address(address) == kept + "****"


@given(st.emails())
def test_email_mask_keeps_one_letter_and_the_domain(email):
    masked = mask_email(email)
    name, _, domain = email.partition("@")
    assert masked == name[:1] + "***@" + domain
