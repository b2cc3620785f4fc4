"""PostgreSQL trigger: a published annual report version (已发布的年度报告版本) never changes.

UPDATE or DELETE of a ``annual_reports_reportversion`` row whose ``published_at`` is set raises.
Drafts (``published_at IS NULL``) stay editable, and publishing a draft (setting
``published_at``) is an UPDATE of a draft, so it is allowed. On other backends (SQLite in the
demo) the model's ``save()``/``delete()`` guards apply.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION gongkai_reportversion_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.published_at IS NOT NULL THEN
        RAISE EXCEPTION 'published report versions are immutable (已发布的年度报告版本不能修改或删除)'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""
TRIGGER = """
DROP TRIGGER IF EXISTS reportversion_frozen ON annual_reports_reportversion;
CREATE TRIGGER reportversion_frozen
    BEFORE UPDATE OR DELETE ON annual_reports_reportversion
    FOR EACH ROW EXECUTE FUNCTION gongkai_reportversion_frozen();
"""
DROP = """
DROP TRIGGER IF EXISTS reportversion_frozen ON annual_reports_reportversion;
DROP FUNCTION IF EXISTS gongkai_reportversion_frozen();
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
    dependencies = [("annual_reports", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
