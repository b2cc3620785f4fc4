"""Public portal (公众门户): apply online, track an application, download the letters.

No login. The applicant proves access to an application with its tracking number (受理编号) and
query code (查询码); after a successful look-up the session keeps the application id and a token
derived from the stored hash (never the code), so the status page, the withdraw action and the
document downloads work without resending the code, and a re-issued code ends the session.
Applicant actions (withdraw, 补正, downloads) are recorded with the channel (网上) and the client
address they came from.
Only that creates a session: every other anonymous page leaves the session untouched (no row, no
cookie), and a tracking session expires (``GONGKAI_TRACKING_SESSION_SECONDS``).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.agencies.models import Agency
from gongkai.applications.models import Application, Channel
from gongkai.applications.services import find_by_tracking, submit_application
from gongkai.applications.services.events import record_applicant_download
from gongkai.applications.services.query_codes import session_token
from gongkai.applications.services.workflow import (
    TransitionError,
    allowed_actions,
    correction_deadline_of,
    transition,
)
from gongkai.security.ratelimit import CaptchaGate

from . import public
from .forms import ApplyForm, CorrectionForm, TrackForm, WithdrawForm, apply_error_dict

logger = logging.getLogger(__name__)

APPLY_RATE = "5/m"
TRACK_RATE = "20/m"
SESSION_RECEIPT = "gk_portal_receipt"
SESSION_TRACKED = "gk_portal_tracked"
NOT_FOUND_MESSAGE = "未找到与该受理编号和查询码相符的申请，请核对后重新输入。"


def agency_tree(agencies):
    """Nested ``[{"agency": a, "children": [...]}, ...]`` from agencies ordered by path."""
    nodes = {}
    roots = []
    for a in agencies:
        node = {"agency": a, "children": []}
        nodes[a.pk] = node
        parent = nodes.get(a.parent_id)
        (parent["children"] if parent else roots).append(node)
    return roots


def home(request):
    agencies = list(Agency.objects.filter(active=True).order_by("path"))
    return render(request, "portal/home.html", {"tree": agency_tree(agencies), "agency_count": len(agencies)})


@require_http_methods(["GET", "POST"])
def apply(request):
    gate = CaptchaGate(request, "portal-apply", APPLY_RATE)  # valid applications only; then a captcha
    if request.method == "POST":
        form = gate.protect(ApplyForm(request.POST, request.FILES))
        if form.is_valid():
            try:
                app = submit_application(
                    form.cleaned_data["agency"],
                    form.service_data(),
                    channel=Channel.INTERNET,
                    actor=None,
                    attachments=form.cleaned_data.get("attachments") or (),
                )
            except ValidationError as exc:
                apply_error_dict(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or "无法提交申请")
            else:
                logger.info("online application %s submitted", app.pk)
                gate.count()
                # The code is shown once on the receipt page, then removed from the session.
                request.session[SESSION_RECEIPT] = {"id": app.pk, "code": app.issued_query_code}
                _expire(request)
                _remember(request, app)
                return redirect("portal:receipt")
    else:
        initial = {}
        agency_id = request.GET.get("agency")
        if agency_id and agency_id.isdigit():
            initial["agency"] = agency_id
        form = gate.protect(ApplyForm(initial=initial))
    return render(request, "portal/apply.html", {"form": form})


def receipt(request):
    """The receipt of an online application; its query code is shown this once (the session
    forgets it after the page is rendered)."""
    app = _tracked(request)
    info = request.session.get(SESSION_RECEIPT) or {}
    if app is None or info.get("id") != app.pk:
        return redirect("portal:track")
    code = info.get("code") or ""
    if code:
        request.session[SESSION_RECEIPT] = {"id": app.pk}
    response = render(
        request, "portal/receipt.html", {"app": app, "code": code, "due_note": public.due_note(app)}
    )
    response["Cache-Control"] = "no-store"
    return response


def client_origin(request) -> dict:
    """Where a portal action came from, as recorded with its event."""
    return {"channel": Channel.INTERNET, "client_address": request.META.get("REMOTE_ADDR", "")}


def _remember(request, app: Application) -> None:
    request.session[SESSION_TRACKED] = {"id": app.pk, "token": session_token(app)}
    _expire(request)


def _expire(request) -> None:
    """A tracking session (the only session an anonymous visitor gets) ends
    ``GONGKAI_TRACKING_SESSION_SECONDS`` after the look-up."""
    request.session.set_expiry(settings.GONGKAI_TRACKING_SESSION_SECONDS)


def _tracked(request) -> Application | None:
    info = request.session.get(SESSION_TRACKED)
    if not info:
        return None
    app = Application.objects.select_related("agency").filter(pk=info.get("id")).first()
    if app is None or not info.get("token") or info["token"] != session_token(app):
        return None
    return app


@require_http_methods(["GET", "POST"])
def track(request):
    gate = CaptchaGate(request, "portal-track", TRACK_RATE)  # every look-up counts; then a captcha
    if request.method == "POST":
        form = gate.protect(TrackForm(request.POST))
        if form.is_valid():
            gate.count()
            app = find_by_tracking(form.cleaned_data["tracking_number"], form.cleaned_data["query_code"])
            if app is None:
                form.add_error(None, NOT_FOUND_MESSAGE)
            else:
                _remember(request, app)
                return redirect("portal:status")
    else:
        form = gate.protect(TrackForm())
    return render(request, "portal/track.html", {"form": form})


def _status_context(app: Application, **extra) -> dict:
    actions = allowed_actions(app, None)
    ctx = {
        "app": app,
        "state_label": public.public_state_label(app),
        "state_help": public.STATE_HELP.get(app.state, ""),
        "due_note": public.due_note(app),
        "timeline": public.public_timeline(app),
        "documents": public.document_rows(public.generated_documents(app, public=True), "portal:document"),
        "can_withdraw": "withdraw" in actions,
        "withdraw_form": WithdrawForm(),
        "can_correct": "receive_correction" in actions,
        "correction_deadline": correction_deadline_of(app) if app.state == "correction_requested" else None,
        "correction_items": public.correction_items(app),
        "correction_form": CorrectionForm(),
    }
    ctx.update(extra)
    return ctx


def status(request):
    app = _tracked(request)
    if app is None:
        return redirect("portal:track")
    return render(request, "portal/status.html", _status_context(app))


def _applicant_action(request, form_class, name: str, run, done: str):
    """POST of an applicant action on the tracking page: validate ``form_class``, ``run(app,
    cleaned_data)`` (a workflow transition as the applicant), then back to the status page with
    ``done``; on error the page is shown again with the form ``{name}_form`` and ``{name}_error``."""
    app = _tracked(request)
    if app is None:
        return redirect("portal:track")
    form = form_class(request.POST, request.FILES)
    error = None
    if form.is_valid():
        try:
            run(app, form.cleaned_data)
        except (TransitionError, ValidationError, PermissionDenied) as exc:
            error = _message(exc)
        else:
            messages.success(request, done)
            return redirect("portal:status")
    app.refresh_from_db()
    extra = {f"{name}_form": form, f"{name}_error": error}
    return render(request, "portal/status.html", _status_context(app, **extra), status=400)


@require_POST
def withdraw(request):
    """The applicant withdraws an open application (workflow action ``withdraw``)."""

    def run(app, cd):
        reason = cd["reason"] or "申请人通过网上平台撤回申请"
        transition(app, "withdraw", None, reason=reason, origin=client_origin(request))

    return _applicant_action(request, WithdrawForm, "withdraw", run, "您的申请已撤回。")


@require_POST
def correct(request):
    """The applicant submits the correction (补正) online: the same ``receive_correction`` event a
    staff member records when a correction arrives; the answer clock restarts (Art. 30)."""

    def run(app, cd):
        text = cd["text"].strip()
        transition(
            app,
            "receive_correction",
            None,
            reason="申请人通过网上平台提交补正：" + text,
            data={"text": text},
            attachments=cd.get("attachments") or (),
            origin=client_origin(request),
        )

    return _applicant_action(
        request, CorrectionForm, "correction", run, "补正已提交，答复期限自今日起重新计算。"
    )


def _message(exc) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return getattr(exc, "message", None) or str(exc)


def document(request, pk: int, fmt: str):
    """Download one generated letter of the tracked application (pdf or docx)."""
    app = _tracked(request)
    if app is None:
        raise Http404("未找到文书")
    docs = {d.pk: d for d in public.generated_documents(app, public=True)}
    doc = docs.get(pk)
    if doc is None:
        raise Http404("未找到文书")
    response = public.document_response(doc, fmt)
    record_applicant_download(app, doc, fmt, client_origin(request))
    return response
