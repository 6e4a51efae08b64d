"""The framework as plain data: what ``quality-offer framework show`` prints and the app lists."""

from __future__ import annotations

from typing import Any

from .framework import Framework
from .models import Criterion


def reference_json(fw: Framework, ref_id: str) -> dict[str, Any]:
    """A reference as an object: source and ref for machines, summary and link for people."""
    ref = fw.references[ref_id]
    return {
        "id": ref.id,
        "source": ref.source,
        "ref": ref.ref,
        "title": ref.title,
        "summary": ref.summary,
        "evidence": ref.evidence,
        "exists": ref.exists,
        "url": ref.url,
    }


def criterion_json(fw: Framework, crit: Criterion) -> dict[str, Any]:
    return {
        "id": crit.id,
        "section": fw.section_of(crit.id),
        "text": crit.text,
        "published_text": crit.published_text,
        "origin": crit.origin,
        "statutory": crit.statutory,
        "scale": crit.scale,
        "references": [reference_json(fw, r) for r in crit.references],
        "published_references": [reference_json(fw, r) for r in crit.published_references],
        "reference_note": crit.reference_note,
        "legal_basis": [reference_json(fw, r) for r in crit.legal_basis],
        "applies_to": crit.applies_to.model_dump(),
        "na_allowed": crit.na_allowed,
        "levels": {lv: crit.levels[lv] for lv in fw.scale_of(crit).level_ids},
        "evidence_prompts": list(crit.evidence_prompts),
        "note": crit.note,
        "withdrawn": crit.withdrawn,
        "replaced_by": crit.replaced_by,
    }


def framework_json(fw: Framework) -> dict[str, Any]:
    m = fw.manifest
    return {
        "id": m.id,
        "version": m.version,
        "title": m.title,
        "publisher": m.publisher,
        "source": m.source.model_dump(),
        "rollup": m.rollup.model_dump(),
        "scales": {
            s.id: {
                "label": s.label,
                "levels": [
                    {"id": lv.id, "label": lv.label, "descriptor": lv.descriptor,
                     "meets_expectation": lv.meets_expectation}
                    for lv in s.levels
                ],
            }
            for s in m.scales
        },
        "sections": [{"id": s.id, "title": s.title} for s in m.sections],
        "criteria": [criterion_json(fw, c) for c in fw.criteria],
    }


def framework_text(fw: Framework) -> str:
    lines = [f"{fw.title} (id {fw.id}, version {fw.version})", ""]
    for section in fw.sections:
        lines.append(section.title)
        for c in fw.in_section(section.id):
            kind = "duty" if c.statutory else "expectation"
            refs = ", ".join(c.references)
            lines.append(f"  {c.id:<6} [{kind}] {c.text}")
            lines.append(f"         refs: {refs}")
        lines.append("")
    return "\n".join(lines)
