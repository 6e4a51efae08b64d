"""The committed JSON Schemas match the models, and every YAML file points at its schema."""

from __future__ import annotations

from quality_offer import schemas
from quality_offer.framework import CRITERIA_DIR


def test_the_committed_schemas_match_the_models():
    for name, text in schemas.generate().items():
        committed = (CRITERIA_DIR / "schemas" / name).read_text(encoding="utf-8")
        assert committed == text, f"{name} is stale: run 'quality-offer schemas'"


def test_every_criteria_file_starts_with_its_schema_line():
    for path in CRITERIA_DIR.rglob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        if path.name == "framework.yaml":
            expected = "framework.schema.json"
        elif path.parent.name == "sen-information-report":
            expected = "sen-information-report.schema.json"
        elif path.parent.name == "references":
            expected = "references.schema.json"
        else:
            expected = "criteria.schema.json"
        assert first == f"# yaml-language-server: $schema=../schemas/{expected}", path


def test_the_criteria_schema_forbids_unknown_fields():
    import json

    schema = json.loads(schemas.generate()["criteria.schema.json"])
    assert schema["$defs"]["Criterion"]["additionalProperties"] is False
