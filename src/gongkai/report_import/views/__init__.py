"""Import workbench views (年报导入与审核): upload, list, report page, batch page, comparison, export."""

from .pages import batch_detail, compare, duplicate, export_csv, report_detail, report_list, upload

__all__ = ["batch_detail", "compare", "duplicate", "export_csv", "report_detail", "report_list", "upload"]
