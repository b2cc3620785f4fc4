"""Registrar intake (登记) of applications received offline: in person, letter, e-mail, fax."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from gongkai.agencies.access import acting_agency_ids
from gongkai.agencies.models import Agency
from gongkai.applications.services import submit_application
from gongkai.applications.services.intake import INTAKE_ROLES
from gongkai.applications.services.query_codes import send_code_email
from gongkai.portal.forms import apply_error_dict

from ..forms import IntakeForm
from .query_code import code_notice


def _submitted_at(day: dt.date) -> dt.datetime:
    """Arrival timestamp for a date typed by the registrar: now if today, else noon that day."""
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


@login_required
def intake(request):
    ids = acting_agency_ids(request.user, INTAKE_ROLES)
    if not ids:
        raise Http404("无权登记申请")
    agencies = Agency.objects.filter(pk__in=ids, active=True).order_by("path")
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES, agencies=agencies)
        if form.is_valid():
            cd = form.cleaned_data
            data = form.service_data()
            if cd.get("channel") == "letter" and cd.get("receipt_basis"):
                data["receipt_basis"] = cd["receipt_basis"]
            try:
                app = submit_application(
                    cd["agency"],
                    data,
                    channel=cd["channel"],
                    actor=request.user,
                    submitted_at=_submitted_at(cd["submitted_on"]),
                    receipt_evidence=cd.get("receipt_evidence") or "",
                    received_date=cd.get("received_date"),
                    attachments=cd.get("attachments") or (),
                )
            except ValidationError as exc:
                apply_error_dict(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or "您无权在该机关登记申请")
            else:
                # The code goes to the applicant on the printed notice (and by e-mail when there
                # is an address); it is shown this once and never stored.
                emailed = send_code_email(app, app.issued_query_code) if app.email else False
                messages.success(request, f"已登记申请 {app.tracking_number}，请打印查询码告知单交申请人。")
                return code_notice(request, app, app.issued_query_code, emailed=emailed)
    else:
        form = IntakeForm(agencies=agencies, initial={"submitted_on": timezone.localdate()})
    return render(request, "workbench/intake.html", {"form": form})
