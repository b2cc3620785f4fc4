"""Storage and display names of files (gongkai.core.filenames)."""

from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.filenames import MAX_DISPLAY, display_name, extension, is_random_name, random_name


def test_examples():
    assert display_name("../../etc/passwd") == "passwd"
    assert display_name("C:\\Users\\张三\\身份证.pdf") == "身份证.pdf"
    assert display_name("a" + "." * 300 + "pdf") == "a.pdf"
    assert display_name("报告\u202efdp.exe") == "报告fdp.exe"  # bidi override removed
    assert display_name('x"\r\nSet-Cookie: a=b.pdf') == "x_Set-Cookie_ a=b.pdf"
    assert display_name("...") == "附件" and display_name("") == "附件"
    name = random_name("applications", "身份证.PDF")
    assert is_random_name(name) and name.startswith("applications/") and name.endswith(".pdf")
    assert "身份证" not in name
    assert extension("x.exe") == "" and is_random_name(random_name("letters", "x.exe"))
    assert not is_random_name("applications/3/17/身份证.pdf")


@given(st.text(max_size=400))
def test_display_name_is_safe(name):
    shown = display_name(name)
    assert shown and len(shown) <= MAX_DISPLAY
    assert "/" not in shown and "\\" not in shown and ".." not in shown
    assert not any(ch in shown for ch in '\r\n\t\x00"<>|*?:')
    assert not shown.startswith((".", " ")) and not shown.endswith((".", " "))
    assert display_name(shown) == shown  # idempotent


@given(st.text(max_size=60), st.sampled_from(["applications", "letters", "records"]))
def test_random_names_reveal_nothing_of_the_original(original, area):
    a, b = random_name(area, original), random_name(area, original)
    assert a != b and is_random_name(a)
    stem = original.rsplit(".", 1)[0]
    assert len(stem) < 3 or stem not in a
