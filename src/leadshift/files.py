"""Reading YAML and JSON input files so that every error can name its place.

Errors carry the file, the line and the path inside the document (``shifts[2].questions[0]``),
because a person fixing a file needs all three.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PathPart = str | int


def format_path(path: Iterable[PathPart]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, and where it is."""

    message: str
    path: tuple[PathPart, ...] = ()
    line: int | None = None

    def describe(self, filename: str | None = None) -> str:
        where = []
        if filename:
            where.append(filename if self.line is None else f"{filename}:{self.line}")
        elif self.line is not None:
            where.append(f"line {self.line}")
        if self.path:
            where.append(format_path(self.path))
        prefix = ": ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class InputError(ValueError):
    """An input that cannot be used; holds every problem found, each with its place."""

    def __init__(self, problems: list[Problem], filename: str | None = None):
        self.problems = problems
        self.filename = filename
        super().__init__(self.describe())

    def describe(self) -> str:
        return "\n".join(p.describe(self.filename) for p in self.problems)


@dataclass
class Document:
    """Parsed data plus the line each path starts on (1-based)."""

    data: Any
    filename: str | None = None
    lines: dict[tuple[PathPart, ...], int] = field(default_factory=dict)

    def line_of(self, path: Iterable[PathPart]) -> int | None:
        path = tuple(path)
        # The nearest enclosing node that has a line is the best place to point at.
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())

    def problem(self, message: str, path: Iterable[PathPart] = ()) -> Problem:
        path = tuple(path)
        return Problem(message=message, path=path, line=self.line_of(path))

    def error(self, problems: list[Problem]) -> InputError:
        return InputError(problems, self.filename)


def _walk(node: yaml.Node, path: tuple[PathPart, ...], lines: dict) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = yaml.safe_load(yaml.serialize(key_node))
            if key == "<<":
                raise yaml.YAMLError("merge keys (<<) are not supported")
            if key in out:
                raise yaml.MarkedYAMLError(
                    problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark
                )
            out[key] = _walk(value_node, (*path, key), lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_walk(child, (*path, i), lines) for i, child in enumerate(node.value)]
    return yaml.safe_load(yaml.serialize(node))


def parse_text(text: str, filename: str | None = None, *, fmt: str | None = None) -> Document:
    """Parse YAML or JSON text, recording the line each path starts on.

    JSON values come from the JSON parser: read as YAML 1.1, ``1e5`` would be a string.
    The YAML composer still supplies the lines, since JSON is nearly YAML.
    """
    by_name = filename is not None and filename.lower().endswith(".json")
    is_json = fmt == "json" or (fmt is None and by_name)
    json_data: Any = None
    if is_json:
        try:
            json_data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                [Problem(f"not valid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno)],
                filename,
            ) from exc
        # Outside strings a tab is only whitespace in JSON (inside, it must be escaped),
        # but YAML refuses tabs as indentation; a space keeps every line and column.
        text = text.replace("\t", " ")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        if is_json:
            return Document(data=json_data, filename=filename)
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise InputError(
            [Problem(f"not valid YAML: {exc.problem or exc.context}", line=line)], filename
        ) from exc
    except yaml.YAMLError as exc:
        if is_json:
            return Document(data=json_data, filename=filename)
        raise InputError([Problem(f"not valid YAML: {exc}")], filename) from exc
    if node is None:
        raise InputError([Problem("the file is empty")], filename)
    lines: dict[tuple[PathPart, ...], int] = {}
    try:
        data = _walk(node, (), lines)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise InputError([Problem(str(exc.problem), line=line)], filename) from exc
    except yaml.YAMLError as exc:
        raise InputError([Problem(str(exc))], filename) from exc
    return Document(data=json_data if is_json else data, filename=filename, lines=lines)


def read_document(path: str | Path) -> Document:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError([Problem("no such file")], str(path)) from exc
    except UnicodeDecodeError as exc:
        raise InputError([Problem("the file is not UTF-8 text")], str(path)) from exc
    except OSError as exc:
        raise InputError([Problem(f"cannot read the file: {exc.strerror}")], str(path)) from exc
    return parse_text(text, str(path))


def pydantic_problems(doc: Document, exc: Any) -> list[Problem]:
    """Turn a pydantic ValidationError into problems placed in the document."""
    problems = []
    for err in exc.errors():
        path = tuple(p for p in err["loc"] if isinstance(p, str | int))
        msg = err["msg"]
        if err["type"] == "missing":
            msg = "this field is required"
        elif err["type"] == "extra_forbidden":
            msg = "unknown field"
        problems.append(doc.problem(msg, path))
    return problems
