"""Query codes (查询码) on the workbench: re-issue to the applicant, and the printable notice.

Staff never read a stored code. Re-issuing makes a new one and delivers it to the applicant: by
e-mail and/or as a printable notice (查询码告知单) returned in this one response (``no-store``),
for a hand-over in person or by post; the event records who, when, why and how.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai.applications.services.query_codes import can_reissue, reissue_query_code

from .common import get_visible_application


def code_notice(request, app, code: str, *, emailed: bool = False, reissued: bool = False):
    """The printable 查询码告知单, rendered once and never stored or cached."""
    response = render(
        request,
        "workbench/code_notice.html",
        {"app": app, "code": code, "emailed": emailed, "reissued": reissued},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def reissue(request, pk: int):
    app = get_visible_application(request.user, pk)
    if not can_reissue(request.user, app):
        raise Http404("未找到申请")
    delivery = request.POST.getlist("delivery")
    try:
        code, emailed = reissue_query_code(
            app, request.user, reason=request.POST.get("reason", ""), delivery=delivery
        )
    except (ValidationError, PermissionDenied) as exc:
        msgs = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        messages.error(request, "未能重新发放查询码：" + "；".join(msgs))
        return redirect("workbench:case", pk=app.pk)
    if "print" not in delivery:
        if emailed:
            messages.success(request, "已重新发放查询码并发送至申请人电子邮箱；原查询码已失效。")
        else:
            messages.error(request, "查询码已重新生成，但邮件未能发出：请再次重新发放并选择打印告知单。")
        return redirect("workbench:case", pk=app.pk)
    return code_notice(request, app, code, emailed=emailed, reissued=True)
