from __future__ import annotations

import re

import pytest


def nav_html(client, user, path="/"):
    client.force_login(user)
    html = client.get(path, follow=True).content.decode()
    return html[html.index('<nav id="mainnav"') : html.index("</nav>")]


def links(html):
    return re.findall(r'<a href="[^"]+" ?(?:aria-current="page")?>([^<]+)</a>', html)


@pytest.mark.django_db
def test_a_pm_without_reports_sees_their_own_pages_but_no_leader_pages(client, team):
    names = links(nav_html(client, team["pm"].user))
    assert {"My shift", "Assess", "360 feedback", "Time use", "Stakeholders"} <= set(names)
    assert {"Decisions", "Plan of record", "Reports", "Framework", "API tokens"} <= set(names)
    assert not {"My team", "Portfolio", "Risks"} & set(names)


@pytest.mark.django_db
def test_a_leader_sees_the_team_portfolio_and_risks(client, team):
    names = links(nav_html(client, team["head"].user))
    assert {"My team", "Portfolio", "Risks"} <= set(names)


@pytest.mark.django_db
def test_the_bar_groups_the_pages_into_menus(client, team):
    html = nav_html(client, team["head"].user)
    menus = re.findall(r'class="nav-group-toggle[^"]*"[^>]*>([^<]+)', html)
    assert [m.strip() for m in menus] == ["Growth", "Leading", "Hana Head"]


@pytest.mark.django_db
def test_the_page_and_its_menu_are_marked_current(client, team):
    html = nav_html(client, team["pm"].user, "/timeuse/")
    assert re.search(r'aria-current="page">Time use<', html)
    current_menus = re.findall(r'<li class="nav-group current">\s*<button[^>]*>([^<]+)', html)
    assert current_menus == ["Growth"]
    assert html.count('aria-current="page"') == 1


@pytest.mark.django_db
def test_the_team_heatmap_lights_my_team_not_the_growth_menu(client, team):
    html = nav_html(client, team["head"].user, "/feedback/team/")
    assert re.search(r'aria-current="page">My team<', html)
    assert re.findall(r'<li class="nav-group current">\s*<button[^>]*>([^<]+)', html) == []
