from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    name = "gongkai.search"
    verbose_name = "检索"

    def ready(self):
        from .services import after_migrate

        # objects written by data migrations (records 0005) reach the index without `gongkai reindex`
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="search.after_migrate")
