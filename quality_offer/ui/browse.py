"""Framework page: every criterion and every reference, searchable by text, id or reference.

For a SENCO checking what a criterion asks before rating it, a governor looking up what
"CoP 6.2" says, and an LA officer checking the published text against the encoded one.
"""

from __future__ import annotations

import streamlit as st

from .. import framework as frameworks
from ..applies_words import who
from ..citations import SOURCE_NAMES, cited
from ..errors import InputError
from ..framework import Framework
from ..models import Criterion, Reference
from ..reports.wording import coming_when
from ..vocabulary import EVIDENCE_CHECK_LABELS
from . import session
from .text import count, link, one_line, plain

ORIGIN_WORDS = {"quality-offer": "Listed in the Quality Offer",
                "code-of-practice": "Added from the SEND Code of Practice for a complete view"}


def _words(*parts: object) -> str:
    return " ".join(str(p) for p in parts if p).casefold()


def criterion_matches(fw: Framework, crit: Criterion, query: str) -> bool:
    """Whether a search finds this criterion: by id, words, or a reference it cites."""
    if not query:
        return True
    refs = [*crit.references, *crit.published_references, *crit.legal_basis]
    haystack = _words(crit.id, crit.text, crit.published_text, crit.note,
                      " ".join(crit.evidence_prompts), " ".join(crit.levels.values()),
                      " ".join(refs),
                      " ".join(fw.reference(r).title for r in refs if r in fw.references))
    return all(term in haystack for term in query.casefold().split())


def reference_matches(ref: Reference, query: str) -> bool:
    if not query:
        return True
    haystack = _words(ref.id, ref.source, SOURCE_NAMES.get(ref.source), ref.ref, ref.title,
                      ref.summary, ref.note)
    return all(term in haystack for term in query.casefold().split())


def _criterion(fw: Framework, crit: Criterion, source_view: bool) -> None:
    kind = "Statutory duty" if crit.statutory else "Expectation"
    label = f"{crit.id} · {kind} · {one_line(crit.text, 110)}"
    with st.expander(plain(label)):
        st.markdown(plain(crit.text))
        if crit.in_force is not None:
            st.info(plain(f"{coming_when(crit.in_force.date)}. Until then it is listed apart "
                          "as a coming duty and not counted."), icon=":material/schedule:")
        na = ""
        if crit.na_allowed:
            na = (f" · 'Not applicable' may be chosen only when {crit.na_when}"
                  if crit.na_when else " · 'Not applicable' may be chosen")
        st.caption(plain(ORIGIN_WORDS.get(crit.origin, crit.origin) + na))
        scope = who(crit)
        if scope:
            st.caption(plain(scope))
        scale = fw.scale_of(crit)
        st.table([{"Level": plain(scale.level(lv).label), "What it looks like here":
                   plain(crit.levels[lv])} for lv in scale.level_ids], hide_index=True)
        st.markdown("**What to look for**  \n" + "\n".join(f"- {plain(p)}"
                                                          for p in crit.evidence_prompts))
        refs, shown = [], set()
        for rid in crit.references:
            ref = fw.reference(rid)
            if cited(ref) in shown:
                continue
            shown.add(cited(ref))
            refs.append(f"- **{plain(cited(ref))}** ({plain(ref.title)}): "
                        f"{plain(ref.summary)} {link('Read the source', ref.url)}")
        st.markdown("**References**  \n" + "\n".join(refs))
        if source_view:
            _source(fw, crit)


def _source(fw: Framework, crit: Criterion) -> None:
    """The editors' trail: evidence levels, citations as published, reasons, scope notes."""
    lines = ["**Source view (for editors)**", ""]
    if crit.published_text:
        lines.append(f"- As published: {plain(crit.published_text)}")
    for rid in [*crit.references, *crit.legal_basis]:
        ref = fw.reference(rid)
        check = EVIDENCE_CHECK_LABELS.get(ref.evidence, ref.evidence)
        lines.append(f"- {plain(ref.id)}: {plain(check)}; printed as {plain(cited(ref))}."
                     + (f" {plain(ref.note)}" if ref.note else ""))
    if crit.published_references and set(crit.published_references) != set(crit.references):
        lines.append(f"- Citations as published: {plain(', '.join(crit.published_references))}")
    for label, text in (("Why the references differ", crit.reference_note),
                        ("Note", crit.note), ("Scope", crit.applies_to.note)):
        if text:
            lines.append(f"- {label}: {plain(text)}")
    if crit.in_force is not None:
        lines.append(f"- Comes into force: {plain(crit.in_force.commencement)}; enacted by "
                     + plain(", ".join(crit.in_force.enacted_by)))
    for change in crit.level_changes:
        lines.append(f"- From the coming law ({plain(coming_when(change.in_force.date))}), "
                     f"{plain(change.level)} reads: {plain(change.descriptor)}")
    st.markdown("\n".join(lines))


def _choose() -> Framework | None:
    try:
        installed = frameworks.shipped()
    except InputError as exc:
        session.FrameworkProblem("The installed criteria do not validate.",
                                 tuple(str(p) for p in exc.problems)).show()
        return None
    if not installed:
        st.warning("No criteria are installed.")
        return None
    keys = sorted(installed)
    default = frameworks.default()
    if len(keys) == 1:
        return installed[keys[0]]
    chosen = st.selectbox("Framework", keys, index=keys.index((default.id, default.version)),
                          format_func=lambda k: f"{installed[k].title}, version {k[1]}")
    return installed[chosen] if chosen else None


@st.fragment
def _results(fw: Framework) -> None:
    source_view = st.toggle("Source view for editors: how each reference was checked",
                            key="framework_source_view")
    query = st.text_input("Search criteria and references", key="framework_search",
                          placeholder="An id (D3), words (annual review) or a reference "
                                      "(CoP 6.2)", live="300ms", type="search").strip()
    crits = [c for c in fw.active if criterion_matches(fw, c, query)]
    refs = [r for r in sorted(fw.references.values(), key=lambda r: (r.source, r.id))
            if reference_matches(r, query)]
    if query:
        st.caption(f"{count(len(crits), 'criterion', 'criteria')} and "
                   f"{count(len(refs), 'reference')} match.")
    crit_tab, ref_tab, scale_tab = st.tabs([f"Criteria ({len(crits)})",
                                            f"References ({len(refs)})", "Rating scales"])
    with crit_tab:
        for section in fw.sections:
            found = [c for c in crits if fw.section_of(c.id) == section.id]
            if not found:
                continue
            st.header(section.title)
            if section.summary and not query:
                st.caption(plain(section.summary))
            for crit in found:
                _criterion(fw, crit, source_view)
        if not crits:
            st.markdown("No criterion matches. Try fewer words, or an id such as D1.")
    with ref_tab:
        if refs:
            rows = []
            for r in refs:
                if not (r.exists or source_view):
                    continue
                row = {"Reference": plain(cited(r)), "Title": plain(r.title),
                       "Summary": plain(r.summary)}
                if source_view:
                    row = {"Id": plain(r.id), **row, "Checked": plain(
                        EVIDENCE_CHECK_LABELS.get(r.evidence, r.evidence))
                        + ("" if r.exists else " (printed in error: no such paragraph)"),
                        "Editors' note": plain(r.note or "")}
                rows.append({**row, "Source text": link("Open", r.url)})
            st.table(rows, hide_index=True)
        else:
            st.markdown("No reference matches.")
    with scale_tab:
        for scale in fw.manifest.scales:
            st.header(scale.label)
            st.table([{"Level": plain(lv.label), "Meaning": plain(lv.descriptor),
                       "Meets the expectation": "Yes" if lv.meets_expectation else "No"}
                      for lv in scale.levels], hide_index=True)


def _changes(fw: Framework) -> None:
    """What changed between any two installed versions of this framework (the diff)."""
    from ..versions import (
        FIELD_WORDS,
        coming_label,
        diff,
        ordered,
        renamed_sections,
        section_title,
    )

    history = frameworks.versions(fw.id)
    if len(history) < 2:
        return
    st.header("What changed between versions")
    numbers = [v.version for v in history]
    left, right = st.columns(2)
    with left:
        old_v = st.selectbox("From version", numbers, key="diff_from",
                             index=max(numbers.index(fw.version) - 1, 0))
    with right:
        new_v = st.selectbox("To version", numbers, key="diff_to",
                             index=max(numbers.index(fw.version), 1))
    old, new = ordered(frameworks.get(fw.id, old_v), frameworks.get(fw.id, new_v))
    d = diff(old, new)
    for was, now in renamed_sections(old, new):
        st.markdown(f"Section renamed: {plain(was)} is now {plain(now)}.")
    if d.empty:
        st.markdown(f"Nothing changed in the criteria from {old.version} to {new.version}.")
        return
    st.markdown(f"From {old.version} to {new.version}: **{len(d.added)} new, "
                f"{len(d.withdrawn)} withdrawn, {len(d.changed)} changed.**")
    if d.added:
        st.subheader("New criteria")
        st.caption("Not assessed until the school rates them.")
        st.table([{"Criterion": plain(cid), "What it asks": plain(new.criterion(cid).text)}
                  for cid in d.added], hide_index=True)
    if d.withdrawn:
        st.subheader("Withdrawn criteria")
        st.table([{"Criterion": plain(w.id), "What it asked": plain(old.criterion(w.id).text),
                   "Where a school's answer goes": plain(
                       (f"To each of {w.replaced_by}, to re-check (archived if none can "
                        "take it)" if len(w.replacements) > 1 else
                        f"To {w.replaced_by}, to re-check (archived if {w.replaced_by} "
                        "already has an answer)") if w.replaced_by
                       else "Kept as an archived answer, never counted")}
                  for w in d.withdrawn], hide_index=True)
    if d.changed:
        st.subheader("Changed criteria")
        st.table([{"Criterion": plain(c.id),
                   "What changed": plain(", ".join(FIELD_WORDS[f] for f in c.fields)),
                   "Was": plain(_was_now(old.criterion(c.id), c.fields)),
                   "Now": plain(_was_now(new.criterion(c.id), c.fields, now=True)),
                   "A school's answer": "Carried over, to re-check" if c.needs_recheck
                   else "Carried over as it is"}
                  for c in d.changed], hide_index=True)
    if d.moved:
        st.subheader("Moved to another section")
        st.caption("Asked the same way, so the answer stands; it counts in the new section.")
        st.table([{"Criterion": plain(cid), "Was in": plain(section_title(old, was)),
                   "Now in": plain(section_title(new, now))} for cid, was, now in d.moved],
                 hide_index=True)
    if d.coming:
        st.subheader("Coming duties")
        st.caption("Enacted but not yet in force: listed apart and never counted as gaps "
                   "until their date.")
        st.table([{"Criterion": plain(coming_label(new, c)),
                   "What it asks": plain(new.criterion(c.id).text),
                   "In force": plain(c.when), "How the date is set": plain(c.commencement)}
                  for c in d.coming], hide_index=True)


def _was_now(crit: Criterion, fields: tuple[str, ...], now: bool = False) -> str:
    """The wording and, where it changed, whom the criterion applies to, on one side."""
    from ..versions import scope_words

    parts = [crit.text] if now or "text" in fields else []
    if "applies_to" in fields:
        parts.append(("Applies to: " if now else "Applied to: ") + scope_words(crit))
    return "\n\n".join(parts)


def render() -> None:
    st.title("Framework")
    fw = _choose()
    if fw is None:
        return
    m = fw.manifest
    st.markdown(f"**{plain(m.title)}**, version {plain(m.version)}, published by "
                f"{plain(m.publisher)}.  \nSource: {plain(m.source.title)} "
                f"({plain(m.source.publisher)}, {plain(m.source.date)}).")
    duties = sum(1 for c in fw.active if c.statutory)
    st.caption(f"{count(len(fw.active), 'criterion', 'criteria')} in "
               f"{count(len(fw.sections), 'section')}: {duties} statutory duties and "
               f"{len(fw.active) - duties} expectations; {count(len(fw.references), 'reference')}.")
    if m.notes:
        with st.expander("Notes on this framework"):
            st.markdown("\n\n".join(plain(n) for n in m.notes))
    _results(fw)
    _changes(fw)
