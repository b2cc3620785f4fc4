from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "gongkai.letters"
    verbose_name = "文书模板"
