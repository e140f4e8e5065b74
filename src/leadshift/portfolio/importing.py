"""Import a portfolio from YAML/JSON (the portfolio file) or CSV (initiatives, metric snapshots).

Reading validates everything first and raises one InputError listing every problem with its
line; writing (``write_import``, called inside a transaction) happens only after that, so a
bad file changes nothing. Rows and items are matched by their ``id`` (key): an import adds new
ones and updates those it names; it deletes nothing.

Initiatives CSV columns: ``id`` (required), ``name``, ``description``, ``product``,
``value`` (``40`` or ``20/40/90`` for low/likely/high), ``effort:TEAM`` (one column per team,
same number-or-range form), ``duration``, ``after`` (ids separated by ``;``), ``mandatory``
(yes/no), ``earliest``, ``latest``, ``deadline`` (period names), ``horizon``, ``objectives``
(``growth; retention`` or ``growth:0.6; retention:0.4``), ``reach``, ``impact``,
``confidence``, ``cost_of_delay``, ``job_size``.

Snapshots CSV columns: ``product`` (its id), ``date`` (YYYY-MM-DD), ``label``, and any of the
metrics: revenue, growth, margin, active_users, satisfaction, market_growth, relative_share,
strategic_fit.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from leadshift.allocation.problem import Portfolio, portfolio_from_document
from leadshift.files import MAX_BYTES, Document, InputError, PathPart, Problem, parse_text
from leadshift.people.models import Organisation, Team
from leadshift.portfolio.document import build_document
from leadshift.portfolio.models import (
    HORIZONS,
    METRIC_FIELDS,
    RECOMMENDATIONS,
    STATUSES,
    Initiative,
    InitiativeEffort,
    InitiativeObjective,
    KeyResult,
    KeyResultActual,
    MetricSnapshot,
    Objective,
    Period,
    PortfolioSettings,
    Product,
    TeamCapacity,
    goes_backwards,
)
from leadshift.risk.document import Scope, risk_scopes, write_sections

KINDS = ("portfolio", "initiatives-csv", "snapshots-csv")
# A portfolio of thousands of initiatives is large; a million rows is an attack on the server.
MAX_CSV_ROWS = 10_000
KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$")
INITIATIVE_COLUMNS = (
    "id",
    "name",
    "description",
    "product",
    "value",
    "duration",
    "after",
    "mandatory",
    "earliest",
    "latest",
    "deadline",
    "horizon",
    "objectives",
    "reach",
    "impact",
    "confidence",
    "cost_of_delay",
    "job_size",
)
TRUE = {"yes", "y", "true", "1", "x"}
FALSE = {"no", "n", "false", "0", ""}


@dataclass
class Parsed:
    kind: str
    data: dict[str, Any]
    portfolio: Portfolio | None = None
    only: set[str] = field(default_factory=set)
    """For an initiatives CSV: the ids the file gives (the rest come from the database)."""
    snapshots: list[dict[str, Any]] = field(default_factory=list)
    risk_scopes: list[Scope] = field(default_factory=list)
    """For a portfolio file: where each of its risks goes in the register."""


def detect_kind(filename: str, text: str) -> str:
    if filename.lower().endswith(".csv"):
        header = text.lstrip("\ufeff").split("\n", 1)[0].strip().lower()
        cols = [c.strip() for c in header.split(",")]
        return "snapshots-csv" if "product" in cols and "date" in cols else "initiatives-csv"
    return "portfolio"


def read_import(org: Organisation, text: str, filename: str, kind: str | None = None) -> Parsed:
    if len(text) > MAX_BYTES:
        raise InputError(
            [Problem(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")], filename
        )
    kind = kind or detect_kind(filename, text)
    if kind not in KINDS:
        raise InputError([Problem(f"unknown kind {kind!r} (one of {', '.join(KINDS)})")], filename)
    if kind == "portfolio":
        return _read_portfolio(org, parse_text(text, filename))
    if kind == "initiatives-csv":
        return _read_initiatives_csv(org, text, filename)
    return _read_snapshots_csv(org, text, filename)


# --- YAML / JSON ---------------------------------------------------------------------


def _read_portfolio(org: Organisation, doc: Document) -> Parsed:
    problems: list[Problem] = []
    portfolio = None
    try:
        portfolio = portfolio_from_document(doc)
    except InputError as exc:
        problems.extend(exc.problems)
    data = doc.data if isinstance(doc.data, dict) else {}
    periods = {str(p) for p in data.get("periods", []) if isinstance(data.get("periods"), list)}
    team_names = {
        str(t.get("id")) for t in data.get("teams", []) or [] if isinstance(t, Mapping)
    } | set(Team.objects.filter(organisation=org).values_list("name", flat=True))
    problems.extend(_check_keys(doc, data))
    for i, o in enumerate(data.get("objectives", []) or []):
        if not isinstance(o, Mapping):
            continue
        if "key_results" in o:
            problems.extend(_check_key_results(doc, o["key_results"], i))
        for j, p in enumerate(o.get("periods", []) or []):
            if str(p) not in periods:
                problems.append(
                    doc.problem(f"unknown period {p!r}", ("objectives", i, "periods", j))
                )
    product_keys = set(Product.objects.filter(organisation=org).values_list("key", flat=True))
    raw_products = data.get("products", [])
    if raw_products is not None and not isinstance(raw_products, list):
        problems.append(doc.problem("expected a list of products", ("products",)))
        raw_products = []
    for i, pr in enumerate(raw_products or []):
        problems.extend(_check_product(doc, pr, i, team_names))
        if isinstance(pr, Mapping) and pr.get("id") is not None:
            product_keys.add(str(pr["id"]))
    for i, item in enumerate(data.get("initiatives", []) or []):
        if isinstance(item, Mapping) and "horizon" in item and item["horizon"] not in HORIZONS:
            problems.append(
                doc.problem(
                    f"horizon must be one of {', '.join(HORIZONS)}, got {item['horizon']!r}",
                    ("initiatives", i, "horizon"),
                )
            )
        if (
            isinstance(item, Mapping)
            and "product" in item
            and str(item["product"]) not in product_keys
        ):
            problems.append(
                doc.problem(f"unknown product {item['product']!r}", ("initiatives", i, "product"))
            )
    problems.extend(_check_delivery(org, doc, data))
    scopes, risk_problems = risk_scopes(doc, data)
    problems.extend(risk_problems)
    if problems:
        raise doc.error(sorted(problems, key=lambda p: p.line or 0))
    return Parsed("portfolio", data, portfolio, risk_scopes=scopes)


def _check_keys(doc: Document, data: Mapping[str, Any]) -> list[Problem]:
    out = []
    for section in ("objectives", "initiatives", "products"):
        items = data.get(section)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if (
                isinstance(item, Mapping)
                and isinstance(item.get("id"), str | int)
                and not KEY.match(str(item["id"]))
            ):
                out.append(
                    doc.problem(
                        "an id is up to 60 letters, digits, - and _ (no spaces)",
                        (section, i, "id"),
                    )
                )
    for i, t in enumerate(data.get("teams", []) or []):
        if isinstance(t, Mapping) and len(str(t.get("id", ""))) > 200:
            out.append(doc.problem("a team name is up to 200 characters", ("teams", i, "id")))
    return out


def _number(raw: Any) -> bool:
    return not isinstance(raw, bool) and isinstance(raw, int | float) and raw == raw


def _check_key_results(doc: Document, raw: Any, i: int) -> list[Problem]:
    path: tuple[PathPart, ...] = ("objectives", i, "key_results")
    if not isinstance(raw, list):
        return [doc.problem("expected a list of key results", path)]
    out: list[Problem] = []
    allowed = {"id", "name", "unit", "baseline", "target", "start", "due", "actuals"}
    seen: set[str] = set()
    for j, kr in enumerate(raw):
        kp = (*path, j)
        if not isinstance(kr, Mapping):
            out.append(doc.problem("expected a mapping", kp))
            continue
        out += [doc.problem("unknown field", (*kp, k)) for k in kr if k not in allowed]
        for k in ("id", "name", "baseline", "target", "start", "due"):
            if k not in kr:
                out.append(doc.problem("this field is required", (*kp, k)))
        if "id" in kr:
            if not KEY.match(str(kr["id"])):
                out.append(doc.problem("an id is up to 60 letters, digits, - and _", (*kp, "id")))
            elif str(kr["id"]) in seen:
                out.append(doc.problem(f"key result {kr['id']!r} is listed twice", (*kp, "id")))
            seen.add(str(kr["id"]))
        for k in ("baseline", "target"):
            if k in kr and not _number(kr[k]):
                out.append(doc.problem(f"expected a number, got {kr[k]!r}", (*kp, k)))
        if _number(kr.get("baseline")) and kr.get("baseline") == kr.get("target"):
            out.append(doc.problem("the target equals the baseline", (*kp, "target")))
        days: dict[str, dt.date | None] = {}
        for k in ("start", "due"):
            if k in kr:
                days[k] = _date(kr[k])
                if days[k] is None:
                    out.append(doc.problem("expected a date like 2026-03-31", (*kp, k)))
        start, due = days.get("start"), days.get("due")
        if start is not None and due is not None and due <= start:
            out.append(doc.problem("the due date must come after the start", (*kp, "due")))
        if len(str(kr.get("unit", ""))) > 30 or len(str(kr.get("name", ""))) > 200:
            out.append(doc.problem("a name is up to 200 characters, a unit up to 30", kp))
        actuals = kr.get("actuals", [])
        if not isinstance(actuals, list):
            out.append(doc.problem("expected a list of actuals", (*kp, "actuals")))
            continue
        dates: set[dt.date] = set()
        for n, a in enumerate(actuals):
            ap = (*kp, "actuals", n)
            if not isinstance(a, Mapping):
                out.append(doc.problem("expected a mapping with date and value", ap))
                continue
            out += [
                doc.problem("unknown field (an actual has date, value, note)", (*ap, k))
                for k in a
                if k not in ("date", "value", "note")
            ]
            day = _date(a.get("date"))
            if day is None:
                out.append(doc.problem("an actual needs a date like 2026-03-31", (*ap, "date")))
            elif day in dates:
                out.append(doc.problem(f"two actuals dated {day}", (*ap, "date")))
            else:
                dates.add(day)
            if not _number(a.get("value")):
                out.append(
                    doc.problem(f"expected a number, got {a.get('value')!r}", (*ap, "value"))
                )
            if len(str(a.get("note", ""))) > 300:
                out.append(doc.problem("a note is up to 300 characters", (*ap, "note")))
    return out


def _check_delivery(org: Organisation, doc: Document, data: Mapping[str, Any]) -> list[Problem]:
    """Initiatives' status, actual finish and external key; a status going backwards from
    what is saved needs its ``status_reason``."""
    out: list[Problem] = []
    saved = dict(Initiative.objects.filter(organisation=org).values_list("key", "status"))
    external: dict[str, int] = {}
    items = data.get("initiatives", [])
    in_file = {
        str(x.get("id")): str(x.get("external_key", "")).strip()
        for x in (items if isinstance(items, list) else [])
        if isinstance(x, Mapping) and "external_key" in x
    }
    taken = {
        ext: key
        for key, ext in Initiative.objects.filter(organisation=org)
        .exclude(external_key="")
        .values_list("key", "external_key")
        if in_file.get(key, ext) == ext
    }
    for i, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, Mapping):
            continue
        path: tuple[PathPart, ...] = ("initiatives", i)
        status = item.get("status")
        if status is not None and status not in STATUSES:
            out.append(
                doc.problem(
                    f"status must be one of {', '.join(STATUSES)}, got {status!r}",
                    (*path, "status"),
                )
            )
        elif status is not None:
            old = saved.get(str(item.get("id")))
            if (
                old
                and goes_backwards(old, status)
                and not str(item.get("status_reason", "")).strip()
            ):
                out.append(
                    doc.problem(
                        f"goes back from {old} to {status}: give status_reason",
                        (*path, "status"),
                    )
                )
        if "finished" in item:
            day = _date(item["finished"])
            if day is None:
                out.append(doc.problem("expected a date like 2026-03-31", (*path, "finished")))
            elif status not in ("done", "dropped"):
                out.append(
                    doc.problem("an actual finish is for done or dropped work", (*path, "finished"))
                )
        if "external_key" in item:
            key = str(item["external_key"]).strip()
            if not key or len(key) > 60:
                out.append(
                    doc.problem("an external key is 1 to 60 characters", (*path, "external_key"))
                )
            elif taken.get(key, str(item.get("id"))) != str(item.get("id")):
                out.append(
                    doc.problem(
                        f"external key {key!r} is already initiative {taken[key]!r}'s",
                        (*path, "external_key"),
                    )
                )
            elif key in external:
                out.append(
                    doc.problem(
                        f"external key {key!r} is also on initiative {external[key] + 1}",
                        (*path, "external_key"),
                    )
                )
            else:
                external[key] = i
    return out


def _date(raw: Any) -> dt.date | None:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw).strip())
    except ValueError:
        return None


def _check_product(doc: Document, raw: Any, i: int, teams: set[str]) -> list[Problem]:
    path: tuple[PathPart, ...] = ("products", i)
    if not isinstance(raw, Mapping):
        return [doc.problem("expected a mapping", path)]
    out = []
    allowed = {"id", "name", "description", "team", "stage", "override", "snapshots"}
    out += [doc.problem("unknown field", (*path, k)) for k in raw if k not in allowed]
    if "id" not in raw:
        out.append(doc.problem("this field is required", (*path, "id")))
    if "team" in raw and str(raw["team"]) not in teams:
        out.append(doc.problem(f"unknown team {raw['team']!r}", (*path, "team")))
    if "stage" in raw and raw["stage"] not in RECOMMENDATIONS:
        out.append(
            doc.problem(
                f"stage must be one of {', '.join(RECOMMENDATIONS)}, got {raw['stage']!r}",
                (*path, "stage"),
            )
        )
    ov = raw.get("override")
    if ov is not None:
        if not isinstance(ov, Mapping) or ov.get("recommendation") not in RECOMMENDATIONS:
            out.append(
                doc.problem(
                    "override needs recommendation (develop, scale, sustain or sunset) and reason",
                    (*path, "override"),
                )
            )
        elif not str(ov.get("reason", "")).strip():
            out.append(doc.problem("an override needs its reason", (*path, "override")))
    snaps = raw.get("snapshots", [])
    if not isinstance(snaps, list):
        return [*out, doc.problem("expected a list of snapshots", (*path, "snapshots"))]
    seen: set[dt.date] = set()
    for j, s in enumerate(snaps):
        sp = (*path, "snapshots", j)
        if not isinstance(s, Mapping):
            out.append(doc.problem("expected a mapping", sp))
            continue
        day = _date(s.get("date"))
        if day is None:
            out.append(doc.problem("a snapshot needs a date like 2025-03-31", (*sp, "date")))
        elif day in seen:
            out.append(doc.problem(f"two snapshots dated {day}", (*sp, "date")))
        else:
            seen.add(day)
        for k, v in s.items():
            if k in ("date", "label"):
                continue
            if k not in METRIC_FIELDS:
                out.append(
                    doc.problem(f"unknown metric (known: {', '.join(METRIC_FIELDS)})", (*sp, k))
                )
            elif isinstance(v, bool) or not isinstance(v, int | float):
                out.append(doc.problem(f"expected a number, got {v!r}", (*sp, k)))
    return out


# --- CSV -----------------------------------------------------------------------------


def _rows(text: str, filename: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames:
        raise InputError([Problem("the file is empty", line=1)], filename)
    header = [h.strip() for h in reader.fieldnames]
    rows = []
    try:
        for count, row in enumerate(reader, start=1):
            if count > MAX_CSV_ROWS:
                raise InputError(
                    [
                        Problem(
                            f"more than {MAX_CSV_ROWS:,} rows; split the file and import each part",
                            line=reader.line_num,
                        )
                    ],
                    filename,
                )
            clean = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k}
            if any(clean.values()):
                rows.append((reader.line_num, clean))
    except csv.Error as exc:
        raise InputError(
            [Problem(f"not valid CSV: {exc}", line=reader.line_num)], filename
        ) from exc
    return header, rows


def _cell_number(raw: str) -> Any:
    try:
        return float(raw) if any(c in raw for c in ".eE") else int(raw)
    except ValueError:
        return raw  # the reader says "expected a number, got 'abc'" at this row


def _cell_estimate(raw: str) -> Any:
    if "/" in raw:
        parts = [p.strip() for p in raw.split("/")]
        if len(parts) == 3:
            return dict(zip(("low", "likely", "high"), map(_cell_number, parts), strict=True))
    return _cell_number(raw)


def _split(raw: str) -> list[str]:
    return [p.strip() for p in re.split(r"[;|]", raw) if p.strip()]


def _read_initiatives_csv(org: Organisation, text: str, filename: str) -> Parsed:
    header, rows = _rows(text, filename)
    problems: list[Problem] = []
    teams = set(Team.objects.filter(organisation=org).values_list("name", flat=True))
    for col in header:
        if col.startswith("effort:"):
            if col[7:].strip() not in teams:
                problems.append(
                    Problem(f"column {col!r}: unknown team {col[7:].strip()!r}", line=1)
                )
        elif col not in INITIATIVE_COLUMNS:
            problems.append(Problem(f"unknown column {col!r}", line=1))
    if "id" not in header:
        problems.append(Problem("the header needs an 'id' column", line=1))
    if problems:
        raise InputError(problems, filename)
    base = build_document(org, full=False)
    products = set(Product.objects.filter(organisation=org).values_list("key", flat=True))
    items: list[dict[str, Any]] = []
    lines: dict[tuple[PathPart, ...], int] = {(): 1}
    keys: list[str] = []
    for line, row in rows:
        item: dict[str, Any] = {}
        effort: dict[str, Any] = {}
        for col, raw in row.items():
            if raw == "":
                continue
            if col.startswith("effort:"):
                effort[col[7:].strip()] = _cell_estimate(raw)
            elif col == "value":
                item["value"] = _cell_estimate(raw)
            elif col in ("duration", "reach", "impact", "confidence", "cost_of_delay", "job_size"):
                item[col] = _cell_number(raw)
            elif col == "after":
                item["after"] = _split(raw)
            elif col == "mandatory":
                low = raw.lower()
                item["mandatory"] = True if low in TRUE else False if low in FALSE else raw
            elif col == "objectives":
                links: list[Any] = []
                for part in _split(raw):
                    oid, _, share = part.partition(":")
                    links.append(
                        {"id": oid.strip(), "share": _cell_number(share.strip())}
                        if share
                        else oid.strip()
                    )
                item["objectives"] = links
            else:
                item[col] = raw
        item["effort"] = effort
        idx = len(items)
        items.append(item)
        keys.append(str(item.get("id", "")))
        lines[("initiatives", idx)] = line
        if "product" in item and item["product"] not in products:
            problems.append(Problem(f"product: unknown product {item['product']!r}", line=line))
        if "horizon" in item and item["horizon"] not in HORIZONS:
            problems.append(
                Problem(
                    f"horizon: one of {', '.join(HORIZONS)}, got {item['horizon']!r}", line=line
                )
            )
        if "id" in item and not KEY.match(str(item["id"])):
            problems.append(Problem("id: up to 60 letters, digits, - and _ (no spaces)", line=line))
    return merge_items(org, items, filename, lines, problems, base=base, csv_columns=True)


def read_items(org: Organisation, items: list[Any], filename: str = "request") -> Parsed:
    """Initiatives in the file format (as the API sends them), checked with what is saved."""
    problems: list[Problem] = []
    products = set(Product.objects.filter(organisation=org).values_list("key", flat=True))
    for k, item in enumerate(items):
        if not isinstance(item, Mapping):
            problems.append(Problem(f"initiatives[{k}]: expected a mapping"))
            continue
        if "product" in item and item["product"] not in products:
            problems.append(
                Problem(f"initiatives[{k}].product: unknown product {item['product']!r}")
            )
        if "horizon" in item and item["horizon"] not in HORIZONS:
            problems.append(Problem(f"initiatives[{k}].horizon: one of {', '.join(HORIZONS)}"))
        if isinstance(item.get("id"), str | int) and not KEY.match(str(item["id"])):
            problems.append(Problem(f"initiatives[{k}].id: up to 60 letters, digits, - and _"))
    if not problems:
        problems.extend(
            _check_delivery(org, Document({"initiatives": items}, filename), {"initiatives": items})
        )
    if problems:
        raise InputError(problems, filename)
    return merge_items(org, [dict(i) for i in items], filename, {}, [], csv_columns=False)


def merge_items(
    org: Organisation,
    items: list[dict[str, Any]],
    filename: str,
    lines: dict[tuple[PathPart, ...], int],
    problems: list[Problem],
    *,
    base: dict[str, Any] | None = None,
    csv_columns: bool,
) -> Parsed:
    base = base if base is not None else build_document(org, full=False)
    given = {str(i.get("id", "")) for i in items}
    merged = items + [i for i in base.get("initiatives", []) if i["id"] not in given]
    data = {**base, "initiatives": merged}
    doc = Document(data=data, filename=filename, lines=lines)
    portfolio = None
    try:
        portfolio = portfolio_from_document(doc)
    except InputError as exc:
        for pr in exc.problems:
            path = list(pr.path)
            if len(path) >= 2 and path[0] == "initiatives" and isinstance(path[1], int):
                if path[1] < len(items) and csv_columns:
                    rest = [str(p) for p in path[2:]]
                    col = (
                        "effort:" + rest[1]
                        if rest[:1] == ["effort"] and len(rest) > 1
                        else (rest[0] if rest else "")
                    )
                    problems.append(
                        Problem(f"{col}: {pr.message}" if col else pr.message, line=pr.line)
                    )
                elif path[1] < len(items):
                    problems.append(Problem(pr.message, path=tuple(path)))
                else:
                    other = merged[path[1]]["id"]
                    problems.append(Problem(f"initiative {other!r} (already saved): {pr.message}"))
            else:
                problems.append(Problem(pr.message, line=pr.line))
    if problems:
        raise InputError(sorted(problems, key=lambda p: p.line or 0), filename)
    return Parsed("initiatives-csv", data, portfolio, only=given)


def _read_snapshots_csv(org: Organisation, text: str, filename: str) -> Parsed:
    header, rows = _rows(text, filename)
    problems: list[Problem] = []
    allowed = {"product", "date", "label", *METRIC_FIELDS}
    for col in header:
        if col not in allowed:
            problems.append(
                Problem(f"unknown column {col!r} (known: {', '.join(sorted(allowed))})", line=1)
            )
    for col in ("product", "date"):
        if col not in header:
            problems.append(Problem(f"the header needs a {col!r} column", line=1))
    if problems:
        raise InputError(problems, filename)
    products = set(Product.objects.filter(organisation=org).values_list("key", flat=True))
    out: list[dict[str, Any]] = []
    seen: dict[tuple[str, dt.date], int] = {}
    for line, row in rows:
        snap: dict[str, Any] = {"line": line}
        if row.get("product", "") not in products:
            problems.append(
                Problem(f"product: unknown product {row.get('product', '')!r}", line=line)
            )
        day = _date(row.get("date", ""))
        if day is None:
            problems.append(
                Problem(f"date: expected YYYY-MM-DD, got {row.get('date')!r}", line=line)
            )
        elif (row.get("product", ""), day) in seen:
            problems.append(
                Problem(
                    f"date: {day} for {row['product']!r} is already on line "
                    f"{seen[(row['product'], day)]}",
                    line=line,
                )
            )
        else:
            seen[(row.get("product", ""), day)] = line
        for m in METRIC_FIELDS:
            raw = row.get(m, "")
            if raw == "":
                continue
            try:
                snap[m] = float(raw.replace(",", "").rstrip("%")) / (
                    100 if raw.endswith("%") else 1
                )
            except ValueError:
                problems.append(Problem(f"{m}: expected a number, got {raw!r}", line=line))
        snap.update(product=row.get("product", ""), date=day, label=row.get("label", ""))
        out.append(snap)
    if problems:
        raise InputError(problems, filename)
    return Parsed("snapshots-csv", {}, snapshots=out)


# --- Writing -------------------------------------------------------------------------


def write_import(org: Organisation, parsed: Parsed) -> dict[str, int]:
    """Write a validated import. Call inside a transaction; returns counts by kind."""
    if parsed.kind == "snapshots-csv":
        by_key = {p.key: p for p in Product.objects.filter(organisation=org)}
        for s in parsed.snapshots:
            MetricSnapshot.objects.update_or_create(
                product=by_key[s["product"]],
                taken_on=s["date"],
                defaults={"label": s["label"], **{m: s.get(m) for m in METRIC_FIELDS}},
            )
        return {"snapshots": len(parsed.snapshots)}
    assert parsed.portfolio is not None
    data, p = parsed.data, parsed.portfolio
    counts: dict[str, int] = {}
    periods = (
        _write_periods(org, list(p.periods))
        if parsed.kind == "portfolio"
        else {x.name: x for x in Period.objects.filter(organisation=org)}
    )
    teams = {t.name: t for t in Team.objects.filter(organisation=org)}
    if parsed.kind == "portfolio":
        for t in p.teams:
            team = teams.get(t.id) or Team.objects.create(organisation=org, name=t.id)
            teams[t.id] = team
            n = len(p.periods)
            given, hires, lost = (
                t.given or t.capacity,
                t.hires or (0.0,) * n,
                t.attrition or (0.0,) * n,
            )
            for at, name in enumerate(p.periods):
                TeamCapacity.objects.update_or_create(
                    team=team,
                    period=periods[name],
                    defaults={"person_weeks": given[at], "hires": hires[at], "attrition": lost[at]},
                )
        counts["teams"] = len(p.teams)
        raw_obj = {str(o["id"]): o for o in data.get("objectives", []) or []}
        for pos, o in enumerate(p.objectives):
            obj, _ = Objective.objects.update_or_create(
                organisation=org,
                key=o.id,
                defaults={
                    "name": o.name or o.id,
                    "weight": o.weight,
                    "description": str(raw_obj[o.id].get("description", "")),
                    "position": pos,
                },
            )
            obj.periods.set([periods[str(x)] for x in raw_obj[o.id].get("periods", []) or []])
            _write_key_results(obj, raw_obj[o.id].get("key_results") or [])
        counts["objectives"] = len(p.objectives)
        if p.horizon_mix is not None:
            st, _ = PortfolioSettings.objects.get_or_create(organisation=org)
            st.horizon_target = dict(p.horizon_mix.target)
            st.horizon_tolerance = p.horizon_mix.tolerance
            st.horizon_basis = p.horizon_mix.basis
            st.save()
        counts["products"] = _write_products(org, data.get("products") or [], teams)
    objectives = {o.key: o for o in Objective.objects.filter(organisation=org)}
    products = {x.key: x for x in Product.objects.filter(organisation=org)}
    raw_items = {str(i["id"]): i for i in data.get("initiatives", [])}
    wanted = [i for i in p.every_initiative if not parsed.only or i.id in parsed.only]
    last = Initiative.objects.filter(organisation=org).count()
    saved: dict[str, Initiative] = {}
    for item in wanted:
        raw = raw_items[item.id]
        rng = item.value_range
        existing = Initiative.objects.filter(organisation=org, key=item.id).first()
        fields: dict[str, Any] = {
            "name": item.name or item.id,
            "description": str(raw.get("description", "")),
            "product": products.get(str(raw["product"])) if "product" in raw else None,
            "value_likely": rng.likely if rng else item.value,
            "value_low": rng.low if rng else None,
            "value_high": rng.high if rng else None,
            "duration": item.duration,
            "earliest_start": periods[str(raw["earliest"])] if "earliest" in raw else None,
            "latest_start": periods[str(raw["latest"])] if "latest" in raw else None,
            "deadline": periods[str(raw["deadline"])] if "deadline" in raw else None,
            "horizon": item.horizon if item.horizon in HORIZONS else "",
            "mandatory": item.mandatory,
            "reach": item.reach,
            "impact": item.impact,
            "confidence": item.confidence,
            "cost_of_delay": item.cost_of_delay,
            "job_size": item.job_size,
        }
        # Absent, they stay as saved: an older file does not undo what happened since.
        if "status" in raw:
            fields["status"] = raw["status"]
            fields["finished_on"] = _date(raw["finished"]) if "finished" in raw else None
            if "status_reason" in raw:
                fields["status_reason"] = str(raw["status_reason"])
        if "external_key" in raw:
            fields["external_key"] = str(raw["external_key"]).strip()
        if existing is None:
            last += 1
            obj = Initiative.objects.create(organisation=org, key=item.id, position=last, **fields)
        else:
            for k, v in fields.items():
                setattr(existing, k, v)
            existing.save()
            obj = existing
        obj.efforts.all().delete()
        for team, mean in item.effort.items():
            er = item.effort_range.get(team)
            InitiativeEffort.objects.create(
                initiative=obj,
                team=teams[team],
                likely=er.likely if er else mean,
                low=er.low if er else None,
                high=er.high if er else None,
            )
        obj.objective_links.all().delete()
        raw_links = raw.get("objectives", []) or []
        for link in raw_links:
            oid = str(link["id"]) if isinstance(link, Mapping) else str(link)
            share = link.get("share") if isinstance(link, Mapping) else None
            InitiativeObjective.objects.create(
                initiative=obj, objective=objectives[oid], share=share
            )
        saved[item.id] = obj
    keyed = {i.key: i for i in Initiative.objects.filter(organisation=org)}
    for item in wanted:
        saved[item.id].after.set([keyed[d] for d in item.after])
    counts["initiatives"] = len(wanted)
    if parsed.kind == "portfolio":
        counts["risks"] = write_sections(org, data, parsed.risk_scopes)
    return counts


def _write_key_results(objective: Objective, raw: list[Any]) -> None:
    for pos, kr in enumerate(raw):
        row, _ = KeyResult.objects.update_or_create(
            objective=objective,
            key=str(kr["id"]),
            defaults={
                "name": str(kr["name"]),
                "unit": str(kr.get("unit", "")),
                "baseline": float(kr["baseline"]),
                "target": float(kr["target"]),
                "starts_on": _date(kr["start"]),
                "due_on": _date(kr["due"]),
                "position": pos + 1,
            },
        )
        for a in kr.get("actuals", []) or []:
            KeyResultActual.objects.update_or_create(
                key_result=row,
                taken_on=_date(a["date"]),
                defaults={"value": float(a["value"]), "note": str(a.get("note", ""))},
            )


def _write_periods(org: Organisation, names: list[str]) -> dict[str, Period]:
    current = {p.name: p for p in Period.objects.filter(organisation=org)}
    others = [p for p in current.values() if p.name not in names]
    for pos, name in enumerate(names):
        p = current.get(name) or Period(organisation=org, name=name)
        p.position = pos
        p.save()
        current[name] = p
    for k, p in enumerate(sorted(others, key=lambda x: x.position)):
        p.position = len(names) + k
        p.save(update_fields=["position"])
    return current


def _write_products(org: Organisation, raw: list[Any], teams: Mapping[str, Team]) -> int:
    for pos, pr in enumerate(raw):
        ov = pr.get("override") or {}
        product, _ = Product.objects.update_or_create(
            organisation=org,
            key=str(pr["id"]),
            defaults={
                "name": str(pr.get("name", pr["id"])),
                "description": str(pr.get("description", "")),
                "team": teams.get(str(pr["team"])) if "team" in pr else None,
                "stage": pr.get("stage", ""),
                "override": ov.get("recommendation", ""),
                "override_reason": str(ov.get("reason", "")),
                "position": pos,
            },
        )
        for s in pr.get("snapshots", []) or []:
            MetricSnapshot.objects.update_or_create(
                product=product,
                taken_on=_date(s["date"]),
                defaults={
                    "label": str(s.get("label", "")),
                    **{m: s.get(m) for m in METRIC_FIELDS},
                },
            )
    return len(raw)
