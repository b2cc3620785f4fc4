from django.apps import AppConfig


class ColumnConfig(AppConfig):
    name = "gongkai.column"
    verbose_name = "政府信息公开专栏"

    def ready(self) -> None:
        from . import indexing

        indexing.connect()  # records are searchable: registry + record_changed → index
