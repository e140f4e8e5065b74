from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """``{{ names|get:id }}``: a dict lookup by a variable key (the key itself if missing)."""
    try:
        return mapping.get(key, key)
    except AttributeError:
        return key


@register.filter
def percent(x: Any) -> str:
    try:
        return f"{100 * float(x):.1f}%"
    except (TypeError, ValueError):
        return "—"
