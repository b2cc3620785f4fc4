from django.apps import AppConfig


class ProactiveConfig(AppConfig):
    name = "gongkai.proactive"
    verbose_name = "主动公开"
