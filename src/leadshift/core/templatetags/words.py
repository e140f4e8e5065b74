"""Messages read as sentences: services raise lower-case clauses (they are joined into longer
messages and API errors); a page shows each one capitalised and closed with a full stop."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def sentence(value: object) -> str:
    text = str(value or "").strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."
