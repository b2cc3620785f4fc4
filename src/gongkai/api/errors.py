"""Error bodies of the API and how the schema documents them.

Every error under ``/api/`` is JSON: DRF's own exceptions (400/401/403/404/405/409) through its
exception handler, everything else (an unmatched URL, an uncaught exception) through
:class:`gongkai.api.middleware.ApiJsonErrorsMiddleware`.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer(
    "Error",
    {
        "detail": serializers.CharField(help_text="错误说明（中文）"),
        "code": serializers.CharField(
            required=False, help_text="错误类别：role、state、precondition、invalid 等"
        ),
        "field": serializers.CharField(required=False, help_text="出错的字段（如有）"),
    },
)

_DESCRIPTIONS = {
    400: "输入有误：{字段名: [错误信息]}，或 {detail, code, field}",
    401: "未提供或提供了无效的令牌（Token）",
    403: "无权执行该操作",
    404: "不存在，或不在您可查看的机关范围内",
    409: "当前办理状态不允许该操作",
    429: "请求过于频繁（公开接口按来源地址限流），请稍后再试",
}


def error_responses(*codes: int) -> dict:
    """``responses`` entries for ``extend_schema``: 401 and 403 always, plus ``codes``."""
    out = {}
    for code in sorted({401, 403, *codes}):
        body = OpenApiTypes.OBJECT if code == 400 else ErrorSerializer
        out[code] = OpenApiResponse(response=body, description=_DESCRIPTIONS[code])
    return out
