"""Which models an organisation's backup holds, found by walking foreign keys from
Organisation, so that a model added later is in the backup without anyone listing it.

What stays out is declared here and nowhere else: whole models that only hold secrets, and
secret fields of exported models. A test fails when a model is neither reached nor excluded,
or when an exported field is named like a secret but declared neither way.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models

ORGANISATION = "people.organisation"

# Models never exported, with the reason the docs give.
EXCLUDED_MODELS: dict[str, str] = {
    "people.apitoken": "API tokens are secrets: restored people create new ones",
    "outbox.message": "kept mail holds usable links (invitations, 360 forms, resets)",
    "coaching.privatenote": "a private note is its author's alone, in a backup too",
    "undo.deletion": "an undo snapshot is its author's way back for 30 minutes, nobody else's",
    "assessments.standing": "a kept verdict, worked out again from the assessments and results",
}

# Fields of exported models that are never exported. On import they get a fresh value that
# nobody holds (a random hash for a unique link hash, else the field's empty value).
SECRET_FIELDS: dict[str, frozenset[str]] = {
    "feedback.rater": frozenset({"token_hash", "claim_hash"}),
    "people.invitation": frozenset({"token_hash"}),
    "pulse.respondent": frozenset({"token_hash"}),
}

# Exported fields whose names look like secrets but are not.
NOT_SECRET_FIELDS: dict[str, frozenset[str]] = {
    "portfolio.keyresultactual": frozenset({"key_result"}),  # a foreign key, not a key
}

SECRET_WORDS = ("hash", "token", "password", "secret", "key_")

# The sign-in account of a person: only these fields travel, never the password.
USER_FIELDS = ("username", "email", "first_name", "last_name", "is_active", "date_joined")


@dataclass(frozen=True)
class Node:
    """An exported model: how to find the organisation's rows, and what to write of them."""

    label: str
    model: type[models.Model]
    owners: tuple[str, ...]  # FK field names through which a row belongs to the organisation
    fields: tuple[models.Field, ...]  # concrete fields written (FKs included), no pk
    m2m: tuple[models.ManyToManyField, ...]  # auto-created many-to-many, written as lists
    secret: tuple[models.Field, ...]  # left out, refilled on import


def label_of(model: type[models.Model]) -> str:
    return model._meta.label_lower


def leadshift_models() -> list[type[models.Model]]:
    return sorted(
        (m for m in apps.get_models() if m._meta.app_config.name.startswith("leadshift.")),
        key=label_of,
    )


def _forward_fks(model: type[models.Model]) -> list[models.ForeignKey]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is not None
    ]


def organisation_models() -> dict[str, Node]:
    """Every model reached from Organisation through foreign keys, in insertion order: a
    model comes after every model its non-null foreign keys point at."""
    # Breadth first from Organisation: every model with a key into a model already found.
    step: dict[str, int] = {ORGANISATION: 0}
    candidates = [m for m in leadshift_models() if label_of(m) not in EXCLUDED_MODELS]
    while True:
        found = {
            label_of(m)
            for m in candidates
            if label_of(m) not in step
            and any(label_of(f.related_model) in step for f in _forward_fks(m))
        }
        if not found:
            break
        depth = max(step.values()) + 1
        step |= {lab: depth for lab in found}
    by_label = {label_of(m): m for m in candidates}
    owned = _owners({lab: by_label[lab] for lab in step}, step)
    by_label = {label_of(m): m for m in candidates}
    order = _insertion_order({lab: by_label[lab] for lab in owned})
    nodes = {}
    for lab in order:
        m = by_label[lab]
        secret_names = SECRET_FIELDS.get(lab, frozenset())
        fields = tuple(
            f for f in m._meta.concrete_fields if not f.primary_key and f.name not in secret_names
        )
        secret = tuple(f for f in m._meta.concrete_fields if f.name in secret_names)
        m2m = tuple(
            f
            for f in m._meta.many_to_many
            if isinstance(f, models.ManyToManyField) and f.remote_field.through._meta.auto_created
        )
        nodes[lab] = Node(lab, m, tuple(owned[lab]), fields, m2m, secret)
    return nodes


def _owners(
    models_by_label: dict[str, type[models.Model]], step: dict[str, int]
) -> dict[str, list[str]]:
    """A row is the organisation's when any of its owner keys points at a row that is. Every
    key into an exported model owns, except one that would close a loop (a scenario's adopted
    run does not own the scenario): a key may point back only at a model found earlier."""
    keys = {
        lab: [
            f
            for f in _forward_fks(m)
            if label_of(f.related_model) in models_by_label and f.related_model is not m
        ]
        for lab, m in models_by_label.items()
    }

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            lab = todo.pop()
            if lab == goal:
                return True
            if lab not in seen:
                seen.add(lab)
                todo.extend(label_of(f.related_model) for f in keys[lab])
        return False

    rank = {lab: (step[lab], lab) for lab in models_by_label}
    return {
        lab: [
            f.name
            for f in keys[lab]
            if rank[label_of(f.related_model)] < rank[lab]
            or not reaches(label_of(f.related_model), lab)
        ]
        for lab in models_by_label
    }


def _insertion_order(models_by_label: dict[str, type[models.Model]]) -> list[str]:
    needs = {
        lab: {
            label_of(f.related_model)
            for f in _forward_fks(m)
            if not f.null and label_of(f.related_model) in models_by_label
        }
        - {lab}
        for lab, m in models_by_label.items()
    }
    order: list[str] = []
    while needs:
        ready = sorted(lab for lab, deps in needs.items() if deps <= set(order))
        if not ready:
            raise RuntimeError(f"foreign keys that cannot be null form a loop: {sorted(needs)}")
        # The organisation first, then level by level in name order: the file's order is stable.
        if ORGANISATION in ready:
            ready = [ORGANISATION]
        order.extend(ready)
        for lab in ready:
            del needs[lab]
    return order


def unaccounted_models() -> list[str]:
    """Leadshift models neither in the backup nor excluded: each needs a decision."""
    nodes = organisation_models()
    return [
        label_of(m)
        for m in leadshift_models()
        if label_of(m) not in nodes and label_of(m) not in EXCLUDED_MODELS
    ]


def secret_looking_fields() -> list[str]:
    """Exported fields named like secrets and declared neither secret nor harmless."""
    found = []
    for lab, node in organisation_models().items():
        for f in node.fields:
            name = f.name.lower()
            if any(w in name for w in SECRET_WORDS) and f.name not in NOT_SECRET_FIELDS.get(
                lab, frozenset()
            ):
                found.append(f"{lab}.{f.name}")
    return found
