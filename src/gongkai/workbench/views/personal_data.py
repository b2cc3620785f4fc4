"""「显示完整信息」 on the case page, and the reveal log for the agency admin.

The case page shows the applicant's identity number, phone, e-mail and address masked; staff
allowed to see them in full (gongkai.applications.services.personal_data) press the button, which
logs the reveal and shows the page once with the full values (``no-store``).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from gongkai.agencies import services as agency_services
from gongkai.agencies.models import Agency
from gongkai.applications.models import PersonalDataReveal
from gongkai.applications.services import personal_data

from .common import get_visible_application


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


@login_required
@require_POST
def reveal(request, pk: int):
    from .case import render_case

    app = get_visible_application(request.user, pk)
    if not personal_data.may_reveal(request.user, app):
        raise Http404("未找到申请")
    person = personal_data.reveal(app, request.user, channel="web", client_address=client_address(request))
    response = render_case(request, app, person=person, revealed=True)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def reveal_log(request, agency_id: int):
    """Who saw which case's full personal data, newest first (机关管理员 of the agency)."""
    agency = get_object_or_404(Agency, pk=agency_id)
    if not agency_services.can_administer(request.user, agency):
        raise Http404
    rows = PersonalDataReveal.objects.filter(application__agency=agency).select_related("application", "user")
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    for r in page.object_list:
        r.field_labels = personal_data.field_labels(r.fields)
    return render(request, "workbench/reveal_log.html", {"agency": agency, "page": page})
