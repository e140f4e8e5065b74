"""What every report kind shares: the Report itself and who may ask for whose."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from leadshift.core.errors import NotFound
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
    person = (
        Person.objects.select_related("organisation", "manager", "team")
        .filter(pk=person_id, organisation_id=viewer.organisation_id)
        .first()
    )
    if person is None or not viewer.can_view(person):
        raise NotFound("no such person among those you may see")
    return person


def person_json(p: Person) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "email": p.email, "title": p.title}
