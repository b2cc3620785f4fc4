"""Write paths of appeals (行政复议、行政诉讼案件)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .models import Appeal, AppealOutcome


def save_appeal(data: dict[str, Any], instance: Appeal | None = None) -> Appeal:
    """Create or update a case after validation. No decision date means 尚未审结."""
    with transaction.atomic():
        appeal = instance or Appeal()
        for k, v in data.items():
            setattr(appeal, k, v)
        if not appeal.decided_date:
            appeal.outcome = AppealOutcome.PENDING
        appeal.full_clean()
        appeal.save()
    return appeal
