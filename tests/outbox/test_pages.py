"""The outbox page: admins read what LeadShift would have sent, except a 360 rater's link
when they are its subject or above the subject."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.mail import EmailMessage
from django.urls import reverse

from leadshift.outbox.models import Message
from tests.outbox.conftest import make_admin

pytestmark = pytest.mark.django_db

SOON = (dt.date.today() + dt.timedelta(days=14)).isoformat()
LINK = re.compile(r'href="(http://testserver/r/fb_[^"]+)"')


def _page(client, person, **params):
    client.force_login(person.user)
    return client.get(reverse("outbox"), params)


def _links(html: str) -> list[str]:
    return LINK.findall(html)


def test_an_admin_reads_the_messages_newest_first_and_searches_by_recipient(client, team):
    for to in ("pia@acme.example", "gus@acme.example", "pete@acme.example"):
        EmailMessage(f"Note for {to}", "Hello", None, [to]).send()
    html = _page(client, team["admin"]).content.decode()
    assert (
        html.index("pete@acme.example")
        < html.index("gus@acme.example")
        < html.index("pia@acme.example")
    )
    found = _page(client, team["admin"], q="GUS@").content.decode()
    assert "Note for gus@acme.example" in found and "Note for pia@acme.example" not in found


def test_a_message_is_readable_with_its_links_clickable(client, team, pia_cycle):
    client.force_login(team["admin"].user)
    listing = client.get(reverse("outbox")).content.decode()
    assert listing.count("Pia PM asks for your feedback") == 4
    m = Message.objects.filter(to="peer0@outside.example").get()
    page = client.get(reverse("outbox_message", args=[m.id])).content.decode()
    (link,) = _links(page)
    rater = client.get(link.removeprefix("http://testserver"))
    assert rater.status_code == 200 and b"Pia PM" in rater.content


def test_someone_who_is_not_an_admin_finds_no_outbox(client, team, pia_cycle):
    client.force_login(team["peer"].user)
    assert client.get(reverse("outbox")).status_code == 404
    m = Message.objects.first()
    assert client.get(reverse("outbox_message", args=[m.id])).status_code == 404


def test_an_admin_of_another_organisation_sees_none_of_it(client, team, pia_cycle, make_org):
    other = make_org("Globex")
    page = _page(client, other).content.decode()
    assert "Pia PM" not in page and "withheld" not in page
    m = Message.objects.first()
    assert client.get(reverse("outbox_message", args=[m.id])).status_code == 404


@pytest.mark.parametrize("who", ["pm", "group", "head"])
def test_an_admin_who_is_the_subject_or_above_them_cannot_read_a_raters_link(
    client, team, pia_cycle, who
):
    viewer = make_admin(team[who])
    page = _page(client, viewer).content.decode()
    assert "4 messages withheld: it holds a personal feedback link for a rater" in page
    assert not _links(page) and "fb_" not in page
    assert "peer0@outside.example" not in page and "asks for your feedback" not in page
    for m in Message.objects.all():
        r = client.get(reverse("outbox_message", args=[m.id]))
        assert r.status_code == 404 and b"fb_" not in r.content


def test_searching_does_not_tell_the_subject_whom_the_withheld_messages_went_to(
    client, team, pia_cycle
):
    viewer = make_admin(team["pm"])
    for q in ("peer0@outside.example", "nobody@nowhere.example"):
        page = _page(client, viewer, q=q).content.decode()
        assert "4 messages withheld" in page


def test_an_admin_outside_the_subjects_line_reads_the_link(client, team, pia_cycle):
    viewer = make_admin(team["peer"])  # Pete reports to Hana too, beside Gus: not above Pia
    page = _page(client, viewer).content.decode()
    assert "withheld" not in page
    m = Message.objects.filter(to="peer1@outside.example").get()
    detail = client.get(reverse("outbox_message", args=[m.id])).content.decode()
    assert len(_links(detail)) == 1


def test_a_new_manager_above_the_subject_is_kept_out_too(client, team, pia_cycle, make_person):
    boss = make_admin(make_person(team["org"], "Bea Boss", email="bea@acme.example"))
    team["head"].manager = boss
    team["head"].save(update_fields=["manager"])
    assert "4 messages withheld" in _page(client, boss).content.decode()


def test_opening_a_cycle_says_the_invitations_wait_in_the_outbox(
    client, team, completed_assessment
):
    client.force_login(team["pm"].user)
    r = client.post(
        reverse("feedback_new"),
        {
            "person": team["pm"].id,
            "closes_on": SOON,
            "name_1": "Gus Group",
            "email_1": "gus@acme.example",
            "relationship_1": "manager",
        },
    )
    assert r.status_code == 302
    text = client.get(r["Location"]).content.decode()
    assert "In the outbox for 1 person (no mail server is set up)" in text
    assert "an admin can read it" in text  # a colleague's notice holds no link
    assert "http://testserver/outbox/" in text
    assert Message.objects.get().to == "gus@acme.example"


def test_the_page_says_sent_when_a_mail_server_is_set_up(
    client, team, completed_assessment, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.force_login(team["pm"].user)
    r = client.post(
        reverse("feedback_new"),
        {
            "person": team["pm"].id,
            "closes_on": SOON,
            "name_1": "Gus Group",
            "email_1": "gus@acme.example",
            "relationship_1": "manager",
        },
    )
    assert r.status_code == 302
    assert "Sent to 1 person." in client.get(r["Location"]).content.decode()
    assert not Message.objects.exists()


def test_a_reminder_says_where_it_went_without_naming_the_raters(client, team, pia_cycle):
    cycle = pia_cycle
    client.force_login(team["pm"].user)
    r = client.post(reverse("feedback_remind", args=[cycle.id]), follow=True)
    text = r.content.decode()
    assert "In the outbox for 4 people" in text and "peer0@outside.example" not in text
    assert Message.objects.filter(kind="feedback-reminder").count() == 4
