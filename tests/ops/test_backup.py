"""Issue 8 item 8: backup, then restore into a new database; row counts and file hashes match;
a tampered backup is refused before anything is written."""

from __future__ import annotations

import io
import json
import secrets

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from gongkai.agencies.models import Agency, AgencyKind
from gongkai.ops.backup import file_sha256, table_counts, tree_hashes

pytestmark = pytest.mark.django_db(transaction=True)


def _admin_url(dbname: str) -> str:
    s = connection.settings_dict
    host = s.get("HOST") or ""
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    if not host or host.startswith("/"):
        return f"postgresql://{auth}@/{dbname}" + (f"?host={host}" if host else "")
    return f"postgresql://{auth}@{host}:{s.get('PORT') or 5432}/{dbname}"


@pytest.fixture
def new_database():
    name = f"{connection.settings_dict['NAME']}_restore_{secrets.token_hex(3)}"
    with psycopg.connect(_admin_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING UTF8')
    try:
        yield name
    finally:
        with psycopg.connect(_admin_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def data(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    city = Agency.objects.create(name="某市人民政府", kind=AgencyKind.GOVERNMENT, tracking_prefix="市政")
    Agency.objects.create(name="某市教育局", kind=AgencyKind.DEPARTMENT, parent=city, tracking_prefix="市教")
    (settings.MEDIA_ROOT / "applications/1/2").mkdir(parents=True)
    (settings.MEDIA_ROOT / "applications/1/2/身份证.pdf").write_bytes(
        b"%PDF-1.4 " + secrets.token_bytes(5000)
    )
    (settings.MEDIA_ROOT / "letters").mkdir()
    (settings.MEDIA_ROOT / "letters/答复书.docx").write_bytes(secrets.token_bytes(3000))
    return settings.MEDIA_ROOT


def test_backup_and_restore_into_a_new_database(data, tmp_path, new_database):
    dest = tmp_path / "backup"
    out = io.StringIO()
    call_command("backup", str(dest), stdout=out)
    assert "备份完成" in out.getvalue()
    manifest = json.loads((dest / "manifest.json").read_text("utf-8"))
    assert manifest["database"]["sha256"] == file_sha256(dest / "database.dump")
    assert manifest["media"] == tree_hashes(data) and len(manifest["media"]) == 2
    before = table_counts(connection.settings_dict)
    assert before["agencies_agency"] == 2 and manifest["database"]["tables"] == before

    media2 = tmp_path / "restored-media"
    url = _admin_url(new_database)
    out = io.StringIO()
    call_command("restore", str(dest), "--database-url", url, "--media-root", str(media2), stdout=out)
    assert "校验值与行数均与清单一致" in out.getvalue()
    with psycopg.connect(url) as c:
        tables = [r[0] for r in c.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        after = {t: c.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        names = sorted(r[0] for r in c.execute("SELECT name FROM agencies_agency"))
        triggers = {r[0] for r in c.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")}
    assert after == before
    assert names == ["某市人民政府", "某市教育局"]
    assert "applicationevent_immutable" in triggers  # the audit guards come back too
    assert tree_hashes(media2) == tree_hashes(data)

    # restoring again into a database that is no longer empty is refused
    with pytest.raises(CommandError, match="不是空库"):
        call_command("restore", str(dest), "--database-url", url, "--media-root", str(media2))


def test_tampered_backup_is_refused_before_writing(data, tmp_path, new_database):
    dest = tmp_path / "backup"
    call_command("backup", str(dest), stdout=io.StringIO())
    (dest / "media/letters/答复书.docx").write_bytes(b"changed")
    (dest / "media/extra.txt").write_text("x")
    media2 = tmp_path / "restored-media"
    url = _admin_url(new_database)
    with pytest.raises(
        CommandError,
        match="备份校验失败（2 处）：文件 media/letters/答复书.docx 的校验值不符；清单之外的文件 media/extra.txt",
    ):
        call_command("restore", str(dest), "--database-url", url, "--media-root", str(media2))
    assert not media2.exists()
    with psycopg.connect(url) as c:
        assert c.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0
    with pytest.raises(CommandError, match="不是空目录"):
        call_command("backup", str(dest))
