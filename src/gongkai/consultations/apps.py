from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "gongkai.consultations"
    label = "consultations"
    verbose_name = "意见征集"

    def ready(self) -> None:
        from . import hooks

        hooks.connect()  # document page link, personal-data check of the feedback
