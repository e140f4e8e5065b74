"""`leadshift org export` and `leadshift org import` as a user runs them."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from .conftest import DEMO_ORG, RunLeadshift


def test_a_restored_demo_exports_to_the_same_bytes(
    run_leadshift: RunLeadshift, run_empty: RunLeadshift, tmp_path: Path
):
    ran = run_leadshift("org", "export", "--org", DEMO_ORG, "-o", "northwind.json")
    assert ran.code == 0 and "60 people" in ran.stdout, ran
    first = tmp_path / "work" / "northwind.json"
    ran = run_empty("org", "import", first)
    assert ran.code == 0 and "Restored Northwind Labs" in ran.stdout, ran
    assert "sets a new password" in ran.stdout
    ran = run_empty("org", "export", "--org", DEMO_ORG, "-o", "again.json")
    assert ran.code == 0, ran
    assert (tmp_path / "empty-work" / "again.json").read_bytes() == first.read_bytes()


def test_a_gz_name_compresses_and_import_reads_it_back(run_leadshift: RunLeadshift, tmp_path: Path):
    ran = run_leadshift("org", "export", "--org", DEMO_ORG, "-o", "northwind.json.gz")
    assert ran.code == 0, ran
    doc = json.loads(gzip.decompress((tmp_path / "work" / "northwind.json.gz").read_bytes()))
    assert doc["format"] == "leadshift-organisation" and doc["organisation"] == DEMO_ORG
    ran = run_leadshift("org", "import", "northwind.json.gz")
    assert ran.code == 2, ran
    assert "an organisation 'northwind-labs' already exists" in ran.stderr


def test_import_names_what_is_wrong_with_a_file_and_writes_nothing(
    run_empty: RunLeadshift, tmp_path: Path
):
    wrong = tmp_path / "empty-work" / "old.json"
    wrong.write_text('{"format": "leadshift-organisation", "version": 99}')
    ran = run_empty("org", "import", "old.json")
    assert ran.code == 2 and "format version 99" in ran.stderr, ran
    ran = run_empty("org", "import", "missing.json")
    assert ran.code == 2 and "missing.json: cannot read the file" in ran.stderr, ran
    ran = run_empty("org", "export", "--org", "nobody", "-o", "x.json")
    assert ran.code == 2 and "no organisation 'nobody'" in ran.stderr, ran
