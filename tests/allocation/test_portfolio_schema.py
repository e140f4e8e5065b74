"""docs/portfolio.schema.json describes the files the readers take: the examples validate."""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from leadshift.allocation import read_portfolio

DOCS = Path(__file__).resolve().parents[2] / "docs"
SCHEMA = json.loads((DOCS / "portfolio.schema.json").read_text())
# The example portfolio files (the other examples are answers and people files).
EXAMPLES = [
    DOCS.parent / "docs/examples/portfolio.yaml",
    DOCS.parent / "docs/examples/plan-with-risks.yaml",
    DOCS.parent / "docs/examples/portfolio-annotated.yaml",
]


def test_the_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_portfolio_validates_against_the_schema_and_reads(path):
    jsonschema.validate(yaml.safe_load(path.read_text()), SCHEMA)
    assert read_portfolio(path).initiatives


def test_the_schema_refuses_what_the_reader_refuses():
    doc = yaml.safe_load((DOCS / "examples" / "plan-with-risks.yaml").read_text())
    doc["risks"][0]["probability"] = 1.5
    with pytest.raises(jsonschema.ValidationError, match=r"1\.5 is greater than the maximum of 1"):
        jsonschema.validate(doc, SCHEMA)
