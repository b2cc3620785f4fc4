"""``{% load workdays_tags %}``: the one way a provisional (暂定) date is marked in pages.

``{% provisional_mark %}`` renders 「（暂定）」 with the short explanation as its title (and for
screen readers); ``{% provisional_note %}`` renders the explanation as a visible line.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from gongkai.core.workdays import PROVISIONAL_NOTE

register = template.Library()


@register.simple_tag
def provisional_mark() -> str:
    return format_html(
        '<span class="provisional" title="{}">（暂定）<span class="visually-hidden">{}</span></span>',
        PROVISIONAL_NOTE,
        PROVISIONAL_NOTE,
    )


@register.simple_tag
def provisional_note() -> str:
    return format_html('<span class="provisional-note small">{}</span>', PROVISIONAL_NOTE)
