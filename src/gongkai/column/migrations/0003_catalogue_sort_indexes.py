"""The catalogue (主动公开目录) of one agency in each of its orders, read from an index in that
order and restricted to disclosed records (partial indexes: the page's ``state IN (…)``
condition implies theirs, so the count of a filtered page is an index-only scan too): an agency
with 50,000 records shows any page of any sort without sorting its records (``bench_search``)."""

from django.db import migrations

DISCLOSED = "state IN ('published', 'amended', 'repealed', 'expired')"
INDEXES = {
    "column_cat_written": "agency_id, written_on DESC, id DESC",
    "column_cat_published": "agency_id, published_on DESC, id DESC",
    "column_cat_title": "agency_id, title, id",
    "column_cat_index_number": "agency_id, index_number, id",
}


class Migration(migrations.Migration):
    dependencies = [("column", "0002_catalogue_index")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON records_record ({cols}) WHERE {DISCLOSED}",
            f"DROP INDEX IF EXISTS {name}",
            elidable=False,
        )
        for name, cols in INDEXES.items()
    ] + [
        migrations.RunSQL(
            "DROP INDEX IF EXISTS column_catalogue_agency_written",
            "CREATE INDEX IF NOT EXISTS column_catalogue_agency_written "
            "ON records_record (agency_id, written_on DESC, id DESC)",
            elidable=False,
        )
    ]
