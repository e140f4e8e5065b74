"""Turning the decision form's fields into a DecisionIn and back (rows for the template)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import QueryDict

from leadshift.core.errors import Invalid
from leadshift.decisions.services import DecisionIn, OptionIn

CRITERIA_ROWS = 6
OPTION_ROWS = 5
LINK_ROWS = 4
ROLES = ("decided_by", "consulted", "informed")


def _num(raw: str, fld: str, what: str) -> float | None:
    raw = raw.strip().replace(",", ".").rstrip("%").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise Invalid(f"{what}: enter a number (you entered “{raw}”)", field=fld) from None


def _date(raw: str, fld: str) -> dt.date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise Invalid("enter a date like 2026-12-31", field=fld) from None


def _ids(values: list[str], fld: str) -> list[int]:
    try:
        return [int(v) for v in values if v]
    except ValueError:
        raise Invalid("choose people from the list", field=fld) from None


def parse(post: QueryDict) -> DecisionIn:
    """The form's fields as a DecisionIn. Blank rows are left out; a number that is not a
    number raises Invalid naming its field. The forecast is typed in percent."""
    g = post.get
    crit_rows = []
    for k in range(_count(post, "crit-name-")):
        name = g(f"crit-name-{k}", "").strip()
        weight = _num(g(f"crit-weight-{k}", ""), f"criteria.{k}.weight", f"weight of “{name}”")
        if name or weight is not None:
            crit_rows.append((k, name, 1.0 if weight is None else weight))
    options: list[OptionIn] = []
    chosen = None
    raw_choice = g("chosen", "")
    for i in range(_count(post, "opt-name-")):
        name = g(f"opt-name-{i}", "").strip()
        desc = g(f"opt-desc-{i}", "").strip()
        scores = [
            _num(g(f"score-{i}-{k}", ""), f"options.{i}.scores.{k}", f"score of “{name}”")
            for k, _, _ in crit_rows
        ]
        if not name and not desc and all(s is None for s in scores):
            continue
        if raw_choice == str(i):
            chosen = len(options)
        options.append(OptionIn(name, desc, scores))
    forecast_pct = _num(g("forecast", ""), "forecast", "forecast")
    if forecast_pct is not None and not 0 <= forecast_pct <= 100:
        raise Invalid(
            f"chance of success: enter a percentage from 0 to 100 (you entered {forecast_pct:g} %)",
            field="forecast",
        )
    links = []
    for j in range(_count(post, "link-label-")):
        label = g(f"link-label-{j}", "").strip()
        if label:
            links.append((g(f"link-target-{j}", "initiative"), label))
    return DecisionIn(
        question=g("question", ""),
        kind=g("kind", ""),
        context=g("context", ""),
        criteria=[(n, w) for _, n, w in crit_rows],
        options=options,
        chosen=chosen,
        rationale=g("rationale", ""),
        reversible=g("reversible", "yes") != "no",
        decided_on=_date(g("decided_on", ""), "decided_on"),
        decided_by=_ids(post.getlist("decided_by"), "decided_by"),
        consulted=_ids(post.getlist("consulted"), "consulted"),
        informed=_ids(post.getlist("informed"), "informed"),
        risks_accepted=g("risks_accepted", ""),
        premortem=g("premortem", ""),
        forecast=None if forecast_pct is None else forecast_pct / 100,
        forecast_by=_date(g("forecast_by", ""), "forecast_by"),
        review_on=_date(g("review_on", ""), "review_on"),
        links=links,
        starter=g("starter", ""),
    )


def _count(post: QueryDict, prefix: str) -> int:
    keys = [k[len(prefix) :] for k in post if k.startswith(prefix)]
    return max((int(k) + 1 for k in keys if k.isdigit()), default=0)


def _s(v: float | None) -> str:
    return "" if v is None else f"{v:g}"


def as_fields(data: DecisionIn) -> dict[str, Any]:
    """A DecisionIn as the form's raw fields (the inverse of `parse`)."""
    f: dict[str, Any] = {
        "question": data.question,
        "kind": data.kind,
        "context": data.context,
        "rationale": data.rationale,
        "reversible": "yes" if data.reversible else "no",
        "decided_on": data.decided_on.isoformat() if data.decided_on else "",
        "risks_accepted": data.risks_accepted,
        "premortem": data.premortem,
        "forecast": "" if data.forecast is None else f"{data.forecast * 100:g}",
        "forecast_by": data.forecast_by.isoformat() if data.forecast_by else "",
        "review_on": data.review_on.isoformat() if data.review_on else "",
        "starter": data.starter,
        "chosen": "" if data.chosen is None else str(data.chosen),
    }
    for role in ROLES:
        f[role] = [str(i) for i in getattr(data, role)]
    for k, (n, w) in enumerate(data.criteria):
        f[f"crit-name-{k}"], f[f"crit-weight-{k}"] = n, _s(w)
    for i, o in enumerate(data.options):
        f[f"opt-name-{i}"], f[f"opt-desc-{i}"] = o.name, o.description
        for k, s in enumerate(o.scores):
            f[f"score-{i}-{k}"] = _s(s)
    for j, (t, label) in enumerate(data.links):
        f[f"link-target-{j}"], f[f"link-label-{j}"] = t, label
    return f


def from_post(post: QueryDict) -> dict[str, Any]:
    f: dict[str, Any] = post.dict()
    for role in ROLES:
        f[role] = post.getlist(role)
    return f


def rows(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields arranged for the template: criteria, options with a score per criterion,
    links; always a few blank rows to add to."""
    ncrit = max(CRITERIA_ROWS, _n(fields, "crit-name-") + 1)
    nopt = max(OPTION_ROWS, _n(fields, "opt-name-") + 1)
    nlink = max(LINK_ROWS, _n(fields, "link-label-") + 1)
    criteria = [
        {
            "k": k,
            "name": fields.get(f"crit-name-{k}", ""),
            "weight": fields.get(f"crit-weight-{k}", ""),
            "header": fields.get(f"crit-name-{k}", "") or f"Criterion {k + 1}",
        }
        for k in range(ncrit)
    ]
    options = [
        {
            "i": i,
            "name": fields.get(f"opt-name-{i}", ""),
            "desc": fields.get(f"opt-desc-{i}", ""),
            "chosen": fields.get("chosen", "") == str(i),
            "label": fields.get(f"opt-name-{i}", "") or f"Option {i + 1}",
            "scores": [
                {"k": c["k"], "value": fields.get(f"score-{i}-{c['k']}", ""), "header": c["header"]}
                for c in criteria
            ],
        }
        for i in range(nopt)
    ]
    links = [
        {
            "j": j,
            "target": fields.get(f"link-target-{j}", "initiative"),
            "label": fields.get(f"link-label-{j}", ""),
        }
        for j in range(nlink)
    ]
    return {"criteria": criteria, "options": options, "links": links}


def _n(fields: dict[str, Any], prefix: str) -> int:
    """Rows up to the last one with something in it."""
    return max(
        (
            int(k[len(prefix) :]) + 1
            for k, v in fields.items()
            if k.startswith(prefix) and k[len(prefix) :].isdigit() and str(v).strip()
        ),
        default=0,
    )
