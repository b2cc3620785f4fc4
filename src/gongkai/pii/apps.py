from django.apps import AppConfig


class PiiConfig(AppConfig):
    name = "gongkai.pii"
    label = "pii"
    verbose_name = "个人信息检查"

    def ready(self) -> None:
        from . import records_hook

        records_hook.connect()  # records: publication guard + redaction; column: redacted files
