"""Models of disclosure applications (依申请公开)."""

from .application import Application, TrackingCounter, new_query_code
from .attachments import Attachment
from .choices import (
    APPLICANT_TYPE_CHOICES,
    OPEN_STATES,
    OUTCOME_CHOICES,
    PAUSED_STATES,
    ApplicationState,
    Channel,
    DeliveryMethod,
    IdDocumentType,
    ReceiptBasis,
    RequestedForm,
)
from .events import ApplicationEvent, ImmutableEventError
from .fees import FeeMethod, FeeNotice
from .reveals import PersonalDataReveal

__all__ = [
    "APPLICANT_TYPE_CHOICES",
    "OPEN_STATES",
    "OUTCOME_CHOICES",
    "PAUSED_STATES",
    "Application",
    "ApplicationEvent",
    "ApplicationState",
    "Attachment",
    "Channel",
    "DeliveryMethod",
    "FeeMethod",
    "FeeNotice",
    "IdDocumentType",
    "ImmutableEventError",
    "PersonalDataReveal",
    "ReceiptBasis",
    "RequestedForm",
    "TrackingCounter",
    "new_query_code",
]
