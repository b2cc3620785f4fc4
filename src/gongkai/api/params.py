"""Strict query parameters: a value the schema does not allow is a 400, never silently ignored."""

from __future__ import annotations

import re

from rest_framework.exceptions import ValidationError

MAX_ID = 2**31 - 1
ID_PATH = r"[0-9]{1,10}"  # path ids: anything else matches no route (JSON 404)


def text(params, name: str, *, max_length: int = 200) -> str:
    value = (params.get(name) or "").strip()
    if "\x00" in value:
        raise ValidationError({name: "不能包含空字符"})
    if len(value) > max_length:
        raise ValidationError({name: f"不能超过{max_length}个字符"})
    return value


def boolean(params, name: str) -> bool | None:
    if name not in params:
        return None
    value = params.get(name)
    if value not in ("true", "false"):
        raise ValidationError({name: "应为 true 或 false"})
    return value == "true"


def integer(params, name: str, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    if name not in params:
        return None
    value = params.get(name)
    if not re.fullmatch(r"-?[0-9]{1,12}", value or "") or not minimum <= int(value) <= maximum:
        raise ValidationError({name: f"应为 {minimum}～{maximum} 之间的整数"})
    return int(value)


def choice(params, name: str, allowed) -> str | None:
    if name not in params:
        return None
    value = params.get(name)
    if value not in allowed:
        raise ValidationError({name: "取值不正确，可选：" + "、".join(allowed)})
    return value


def pattern(params, name: str, regex: str, message: str) -> str | None:
    if name not in params:
        return None
    value = params.get(name)
    if not re.fullmatch(regex, value or ""):
        raise ValidationError({name: message})
    return value


def declared_form_fields(request, serializer) -> None:
    """A multipart form may carry only the fields its schema declares (``additionalProperties:
    false`` on the ``*UploadRequest`` components): an unknown field is a 400, not silently
    dropped. JSON bodies keep ignoring unknown keys."""
    if not request.content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        return
    unknown = sorted(set(request.data.keys()) - set(serializer.fields))
    if unknown:
        raise ValidationError({name[:50]: "未知字段" for name in unknown[:10]})
