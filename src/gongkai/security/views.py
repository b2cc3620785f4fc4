"""Chinese error pages (400, 403, 404, 413, 500), also with DEBUG off."""

from __future__ import annotations

from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousFileOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

MESSAGES = {
    "bad": ("请求无效", "您的请求格式不正确，无法处理。请返回上一页检查填写的内容后重试。"),
    "nul": ("请求无效", "提交的内容或查询条件中含有不允许的空字符（NUL），请删除后重试。"),
    "fields": ("请求无效", "提交的字段或文件数量过多，请分批提交。"),
    "filename": ("文件名无法接受", "上传文件的文件名过长或格式不正确，请改用简短的文件名后重新上传。"),
    413: ("提交的内容过大", "本次提交（含附件）超过了系统允许的大小，请压缩或分批上传附件后重试。"),
    403: ("无权访问", "您没有执行此操作或查看此页面的权限。如需帮助，请联系本机关的系统管理员。"),
    404: ("页面不存在", "您访问的页面不存在或您无权查看。"),
}


def error_page(request, status: int, kind: str | None = None):
    title, message = MESSAGES[kind or status]
    return render(request, "error.html", {"title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        return error_page(request, 413)
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        return error_page(request, 400, "fields")
    if isinstance(exception, SuspiciousFileOperation):
        return error_page(request, 400, "filename")
    return error_page(request, 400, "bad")


def permission_denied(request, exception=None):
    return error_page(request, 403)


def page_not_found(request, exception=None):
    return error_page(request, 404)


def server_error(request):
    """No request context: the page must render even when the database or a context processor
    is what failed."""
    return HttpResponseServerError(loader.get_template("500.html").render())
