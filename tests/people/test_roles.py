from __future__ import annotations

from pathlib import Path

import pytest

from leadshift.people import roles
from leadshift.people.models import Person

DOCS = Path(__file__).resolve().parents[2] / "docs" / "organisation.md"


def test_the_organisation_page_shows_the_capability_table_the_code_enforces():
    assert roles.capability_table() in DOCS.read_text()


@pytest.mark.django_db
def test_whoever_signs_up_administers_and_leads_the_new_organisation(make_org):
    admin = make_org("Acme")
    assert roles.roles_of(admin) == ("admin", "leader", "member")


@pytest.mark.django_db
def test_a_person_given_a_report_becomes_a_leader_and_a_pm_stays_a_member(team):
    assert roles.roles_of(team["head"]) == ("leader", "member")
    assert roles.roles_of(team["pm"]) == ("member",)
    assert roles.is_leader(team["group"]) and not roles.is_admin(team["group"])
    assert not roles.can(team["pm"], "portfolio") and roles.can(team["pm"], "journey")


@pytest.mark.django_db
def test_the_migration_gives_leader_to_admins_and_to_everyone_with_reports(make_org, make_person):
    org = make_org("Old").organisation
    boss = make_person(org, "Boss")
    make_person(org, "Report", manager=boss)
    Person.objects.update(is_leader=False)
    from importlib import import_module

    from django.apps import apps

    mod = import_module("leadshift.people.migrations.0003_roles_teams_invitations")
    mod.roles_from_the_old_rule(apps, None)
    got = {p.name: roles.roles_of(p) for p in Person.objects.all()}
    assert got == {
        "Old Admin": ("admin", "leader", "member"),
        "Boss": ("leader", "member"),
        "Report": ("member",),
    }
