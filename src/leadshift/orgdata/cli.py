"""`leadshift org export` and `leadshift org import`: a whole organisation's backup."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click


def _fails_cleanly(fn: Callable[..., Any]) -> Callable[..., Any]:
    # leadshift.cli imports this module to register it, so its error handling is looked up
    # when the command runs, not when the module loads.
    @wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        from leadshift.cli import fails_cleanly

        return fails_cleanly(fn)(*args, **kwargs)

    return run


@click.group("org")
def org() -> None:
    """The whole organisation: back it up to one file, restore it."""


@org.command("export")
@click.option("--org", "org_slug", required=True, help="The organisation's short name (slug).")
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The backup file; a name ending in .gz is compressed.",
)
@_fails_cleanly
def org_export(org_slug: str, output: Path) -> None:
    """Write the whole organisation to one file (no passwords, tokens or link hashes)."""
    from leadshift.cli import _org
    from leadshift.orgdata.services import do_export_organisation, export_counts

    organisation = _org(org_slug)
    data = do_export_organisation(organisation, compress=output.name.endswith(".gz"))
    output.write_bytes(data)
    counts = export_counts(data)
    click.echo(
        f"Wrote {organisation.name} to {output} ({len(data):,} bytes): "
        f"{counts.get('people.person', 0)} people, {sum(counts.values()):,} records."
    )


@org.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_fails_cleanly
def org_import(file: Path) -> None:
    """Restore an organisation from a backup into a database that does not hold it."""
    from leadshift.core.errors import Invalid
    from leadshift.orgdata.services import do_import_organisation

    try:
        data = file.read_bytes()
    except OSError as exc:
        raise Invalid(f"{file}: cannot read the file: {exc.strerror}") from None
    organisation = do_import_organisation(data, str(file))
    click.echo(
        f"Restored {organisation.name} ({organisation.slug}): "
        f"{organisation.people.count()} people. Everyone sets a new password "
        "(password reset or a new invitation) before signing in."
    )
