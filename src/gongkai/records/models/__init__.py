from .cleanup import CleanupCampaign, CleanupItem
from .events import ImmutableEventError, RecordEvent
from .record import IndexCounter, IssuerCode, Record, RecordAttachment, Topic

__all__ = [
    "CleanupCampaign",
    "CleanupItem",
    "ImmutableEventError",
    "IndexCounter",
    "IssuerCode",
    "Record",
    "RecordAttachment",
    "RecordEvent",
    "Topic",
]
