"""``gongkai restore SRC [--database-url URL] [--media-root DIR]`` — verify and restore a backup.

Every SHA-256 of the manifest is checked before anything is written; the target database must be
empty (create it first); the row counts are compared with the manifest afterwards. When an app
role is configured (``DATABASE_OWNER_URL`` + ``DATABASE_URL``), its grants are applied again.
"""

from __future__ import annotations

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from gongkai.ops.backup import BackupError, connect, restore
from gongkai.ops.dbroles import app_role, grant_sql


class Command(BaseCommand):
    help = "校验并恢复备份到空数据库（先核对清单中的 SHA-256）"

    def add_arguments(self, parser):
        parser.add_argument("src", help="backup directory made by gongkai backup")
        parser.add_argument("--database-url", help="target database (default: the configured one)")
        parser.add_argument("--media-root", help="target media directory (default: GONGKAI_MEDIA_ROOT)")

    def handle(self, *args, **opt):
        db = connection.settings_dict
        if opt["database_url"]:
            db = dj_database_url.parse(opt["database_url"])
        try:
            m = restore(opt["src"], db, opt["media_root"] or settings.MEDIA_ROOT)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        role = app_role()
        if role:  # the restore ran as the owner: give the app role its grants again
            with connect(db) as conn:
                owner = conn.execute("SELECT current_user").fetchone()[0]
                exists = conn.execute(
                    "SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = %s)", [role]
                ).fetchone()[0]
                if exists and owner != role:
                    for statement in grant_sql(owner, role):
                        conn.execute(statement)
        rows = sum(m["database"]["tables"].values())
        self.stdout.write(
            f"恢复完成：{len(m['database']['tables'])} 张表 {rows} 行、{len(m['media'])} 个文件，校验值与行数均与清单一致"
        )
