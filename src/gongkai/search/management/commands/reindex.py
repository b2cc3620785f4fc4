from django.core.management.base import BaseCommand, CommandError

from gongkai.search import registry
from gongkai.search.services import backend_path, reindex


class Command(BaseCommand):
    help = "重建检索索引（全部或指定类型）。Rebuild the search index of all (or the given) registered kinds."

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help="类型，如 records.record；省略则全部")
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, **opts):
        known = {r.kind for r in registry.all_registrations()}
        unknown = [k for k in opts["kinds"] if k not in known]
        if unknown:
            raise CommandError(
                f"未注册的检索类型：{'、'.join(unknown)}（可用：{'、'.join(sorted(known)) or '无'}）"
            )

        def progress(kind, n):
            self.stdout.write(f"  {kind}: {n}")

        counts = reindex(opts["kinds"] or None, batch=opts["batch"], progress=progress)
        self.stdout.write(f"检索后端：{backend_path()}")
        for kind, n in counts.items():
            self.stdout.write(self.style.SUCCESS(f"{kind}: 已索引 {n} 条"))
