"""The weekly digests as a background task, done by `leadshift worker`."""

from __future__ import annotations

from django_tasks import task


@task()
def send_weekly_digests(organisation_slug: str | None = None) -> int:
    """Returns how many digests went out."""
    from leadshift.nudges.services import send_digests
    from leadshift.people.models import Organisation

    org = Organisation.objects.get(slug=organisation_slug) if organisation_slug else None
    return len(send_digests(org).sent)


def enqueue(organisation_slug: str | None = None) -> str:
    return str(send_weekly_digests.enqueue(organisation_slug).id)
