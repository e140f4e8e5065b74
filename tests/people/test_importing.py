"""A people file: every problem placed by line and column (CSV) or line and key (YAML), and
nothing written unless the whole file is good."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadshift.core.errors import Invalid
from leadshift.files import InputError
from leadshift.people import roles
from leadshift.people.models import Person, Team
from leadshift.people.services import do_import_people, do_update_person

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
HEADER = "email,name,title,manager,team,target_role,roles\n"


@pytest.fixture
def org(make_org):
    admin = make_org("Lumen", admin_email="admin@lumen.example")
    for name in ("Payments", "Onboarding", "Search"):
        Team.objects.create(organisation=admin.organisation, name=name)
    return admin.organisation


def problems(org, text, filename="people.csv"):
    before = list(Person.objects.order_by("id").values_list("id", "name", "manager_id"))
    with pytest.raises(InputError) as exc:
        do_import_people(None, org, text, filename)
    after = list(Person.objects.order_by("id").values_list("id", "name", "manager_id"))
    assert after == before, "a refused import wrote something"
    return [p.describe(exc.value.filename) for p in exc.value.problems]


@pytest.mark.parametrize("name", ["people.csv", "people.yaml"])
def test_the_example_file_brings_in_twenty_people_with_managers_and_teams(org, name):
    counts = do_import_people(None, org, (EXAMPLES / name).read_text(), name)
    assert counts == {"added": 20, "updated": 0}
    ravi = Person.objects.get(email="ravi.menon@lumen.example")
    assert ravi.manager.email == "tomas.ferreira@lumen.example"
    assert ravi.team.name == "Payments" and ravi.target_role == "senior_pm"
    assert roles.roles_of(ravi) == ("member",)
    ada = Person.objects.get(email="ada.lindqvist@lumen.example")
    assert {p.email for p in Person.objects.visible_to(ada)} >= {ravi.email}
    # Felix's cell is empty, but the file gives him a report: he leads.
    assert roles.roles_of(Person.objects.get(email="felix.novak@lumen.example")) == (
        "leader",
        "member",
    )


def test_importing_again_updates_by_email_and_adds_nobody(org):
    text = (EXAMPLES / "people.csv").read_text()
    do_import_people(None, org, text, "people.csv")
    counts = do_import_people(
        None, org, text.replace("Ravi Menon,Product Manager", "Ravi Menon,Senior PM"), "people.csv"
    )
    assert counts == {"added": 0, "updated": 20}
    assert Person.objects.get(email="ravi.menon@lumen.example").title == "Senior PM"
    assert Person.objects.filter(organisation=org).count() == 21


def test_an_unknown_manager_is_placed_by_line_and_column(org):
    got = problems(org, HEADER + "a@lumen.example,A,,zoe@lumen.example,,,\n")
    assert got == [
        "people.csv:2: manager: unknown manager zoe@lumen.example "
        "(in neither the file nor the organisation)"
    ]


def test_a_manager_chain_that_loops_inside_the_file_is_refused(org):
    got = problems(
        org,
        HEADER + "a@lumen.example,A,,b@lumen.example,,,\nb@lumen.example,B,,a@lumen.example,,,\n",
    )
    assert got == [
        "people.csv:2: manager: the manager chain loops: "
        "a@lumen.example → b@lumen.example → a@lumen.example",
        "people.csv:3: manager: the manager chain loops: "
        "b@lumen.example → a@lumen.example → b@lumen.example",
    ]


def test_a_manager_chain_that_loops_through_people_already_there_is_refused(org):
    do_import_people(
        None,
        org,
        HEADER + "a@lumen.example,A,,,,,\nb@lumen.example,B,,a@lumen.example,,,\n",
        "p.csv",
    )
    got = problems(org, HEADER + "a@lumen.example,A,,b@lumen.example,,,\n")
    assert got == [
        "people.csv:2: manager: the manager chain loops: "
        "a@lumen.example → b@lumen.example → a@lumen.example"
    ]


def test_being_ones_own_manager_is_a_loop(org):
    got = problems(org, HEADER + "a@lumen.example,A,,a@lumen.example,,,\n")
    assert "the manager chain loops: a@lumen.example → a@lumen.example" in got[0]


def test_a_duplicate_email_names_the_line_it_first_appeared_on(org):
    got = problems(
        org, HEADER + "a@lumen.example,A,,,,,\nb@lumen.example,B,,,,,\nA@lumen.example,A2,,,,,\n"
    )
    assert got == ["people.csv:4: email: duplicate e-mail a@lumen.example, first on line 2"]


def test_an_email_of_another_organisation_is_refused(org, make_org):
    other = make_org("Other", admin_email="boss@other.example")
    got = problems(org, HEADER + f"{other.email},Boss,,,,,\n")
    assert got == ["people.csv:2: email: boss@other.example is already in another organisation"]


def test_unknown_team_role_and_target_role_each_name_their_column(org):
    got = problems(org, HEADER + "a@lumen.example,A,,,Payment,chief,leader;owner\n")
    assert got == [
        "people.csv:2: team: unknown team 'Payment'; create it first "
        "(the Teams page or `leadshift teams add`)",
        "people.csv:2: target_role: unknown target role 'chief' "
        "(roles: cpo, director_product, group_pm, senior_pm, vp_product)",
        "people.csv:2: roles: unknown role 'owner' (roles: admin, leader, member)",
    ]


def test_email_and_name_are_required_and_other_cells_may_be_empty(org):
    got = problems(org, HEADER + ",Nobody,,,,,\nx@lumen.example,,,,,,\n")
    assert got == [
        "people.csv:2: email: the email is required",
        "people.csv:3: name: the name is required",
    ]


def test_an_unknown_column_is_refused_at_the_header(org):
    got = problems(org, "email,name,salary\na@lumen.example,A,1\n")
    assert got == [
        "people.csv:1: salary: unknown column 'salary' "
        "(columns: email, name, title, manager, team, target_role, roles)"
    ]


def test_yaml_problems_name_the_line_and_key(org):
    text = (
        "- email: a@lumen.example\n"
        "  name: A\n"
        "- email: b@lumen.example\n"
        "  name: B\n"
        "  manager: zoe@lumen.example\n"
        "  roles: [leader, owner]\n"
        "  shoe_size: 42\n"
    )
    got = problems(org, text, "people.yaml")
    assert got == [
        "people.yaml:5: [1].manager: unknown manager zoe@lumen.example "
        "(in neither the file nor the organisation)",
        "people.yaml:6: [1].roles: unknown role 'owner' (roles: admin, leader, member)",
        "people.yaml:7: [1].shoe_size: unknown key 'shoe_size' "
        "(keys: email, name, title, manager, team, target_role, roles)",
    ]
    got = problems(
        org, "- email: b@lumen.example\n  name: B\n  manager: zoe@lumen.example\n", "p.yaml"
    )
    assert got == [
        "p.yaml:3: [0].manager: unknown manager zoe@lumen.example "
        "(in neither the file nor the organisation)"
    ]


def test_a_good_row_beside_a_bad_one_is_not_written(org):
    problems(org, HEADER + "good@lumen.example,Good,,,,,\nbad@lumen.example,Bad,,,Nowhere,,\n")
    assert not Person.objects.filter(email="good@lumen.example").exists()


def test_an_import_cannot_leave_the_organisation_without_an_admin(org):
    with pytest.raises(Invalid, match="no active admin left"):
        do_import_people(None, org, HEADER + "admin@lumen.example,Admin,,,,,member\n", "p.csv")
    assert Person.objects.get(email="admin@lumen.example").is_admin


def test_a_manager_of_another_organisation_cannot_be_assigned(org, make_org):
    other = make_org("Other")
    me = Person.objects.get(email="admin@lumen.example")
    with pytest.raises(Invalid, match="the manager belongs to another organisation"):
        do_update_person(None, me, manager=other)
    me.refresh_from_db()
    assert me.manager is None
