"""The risk form's fields to a RiskIn and back. Percentages are typed as 0–100."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.http import QueryDict

from leadshift.core.errors import Invalid
from leadshift.risk.models import Risk
from leadshift.risk.services import RiskIn


def number(raw: str, fld: str, what: str, default: float | None = None) -> float | None:
    raw = raw.strip().replace(",", ".").rstrip("%").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise Invalid(f"{what}: enter a number, not “{raw}”", field=fld) from None
    if math.isnan(value) or math.isinf(value):
        raise Invalid(f"{what}: enter a number", field=fld)
    return value


def percent(raw: str, fld: str, what: str, default: float | None = None) -> float | None:
    value = number(raw, fld, what)
    if value is None:
        return default
    if not 0 <= value <= 100:
        raise Invalid(f"{what}: enter a percentage between 0 and 100, got {value:g}", field=fld)
    return value / 100


def date(raw: str, fld: str) -> dt.date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise Invalid("enter a date like 2026-12-31", field=fld) from None


def _id(raw: str) -> int | None:
    return int(raw) if raw.strip().isdigit() else None


def parse(post: QueryDict, team_ids: list[int]) -> RiskIn:
    g = post.get
    scope = g("scope", "")
    kind, _, raw_id = scope.partition(":")
    target = _id(raw_id)
    efforts = {}
    for t in team_ids:
        share = percent(g(f"effort-{t}", ""), f"efforts.{t}", "extra effort")
        if share:
            efforts[t] = share
    likelihood = percent(g("probability", ""), "probability", "likelihood")
    if likelihood is None:
        raise Invalid("likelihood: how likely is it, in percent?", field="probability")
    return RiskIn(
        title=g("title", ""),
        description=g("description", ""),
        probability=likelihood,
        initiative=target if kind == "initiative" else None,
        product=target if kind == "product" else None,
        objective=target if kind == "objective" else None,
        driver=_id(g("driver", "")),
        delay_periods=number(g("delay_periods", ""), "delay_periods", "delay", 0.0) or 0.0,
        value_loss_share=percent(g("value_loss_share", ""), "value_loss_share", "value lost", 0.0)
        or 0.0,
        value_loss_amount=number(
            g("value_loss_amount", ""), "value_loss_amount", "value lost (amount)", 0.0
        )
        or 0.0,
        efforts=efforts,
        owner=_id(g("owner", "")),
        mitigation=g("mitigation", ""),
        mitigation_cost=number(g("mitigation_cost", ""), "mitigation_cost", "mitigation cost"),
        mitigated_probability=percent(
            g("mitigated_probability", ""), "mitigated_probability", "likelihood once mitigated"
        ),
        mitigated_impact=percent(
            g("mitigated_impact", ""), "mitigated_impact", "impact left once mitigated", 1.0
        )
        or 0.0,
        trigger=g("trigger", ""),
        trigger_fired_on=date(g("trigger_fired_on", ""), "trigger_fired_on"),
        status=g("status", "open"),
        review_on=date(g("review_on", ""), "review_on"),
    )


def _pct(v: float | None) -> str:
    return "" if v is None else f"{v * 100:g}"


def as_fields(r: Risk) -> dict[str, Any]:
    scope = ""
    if r.initiative_id:
        scope = f"initiative:{r.initiative_id}"
    elif r.product_id:
        scope = f"product:{r.product_id}"
    elif r.objective_id:
        scope = f"objective:{r.objective_id}"
    f: dict[str, Any] = {
        "title": r.title,
        "description": r.description,
        "scope": scope,
        "probability": _pct(r.probability),
        "driver": str(r.driver_id or ""),
        "delay_periods": f"{r.delay_periods:g}" if r.delay_periods else "",
        "value_loss_share": _pct(r.value_loss_share) if r.value_loss_share else "",
        "value_loss_amount": f"{r.value_loss_amount:g}" if r.value_loss_amount else "",
        "owner": str(r.owner_id or ""),
        "mitigation": r.mitigation,
        "mitigation_cost": "" if r.mitigation_cost is None else f"{r.mitigation_cost:g}",
        "mitigated_probability": _pct(r.mitigated_probability),
        "mitigated_impact": "" if r.mitigated_impact == 1.0 else _pct(r.mitigated_impact),
        "trigger": r.trigger,
        "trigger_fired_on": r.trigger_fired_on.isoformat() if r.trigger_fired_on else "",
        "status": r.status,
        "review_on": r.review_on.isoformat() if r.review_on else "",
    }
    for e in r.efforts.all():
        f[f"effort-{e.team_id}"] = _pct(e.share)
    return f
