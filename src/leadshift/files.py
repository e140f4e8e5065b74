"""Reading YAML and JSON input files so that every error can name its place.

Errors carry the file, the line and the path inside the document (``shifts[2].questions[0]``),
because a person fixing a file needs all three.

Every input is someone else's: limits hold before any work grows with the input. A file is at
most ``MAX_BYTES``; nesting at most ``MAX_DEPTH`` deep; YAML aliases may repeat at most
``MAX_ALIAS_VALUES`` values beyond what is written (a few hundred bytes of nested aliases
would otherwise stand for a billion values). YAML is checked in one streaming pass over the
parser's events (no recursion, nothing built) before it is loaded with the C loader.

Lines are not recorded while reading: that cost 500 times the parse. A document keeps its
text and builds the map of lines the first time a problem needs one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PathPart = str | int

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIAS_VALUES = 10_000

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
    column: int | None = None
    """1-based, for CSV cells: described as file:line:column."""

    def describe(self, filename: str | None = None) -> str:
        where = []
        col = f":{self.column}" if self.column is not None and self.line is not None else ""
        if filename:
            where.append(filename if self.line is None else f"{filename}:{self.line}{col}")
        elif self.line is not None:
            where.append(f"line {self.line}" + (f", column {self.column}" if col else ""))
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
    """Parsed data plus the line each path starts on (1-based).

    ``lines`` may be given; otherwise it is built from ``text`` when a line is first asked for.
    """

    data: Any
    filename: str | None = None
    lines: dict[tuple[PathPart, ...], int] = field(default_factory=dict)
    text: str | None = field(default=None, repr=False)

    def line_of(self, path: Iterable[PathPart]) -> int | None:
        if self.text is not None:
            self.lines = {**line_map(self.text), **self.lines}
            self.text = None
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


# --- the streaming check ------------------------------------------------------------------


def _line(event: Any) -> int | None:
    mark = getattr(event, "start_mark", None)
    return mark.line + 1 if mark is not None else None


class _Frame:
    """An open mapping or sequence while the events stream past."""

    __slots__ = ("anchor", "expect_key", "is_mapping", "keys", "size")

    def __init__(self, anchor: str | None, is_mapping: bool):
        self.anchor = anchor
        self.is_mapping = is_mapping
        self.keys: set[str] = set()
        self.size = 1
        self.expect_key = is_mapping


class _Refused(yaml.MarkedYAMLError):
    """A limit or rule of ours, placed like the parser's own errors."""

    def placed(self, filename: str | None) -> InputError:
        line = self.problem_mark.line + 1 if self.problem_mark else None
        return InputError([Problem(str(self.problem), line=line)], filename)


def _check_events(text: str) -> None:
    """Refuse, with the line, what would make loading costly or ambiguous: nesting deeper than
    MAX_DEPTH, aliases standing for too many values, several documents, duplicate or merge
    keys (_Refused, placed), besides the parser's own errors."""
    stack: list[_Frame] = []
    sizes: dict[str, int] = {}  # an anchor's values, aliases inside it expanded
    expanded = documents = 0

    def refuse(message: str, event: Any) -> None:
        raise _Refused(problem=message, problem_mark=event.start_mark)

    def add(count: int, event: Any, key: str | None) -> None:
        if not stack:
            return
        frame = stack[-1]
        frame.size += count
        if frame.is_mapping:
            if frame.expect_key and key is not None:
                if key == "<<":
                    refuse("merge keys (<<) are not supported", event)
                if key in frame.keys:
                    refuse(f"duplicate key {key!r}", event)
                frame.keys.add(key)
            frame.expect_key = not frame.expect_key

    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                refuse("the file holds more than one document (a second ---)", event)
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            if len(stack) >= MAX_DEPTH:
                refuse(f"nested more than {MAX_DEPTH} levels deep", event)
            stack.append(_Frame(event.anchor, isinstance(event, yaml.MappingStartEvent)))
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            frame = stack.pop()
            if frame.anchor is not None:
                sizes[frame.anchor] = frame.size
            add(frame.size, event, None)
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor is not None:
                sizes[event.anchor] = 1
            add(1, event, event.value)
        elif isinstance(event, yaml.AliasEvent):
            count = sizes.get(event.anchor or "", 1)
            expanded += count
            if expanded > MAX_ALIAS_VALUES:
                refuse(
                    f"aliases (*name) repeat more than {MAX_ALIAS_VALUES:,} values; "
                    "write the values out instead",
                    event,
                )
            add(count, event, None)


def line_map(text: str) -> dict[tuple[PathPart, ...], int]:
    """The line (1-based) each path of a YAML or JSON text starts on; empty if unreadable."""
    lines: dict[tuple[PathPart, ...], int] = {}
    resolver = yaml.SafeLoader("")
    # Each open collection: its path, whether a mapping, the next index or the pending key.
    stack: list[tuple[tuple[PathPart, ...], bool, list[Any]]] = []

    def place(event: Any) -> tuple[PathPart, ...] | None:
        if not stack:
            return ()
        path, is_mapping, state = stack[-1]
        if is_mapping:
            if state[0] is _KEY:
                state[0] = _key_of(resolver, event)
                return None
            key, state[0] = state[0], _KEY
            return (*path, key)
        state[0] += 1
        return (*path, state[0] - 1)

    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                path = place(event)
                if path is None:  # a collection as a key: no path can name what is under it
                    path = ("\0",)
                else:
                    lines[path] = _line(event) or 0
                is_mapping = isinstance(event, yaml.MappingStartEvent)
                stack.append((path, is_mapping, [_KEY if is_mapping else 0]))
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                stack.pop()
            elif isinstance(event, yaml.ScalarEvent | yaml.AliasEvent):
                path = place(event)
                if path is not None:
                    lines[path] = _line(event) or 0
    except (yaml.YAMLError, ValueError):
        pass
    return lines


_KEY = object()


def _key_of(resolver: Any, event: Any) -> Any:
    if not isinstance(event, yaml.ScalarEvent):
        return None
    tag = event.tag
    if tag is None or tag == "!":
        tag = resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
    try:
        return resolver.construct_object(yaml.ScalarNode(tag, event.value, style=event.style))
    except (yaml.YAMLError, ValueError):
        return event.value


# --- parsing --------------------------------------------------------------------------------


def _depth_exceeded(data: Any) -> bool:
    todo = [(data, 1)]
    while todo:
        value, depth = todo.pop()
        if isinstance(value, dict):
            children: Iterable[Any] = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > MAX_DEPTH:
            return True
        todo.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _too_big(size: int, filename: str | None) -> InputError:
    return InputError(
        [Problem(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB ({size:,} bytes)")],
        filename,
    )


def _yaml_problem(exc: yaml.YAMLError, filename: str | None) -> InputError:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        return InputError(
            [Problem(f"not valid YAML: {exc.problem or exc.context}", line=line)], filename
        )
    return InputError([Problem(f"not valid YAML: {exc}")], filename)


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _DuplicateKey
    return out


def _parse_json(text: str, filename: str | None) -> Document:
    nested = InputError([Problem(f"nested more than {MAX_DEPTH} levels deep")], filename)
    # Outside strings a tab is only whitespace in JSON (inside, it must be escaped), but YAML,
    # which supplies the lines, refuses tabs as indentation; a space keeps every line and column.
    yaml_text = text.replace("\t", " ")
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise InputError(
            [Problem(f"not valid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno)],
            filename,
        ) from exc
    except RecursionError as exc:
        raise nested from exc
    except _DuplicateKey as exc:
        try:
            _check_events(yaml_text)
        except _Refused as refused:
            raise refused.placed(filename) from exc
        except yaml.YAMLError:
            pass
        raise InputError([Problem("a key appears twice in one object")], filename) from exc
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise InputError([Problem(f"not valid JSON: {exc}")], filename) from exc
    if _depth_exceeded(data):
        raise nested
    return Document(data=data, filename=filename, text=yaml_text)


def parse_text(text: str, filename: str | None = None, *, fmt: str | None = None) -> Document:
    """Parse YAML or JSON text within the limits; lines are found when a problem needs them.

    JSON values come from the JSON parser: read as YAML 1.1, ``1e5`` would be a string.
    """
    if len(text) > MAX_BYTES:
        raise _too_big(len(text), filename)
    by_name = filename is not None and filename.lower().endswith(".json")
    if fmt == "json" or (fmt is None and by_name):
        return _parse_json(text, filename)
    try:
        _check_events(text)
        data = yaml.load(text, Loader=_Loader)
    except _Refused as exc:
        raise exc.placed(filename) from exc
    except yaml.YAMLError as exc:
        raise _yaml_problem(exc, filename) from exc
    except (ValueError, OverflowError) as exc:
        raise InputError([Problem(f"not valid YAML: {exc}")], filename) from exc
    if data is None:
        raise InputError([Problem("the file is empty")], filename)
    return Document(data=data, filename=filename, text=text)


def read_text(path: str | Path) -> str:
    """A file's UTF-8 text within MAX_BYTES, or an InputError naming the file."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _too_big(size, str(path))
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError([Problem("no such file")], str(path)) from exc
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise InputError([Problem("the file is not UTF-8 text", line=line)], str(path)) from exc
    except OSError as exc:
        raise InputError([Problem(f"cannot read the file: {exc.strerror}")], str(path)) from exc


def read_document(path: str | Path) -> Document:
    return parse_text(read_text(path), str(path))


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
