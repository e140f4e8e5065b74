"""Export a whole organisation to one file, and restore it into a database without it.

The file names rows by their ordinal within their model (1, 2, … in id order), never by
database ids, so a restore into a database that holds other organisations works, and a
second export of the restored organisation is the same file, byte for byte. Its format is
described in docs/backup.md.
"""

from __future__ import annotations

import gzip
import json
import secrets
from collections.abc import Iterator
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction

from leadshift.core.errors import Invalid
from leadshift.files import InputError, Problem
from leadshift.orgdata.graph import (
    ORGANISATION,
    USER_FIELDS,
    Node,
    label_of,
    organisation_models,
)
from leadshift.people.models import Organisation

FORMAT = "leadshift-organisation"
VERSION = 1
GZIP_MAGIC = b"\x1f\x8b"

Row = dict[str, Any]


# ---------------------------------------------------------------- export


CHUNK = 500  # ids per query: well inside every database's limit on parameters


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


def organisation_rows(org: Organisation, nodes: dict[str, Node]) -> dict[str, list[Any]]:
    """The organisation's rows of every exported model, each list in id order."""
    pks: dict[str, list[Any]] = {}

    def collect(label: str) -> list[Any]:
        # Owners never loop (graph.py), so this ends.
        if label not in pks:
            node = nodes[label]
            found: set[Any] = {org.pk} if label == ORGANISATION else set()
            for name in node.owners:
                target = label_of(node.model._meta.get_field(name).related_model)
                for chunk in _chunks(collect(target)):
                    found.update(
                        node.model._base_manager.filter(**{f"{name}__in": chunk}).values_list(
                            "pk", flat=True
                        )
                    )
            pks[label] = sorted(found)
        return pks[label]

    rows = {}
    for label, node in nodes.items():
        rows[label] = _in_stable_order(
            node,
            [
                obj
                for chunk in _chunks(collect(label))
                for obj in node.model._base_manager.filter(pk__in=chunk).order_by("pk")
            ],
        )
    return rows


def _in_stable_order(node: Node, objs: list[models.Model]) -> list[models.Model]:
    """Rows in id order; a model whose ids are random (pulse answers: their order of arrival
    must not be kept) in the order of what they hold, so an export is the same bytes whatever
    ids a restore gave them. Foreign keys sort by the id they point to, whose order a restore
    keeps."""
    if isinstance(node.model._meta.pk, models.AutoField | models.BigAutoField):
        return objs

    def key(obj: models.Model) -> tuple[Any, ...]:
        return tuple(
            (getattr(obj, f.attname) or 0)
            if isinstance(f, models.ForeignKey)
            else json.dumps(_plain(f, obj), sort_keys=True, default=str)
            for f in node.fields
        )

    return sorted(objs, key=key)


def _plain(field: models.Field, obj: models.Model) -> Any:
    value = field.value_from_object(obj)
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(value, bool | int | float | str):
        return value
    return field.value_to_string(obj)


class _Exporter:
    def __init__(self, org: Organisation) -> None:
        self.nodes = organisation_models()
        self.rows = organisation_rows(org, self.nodes)
        self.ordinal = {
            label: {obj.pk: n for n, obj in enumerate(objs, 1)} for label, objs in self.rows.items()
        }
        self.shared: dict[str, list[Row]] = {}
        self.shared_ordinal: dict[tuple[str, Any], int] = {}

    def document(self, org: Organisation) -> dict[str, Any]:
        out: dict[str, list[Row]] = {}
        for label, node in self.nodes.items():
            m2m = self._m2m(node)
            out[label] = [self._row(node, n, obj, m2m) for n, obj in enumerate(self.rows[label], 1)]
        return {
            "format": FORMAT,
            "version": VERSION,
            "organisation": org.slug,
            "models": out,
            "shared": self.shared,
        }

    def _row(
        self, node: Node, n: int, obj: models.Model, m2m: dict[str, dict[Any, list[int]]]
    ) -> Row:
        row: Row = {"#": n}
        for f in node.fields:
            if isinstance(f, models.ForeignKey):
                row[f.name] = self._reference(node, n, f, getattr(obj, f.attname))
            else:
                row[f.name] = _plain(f, obj)
        for name, by_pk in m2m.items():
            row[name] = by_pk.get(obj.pk, [])
        return row

    def _reference(self, node: Node, n: int, f: models.ForeignKey, pk: Any) -> Any:
        if pk is None:
            return None
        target = f.related_model
        assert target is not None and not isinstance(target, str)
        if target is get_user_model():
            user = target._base_manager.get(pk=pk)
            return {name: _plain(target._meta.get_field(name), user) for name in USER_FIELDS}
        label = label_of(target)
        if pk in self.ordinal.get(label, {}):
            return self.ordinal[label][pk]
        return {"shared": self._share(label, target, pk, f"{node.label} #{n}.{f.name}")}

    def _share(self, label: str, model: type[models.Model], pk: Any, where: str) -> int:
        """A row the organisation uses but does not own (the built-in framework): written by
        its content, found or made again on import."""
        if (label, pk) in self.shared_ordinal:
            return self.shared_ordinal[(label, pk)]
        obj = model._base_manager.get(pk=pk)
        row: Row = {}
        for f in _content_fields(model):
            row[f.name] = _plain(f, obj)
        for f in model._meta.concrete_fields:
            if isinstance(f, models.ForeignKey) and getattr(obj, f.attname) is not None:
                raise Invalid(
                    f"{where} points at {label} {pk}, which belongs to another organisation"
                )
        rows = self.shared.setdefault(label, [])
        rows.append({"#": len(rows) + 1, **row})
        self.shared_ordinal[(label, pk)] = len(rows)
        return len(rows)

    def _m2m(self, node: Node) -> dict[str, dict[Any, list[int]]]:
        out: dict[str, dict[Any, list[int]]] = {}
        for f in node.m2m:
            through = f.remote_field.through
            src, dst = f.m2m_column_name(), f.m2m_reverse_name()
            target = label_of(f.related_model)
            by_pk: dict[Any, list[int]] = {}
            pairs = through._base_manager.filter(
                **{f"{src}__in": [o.pk for o in self.rows[node.label]]}
            ).values_list(src, dst)
            for a, b in pairs:
                if b not in self.ordinal.get(target, {}):
                    raise Invalid(f"{node.label}.{f.name} points outside the organisation")
                by_pk.setdefault(a, []).append(self.ordinal[target][b])
            out[f.name] = {k: sorted(v) for k, v in by_pk.items()}
        return out


def _content_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key
        and not isinstance(f, models.ForeignKey)
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    ]


def _lines(doc: dict[str, Any]) -> Iterator[str]:
    """One row a line, keys sorted: diffs of two exports read row by row."""

    def dump(value: Any) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    yield "{"
    for key in ("format", "version", "organisation"):
        yield f"{dump(key)}: {dump(doc[key])},"
    for section in ("models", "shared"):
        yield f"{dump(section)}: {{"
        tables = list(doc[section].items())
        for i, (label, rows) in enumerate(tables):
            yield f"{dump(label)}: ["
            for j, row in enumerate(rows):
                yield dump(row) + ("," if j < len(rows) - 1 else "")
            yield "]" + ("," if i < len(tables) - 1 else "")
        yield "}," if section == "models" else "}"
    yield "}"


def do_export_organisation(org: Organisation, *, compress: bool = False) -> bytes:
    """The whole organisation as the bytes of one backup file (gzip if `compress`)."""
    with transaction.atomic():  # one consistent snapshot
        doc = _Exporter(org).document(org)
    data = ("\n".join(_lines(doc)) + "\n").encode("utf-8")
    return gzip.compress(data, mtime=0) if compress else data


def export_counts(data: bytes) -> dict[str, int]:
    doc = json.loads(gzip.decompress(data) if data[:2] == GZIP_MAGIC else data)
    return {label: len(rows) for label, rows in doc["models"].items() if rows}


# ---------------------------------------------------------------- import


def _read(data: bytes, filename: str) -> dict[str, Any]:
    try:
        if data[:2] == GZIP_MAGIC:
            data = gzip.decompress(data)
        doc = json.loads(data.decode("utf-8"))
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise Invalid(f"{filename}: not a LeadShift backup file ({exc})") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            [Problem(f"not valid JSON: {exc.msg}", line=exc.lineno)], filename
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise Invalid(f'{filename}: not a LeadShift organisation backup (no "format": "{FORMAT}")')
    if doc.get("version") != VERSION:
        raise Invalid(
            f"{filename}: a backup of format version {doc.get('version')!r}; this LeadShift "
            f"reads version {VERSION}"
        )
    for key in ("organisation", "models"):
        if key not in doc:
            raise InputError([Problem("this field is required", (key,))], filename)
    return doc


class _Importer:
    def __init__(self, doc: dict[str, Any], filename: str) -> None:
        self.doc = doc
        self.filename = filename
        self.nodes = organisation_models()
        self.problems: list[Problem] = []
        self.new_pk: dict[str, dict[int, Any]] = {label: {} for label in self.nodes}
        self.in_file: dict[str, set[int]] = {}
        self.shared_pk: dict[str, dict[int, Any]] = {}
        self.deferred: list[tuple[type[models.Model], Any, str, str, int, tuple[Any, ...]]] = []
        self.m2m: list[tuple[models.ManyToManyField, Any, list[int], tuple[Any, ...]]] = []

    def problem(self, message: str, *path: Any) -> None:
        self.problems.append(Problem(message, tuple(path)))

    def run(self) -> Organisation:
        tables = self.doc["models"]
        if not isinstance(tables, dict):
            raise InputError([Problem("must map model names to rows", ("models",))], self.filename)
        for label in tables:
            if label not in self.nodes:
                self.problem(
                    f"unknown model {label!r}: the file comes from another version of LeadShift",
                    "models",
                    label,
                )
        for label, rows in tables.items():
            if label in self.nodes and isinstance(rows, list):
                self.in_file[label] = {_ordinal(r) for r in rows}
        if len(tables.get(ORGANISATION, [])) != 1:
            self.problem("must hold exactly one organisation", "models", ORGANISATION)
        self._check()
        self._shared()
        for label, node in self.nodes.items():
            rows = tables.get(label, [])
            if not isinstance(rows, list):
                self.problem("must be a list of rows", "models", label)
                continue
            for row in sorted(rows, key=_ordinal):
                self._insert(node, row, (f"{label} #{_ordinal(row)}",))
            self._check()
        for model, obj, attname, target, n, _ in self.deferred:
            model._base_manager.filter(pk=obj.pk).update(**{attname: self.new_pk[target][n]})
        for f, pk, ordinals, where in self.m2m:
            target = label_of(f.related_model)
            missing = [n for n in ordinals if n not in self.new_pk[target]]
            if missing:
                self.problem(
                    f"refers to {target} #{missing[0]}, which the file does not hold", *where
                )
                continue
            getattr(f.model._base_manager.get(pk=pk), f.name).set(
                [self.new_pk[target][n] for n in ordinals]
            )
        self._check()
        return Organisation.objects.get(pk=self.new_pk[ORGANISATION][1])

    def _check(self) -> None:
        if self.problems:
            raise InputError(self.problems[:20], self.filename)

    def _shared(self) -> None:
        for label, rows in (self.doc.get("shared") or {}).items():
            model = self.nodes[label].model if label in self.nodes else None
            if model is None:
                self.problem(f"unknown model {label!r}", "shared", label)
                continue
            fields = {f.name: f for f in _content_fields(model)}
            for i, row in enumerate(rows):
                values = {}
                for name, value in row.items():
                    if name == "#":
                        continue
                    if name not in fields:
                        self.problem(f"unknown field {name!r}", "shared", label, i, name)
                        continue
                    values[name] = fields[name].to_python(value)
                nulls = {
                    f.name: None
                    for f in model._meta.concrete_fields
                    if isinstance(f, models.ForeignKey)
                }
                obj = model._base_manager.filter(**values, **nulls).order_by("pk").first()
                if obj is None:
                    obj = model(**values)
                    obj.save()
                self.shared_pk.setdefault(label, {})[row.get("#")] = obj.pk

    def _insert(self, node: Node, row: Any, where: tuple[Any, ...]) -> None:
        if not isinstance(row, dict) or not isinstance(row.get("#"), int):
            self.problem('a row must be an object with its number "#"', *where)
            return
        obj = node.model()
        fields = {f.name: f for f in node.fields}
        m2m = {f.name: f for f in node.m2m}
        for name in row:
            if name != "#" and name not in fields and name not in m2m:
                self.problem(f"unknown field {name!r} of {node.label}", *where, name)
        for name, f in fields.items():
            if name not in row:
                continue  # a field added since the export keeps its default
            value = row[name]
            try:
                if isinstance(f, models.ForeignKey):
                    self._set_reference(node, obj, f, value, (*where, name))
                else:
                    setattr(obj, f.attname, None if value is None else f.to_python(value))
            except Exception as exc:  # a value Django cannot read: name the place
                self.problem(f"cannot read {value!r}: {exc}", *where, name)
        for f in node.secret:
            setattr(obj, f.attname, _fresh(f))
        if self.problems:
            return
        try:
            obj.save_base(raw=True)  # raw: timestamps stay as exported
        except IntegrityError as exc:  # the whole import rolls back
            where_text = Problem("", where).describe(self.filename).rstrip(": ")
            raise Invalid(f"{where_text}: the database refuses this row: {exc}") from None
        self.new_pk[node.label][row["#"]] = obj.pk
        for name, f in m2m.items():
            if row.get(name):
                self.m2m.append((f, obj.pk, list(row[name]), (*where, name)))

    def _set_reference(
        self,
        node: Node,
        obj: models.Model,
        f: models.ForeignKey,
        value: Any,
        where: tuple[Any, ...],
    ) -> None:
        target = f.related_model
        assert target is not None and not isinstance(target, str)
        if value is None:
            setattr(obj, f.attname, None)
        elif target is get_user_model():
            setattr(obj, f.attname, self._user(value, where))
        elif isinstance(value, dict) and "shared" in value:
            pk = self.shared_pk.get(label_of(target), {}).get(value["shared"])
            if pk is None:
                self.problem(
                    f"refers to shared {label_of(target)} #{value['shared']}, which the file does not hold",
                    *where,
                )
            setattr(obj, f.attname, pk)
        else:
            label = label_of(target)
            if value in self.new_pk.get(label, {}):
                setattr(obj, f.attname, self.new_pk[label][value])
            elif value in self.in_file.get(label, set()) and f.null:
                setattr(obj, f.attname, None)  # a row further on: set once it exists
                self.deferred.append((node.model, obj, f.attname, label, value, where))
            else:
                self.problem(f"refers to {label} #{value}, which the file does not hold", *where)

    def _user(self, value: Any, where: tuple[Any, ...]) -> Any:
        User = get_user_model()
        if not isinstance(value, dict) or not value.get("username"):
            self.problem("a sign-in account needs its username", *where)
            return None
        if User._base_manager.filter(username=value["username"]).exists():
            self.problem(f"a sign-in account {value['username']!r} already exists here", *where)
            return None
        user = User()
        for name in USER_FIELDS:
            if name in value:
                f = User._meta.get_field(name)
                setattr(user, f.attname, f.to_python(value[name]))
        user.set_unusable_password()  # a restored person sets a new password
        user.save()
        return user.pk


def _ordinal(row: Any) -> int:
    return row.get("#", 0) if isinstance(row, dict) and isinstance(row.get("#"), int) else 0


def _fresh(f: models.Field) -> Any:
    if f.null:
        return None
    if f.unique:
        return secrets.token_hex(max(8, (f.max_length or 64) // 2))
    return f.get_default()


def do_import_organisation(data: bytes, filename: str = "backup") -> Organisation:
    """Restore an organisation from a backup file, all or nothing."""
    doc = _read(data, filename)
    slug = doc["organisation"]
    if Organisation.objects.filter(slug=slug).exists():
        raise Invalid(
            f"{filename}: an organisation {slug!r} already exists in this database; restore "
            "into a database without it"
        )
    with transaction.atomic():
        importer = _Importer(doc, filename)
        org = importer.run()
    return org
