"""API 令牌: a staff member creates, replaces or revokes their own token for the REST API
(``Authorization: Token <key>``). The API grants exactly what the workbench grants the user."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

from gongkai.agencies import access


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    if not access.is_staff_member(request.user):
        raise Http404
    token = Token.objects.filter(user=request.user).first()
    if request.method == "POST":
        if token is not None:
            token.delete()
        if request.POST.get("op") == "revoke":
            messages.success(request, "API 令牌已作废。")
        else:
            Token.objects.create(user=request.user)
            messages.success(request, "已生成新的 API 令牌，原令牌（如有）已失效。")
        return redirect("workbench:api_token")
    return render(request, "workbench/api_token.html", {"token": token})
