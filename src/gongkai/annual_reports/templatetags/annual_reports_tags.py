from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def report_css():
    """The core renderer's report stylesheet (tables exactly as printed)."""
    from gongkai.core.report_render.html import report_css as css

    return mark_safe(css())
