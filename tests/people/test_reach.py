"""The reporting line as the database walks it: `Person.objects.visible_to`, `Person.reach` and
`Person.can_view` agree with one another for deep lines, moves, deactivations, a loop left by a
raw edit, and never cross into another organisation."""

from __future__ import annotations

import random

import pytest
from django.urls import reverse

from leadshift.people.models import Person
from leadshift.people.services import do_deactivate_person, do_update_person

pytestmark = pytest.mark.django_db


def seen_by(viewer: Person) -> set[int]:
    return set(Person.objects.visible_to(viewer).values_list("id", flat=True))


def fresh(person: Person) -> Person:
    """The person as a page loads them: no manager in memory, so can_view asks the database."""
    return Person.objects.get(pk=person.pk)


def walked_in_python(org_id: int, top: Person) -> set[int]:
    """The line as the old breadth-first walk found it, to compare the database's walk with."""
    below: dict[int | None, list[int]] = {}
    for pid, manager_id in Person.objects.filter(organisation_id=org_id).values_list(
        "id", "manager_id"
    ):
        below.setdefault(manager_id, []).append(pid)
    seen, frontier = {top.id}, [top.id]
    while frontier:
        frontier = [p for m in frontier for p in below.get(m, []) if p not in seen]
        seen.update(frontier)
    return seen


@pytest.fixture
def chain(make_org, make_person):
    """A line thirteen people long: the top and twelve levels below."""
    org = make_org("Deep").organisation
    people = [make_person(org, "Level 0")]
    for level in range(1, 13):
        people.append(make_person(org, f"Level {level}", manager=people[-1]))
    return people


def test_a_twelve_level_line_is_seen_from_every_level_down_and_never_up(chain):
    for i, viewer in enumerate(chain):
        assert seen_by(viewer) == {p.id for p in chain[i:]}
        for j, other in enumerate(chain):
            assert viewer.can_view(fresh(other)) is (j >= i), (i, j)


def test_can_view_gives_the_same_answer_with_the_managers_already_loaded(chain):
    bottom = Person.objects.select_related(*["manager" + "__manager" * k for k in range(5)]).get(
        pk=chain[-1].pk
    )
    for i, viewer in enumerate(chain):
        assert viewer.can_view(bottom), i
    assert not chain[-1].can_view(fresh(chain[0]))


def test_the_whole_line_is_read_in_one_query_whatever_its_depth(chain, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(list(Person.objects.visible_to(chain[0]))) == 13
    with django_assert_num_queries(1):
        assert chain[0].self_and_reports_ids() == {p.id for p in chain}
    bottom = fresh(chain[-1])
    with django_assert_num_queries(1):
        assert chain[0].can_view(bottom)


def test_no_page_binds_the_lines_ids_as_a_list(chain):
    sql = str(Person.objects.visible_to(chain[0]).query)
    assert "WITH RECURSIVE" in sql
    assert str(chain[5].id) not in sql.split("WITH RECURSIVE")[0]


def test_a_person_moved_to_another_manager_leaves_the_old_line_and_joins_the_new(client, team):
    pm, group, peer, head = team["pm"], team["group"], team["peer"], team["head"]
    do_update_person(team["admin"], pm, manager=peer)
    assert pm.id not in seen_by(group) and pm.id in seen_by(peer) and pm.id in seen_by(head)
    assert not group.can_view(fresh(pm)) and peer.can_view(fresh(pm)) and head.can_view(fresh(pm))
    client.force_login(group.user)
    assert client.get(reverse("person_detail", args=[pm.id])).status_code == 404
    client.force_login(peer.user)
    assert client.get(reverse("person_detail", args=[pm.id])).status_code == 200


def test_a_deactivated_manager_stays_in_the_line_with_everyone_below_them(team):
    head, group, pm = team["head"], team["group"], team["pm"]
    do_deactivate_person(team["admin"], group)
    assert {group.id, pm.id} <= seen_by(head)
    assert head.can_view(fresh(group)) and head.can_view(fresh(pm))
    assert group.id not in set(
        Person.objects.visible_to(head).active().values_list("id", flat=True)
    )
    assert seen_by(fresh(group)) == {group.id, pm.id}


def test_a_manager_loop_left_by_a_raw_edit_ends_the_walk(team):
    head, group, pm, peer = team["head"], team["group"], team["pm"], team["peer"]
    # Services and imports refuse a loop; a raw edit of the table is what could leave one.
    Person.objects.filter(pk=head.pk).update(manager=pm)
    assert seen_by(group) == {group.id, pm.id, head.id, peer.id}
    assert fresh(pm).can_view(fresh(group))
    assert not peer.can_view(fresh(head))
    loaded = Person.objects.select_related("manager__manager__manager").get(pk=pm.pk)
    assert not peer.can_view(loaded)


def test_the_line_never_crosses_into_another_organisation(team, make_org, make_person):
    other_org = make_org("Globex").organisation
    stranger = make_person(other_org, "Stan Stranger")
    # Only a raw edit could give someone a manager in another organisation.
    Person.objects.filter(pk=stranger.pk).update(manager=team["head"])
    assert stranger.id not in seen_by(team["head"])
    assert not team["head"].can_view(fresh(stranger))
    assert stranger.id not in team["head"].self_and_reports_ids()


def test_the_database_walk_finds_what_the_python_walk_found_in_a_random_organisation(
    make_org, make_person
):
    org = make_org("Random").organisation
    rng = random.Random(12)
    people = [make_person(org, "Top")]
    for n in range(80):
        people.append(make_person(org, f"P{n}", manager=rng.choice([*people, None])))
    for viewer in people:
        assert seen_by(viewer) == walked_in_python(org.id, viewer), viewer.name
        expected = walked_in_python(org.id, viewer)
        for other in rng.sample(people, 10):
            assert viewer.can_view(fresh(other)) is (other.id in expected)
