"""The widget of a form field with its accessible description (field.html).

An invalid field says so (``aria-invalid``) and points at its error message and help text by id
(``aria-describedby``); the ids are the ones ``field.html`` gives those elements."""

from django import template

register = template.Library()


def error_id(field) -> str:
    return f"{field.auto_id}_error"


@register.simple_tag
def field_widget(field):
    ids = []
    if field.errors:
        ids.append(error_id(field))
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    attrs = {}
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
