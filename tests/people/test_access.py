"""Who sees what: a person sees their own, their managers see theirs, no one crosses orgs."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leadshift.growth.services import do_generate_plan


def login(client, person):
    client.force_login(person.user)
    return client


@pytest.fixture
def plan(completed_assessment):
    return do_generate_plan(completed_assessment, completed_assessment.person)


def pages_of(assessment, plan, other=None):
    urls = [
        reverse("assessment_profile", args=[assessment.id]),
        reverse("plan_detail", args=[plan.id]),
        reverse("person_detail", args=[assessment.person_id]),
    ]
    if other is not None:
        urls.append(reverse("assessment_compare", args=[assessment.id, other.id]))
    return urls


@pytest.fixture
def second_assessment(completed_assessment):
    from leadshift.assessments.services import do_submit_assessment
    from leadshift.frameworks.schema import default_framework
    from tests.conftest import full_answers

    pm = completed_assessment.person
    return do_submit_assessment(pm, pm, "group_pm", full_answers(default_framework(), level=3))


@pytest.mark.django_db
def test_a_person_sees_their_own_pages(client, team, completed_assessment, plan, second_assessment):
    login(client, team["pm"])
    for url in pages_of(completed_assessment, plan, second_assessment):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["group", "head"])
def test_their_managers_up_the_line_see_them(
    client, team, completed_assessment, plan, second_assessment, who
):
    login(client, team[who])
    for url in pages_of(completed_assessment, plan, second_assessment):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["peer", "admin"])
def test_a_peer_or_admin_outside_the_line_sees_nothing(
    client, team, completed_assessment, plan, second_assessment, who
):
    login(client, team[who])
    for url in pages_of(completed_assessment, plan, second_assessment):
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_nobody_sees_another_organisations_anything(
    client, team, make_org, completed_assessment, plan, second_assessment
):
    outsider = make_org("Globex")
    login(client, outsider)
    for url in pages_of(completed_assessment, plan, second_assessment):
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_a_peer_cannot_change_someone_elses_plan(client, team, plan):
    login(client, team["peer"])
    action = plan.all_actions()[0]
    r = client.post(reverse("action_done", args=[plan.id, action.id]), {"done": "1"})
    assert r.status_code == 404
    action.refresh_from_db()
    assert action.done_on is None


@pytest.mark.django_db
def test_a_manager_cannot_answer_their_reports_self_assessment(client, team):
    from leadshift.assessments.services import do_start_assessment

    a = do_start_assessment(team["pm"], team["pm"], "group_pm")
    login(client, team["group"])
    r = client.get(reverse("assessment_step", args=[a.id, 1]))
    assert r.status_code == 404


@pytest.mark.django_db
def test_the_team_page_lists_only_the_people_below_me(client, team, completed_assessment):
    login(client, team["group"])
    body = client.get(reverse("team")).content.decode()
    assert "Pia PM" in body
    assert "Pete Peer" not in body and "Hana Head" not in body


@pytest.mark.django_db
def test_pages_need_a_signed_in_person(client, completed_assessment, plan):
    for url in [*pages_of(completed_assessment, plan), reverse("home"), reverse("team")]:
        r = client.get(url)
        assert r.status_code == 302 and "/login/" in r["Location"], url
