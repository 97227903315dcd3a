"""``{{ text|markdown }}``: sanitised Markdown for member-written text;
``{{ html|plain }}``: rendered Markdown as plain words."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from stackshare.markdown import plain_text, render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return mark_safe(render_markdown(text or ""))  # noqa: S308 - nh3 has sanitised it


@register.filter(name="plain")
def plain_filter(html: str) -> str:
    return plain_text(html or "")
