"""PostgreSQL trigger: application events (办理记录) are append-only at the database level.

UPDATE and DELETE on ``applications_applicationevent`` raise (see ``gongkai.dbguards``).
"""

from django.db import migrations

from gongkai.dbguards import frozen_rows_trigger


class Migration(migrations.Migration):
    dependencies = [("applications", "0002_clock_and_answer_fields")]

    operations = [
        frozen_rows_trigger(
            "applications_applicationevent",
            "applicationevent_immutable",
            "application events are append-only (办理记录不可修改或删除)",
        )
    ]
