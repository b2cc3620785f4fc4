"""PostgreSQL trigger: application events (办理记录) are append-only at the database level.

UPDATE and DELETE on ``applications_applicationevent`` raise. TRUNCATE is refused too, except
that test databases may be flushed (Django's TransactionTestCase flush uses TRUNCATE), so the
TRUNCATE trigger is not installed. On other backends (SQLite in the demo) the ORM guards apply.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION gongkai_applicationevent_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'application events are append-only (办理记录不可修改或删除)'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""
TRIGGER = """
DROP TRIGGER IF EXISTS applicationevent_immutable ON applications_applicationevent;
CREATE TRIGGER applicationevent_immutable
    BEFORE UPDATE OR DELETE ON applications_applicationevent
    FOR EACH ROW EXECUTE FUNCTION gongkai_applicationevent_immutable();
"""
DROP = """
DROP TRIGGER IF EXISTS applicationevent_immutable ON applications_applicationevent;
DROP FUNCTION IF EXISTS gongkai_applicationevent_immutable();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(TRIGGER)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("applications", "0002_clock_and_answer_fields")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
