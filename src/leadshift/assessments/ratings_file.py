"""The ratings CSV (``subject,rater,relationship,capability,score``) and the JSON of a result.

Every problem in the file is collected with its line and column, and one InputError is
raised: nothing is scored from a half-read file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from pathlib import Path
from typing import Any

from leadshift.assessments.scoring import RELATIONSHIPS, Rating, ScoringResult
from leadshift.files import InputError, Problem

COLUMNS = ("subject", "rater", "relationship", "capability", "score")


def _read_text(path_or_text: str | Path, filename: str | None) -> tuple[str, str | None]:
    if isinstance(path_or_text, Path) or ("\n" not in path_or_text and "," not in path_or_text):
        path = Path(path_or_text)
        try:
            return path.read_text(encoding="utf-8-sig"), filename or str(path)
        except FileNotFoundError as exc:
            raise InputError([Problem("no such file")], filename or str(path)) from exc
        except UnicodeDecodeError as exc:
            raise InputError([Problem("the file is not UTF-8 text")], str(path)) from exc
        except OSError as exc:
            raise InputError([Problem(f"cannot read the file: {exc.strerror}")], str(path)) from exc
    return path_or_text, filename


def read_ratings_csv(
    path_or_text: str | Path,
    *,
    levels: tuple[int, int] = (1, 5),
    capabilities: Collection[str] | None = None,
    filename: str | None = None,
) -> list[Rating]:
    """Read and check a ratings file; a path (or a Path), or the CSV text itself.

    ``capabilities``, when given, is the set of capability ids the framework knows.
    """
    text, filename = _read_text(path_or_text, filename)
    lo, hi = levels
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError([Problem("the file is empty", line=1)], filename) from None
    header = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        problems.append(
            Problem(
                f"missing column(s) {', '.join(missing)}; the header must name {','.join(COLUMNS)}",
                line=1,
            )
        )
        raise InputError(problems, filename)
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        problems.append(Problem(f"unknown column(s) {', '.join(unknown)}", line=1))
    col = {name: header.index(name) for name in COLUMNS}

    ratings: list[Rating] = []
    seen: dict[tuple[str, str, str], int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(Problem(f"expected {len(header)} fields, found {len(row)}", line=line))
            continue
        value = {name: row[i].strip() for name, i in col.items()}
        bad = False
        for name in ("subject", "rater", "relationship", "capability"):
            if not value[name]:
                problems.append(Problem("this field is required", (name,), line))
                bad = True
        rel = value["relationship"].lower()
        if value["relationship"] and rel not in RELATIONSHIPS:
            problems.append(
                Problem(
                    f"unknown relationship {value['relationship']!r}; use one of "
                    f"{', '.join(RELATIONSHIPS)}",
                    ("relationship",),
                    line,
                )
            )
            bad = True
        if (
            capabilities is not None
            and value["capability"]
            and (value["capability"] not in capabilities)
        ):
            problems.append(
                Problem(f"unknown capability {value['capability']!r}", ("capability",), line)
            )
            bad = True
        score: int | None = None
        if value["score"]:
            try:
                score = int(value["score"])
            except ValueError:
                problems.append(
                    Problem(
                        f"score {value['score']!r} is not a whole number (leave it empty "
                        "for can't say)",
                        ("score",),
                        line,
                    )
                )
                bad = True
            else:
                if not lo <= score <= hi:
                    problems.append(
                        Problem(
                            f"score {score} is outside the levels {lo} to {hi}", ("score",), line
                        )
                    )
                    bad = True
        if value["subject"] and value["rater"] and rel in RELATIONSHIPS:
            if value["subject"] == value["rater"] and rel != "self":
                problems.append(
                    Problem(
                        f"{value['subject']!r} rates themselves as {rel!r}; a rating of "
                        "oneself must have the relationship 'self'",
                        ("relationship",),
                        line,
                    )
                )
                bad = True
            elif rel == "self" and value["subject"] != value["rater"]:
                problems.append(
                    Problem(
                        f"a self-rating must have the subject as rater, not {value['rater']!r}",
                        ("rater",),
                        line,
                    )
                )
                bad = True
        key = (value["subject"], value["rater"], value["capability"])
        if all(key) and key in seen:
            problems.append(
                Problem(
                    f"{key[1]!r} already rated {key[0]!r} on {key[2]!r} on line {seen[key]}",
                    ("capability",),
                    line,
                )
            )
            bad = True
        elif all(key):
            seen[key] = line
        if not bad:
            ratings.append(
                Rating(value["subject"], value["rater"], rel, value["capability"], score)
            )
    if problems:
        raise InputError(problems, filename)
    if not ratings:
        raise InputError([Problem("the file has no ratings", line=1)], filename)
    return ratings


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def result_to_json(result: ScoringResult) -> dict[str, Any]:
    """The result as JSON data; estimates and intervals clipped to the levels for display."""
    return {
        "method": result.method,
        "interval": result.interval,
        "subjects": [
            {
                "subject": s.subject,
                "capability": s.capability,
                "estimate": _round(s.display_estimate),
                "low": _round(s.display_low),
                "high": _round(s.display_high),
                "n_raters": s.n_raters,
                "self": s.self_score,
                "mean": _round(s.mean),
                "raw_estimate": _round(s.estimate),
            }
            for s in result.subjects
        ],
        "raters": [
            {
                "rater": r.rater,
                "severity": _round(r.severity),
                "severity_sd": _round(r.sd),
                "n_ratings": r.n_ratings,
                "n_subjects": r.n_subjects,
            }
            for r in result.raters
        ],
        "relationships": [
            {
                "relationship": r.relationship,
                "effect": _round(r.effect),
                "sd": _round(r.sd),
                "identified": r.identified,
            }
            for r in result.relationships
        ],
        "diagnostics": {
            "variance_components": {
                k: _round(v) for k, v in result.diagnostics.variance_components.items()
            },
            "iterations": result.diagnostics.iterations,
            "converged": result.diagnostics.converged,
            "n_ratings": result.diagnostics.n_ratings,
            "notes": list(result.diagnostics.notes),
        },
    }
