from django.apps import AppConfig


class InterpretationsConfig(AppConfig):
    name = "gongkai.interpretations"
    label = "interpretations"
    verbose_name = "政策解读"

    def ready(self) -> None:
        from . import hooks

        hooks.connect()  # search registration, document-page context, personal-data check
