"""Least privilege in PostgreSQL (数据库最小权限): an owner role for migrations, an app role for
everything else.

- The **owner** role (``DATABASE_OWNER_URL``) owns the schema and every table; ``gongkai migrate``,
  ``db-roles``, ``backup`` and ``restore`` connect with it.
- The **app** role (``DATABASE_URL``: web servers, Celery workers) may SELECT, INSERT, UPDATE and
  DELETE rows — nothing else: it owns nothing, so it cannot ALTER a table or DISABLE TRIGGER; it is
  not a superuser, so it cannot SET ``session_replication_role``; it has no TRUNCATE; it cannot
  create objects in the schema; it only reads ``django_migrations``.
- **Guarded rows**: models declare ``db_frozen_rows = True`` (append-only: event trails, issued
  letters, attachments) or an SQL condition under which a row is frozen (``"published_at IS NOT
  NULL"`` for published report versions). The app role gets no UPDATE/DELETE on append-only tables
  (only UPDATE of the foreign-key columns Django sets to NULL when the referenced row goes, e.g.
  a deleted letter template), and row-level security policies that hide frozen rows from its
  UPDATE and DELETE. These hold even if the triggers of :mod:`gongkai.dbguards` were gone.

Everything here is idempotent. ``grant_sql`` runs again after every ``migrate`` (post_migrate),
so tables added later are covered; default privileges give the app role DML on new tables at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass(frozen=True)
class Guard:
    table: str
    frozen_when: str | None  # None: every row is frozen (append-only)
    updatable: tuple[str, ...]  # FK columns Django sets NULL (on_delete=SET_NULL)


def guarded_tables() -> list[Guard]:
    out = []
    for model in apps.get_models():
        rule = model.__dict__.get("db_frozen_rows")
        if rule is None:
            continue
        cols = tuple(
            f.column
            for f in model._meta.concrete_fields
            if f.is_relation and getattr(f.remote_field, "on_delete", None) is models.SET_NULL
        )
        out.append(Guard(model._meta.db_table, None if rule is True else str(rule), cols))
    return sorted(out, key=lambda g: g.table)


def _if_table(table: str, body: list[str]) -> str:
    stmts = "\n    ".join(s.replace("$$", "") + ";" for s in body)
    return (
        f"DO $$ BEGIN\n  IF to_regclass({literal('public.' + table)}) IS NOT NULL THEN\n    {stmts}\n"
        "  END IF;\nEND $$"
    )


def role_sql(owner: str, app: str, *, owner_password: str = "", app_password: str = "") -> list[str]:
    """Statements for a superuser (or CREATEROLE + database owner): create both roles, give the
    database, the schema and every existing table and function to the owner."""
    o, a = ident(owner), ident(app)
    out = [
        "DO $$ BEGIN\n"
        f"  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {literal(owner)}) THEN CREATE ROLE {o} LOGIN; END IF;\n"
        f"  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {literal(app)}) THEN CREATE ROLE {a} LOGIN; END IF;\n"
        "END $$",
        f"ALTER ROLE {o} LOGIN NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS"
        + (f" PASSWORD {literal(owner_password)}" if owner_password else ""),
        f"ALTER ROLE {a} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
        + (f" PASSWORD {literal(app_password)}" if app_password else ""),
        f"DO $$ BEGIN EXECUTE format('ALTER DATABASE %I OWNER TO %I', current_database(), {literal(owner)}); END $$",
        f"GRANT USAGE, CREATE ON SCHEMA public TO {o}",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        # Tables (their identity sequences follow), views and functions made before, e.g. by a
        # migration run as the superuser, pass to the owner.
        "DO $$ DECLARE r record; BEGIN\n"
        "  FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace\n"
        f"    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND pg_get_userbyid(c.relowner) <> {literal(owner)} LOOP\n"
        "    EXECUTE format('ALTER %s public.%I OWNER TO %I', CASE r.relkind WHEN 'v' THEN 'VIEW'"
        f" WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, r.relname, {literal(owner)});\n"
        "  END LOOP;\n"
        "  FOR r IN SELECT p.oid::regprocedure AS f FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace\n"
        f"    WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> {literal(owner)} LOOP\n"
        f"    EXECUTE format('ALTER FUNCTION %s OWNER TO %I', r.f, {literal(owner)});\n"
        "  END LOOP;\n"
        "END $$",
    ]
    return out


def grant_sql(owner: str, app: str) -> list[str]:
    """Statements for the owner (or a superuser): the app role's privileges and the guards."""
    o, a = ident(owner), ident(app)
    out = [
        f"DO $$ BEGIN EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', current_database(), {literal(app)}); END $$",
        f"GRANT USAGE ON SCHEMA public TO {a}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {a}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {a}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {a}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {a}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {a}",
        _if_table("django_migrations", [f"REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM {a}"]),
    ]
    for g in guarded_tables():
        t = ident(g.table)
        if g.frozen_when is None:
            body = [f"REVOKE UPDATE, DELETE ON {t} FROM {a}"]
            if g.updatable:
                body.append(f"GRANT UPDATE ({', '.join(ident(c) for c in g.updatable)}) ON {t} TO {a}")
        else:
            cond = g.frozen_when
            body = [f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY"]
            for name, clause in (
                ("read", "FOR SELECT TO {a} USING (true)"),
                ("insert", "FOR INSERT TO {a} WITH CHECK (true)"),
                ("update", "FOR UPDATE TO {a} USING (NOT ({cond})) WITH CHECK (true)"),
                ("delete", "FOR DELETE TO {a} USING (NOT ({cond}))"),
            ):
                policy = ident(f"gongkai_{app}_{name}")
                body.append(f"DROP POLICY IF EXISTS {policy} ON {t}")
                body.append(f"CREATE POLICY {policy} ON {t} " + clause.format(a=a, cond=cond))
        out.append(_if_table(g.table, body))
    return out


def run(connection, statements: list[str]) -> None:
    with connection.cursor() as cur:
        for s in statements:
            cur.execute(s)


def app_role() -> str:
    return getattr(settings, "GONGKAI_DB_APP_ROLE", "") or ""


def grant_after_migrate(using="default", **_kwargs) -> None:
    """post_migrate: when the migration ran as the owner with an app role configured, (re)apply
    the app role's grants and guards, so new tables are covered at once."""
    from django.db import connections

    conn = connections[using]
    role = app_role()
    if conn.vendor != "postgresql" or not role:
        return
    with conn.cursor() as cur:
        cur.execute("SELECT current_user, EXISTS (SELECT FROM pg_roles WHERE rolname = %s)", [role])
        current, exists = cur.fetchone()
    if exists and current != role:
        run(conn, grant_sql(current, role))
