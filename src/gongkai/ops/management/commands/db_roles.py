"""``gongkai db-roles [--admin-url URL] [--print-sql]`` — create the owner and app roles and grants.

Reads both roles (and their passwords) from ``DATABASE_OWNER_URL`` and ``DATABASE_URL``.
Idempotent: run it once before the first ``gongkai migrate`` and any time again.
``--admin-url`` connects as a superuser to create the roles; ``--print-sql`` prints the script
instead, for ``psql`` as the ``postgres`` user (peer authentication on a fresh Debian).
"""

from __future__ import annotations

import os

import dj_database_url
import psycopg
from django.core.management.base import BaseCommand, CommandError

from gongkai.ops.dbroles import grant_sql, role_sql


class Command(BaseCommand):
    help = "创建数据库属主角色与应用角色并授予最小权限（可重复执行）"

    def add_arguments(self, parser):
        parser.add_argument("--admin-url", help="superuser connection to the application database")
        parser.add_argument("--print-sql", action="store_true", help="print the SQL instead of running it")

    def handle(self, *args, **opt):
        owner_url, app_url = os.environ.get("DATABASE_OWNER_URL"), os.environ.get("DATABASE_URL")
        if not owner_url or not app_url:
            raise CommandError("需要同时设置 DATABASE_OWNER_URL（属主角色）和 DATABASE_URL（应用角色）")
        owner, app = dj_database_url.parse(owner_url), dj_database_url.parse(app_url)
        if not owner.get("USER") or not app.get("USER") or owner["USER"] == app["USER"]:
            raise CommandError("DATABASE_OWNER_URL 与 DATABASE_URL 须使用两个不同的用户名")
        if owner.get("NAME") != app.get("NAME"):
            raise CommandError("DATABASE_OWNER_URL 与 DATABASE_URL 须指向同一个数据库")
        roles = role_sql(
            owner["USER"],
            app["USER"],
            owner_password=owner.get("PASSWORD") or "",
            app_password=app.get("PASSWORD") or "",
        )
        # Without --admin-url the owner connects: it re-applies the grants (the roles exist).
        statements = (roles if opt["print_sql"] or opt["admin_url"] else []) + grant_sql(
            owner["USER"], app["USER"]
        )
        if opt["print_sql"]:
            for s in statements:
                self.stdout.write(s + ";")
            return
        url = opt["admin_url"] or owner_url
        with psycopg.connect(url, autocommit=True) as conn:
            current = conn.execute("SELECT current_database()").fetchone()[0]
            if current != owner.get("NAME"):
                raise CommandError(f"--admin-url 须连接应用数据库 {owner.get('NAME')}（现为 {current}）")
            for s in statements:
                conn.execute(s)
        self.stdout.write(f"数据库角色已就绪：属主 {owner['USER']}，应用 {app['USER']}")
