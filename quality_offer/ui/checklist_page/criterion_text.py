"""A criterion's fixed text on its card: what to look for, its references, what each rating
means, and the anchor its heading is reached by. Drawn by the page run, not by the fragments,
since it does not change with the answer."""

from __future__ import annotations

import streamlit as st

from ...citations import SOURCE_NAMES, cited
from ...models import Criterion
from ..text import link, plain
from .state import Ctx


def prompts_and_references(ctx: Ctx, crit: Criterion) -> None:
    """What to look for, and the references with a link to each source: one element."""
    fw = ctx.fw
    lines = ["**What to look for**", "", *(f"- {plain(p)}" for p in crit.evidence_prompts),
             "", "**References**", ""]
    shown: set[str] = set()
    for rid in crit.references:
        ref = fw.reference(rid)
        citation = cited(ref)  # only as precise as it is verified
        if citation in shown:
            continue
        shown.add(citation)
        source = SOURCE_NAMES.get(ref.source, ref.source)
        lines.append(f"- **{plain(citation)}**: {plain(ref.summary)} "
                     f"{link(f'Read the {source}', ref.url)}")
    st.markdown("\n".join(lines))


def descriptors(ctx: Ctx, crit: Criterion) -> None:
    """What each level means for this criterion: the compact card's radio has no captions."""
    scale = ctx.fw.scale_of(crit)
    st.markdown("\n".join(["**What each rating means here**", ""] + [
        f"- **{plain(scale.level(lv).label)}**: {plain(crit.levels[lv])}"
        for lv in scale.level_ids]))


def anchor(cid: str) -> str:
    """The id of a criterion's heading, which the keyboard focus and links go to."""
    return f"criterion-{cid}".replace(".", "-")
