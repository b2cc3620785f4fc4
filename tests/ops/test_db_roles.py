"""Issue 8 item 7: the application's own database role cannot bypass the audit trail.

The suite runs as the superuser (pytest-django creates the test database); this test creates an
app role in that database with the grants ``gongkai db-roles`` gives, connects as it, and tries
every bypass: SET session_replication_role, ALTER TABLE ... DISABLE TRIGGER, TRUNCATE, raw UPDATE
and DELETE on event rows, issued letters, attachments and published report versions."""

from __future__ import annotations

import datetime as dt
import io
import secrets

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from gongkai.agencies.models import Agency, AgencyChange, AgencyKind
from gongkai.annual_reports.models import AnnualReport, ReportVersion
from gongkai.applications.models import Application, ApplicationEvent, Attachment
from gongkai.letters.models import GeneratedDocument, LetterTemplate
from gongkai.ops.dbroles import grant_sql, guarded_tables, ident, run

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def rows():
    agency = Agency.objects.create(name="某市教育局", kind=AgencyKind.DEPARTMENT, tracking_prefix="市教")
    app = Application.objects.create(
        agency=agency,
        year=2026,
        serial=1,
        tracking_number="市教〔2026〕00001号",
        applicant_type="natural_person",
        applicant_name="申请人",
        description="某某文件",
        channel="internet",
        submitted_at=timezone.now(),
        received_date=dt.date(2026, 11, 2),
        receipt_basis="online_confirmed",
        state="in_handling",
    )
    event = ApplicationEvent.objects.create(application=app, seq=1, action="register", at=timezone.now())
    att = Attachment.objects.create(
        application=app,
        event=event,
        file="a/b.pdf",
        original_name="身份证.pdf",
        content_type="application/pdf",
        size=3,
    )
    tpl = LetterTemplate.objects.create(agency=agency, kind="reply", name="本机关模板")
    letter = GeneratedDocument.objects.create(
        application=app,
        kind="reply",
        template=tpl,
        title="答复书",
        issue_date=dt.date(2026, 11, 20),
        docx="l/a.docx",
        pdf="l/a.pdf",
        rendered_text="正文",
    )
    report = AnnualReport.objects.create(agency=agency, year=2025, template_id="2021")
    published = ReportVersion.objects.create(
        report=report, number=1, data={"x": 1}, published_at=timezone.now()
    )
    draft = ReportVersion.objects.create(report=report, number=2, data={"x": 1})
    change = AgencyChange.objects.create(agency=agency, action="letterhead", summary="改抬头")
    return {
        "event": event,
        "attachment": att,
        "template": tpl,
        "letter": letter,
        "published": published,
        "draft": draft,
        "change": change,
    }


@pytest.fixture
def app_db():
    """A fresh app role with the production grants, and a connection as that role."""
    role = f"gk_test_app_{secrets.token_hex(4)}"
    password = secrets.token_hex(12)
    with connection.cursor() as cur:
        cur.execute("SELECT current_user")
        owner = cur.fetchone()[0]
        cur.execute(f"CREATE ROLE {ident(role)} LOGIN PASSWORD '{password}'")
    try:
        run(connection, grant_sql(owner, role))
        s = connection.settings_dict
        host = s.get("HOST") or "127.0.0.1"
        conn = psycopg.connect(
            host="127.0.0.1" if host.startswith("/") else host,
            port=s.get("PORT") or 5432,
            dbname=s["NAME"],
            user=role,
            password=password,
            autocommit=True,
        )
        try:
            yield conn
        finally:
            conn.close()
    finally:
        with connection.cursor() as cur:
            cur.execute(f"DROP OWNED BY {ident(role)}")
            cur.execute(f"DROP ROLE {ident(role)}")


DENIED = psycopg.errors.InsufficientPrivilege


BYPASSES = [
    "SET session_replication_role = replica",
    "ALTER TABLE applications_applicationevent DISABLE TRIGGER ALL",
    "ALTER TABLE applications_applicationevent DISABLE TRIGGER applicationevent_immutable",
    "ALTER TABLE annual_reports_reportversion DISABLE ROW LEVEL SECURITY",
    "DROP TRIGGER applicationevent_immutable ON applications_applicationevent",
    "TRUNCATE applications_applicationevent CASCADE",
    "TRUNCATE letters_generateddocument CASCADE",
    "TRUNCATE annual_reports_reportversion CASCADE",
    "UPDATE applications_applicationevent SET reason = 'x'",
    "DELETE FROM applications_applicationevent",
    "UPDATE letters_generateddocument SET title = '改'",
    "DELETE FROM letters_generateddocument",
    "UPDATE applications_attachment SET file = 'other.pdf'",
    "DELETE FROM applications_attachment",
    "UPDATE agencies_agencychange SET summary = 'x'",
    "DELETE FROM agencies_agencychange",
    "DELETE FROM django_migrations",
    "CREATE TABLE public.evil (id int)",
    "CREATE FUNCTION public.evil() RETURNS int LANGUAGE sql AS 'select 1'",
]


def test_app_role_cannot_bypass(rows, app_db):
    allowed = []
    for sql in BYPASSES:
        try:
            app_db.execute(sql)
        except DENIED:
            continue
        allowed.append(sql)
    assert allowed == []
    assert ApplicationEvent.objects.filter(pk=rows["event"].pk, reason="").exists()
    assert GeneratedDocument.objects.get(pk=rows["letter"].pk).title == "答复书"
    assert Attachment.objects.get(pk=rows["attachment"].pk).file.name == "a/b.pdf"


def test_published_versions_frozen_drafts_editable(rows, app_db):
    pub, draft = rows["published"].pk, rows["draft"].pk
    cur = app_db.execute("UPDATE annual_reports_reportversion SET data = '{\"x\": 2}' WHERE id = %s", [pub])
    assert cur.rowcount == 0
    cur = app_db.execute("DELETE FROM annual_reports_reportversion WHERE id = %s", [pub])
    assert cur.rowcount == 0
    assert ReportVersion.objects.get(pk=pub).data == {"x": 1}
    cur = app_db.execute("UPDATE annual_reports_reportversion SET data = '{\"x\": 3}' WHERE id = %s", [draft])
    assert cur.rowcount == 1
    # publishing a draft is an update of a not-yet-frozen row: allowed
    cur = app_db.execute(
        "UPDATE annual_reports_reportversion SET published_at = now() WHERE id = %s", [draft]
    )
    assert cur.rowcount == 1
    assert app_db.execute("SELECT count(*) FROM annual_reports_reportversion").fetchone()[0] == 2


def test_app_role_does_its_work(rows, app_db):
    """Reads, appends events, and deleting a letter template nulls the letters' reference (the
    one column of issued letters it may update)."""
    app_id = rows["event"].application_id
    app_db.execute(
        "INSERT INTO applications_applicationevent (application_id, seq, action, from_state, to_state, "
        "actor_label, at, reason, data) VALUES (%s, 2, 'note', '', '', '系统', now(), '', '{}')",
        [app_id],
    )
    app_db.execute("UPDATE applications_application SET description = '改' WHERE id = %s", [app_id])
    app_db.execute(
        "UPDATE letters_generateddocument SET template_id = NULL WHERE template_id = %s",
        [rows["template"].pk],
    )
    app_db.execute("DELETE FROM letters_lettertemplate WHERE id = %s", [rows["template"].pk])
    assert ApplicationEvent.objects.filter(application_id=app_id).count() == 2
    assert GeneratedDocument.objects.get(pk=rows["letter"].pk).template_id is None


def test_every_trigger_guarded_table_is_in_the_registry():
    """A table protected by a gongkai_* trigger (gongkai.dbguards) must also be guarded for the
    app role; so a new append-only table cannot be forgotten."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname LIKE 'gongkai\\_%' AND NOT t.tgisinternal"
        )
        triggered = {r[0] for r in cur.fetchall()}
    guarded = {g.table for g in guarded_tables()}
    assert triggered and triggered <= guarded
    assert {
        "applications_applicationevent",
        "letters_generateddocument",
        "applications_attachment",
        "annual_reports_reportversion",
        "agencies_agencychange",
    } <= guarded


def test_db_roles_prints_an_idempotent_script(monkeypatch):
    monkeypatch.setenv("DATABASE_OWNER_URL", "postgres://gk_owner:o%27pw@127.0.0.1:5432/gongkai")
    monkeypatch.setenv("DATABASE_URL", "postgres://gk_app:apppw@127.0.0.1:5432/gongkai")
    out = io.StringIO()
    call_command("db_roles", "--print-sql", stdout=out)
    sql = out.getvalue()
    assert 'CREATE ROLE "gk_app" LOGIN' in sql and "PASSWORD 'o''pw'" in sql
    assert (
        'ALTER DEFAULT PRIVILEGES FOR ROLE "gk_owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE'
        in sql
    )
    assert 'REVOKE UPDATE, DELETE ON "applications_applicationevent" FROM "gk_app"' in sql
    monkeypatch.setenv("DATABASE_URL", "postgres://gk_owner:x@127.0.0.1:5432/gongkai")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="两个不同的用户名"):
        call_command("db_roles", "--print-sql", stdout=out)
