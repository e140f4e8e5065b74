"""Backup benchmark: export and restore of the demo organisation (about 60 people, 7,600
records), against the baseline of Django's own `dumpdata` of the same database.

It prints the time to export, the file's size, the time to restore into a database without
the organisation, and whether the second export is the same file (it must be).

    PYTHONPATH=src python benchmarks/bench_backup.py
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time


def main() -> int:
    os.environ["LEADSHIFT_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-backup-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadshift.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction

    from leadshift.demo import load_demo
    from leadshift.orgdata.services import do_export_organisation, do_import_organisation

    call_command("migrate", verbosity=0)
    org = load_demo(seed=7).organisation

    started = time.perf_counter()
    data = do_export_organisation(org)
    export_s = time.perf_counter() - started
    compressed = do_export_organisation(org, compress=True)

    started = time.perf_counter()
    call_command("dumpdata", "people", "assessments", "growth", "feedback", stdout=io.StringIO())
    call_command("dumpdata", "portfolio", "planning", "risk", "decisions", stdout=io.StringIO())
    call_command("dumpdata", "stakeholders", "timeuse", "frameworks", stdout=io.StringIO())
    dumpdata_s = time.perf_counter() - started

    with transaction.atomic():
        get_user_model().objects.filter(person__organisation=org).delete()
        org.delete()
        started = time.perf_counter()
        restored = do_import_organisation(data, "demo.json")
        import_s = time.perf_counter() - started
        same = do_export_organisation(restored) == data
        transaction.set_rollback(True)

    print(f"export:  {export_s:6.2f} s   {len(data):,} bytes ({len(compressed):,} gzip)")
    print(f"restore: {import_s:6.2f} s   second export identical: {same}")
    print(f"baseline dumpdata of the same apps (no restore check): {dumpdata_s:6.2f} s")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
