"""Services of disclosure applications (依申请公开): the only write path to applications.

Public API (keep signatures stable; the portal, workbench and API call these):

- ``submit_application(agency, data, *, channel, actor=None, submitted_at=None,
  receipt_evidence="", received_date=None, attachments=()) -> Application``
- ``find_by_tracking(tracking_number, query_code) -> Application | None``
- ``transition(application, action, actor, *, reason="", effective_date=None, data=None,
  attachments=()) -> Application`` — raises ``TransitionError`` (Chinese ``.message``, ``.code``)
- ``allowed_actions(application, user) -> list[str]``; ``action_label(action) -> str``;
  ``TRANSITIONS`` / ``transition_table()``
- ``withdraw_by_applicant(tracking_number, query_code, reason="")`` (portal)
- ``format_tracking_number(prefix, year, serial) -> str``
- ``rederive(app)``, ``rederive_open_cases()`` — cached answer deadline (due_date)
- ``deadline_digest(today=None)`` — cases due within 3 working days or overdue, per handler
"""

from .deadlines import rederive, rederive_open_cases
from .digest import deadline_digest, format_digest
from .intake import INTAKE_FIELDS, clean_intake_data, find_by_tracking, submit_application
from .numbering import format_tracking_number
from .workflow import (
    ACTION_LABELS,
    TRANSITIONS,
    TransitionError,
    action_label,
    allowed_actions,
    transition,
    transition_table,
    withdraw_by_applicant,
)

__all__ = [
    "ACTION_LABELS",
    "INTAKE_FIELDS",
    "TRANSITIONS",
    "TransitionError",
    "action_label",
    "allowed_actions",
    "clean_intake_data",
    "deadline_digest",
    "find_by_tracking",
    "format_digest",
    "format_tracking_number",
    "rederive",
    "rederive_open_cases",
    "submit_application",
    "transition",
    "transition_table",
    "withdraw_by_applicant",
]
