from django.apps import AppConfig


class ReportImportConfig(AppConfig):
    name = "gongkai.report_import"
    verbose_name = "年报导入与审核"
