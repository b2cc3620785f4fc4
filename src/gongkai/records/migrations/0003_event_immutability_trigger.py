"""PostgreSQL trigger: record events are append-only at the database level (see gongkai.dbguards)."""

from django.db import migrations

from gongkai.dbguards import frozen_rows_trigger


class Migration(migrations.Migration):
    dependencies = [("records", "0002_default_topics")]

    operations = [
        frozen_rows_trigger(
            "records_recordevent",
            "recordevent_immutable",
            "record events are append-only (记录办理日志不可修改或删除)",
        )
    ]
