"""What every report kind shares: the Report itself and who may ask for whose."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404

from leadshift.core.errors import NotFound
from leadshift.people.access import visible_person
from leadshift.people.models import Person


@dataclass
class Report:
    kind: str
    title: str
    subject: Person
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    key: int = 0  # the id in the report's address: the person's, or the saved brief's

    @property
    def filename(self) -> str:
        slug = self.subject.email.split("@")[0].replace(".", "-")
        return f"{self.kind}-{slug}"


def visible(viewer: Person, person_id: int) -> Person:
    """The person, if the viewer may see them; the CLI and pages alike get a NotFound."""
    try:
        return visible_person(viewer, person_id)
    except Http404:
        raise NotFound("no such person among those you may see") from None


def person_json(p: Person) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "email": p.email, "title": p.title}
