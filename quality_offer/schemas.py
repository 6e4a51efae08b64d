"""JSON Schemas for the YAML files, generated from the models and committed.

Editors (VS Code with the YAML extension) read them through each file's
``# yaml-language-server: $schema=...`` line, so an LA officer gets completion and errors as
they type. A test checks the committed files match the models, so they never drift.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from .audit import Audit
from .framework import CRITERIA_DIR
from .models import CriteriaFile, FrameworkManifest, ReferenceIndex
from .sir.items import ItemsFile

SCHEMAS: dict[str, type[BaseModel]] = {
    "framework.schema.json": FrameworkManifest,
    "criteria.schema.json": CriteriaFile,
    "references.schema.json": ReferenceIndex,
    "audit.schema.json": Audit,
    "sen-information-report.schema.json": ItemsFile,
}
TITLES = {
    "framework.schema.json": "Quality Offer framework manifest (framework.yaml)",
    "criteria.schema.json": "Quality Offer criteria file",
    "references.schema.json": "Quality Offer reference index",
    "audit.schema.json": "Quality Offer audit file (quality-offer-audit/1 and /2)",
    "sen-information-report.schema.json": "SEN information report items (items.yaml)",
}


def generate() -> dict[str, str]:
    """Every schema file's content, by file name."""
    out = {}
    for name, model in SCHEMAS.items():
        schema = model.model_json_schema(mode="validation")
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                  "title": TITLES[name], **{k: v for k, v in schema.items() if k != "title"}}
        out[name] = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    return out


def write(folder: Path = CRITERIA_DIR / "schemas") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in generate().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
