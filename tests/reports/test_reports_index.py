"""The reports page lists the people one leads a page at a time, searchable, and still says
how many they are in all."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_reports_page_lists_a_page_of_the_people_one_leads(client, team, make_person):
    org, head, group = team["org"], team["head"], team["group"]
    for i in range(60):
        make_person(org, f"Report {i:02}", manager=group)
    client.force_login(head.user)
    first = client.get(reverse("reports")).content.decode()
    assert "the 63 people you lead" in first
    names = re.findall(r'<th scope="row">([^<]+)</th>', first)
    assert len(names) == 50 and names == sorted(names)
    second = client.get(reverse("reports") + "?page=2").content.decode()
    rest = re.findall(r'<th scope="row">([^<]+)</th>', second)
    assert len(rest) == 13 and not set(rest) & set(names)
    # Who leads others has a team report; who does not, none.
    assert reverse("report", args=["team", group.id]) in first + second
    found = client.get(reverse("reports") + "?q=report+07").content.decode()
    assert re.findall(r'<th scope="row">([^<]+)</th>', found) == ["Report 07"]
    assert reverse("report", args=["team", team["pm"].id]) not in found
