"""The query code (查询码) of an application: issued to the applicant, stored only hashed.

Staff never read a code back: the case page, the API, the admin, exports and the letters kept on
file carry none. When an applicant lost it, staff re-issue a new one (:func:`reissue_query_code`,
an event with who/when/why) that goes straight to the applicant: by e-mail to the address on the
application, and/or as a printable notice (查询码告知单) returned once in the response for a
hand-over in person or by post and never stored. The hashing is :mod:`gongkai.core.query_codes`.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction

from gongkai.agencies.access import has_role
from gongkai.agencies.models import Role
from gongkai.core import query_codes

from ..models import Application
from .events import append_event

logger = logging.getLogger(__name__)

REISSUE_ACTION = "reissue_query_code"
REISSUE_LABEL = "重新发放查询码"
# Who may re-issue: the staff who register applications and talk to applicants (decided: the
# agency's registrar, handler and agency admin; heads and reviewers sign, supervisors only read).
REISSUE_ROLES = (Role.REGISTRAR, Role.HANDLER, Role.ADMIN)
DELIVERY_LABELS = {"email": "电子邮件发送至申请人邮箱", "print": "打印查询码告知单（当面或邮寄交付）"}


def server_keys() -> list[str]:
    """The secret key first, then its fallbacks (so a rotated key keeps issued codes valid)."""
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def set_new_code(app: Application) -> str:
    """Give ``app`` a new code (hash stored on the instance, not saved); return the code."""
    code = query_codes.new_code()
    app.query_code_hash = query_codes.hash_code(code, settings.SECRET_KEY)
    return code


def code_matches(app: Application, code: str) -> bool:
    return query_codes.check_code(code, app.query_code_hash, server_keys())


def session_token(app: Application) -> str:
    """What the tracking session keeps instead of the code (changes when the code is re-issued)."""
    return query_codes.fingerprint(app.query_code_hash)


def can_reissue(user, app: Application) -> bool:
    return has_role(user, app.agency_id, *REISSUE_ROLES)


def mask_email(email: str) -> str:
    name, _, domain = (email or "").partition("@")
    if not domain:
        return ""
    return (name[:1] + "***@" + domain) if name else "***@" + domain


def send_code_email(app: Application, code: str) -> bool:
    """E-mail the code to the applicant's own address; ``False`` when it could not be sent."""
    if not app.email:
        return False
    subject = f"【政府信息公开】申请{app.tracking_number}的查询码"
    body = (
        f"{app.applicant_name}：\n\n您向{app.agency.name}提出的政府信息公开申请（受理编号{app.tracking_number}）"
        f"的查询码为：{code}\n\n请凭受理编号和查询码在网上查询办理进度、下载答复文书。"
        "此前的查询码已失效。查询码仅发送给您本人，工作人员无法查看，请妥善保存。\n"
    )
    sender = getattr(settings, "DEFAULT_FROM_EMAIL", "webmaster@localhost")
    try:
        send_mail(subject, body, sender, [app.email], fail_silently=False)
    except Exception:
        logger.exception("could not e-mail the query code of application %s", app.pk)
        return False
    return True


def reissue_query_code(app: Application, actor, *, reason: str, delivery: list[str]) -> tuple[str, bool]:
    """Replace the application's code (the old one stops working, and so do sessions opened with
    it) and record who did it, when, why and how it was delivered. Returns ``(code, emailed)``:
    the code only for the printable notice of this one response and the e-mail."""
    if not can_reissue(actor, app):
        raise PermissionDenied("您无权为该申请重新发放查询码")
    reason = (reason or "").strip()
    delivery = [d for d in delivery if d in DELIVERY_LABELS]
    if not reason:
        raise ValidationError({"reason": "请说明重新发放查询码的原因（如申请人来电称遗失查询码）"})
    if not delivery:
        raise ValidationError({"delivery": "请选择交付方式"})
    if "email" in delivery and not app.email:
        raise ValidationError({"delivery": "该申请没有申请人电子邮箱，请打印查询码告知单交付"})
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=app.pk)
        code = set_new_code(locked)
        locked.save(update_fields=["query_code_hash", "updated_at"])
        append_event(
            locked,
            REISSUE_ACTION,
            from_state=locked.state,
            to_state=locked.state,
            actor=actor,
            reason=reason,
            data={
                "delivery": delivery,
                "delivery_label": "；".join(DELIVERY_LABELS[d] for d in delivery),
                "email": mask_email(app.email) if "email" in delivery else "",
            },
        )
    app.query_code_hash = locked.query_code_hash
    emailed = send_code_email(app, code) if "email" in delivery else False
    return code, emailed
