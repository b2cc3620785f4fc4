"""Services of disclosure applications (依申请公开): the only write path to applications.

Public API (keep signatures stable; the portal, workbench and API call these):

- ``submit_application(agency, data, *, channel, actor=None, submitted_at=None,
  receipt_evidence="", received_date=None, attachments=()) -> Application``
- ``find_by_tracking(tracking_number, query_code) -> Application | None``
- ``format_tracking_number(prefix, year, serial) -> str``
- ``rederive(app)``, ``rederive_open_cases()`` — cached answer deadline (due_date)
"""

from .deadlines import rederive, rederive_open_cases
from .intake import INTAKE_FIELDS, clean_intake_data, find_by_tracking, submit_application
from .numbering import format_tracking_number

__all__ = [
    "INTAKE_FIELDS",
    "clean_intake_data",
    "find_by_tracking",
    "format_tracking_number",
    "rederive",
    "rederive_open_cases",
    "submit_application",
]
