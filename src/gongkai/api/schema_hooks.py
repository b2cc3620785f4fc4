"""Post-processing of the OpenAPI schema: what the request guard refuses is declared.

The request guard (``gongkai.security.middleware.RequestGuardMiddleware``) answers 400 to a query
string or a form with a NUL character in any name or value, and no text field stores NUL
(PostgreSQL cannot). So every request body states it: its free-text properties carry the pattern
``^[^\\x00]*$``.
"""

from __future__ import annotations

NO_NUL = "^[^\\x00]*$"


def _no_nul(prop: dict) -> None:
    if (
        prop.get("type") == "string"
        and not prop.get("format")
        and "enum" not in prop
        and "pattern" not in prop
    ):
        prop["pattern"] = NO_NUL
    for key in ("oneOf", "anyOf", "allOf"):
        for sub in prop.get(key) or []:
            if isinstance(sub, dict) and "$ref" not in sub:
                _no_nul(sub)
    if isinstance(prop.get("items"), dict):
        _no_nul(prop["items"])


def declare_nul_refused(result, generator, request, public):
    """Request bodies: free text NUL-free; the multipart-only bodies (``*UploadRequest``) have no
    null values (a form field is omitted, never null: 「null」 would be sent as text) and no fields
    but the declared ones (``gongkai.api.params.declared_form_fields`` refuses others: a form
    field's name may not even hold a NUL, which OpenAPI 3.0 cannot say of extra names)."""
    for name, comp in (result.get("components") or {}).get("schemas", {}).items():
        if name.endswith("Request") and comp.get("type") == "object":
            upload = name.endswith("UploadRequest")
            for prop in (comp.get("properties") or {}).values():
                _no_nul(prop)
                if upload:
                    prop.pop("nullable", None)
            if upload:
                comp["additionalProperties"] = False
    return result
