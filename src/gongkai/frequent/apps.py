from django.apps import AppConfig


class FrequentConfig(AppConfig):
    name = "gongkai.frequent"
    label = "frequent"
    verbose_name = "多次申请转主动公开"

    def ready(self) -> None:
        from gongkai.workbench import hooks

        from .services import similar_section

        hooks.add_case_section(similar_section)  # similar past applications on the case page
