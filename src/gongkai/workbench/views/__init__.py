"""Staff workbench (工作台) views: login, queue, case page, actions, offline intake."""

from .auth import LoginView, LogoutView
from .case import case_action, case_attachment, case_detail, case_document
from .intake import intake
from .queue import queue

__all__ = [
    "LoginView",
    "LogoutView",
    "case_action",
    "case_attachment",
    "case_detail",
    "case_document",
    "intake",
    "queue",
]
