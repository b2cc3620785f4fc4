import json
from pathlib import Path

from gongkai.core import report_schema as rs


def test_packaged_schema_is_package_data():
    """The template declaration ships inside the package (scripts/check_reference.py compares it
    with an upstream reference folder when one is at hand; that check is not part of the suite)."""
    assert rs.SCHEMA_PATH.is_relative_to(Path(rs.__file__).parent)
    data = json.loads(rs.SCHEMA_PATH.read_text("utf-8"))
    assert set(data["templates"]) == {"gov_2019", "gov_2021"}


def test_both_templates_declare_sections_3_and_4():
    for tid in rs.TEMPLATE_IDS:
        t = rs.get_template(tid)
        assert [s.no for s in t.sections] == [1, 2, 3, 4, 5, 6]
        assert len(t.applicant_columns) == 6
        assert len(t.review_litigation.value_columns) == 15


def test_outcome_choices_are_the_leaf_rows_of_table_3():
    keys = [k for k, _ in rs.outcome_choices("2021")]
    assert keys[0] == "granted" and "other_fee_unpaid" in keys
    assert len(keys) == 2 + 8 + 3 + 5 + 3
    assert len(rs.outcome_choices("2019")) == 2 + 8 + 3 + 5 + 1


def test_template_for_year():
    assert rs.template_for_year(2020).id == "2019"
    assert rs.template_for_year(2021).id == "2021"
