from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "gongkai.records"
    label = "records"
    verbose_name = "政府信息记录（主动公开）"

    def ready(self) -> None:
        from .services import clock

        clock.connect_signals()  # re-derive Art. 26 due dates on calendar_changed
