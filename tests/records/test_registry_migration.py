"""records migration 0004: the old registry of rules and normative documents becomes records
(Section 2 counts unchanged), idempotently; proactive 0002 then drops the old table."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)
D = dt.date

BEFORE = [("records", "0003_event_immutability_trigger"), ("proactive", "0001_initial")]
AFTER = [("records", "0005_from_normative_documents")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_registry_rows_become_records_with_the_same_section2():
    from gongkai.agencies.models import Agency  # created at the latest schema, before going back

    city = Agency.objects.create(name="某市人民政府", kind="government", tracking_prefix="市")
    apps = _migrate(BEFORE)
    try:
        Doc = apps.get_model("proactive", "NormativeDocument")
        Doc.objects.create(
            agency_id=city.pk,
            kind="rules",
            title="某市政府规章",
            doc_number="市政府令第1号",
            issue_date=D(2022, 3, 1),
            status="in_force",
            published=True,
            published_date=D(2022, 3, 5),
        )
        Doc.objects.create(
            agency_id=city.pk,
            kind="admin_normative_docs",
            title="已废止的规范性文件",
            doc_number="市政规〔2020〕2号",
            issue_date=D(2020, 4, 1),
            abolition_date=D(2022, 6, 30),
            status="abolished",
            published=True,
            published_date=D(2020, 4, 3),
        )
        Doc.objects.create(
            agency_id=city.pk,
            kind="admin_normative_docs",
            title="未公开的文件",
            issue_date=D(2022, 8, 1),
            status="in_force",
            published=False,
        )
        apps = _migrate(AFTER)
        Record = apps.get_model("records", "Record")
        rows = {r.title: r for r in Record.objects.all()}
        assert set(rows) == {"某市政府规章", "已废止的规范性文件", "未公开的文件"}
        rule = rows["某市政府规章"]
        assert (rule.category, rule.state, rule.validity, rule.written_on, rule.published_on) == (
            "rule",
            "published",
            "in_force",
            D(2022, 3, 1),
            D(2022, 3, 5),
        )
        assert rule.index_number == f"{city.pk:09d}/2022-00001"
        gone = rows["已废止的规范性文件"]
        assert (gone.state, gone.validity, gone.validity_changed_on) == (
            "repealed",
            "repealed",
            D(2022, 6, 30),
        )
        hidden = rows["未公开的文件"]
        assert (hidden.state, hidden.disclosure_attribute, hidden.index_number) == (
            "withheld",
            "on_request",
            "",
        )
        RecordEvent = apps.get_model("records", "RecordEvent")
        assert RecordEvent.objects.filter(action="migrate").count() == 3
        # running it again adds nothing
        from importlib import import_module

        import_module("gongkai.records.migrations.0005_from_normative_documents").forwards(apps, None)
        assert Record.objects.count() == 3
        # Section 2 from the records, as the old registry counted it
        from gongkai.proactive.stats import section2

        s = section2([city.pk], 2022, "2021")["art20_1"]
        assert s["rules"] == {"issued": 1, "repealed": 0, "in_force": 1}
        assert s["admin_normative_docs"] == {"issued": 1, "repealed": 1, "in_force": 1}
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_migrated_records_reach_the_search_index_after_migrate():
    """``migrate`` itself indexes what the data migration created (no ``gongkai reindex``), and
    a second ``migrate`` with the index current changes nothing."""
    from io import StringIO

    from django.core.management import call_command

    from gongkai.agencies.models import Agency
    from gongkai.search import services
    from gongkai.search.backends.base import SearchFilters
    from gongkai.search.models import SearchEntry

    city = Agency.objects.create(name="某市人民政府", kind="government", tracking_prefix="市")
    apps = _migrate(BEFORE)
    try:
        Doc = apps.get_model("proactive", "NormativeDocument")
        for title, published in (("某市城市绿化管理规定", True), ("未公开的内部规定", False)):
            Doc.objects.create(
                agency_id=city.pk,
                kind="admin_normative_docs",
                title=title,
                doc_number="市政规〔2022〕3号" if published else "",
                issue_date=D(2022, 3, 1),
                status="in_force",
                published=published,
                published_date=D(2022, 3, 5) if published else None,
            )
        SearchEntry.objects.create(
            kind="records.record", object_id=999_999, title="已删除", title_norm="已删除"
        )
    finally:
        out = StringIO()
        call_command("migrate", verbosity=1, stdout=out)
    assert "检索索引 records.record：补充 1 条，移除 1 条" in out.getvalue()
    hits = services.search("绿化管理", SearchFilters()).hits
    assert [h.title for h in hits] == ["某市城市绿化管理规定"]
    assert not SearchEntry.objects.filter(object_id=999_999).exists()
    out = StringIO()
    call_command("migrate", verbosity=1, stdout=out)
    assert "检索索引" not in out.getvalue()
