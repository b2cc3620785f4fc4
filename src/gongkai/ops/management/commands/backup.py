"""``gongkai backup DEST`` — database (pg_dump custom format) + media files + manifest of hashes."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from gongkai.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库与上传/生成的文件（含 SHA-256 校验清单）"

    def add_arguments(self, parser):
        parser.add_argument("dest", help="new (or empty) backup directory")

    def handle(self, *args, **opt):
        try:
            m = backup(opt["dest"], connection.settings_dict, settings.MEDIA_ROOT)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(m["database"]["tables"].values())
        self.stdout.write(
            f"备份完成：{opt['dest']}（{len(m['database']['tables'])} 张表 {rows} 行，{len(m['media'])} 个文件）"
        )
