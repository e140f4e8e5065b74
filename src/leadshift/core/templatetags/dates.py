"""The one way LeadShift writes a date (`day`: 4 Mar 2026) and a moment (`moment`:
4 Mar 2026, 14:05) on every page and report. Built in to every template (settings.TEMPLATES)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.template.defaultfilters import date as date_filter

register = template.Library()

DAY = "j M Y"
MOMENT = "j M Y, H:i"


@register.filter
def day(value: dt.date | dt.datetime | None) -> str:
    return date_filter(value, DAY) if value else ""


@register.filter
def moment(value: dt.datetime | None) -> str:
    return date_filter(value, MOMENT) if value else ""
