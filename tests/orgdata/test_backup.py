"""A whole organisation's backup: the demo round-trips byte for byte on this test run's
database (SQLite, and PostgreSQL in `make test`'s second pass), no secret leaves, and a
bad file writes nothing."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from leadshift.core.errors import Invalid
from leadshift.files import InputError
from leadshift.orgdata.graph import secret_looking_fields, unaccounted_models
from leadshift.orgdata.services import do_export_organisation, do_import_organisation
from leadshift.people.models import Organisation, Person
from tests.demo_snapshot import loaded_demo

SLUG = "northwind-labs"
# Every test may touch the database: the module's demo fixture needs the test database made.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_backup(django_db_setup: Any, django_db_blocker: Any) -> dict[str, Any]:
    """The demo's export, and the secrets the demo's database held; the demo itself is
    rolled back so every test starts from an empty database."""
    from leadshift.feedback.models import Rater
    from leadshift.people.models import ApiToken
    from leadshift.people.services import do_create_api_token

    with django_db_blocker.unblock(), transaction.atomic():
        org = loaded_demo(seed=7).organisation
        do_create_api_token(Person.objects.get(email="sam.rivera@northwind.example"))
        secrets = {
            "rater links": list(Rater.objects.values_list("token_hash", flat=True)),
            "browser keys": [h for h in Rater.objects.values_list("claim_hash", flat=True) if h],
            "api tokens": list(ApiToken.objects.values_list("key_hash", flat=True)),
            "passwords": [
                u.password for u in get_user_model().objects.filter(person__organisation=org)
            ],
        }
        data = do_export_organisation(org)
        transaction.set_rollback(True)
    return {"data": data, "secrets": secrets}


def test_a_restored_demo_exports_to_the_same_bytes(db: Any, demo_backup: dict[str, Any]):
    org = do_import_organisation(gzip.compress(demo_backup["data"]), "northwind.json.gz")
    assert org.slug == SLUG and org.people.count() == 60
    assert do_export_organisation(org) == demo_backup["data"]
    assert do_export_organisation(org, compress=True) == gzip.compress(demo_backup["data"], mtime=0)


def test_a_restore_beside_another_organisation_keeps_the_file_the_same(
    make_org: Callable[..., Any], demo_backup: dict[str, Any]
):
    make_org("Acme")  # its rows take the ids the demo had
    org = do_import_organisation(demo_backup["data"], "northwind.json")
    assert do_export_organisation(org) == demo_backup["data"]
    assert Organisation.objects.count() == 2


def test_the_backup_holds_every_part_of_the_organisation(demo_backup: dict[str, Any]):
    doc = json.loads(demo_backup["data"])
    counts = {label: len(rows) for label, rows in doc["models"].items()}
    for label in (
        "people.person",
        "people.team",
        "assessments.assessment",
        "assessments.capabilityrating",
        "growth.plan",
        "growth.action",
        "growth.checkin",
        "feedback.cycle",
        "feedback.rater",
        "feedback.rateranswer",
        "feedback.result",
        "portfolio.product",
        "portfolio.initiative",
        "portfolio.metricsnapshot",
        "planning.scenario",
        "risk.risk",
        "decisions.decision",
        "decisions.criterion",
        "stakeholders.stakeholder",
        "stakeholders.interaction",
        "timeuse.weekuse",
    ):
        assert counts.get(label, 0) > 0, f"the demo's backup holds no {label}"
    assert doc["shared"]["frameworks.frameworkversion"][0]["key"] == "product_leadership"
    maya = doc["models"]["people.person"][0]
    assert maya["email"] == "maya.okafor@northwind.example" and maya["user"]["is_active"]


def test_no_secret_is_in_the_file(demo_backup: dict[str, Any]):
    text = demo_backup["data"].decode()
    for kind, values in demo_backup["secrets"].items():
        assert values, f"the demo should hold {kind}"
        leaked = [v for v in values if v in text]
        assert not leaked, f"{kind} in the backup"
    assert "people.apitoken" not in text and '"password"' not in text
    # A usable API token or 360 link, e.g. inside a stored message, has one of these forms.
    assert not re.search(r"\b(ls|fb)_[A-Za-z0-9_-]{30,}", text)
    assert '"token_hash"' not in text and '"claim_hash"' not in text


def test_restored_people_set_a_password_and_old_links_are_void(
    db: Any, demo_backup: dict[str, Any]
):
    from leadshift.feedback.models import Rater

    org = do_import_organisation(demo_backup["data"], "northwind.json")
    users = get_user_model().objects.filter(person__organisation=org)
    assert users.count() == 60 and not any(u.has_usable_password() for u in users)
    hashes = set(Rater.objects.values_list("token_hash", flat=True))
    assert not hashes & set(demo_backup["secrets"]["rater links"])


def test_released_results_name_the_restored_cycle_and_person(
    make_org: Callable[..., Any], demo_backup: dict[str, Any]
):
    from leadshift.feedback.models import Cycle
    from leadshift.feedback.services import result_data

    make_org("Acme")  # the restored rows get other ids than the demo's
    do_import_organisation(demo_backup["data"], "northwind.json")
    for cycle in Cycle.objects.filter(status="released"):
        data = result_data(cycle)
        assert data["cycle"] == cycle.pk
        assert data["subject"] == {"id": cycle.subject_id, "name": cycle.subject.name}


def _broken(data: bytes, change: Callable[[dict[str, Any]], None]) -> bytes:
    doc = json.loads(data)
    change(doc)
    return json.dumps(doc).encode()


def _nothing_written() -> None:
    assert not Organisation.objects.exists() and not Person.objects.exists()
    assert not get_user_model().objects.exists()


def test_a_broken_reference_is_named_and_nothing_is_written(db: Any, demo_backup: dict[str, Any]):
    def point_nowhere(doc: dict[str, Any]) -> None:
        doc["models"]["people.person"][2]["manager"] = 9999

    with pytest.raises(InputError) as err:
        do_import_organisation(_broken(demo_backup["data"], point_nowhere), "bad.json")
    assert (
        "bad.json: people.person #3.manager: refers to people.person #9999, which the file "
        "does not hold" in err.value.describe()
    )
    _nothing_written()


def test_a_row_of_a_later_model_failing_rolls_back_everything(db: Any, demo_backup: dict[str, Any]):
    def unknown_field(doc: dict[str, Any]) -> None:
        doc["models"]["growth.action"][0]["colour"] = "red"

    with pytest.raises(InputError) as err:
        do_import_organisation(_broken(demo_backup["data"], unknown_field), "bad.json")
    assert "growth.action #1.colour: unknown field 'colour'" in err.value.describe()
    _nothing_written()


def test_a_file_of_another_version_or_kind_is_refused(db: Any, demo_backup: dict[str, Any]):
    def newer(doc: dict[str, Any]) -> None:
        doc["version"] = 2

    with pytest.raises(Invalid, match="format version 2; this LeadShift reads version 1"):
        do_import_organisation(_broken(demo_backup["data"], newer), "new.json")
    with pytest.raises(Invalid, match="not a LeadShift organisation backup"):
        do_import_organisation(b'{"people": []}', "other.json")
    with pytest.raises(InputError, match="not valid JSON"):
        do_import_organisation(demo_backup["data"][:500], "cut.json")
    _nothing_written()


def test_an_organisation_already_here_is_not_overwritten(db: Any, demo_backup: dict[str, Any]):
    do_import_organisation(demo_backup["data"], "northwind.json")
    with pytest.raises(Invalid, match="an organisation 'northwind-labs' already exists"):
        do_import_organisation(demo_backup["data"], "northwind.json")
    assert Organisation.objects.count() == 1


def test_every_model_is_in_the_backup_or_excluded_with_a_reason():
    assert unaccounted_models() == [], (
        "add each to the backup (a foreign key to the organisation or something it owns) "
        "or to EXCLUDED_MODELS in leadshift/orgdata/graph.py, with the reason"
    )


def test_no_exported_field_looks_like_a_secret_without_a_decision():
    assert secret_looking_fields() == [], (
        "declare each in SECRET_FIELDS (never exported) or NOT_SECRET_FIELDS in "
        "leadshift/orgdata/graph.py"
    )


def test_a_sign_in_name_already_taken_is_named_and_nothing_is_written(
    db: Any, demo_backup: dict[str, Any]
):
    get_user_model().objects.create_user("maya.okafor@northwind.example", password="x-secret-1")
    with pytest.raises(InputError) as err:
        do_import_organisation(demo_backup["data"], "northwind.json")
    assert (
        "northwind.json: people.person #1.user: a sign-in account "
        "'maya.okafor@northwind.example' already exists here" in err.value.describe()
    )
    assert not Organisation.objects.exists() and get_user_model().objects.count() == 1
