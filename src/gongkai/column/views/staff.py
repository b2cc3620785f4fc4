"""Editing the guide (指南) and system (制度) pages: the agency's administrator saves a new version
(the old ones stay, with their dates)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from gongkai.agencies.models import Agency

from ..guide import can_edit, current_page, generated_guide
from ..models import ColumnPageVersion, PageKind


class PageForm(forms.Form):
    body = forms.CharField(
        label="内容",
        widget=forms.Textarea(attrs={"rows": 24}),
        max_length=50_000,
        error_messages={"required": "内容不能为空"},
        help_text="以“一、”“二、”开头的行作为标题；每行一段。",
    )
    note = forms.CharField(label="修改说明", max_length=200, required=False)
    regenerate = forms.BooleanField(label="按机关信息重新生成", required=False)


@login_required
@require_http_methods(["GET", "POST"])
def edit_page(request, agency_id: int, kind: str):
    agency = get_object_or_404(Agency, pk=agency_id)
    if kind not in PageKind.values:
        raise PermissionDenied
    if not can_edit(request.user, agency):
        raise PermissionDenied("只有本机关的机关管理员可以修改")
    page = current_page(agency, kind, request)
    if request.method == "POST":
        form = PageForm(request.POST)
        if form.is_valid():
            body = form.cleaned_data["body"]
            if form.cleaned_data["regenerate"] and kind == PageKind.GUIDE:
                body = generated_guide(agency, request)
            v = ColumnPageVersion.add(agency, kind, body, user=request.user, note=form.cleaned_data["note"])
            messages.success(request, f"已保存第 {v.number} 版")
            return redirect("column:guide" if kind == PageKind.GUIDE else "column:system", agency.pk)
    else:
        form = PageForm(initial={"body": page.body})
    versions = ColumnPageVersion.objects.filter(agency=agency, kind=kind).select_related("created_by")[:20]
    return render(
        request,
        "column/edit_page.html",
        {
            "agency": agency,
            "form": form,
            "page": page,
            "kind_label": PageKind(kind).label,
            "versions": versions,
        },
    )
