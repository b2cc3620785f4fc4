"""JSON errors for everything under ``/api/``.

DRF answers its own exceptions in JSON, but a URL that matches no route (``/api/applications/x/``)
and an uncaught exception reach Django's handlers, which render the portal's HTML pages. A client
of the API gets ``{"detail": ...}`` with the same status instead.
"""

from __future__ import annotations

from django.http import JsonResponse

API_PREFIX = "/api/"

_DETAILS = {
    400: "请求有误",
    403: "无权访问",
    404: "不存在",
    405: "不支持该请求方法",
    500: "服务器内部错误，请稍后再试",
}


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
            and not getattr(response, "streaming", False)
        ):
            code = response.status_code
            detail = _DETAILS.get(code) or ("服务器内部错误" if code >= 500 else "请求有误")
            return JsonResponse({"detail": detail}, status=code)
        return response
