from __future__ import annotations

from django.db import transaction

from leadshift.core.errors import Invalid
from leadshift.files import InputError
from leadshift.frameworks.models import FrameworkVersion
from leadshift.frameworks.schema import Framework, default_framework_text, load_framework_text
from leadshift.people.models import Organisation


def ensure_default_framework() -> FrameworkVersion:
    """The built-in framework as a stored version, created on first use."""
    text = default_framework_text()
    data = load_framework_text(text, "default.yaml")
    fv, _ = FrameworkVersion.objects.get_or_create(
        organisation=None,
        key=data.key,
        version=data.version,
        defaults={"name": data.name, "source": text},
    )
    return fv


def do_install_framework(
    organisation: Organisation, text: str, filename: str = "framework.yaml"
) -> FrameworkVersion:
    """Validate a framework file and make it the organisation's framework for new assessments.

    Versions are immutable: assessments keep the version they used, so a changed file must
    carry a new version number. The file is read before the write's transaction begins.
    """
    try:
        data = load_framework_text(text, filename)
    except InputError as exc:
        raise Invalid(exc.describe()) from exc
    return do_store_framework(organisation, data, text, filename)


@transaction.atomic
def do_store_framework(
    organisation: Organisation, data: Framework, text: str, filename: str
) -> FrameworkVersion:
    """Store a framework already read and checked, as one short transaction."""
    existing = FrameworkVersion.objects.filter(
        organisation=organisation, key=data.key, version=data.version
    ).first()
    if existing is not None and existing.source != text:
        raise Invalid(
            f"{filename}: version {data.version} of {data.key!r} is already installed with "
            "different content; give the changed framework a new version number",
            field="version",
        )
    fv = existing or FrameworkVersion.objects.create(
        organisation=organisation, key=data.key, name=data.name, version=data.version, source=text
    )
    organisation.framework = fv
    organisation.save(update_fields=["framework"])
    return fv


def framework_for(organisation: Organisation) -> FrameworkVersion:
    return organisation.framework or ensure_default_framework()
