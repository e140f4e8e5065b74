"""While one organisation's hostile uploads are being refused, another's requests, writes
included, are answered normally: reading happens before any transaction, so no request holds
the write lock while it parses, and token use is not a write on every request."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from leadshift.people.services import do_create_api_token
from tests.test_files import BILLION_LAUGHS

HOSTILE = [
    {"text": BILLION_LAUGHS, "filename": "laughs.yaml"},
    {"text": "[" * 100_000 + "]" * 100_000, "filename": "deep.json"},
    {"text": "id\n" + "".join(f"i{n}\n" for n in range(200_000)), "filename": "rows.csv"},
]


def bearer(person) -> dict[str, str]:
    _, raw = do_create_api_token(person)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.django_db(transaction=True)
def test_another_organisation_is_answered_normally_while_hostile_uploads_are_refused(
    make_org, make_person
):
    from leadshift.portfolio.models import Initiative
    from leadshift.timeuse.services import default_rules_text

    attacker = make_org("Attack")  # the organisation's admin, who may import a portfolio
    neighbour = make_person(make_org("Neighbour").organisation, "Nell Neighbour")
    attack_auth, neighbour_auth = bearer(attacker), bearer(neighbour)
    attack_done = threading.Event()
    refused: list[tuple[int, str]] = []
    answered: list[tuple[int, bool]] = []  # (status, whether the attack was still running)

    def attack() -> None:
        try:
            client = Client()
            for body in HOSTILE * 2:
                r = client.post(
                    "/api/v1/portfolio/import",
                    json.dumps(body),
                    content_type="application/json",
                    **attack_auth,
                )
                refused.append((r.status_code, r.json()["detail"]))
        finally:
            attack_done.set()
            connection.close()

    def neighbour_works() -> None:
        client = Client()
        rules = default_rules_text()
        try:
            while True:
                running = not attack_done.is_set()
                r = client.put(
                    f"/api/v1/people/{neighbour.id}/timeuse/rules",
                    json.dumps({"text": rules}),
                    content_type="application/json",
                    **neighbour_auth,
                )
                answered.append((r.status_code, running))
                r = client.get("/api/v1/me", **neighbour_auth)
                answered.append((r.status_code, running))
                if not running:
                    break
        finally:
            connection.close()

    threads = [threading.Thread(target=attack), threading.Thread(target=neighbour_works)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert [status for status, _ in refused] == [400] * 6
    assert "aliases (*name) repeat more than" in refused[0][1]
    assert "nested more than 64 levels deep" in refused[1][1]
    assert "more than 10,000 rows" in refused[2][1]
    assert not Initiative.objects.exists()
    assert {status for status, _ in answered} == {200}
    assert any(running for _, running in answered)
