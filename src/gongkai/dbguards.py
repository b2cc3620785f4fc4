"""Database-level guards for append-only and frozen rows (PostgreSQL triggers).

The ORM already refuses to change these rows; the trigger makes the rule hold for raw SQL too.
Used from migrations: ``operations = [frozen_rows_trigger(...)]``. On other backends (SQLite in
the demo) the operation does nothing and the models' own guards apply. TRUNCATE is not guarded,
so test databases can still be flushed.
"""

from __future__ import annotations

from django.db import migrations


def frozen_rows_trigger(
    table: str, name: str, message: str, *, frozen_when: str | None = None
) -> migrations.RunPython:
    """A RunPython operation installing a BEFORE UPDATE OR DELETE trigger on ``table`` that raises
    ``message``: always, or only for rows where the SQL condition ``frozen_when`` (on ``OLD``) holds."""
    function = f"gongkai_{name}"
    raise_sql = f"RAISE EXCEPTION '{message}' USING ERRCODE = 'integrity_constraint_violation';"
    if frozen_when is None:
        body = raise_sql
    else:
        body = f"""IF {frozen_when} THEN
        {raise_sql}
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;"""
    create = f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    {body}
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {name} ON {table};
CREATE TRIGGER {name}
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {function}();
"""
    drop = f"""
DROP TRIGGER IF EXISTS {name} ON {table};
DROP FUNCTION IF EXISTS {function}();
"""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(create)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(drop)

    return migrations.RunPython(forwards, backwards, elidable=False)
