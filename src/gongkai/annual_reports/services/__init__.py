"""Annual report services (年度报告): computation, drafts, validation, publication, timeliness."""

from .reports import (
    NARRATIVE_SECTIONS,
    PublishBlocked,
    compute_report,
    get_or_create_draft,
    previous_report,
    publish,
    recompute_draft,
    revalidate,
    start_correction,
    update_narratives,
    validate_data,
    version_data,
)
from .timeliness import timeliness

__all__ = [
    "NARRATIVE_SECTIONS",
    "PublishBlocked",
    "compute_report",
    "get_or_create_draft",
    "previous_report",
    "publish",
    "recompute_draft",
    "revalidate",
    "start_correction",
    "timeliness",
    "update_narratives",
    "validate_data",
    "version_data",
]
