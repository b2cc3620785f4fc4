from django.core.management import BaseCommand

from gongkai.demo.region import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "打印演示账号"

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000")

    def handle(self, *args, url: str, **options):
        w = self.stdout.write
        w("")
        w("=" * 72)
        w(f"gongkai 演示平台：{url}/        （公众门户：在线申请、查询进度、年度报告）")
        w(f"工作台：{url}/workbench/    管理后台：{url}/admin/    API 文档：{url}/api/docs/")
        w(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, what in DEMO_LOGINS:
            w(f"  {username:<24} {what}")
        w("其他机关的账号同理：<机关代码>_registrar / _handler / _reviewer / _head / _admin")
        w("=" * 72)
