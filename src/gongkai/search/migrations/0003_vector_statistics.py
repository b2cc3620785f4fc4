"""The planner's statistics of the index vector keep ten times more common lexemes (statistics
target 1000 instead of 100): with the default, only ~1,000 lexemes are known and a topic word
held by 5–10 % of the documents (养老, 垃圾, 政务 …) is estimated at 0.5 %, so a query matching
tens of thousands looked small and was scanned over every match instead of walked
(``backends/postgres.py``, ``GONGKAI_SEARCH_DENSE``). Measured at 1,000,000 documents: ANALYZE of
the column 25 s; estimates 1,734 → 51,651 (actual 71,545) and 3,863 → 61,019 (61,384)."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":  # SQLite: no vector, no statistics target
        schema_editor.execute("ALTER TABLE search_searchentry ALTER COLUMN vector SET STATISTICS 1000")
        schema_editor.execute("ANALYZE search_searchentry")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_searchentry ALTER COLUMN vector SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_title_lexemes_sort_buckets")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
