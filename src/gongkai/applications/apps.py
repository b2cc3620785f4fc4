from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "gongkai.applications"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        from .services import deadlines

        deadlines.connect_signals()  # re-derive open cases' due dates on calendar_changed
