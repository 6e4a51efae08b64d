"""A read-only audit as a document: ratings, evidence and actions as text, no controls.

Shown to whoever may read the audit but not change it, and for a signed-off audit: there
is nothing to click, so nothing looks as if it could be changed.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ...audit import Audit
from ...dates import short_date
from ...vocabulary import ACTION_STATUS_LABELS, EVIDENCE_KIND_LABELS
from ..text import plain
from .criterion_text import anchor
from .state import Ctx


def document(ctx: Ctx, audit: Audit) -> None:
    """A read-only audit as a document: ratings, evidence and actions as text, no controls."""
    for sid, cids in ctx.sections.items():
        st.header(ctx.titles[sid], anchor=f"section-{sid}")
        for cid in cids:
            crit = ctx.fw.criterion(cid)
            scale = ctx.fw.scale_of(crit)
            resp = audit.responses.get(cid)
            st.subheader(f"{plain(cid)}: {plain(crit.text)}", anchor=anchor(cid))
            kind = "Statutory duty" if crit.statutory else "Expectation"
            lines = [f"*{kind}*", ""]
            if resp is not None and resp.not_applicable:
                lines.append(f"- **Answer:** not applicable: {plain(resp.not_applicable_reason)}")
            elif resp is not None and resp.rating in scale.level_ids:
                lines.append(f"- **Rating:** {plain(scale.level(resp.rating).label)}: "
                             f"{plain(crit.levels[resp.rating])}")
            else:
                lines.append("- **Rating:** not assessed")
            ev = resp.evidence if resp else None
            if ev is not None and not ev.empty:
                extra = ", ".join(x for x in (
                    f"kept in {plain(ev.location)}" if ev.location.strip() else "",
                    plain(EVIDENCE_KIND_LABELS.get(ev.kind, ev.kind)).lower() if ev.kind
                    else "") if x)
                lines.append(f"- **Evidence:** {plain(ev.text)}"
                             + (f" ({extra})" if extra else ""))
            else:
                lines.append("- **Evidence:** none recorded")
            ac = resp.action if resp else None
            if ac is not None:
                bits = [ACTION_STATUS_LABELS.get(ac.status, ac.status).lower()]
                if ac.owner.strip():
                    bits.append(f"owner {plain(ac.owner)}")
                if ac.due:
                    bits.append(f"due {short_date(ac.due)}")
                if ac.overdue(dt.date.today()):
                    bits.append("overdue")
                lines.append(f"- **Action:** {plain(ac.what) or 'not described'} "
                             f"({', '.join(bits)})")
            if resp is not None and not resp.rechecked and not resp.blank:
                lines.append(f"- Carried forward from {ctx.carried_from or 'last year'} and "
                             "not re-checked")
            st.markdown("\n".join(lines))
