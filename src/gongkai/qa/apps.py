from django.apps import AppConfig


class QaConfig(AppConfig):
    name = "gongkai.qa"
    label = "qa"
    verbose_name = "问答与猜您想问"

    def ready(self) -> None:
        from gongkai.column import hooks

        from .services import log_search

        hooks.add_search_listener(log_search)  # searched terms feed 猜您想问
