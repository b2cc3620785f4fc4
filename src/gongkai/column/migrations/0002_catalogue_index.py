"""The catalogue (主动公开目录) of one agency, newest first, read from an index in its order:
an agency with 50,000 records shows its first page without sorting them (``bench_search``)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("column", "0001_initial"), ("records", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS column_catalogue_agency_written "
            "ON records_record (agency_id, written_on DESC, id DESC)",
            "DROP INDEX IF EXISTS column_catalogue_agency_written",
            elidable=False,
        )
    ]
