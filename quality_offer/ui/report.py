"""Gap report page: what governors read, from one :func:`quality_offer.gaps.analyse` call.

The page, the PDF, the HTML and the spreadsheets all render the same ``GapReport`` object,
so they cannot disagree. Every chart has its numbers beside it in words, and every rating,
flag and overdue action is said in words, never by colour alone.
"""

from __future__ import annotations

from itertools import groupby

import altair as alt
import streamlit as st

from ..audit import Audit
from ..citations import SOURCE_NAMES, cited_list
from ..dates import long_date, short_date
from ..framework import Framework
from ..gaps import GapReport, RefOut, SectionResult, analyse
from ..reports.wording import coming_when, draft_line, share_text
from ..vocabulary import ACTION_STATUS_LABELS, CHECK_LABELS, SIGN_OFF_ROLE_LABELS
from . import session
from .downloads import audit_file_downloads, report_downloads
from .text import count, link, one_line, plain


def _duties(report: GapReport) -> None:
    d = report.duties
    st.header("Statutory duties at a glance")
    if not d.total:
        st.markdown("No statutory duty applies to this kind of school.")
        return
    cols = st.columns(4)
    for col, (label, value) in zip(cols, (("Met", d.met), ("Partly met", d.partly_met),
                                          ("Not met", d.not_met),
                                          ("Not assessed", d.not_assessed)), strict=True):
        col.metric(f"Duties {label.lower()}", f"{value} of {d.total}", border=True)
    sentence = (f"{d.met} of {count(d.total, 'statutory duty', 'statutory duties')} "
                f"{'is' if d.met == 1 else 'are'} met")
    extra = [f"{d.partly_met} partly met" if d.partly_met else "",
             f"{d.not_met} not met" if d.not_met else "",
             f"{d.not_assessed} not yet assessed" if d.not_assessed else ""]
    extra = [e for e in extra if e]
    if extra:
        sentence += "; " + ", ".join(extra)
    st.markdown(sentence + ".")
    st.caption(f"Rule: {plain(report.rules.get('duty', ''))}")


def _section_chart(sec: SectionResult, report: GapReport, fw: Framework) -> alt.LayerChart:
    """Criteria at each level as horizontal bars, each labelled with its number."""
    meets = {lv.id: lv.meets_expectation for sc in fw.manifest.scales for lv in sc.levels}
    rows = [{"Level": report.level_labels.get(lv, lv), "Criteria": n,
             "Standard": "At or above expected" if meets.get(lv) else "Below expected"}
            for lv, n in sec.counts.items()]
    rows.append({"Level": "Not assessed", "Criteria": sec.not_assessed,
                 "Standard": "Not assessed"})
    order = [r["Level"] for r in rows]
    top = max(1, *(r["Criteria"] for r in rows))
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("Level:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
        x=alt.X("Criteria:Q", title="Number of criteria",
                axis=alt.Axis(tickMinStep=1, format="d"),
                scale=alt.Scale(domain=[0, top])),
    )
    bars = base.mark_bar().encode(
        color=alt.Color("Standard:N", title=None,
                        scale=alt.Scale(domain=["Below expected", "At or above expected",
                                                "Not assessed"],
                                        range=["#d55e00", "#0072b2", "#b1b4b6"]),  # Okabe-Ito
                        legend=alt.Legend(orient="bottom")),
        tooltip=["Level:N", "Criteria:Q", "Standard:N"])
    labels = base.mark_text(align="left", dx=4, color="#0b0c0c").encode(text="Criteria:Q")
    # A fixed step per bar: a numeric height lets Streamlit squash the bars together.
    return (bars + labels).properties(height=alt.Step(28))


def _section_words(sec: SectionResult, report: GapReport) -> str:
    share = share_text(sec.meeting_expectation_share)
    text = (f"{sec.at_or_above} of {sec.assessed} assessed at or above the expected level "
            f"({share})." if sec.assessed else "Nothing assessed yet.")
    if sec.not_assessed:
        text += f" {count(sec.not_assessed, 'criterion', 'criteria')} not assessed."
    if sec.not_applicable:
        text += f" {sec.not_applicable} marked not applicable."
    return text


def _sections(report: GapReport, fw: Framework) -> None:
    st.header("Each section at a glance")
    st.caption(f"Rule: {plain(report.rules.get('section', ''))}")
    for sec in report.sections:
        if not sec.applicable and not sec.not_applicable:
            continue
        st.subheader(sec.title)
        if sec.flagged:
            st.warning("Flagged: a statutory duty in this section is not met or only partly "
                       f"met ({', '.join(sec.unmet_duties)}).", icon=":material/flag:")
        chart_col, words_col = st.columns([3, 2], gap="large")
        with chart_col:
            summary = "; ".join(f"{report.level_labels.get(lv, lv)}: {n}"
                                for lv, n in sec.counts.items())
            st.altair_chart(_section_chart(sec, report, fw), width="stretch",
                            alt=f"{sec.title}: criteria at each level. {summary}.")
        with words_col:
            st.table([{"Level": report.level_labels.get(lv, lv), "Criteria": n}
                      for lv, n in sec.counts.items()]
                     + [{"Level": "Not assessed", "Criteria": sec.not_assessed}],
                     hide_index=True)
            st.markdown(_section_words(sec, report))


def _ref_line(ref: RefOut) -> str:
    source = SOURCE_NAMES.get(ref.source, ref.source)
    return f"**{plain(ref.cited)}**: {plain(ref.summary)} {link(f'Read the {source}', ref.url)}"


def _ref_lines(refs: list[RefOut]) -> str:
    """One line per printed citation: unconfirmed paragraphs of one chapter show once."""
    seen: set[str] = set()
    lines = []
    for ref in refs:
        if ref.cited not in seen:
            seen.add(ref.cited)
            lines.append(_ref_line(ref))
    return "  \n".join(lines)


def _coming(report: GapReport) -> None:
    st.header("Duties that are coming")
    if not report.coming:
        st.markdown("No law that is passed but not yet in force applies to the school.")
        return
    st.markdown("The law has changed but these duties are not in force yet. They are not "
                "counted above and are not gaps; they show what the school should prepare.")
    for c in report.coming:
        with st.container(border=True):
            what = (f" (new wording for {plain(c.level_label)})" if c.level_label else "")
            st.markdown(f"**{plain(c.criterion)}**{what} · {plain(coming_when(c.in_force_on))}"
                        f" · {plain('; '.join(cited_list(c.enacted_by)))}")
            st.markdown(plain(c.descriptor or c.text))
            st.markdown("**What to prepare**\n\n" + "\n".join(f"- {plain(p)}"
                                                               for p in c.prepare))


def _gaps(report: GapReport) -> None:
    st.header("Gaps in priority order")
    if not report.gaps:
        st.markdown("No gaps: every assessed criterion is at or above the expected level."
                    + (" Some criteria are not assessed yet (see below)."
                       if report.not_assessed else ""))
        return
    st.markdown(f"{count(len(report.gaps), 'gap')}, most urgent first: statutory duties not "
                "met, then partly met, then expectations not in place, then emerging.")
    for _prio, group in groupby(report.gaps, key=lambda g: (g.priority, g.priority_label)):
        gaps = list(group)
        st.subheader(f"{_prio[1]} ({len(gaps)})")
        for gap in gaps:
            with st.container(border=True):
                section = plain(report.section_title(gap.section))
                st.markdown(f"**{plain(gap.criterion)}** · {section} · rated "
                            f"**{plain(gap.rating_label)}** (expected: "
                            f"{plain(gap.expected_label)})")
                st.markdown(plain(gap.text))
                st.markdown(_ref_lines(gap.references))
                if gap.action is None:
                    st.markdown("**Action:** none planned yet.")
                else:
                    a = gap.action
                    bits = [f"**Action:** {plain(a.what)}"]
                    if a.owner:
                        bits.append(f"Owner: {plain(a.owner)}")
                    if a.due:
                        overdue = " (overdue)" if a.overdue(report.as_of) else ""
                        bits.append(f"Due: {short_date(a.due)}{overdue}")
                    bits.append(f"Status: {ACTION_STATUS_LABELS.get(a.status, a.status)}")
                    st.markdown("  \n".join(bits))


def _not_assessed(report: GapReport) -> None:
    st.header("Not assessed")
    if not report.not_assessed:
        st.markdown("Every applicable criterion has an answer.")
    else:
        st.markdown(f"{count(len(report.not_assessed), 'criterion', 'criteria')} "
                    f"{'has' if len(report.not_assessed) == 1 else 'have'} no rating yet. "
                    "They are not counted as met or as gaps: "
                    + ", ".join(plain(c) for c in report.not_assessed) + ".")
    if report.not_applicable:
        st.subheader("Marked not applicable")
        st.table([{"Criterion": plain(x["criterion"]), "Reason": plain(x["reason"])}
                  for x in report.not_applicable], hide_index=True)


def _checks(report: GapReport) -> None:
    st.header("Quality checks")
    if not report.checks:
        st.markdown("No problems found: every rating has evidence, every gap has an action, "
                    "and nothing is overdue.")
        return
    for kind, group in groupby(report.checks, key=lambda c: c.kind):
        items = list(group)
        st.markdown(f"**{CHECK_LABELS.get(kind, kind)} ({len(items)})**  \n"
                    + "\n".join(f"- {plain(c.message)}" for c in items))


def _actions(report: GapReport) -> None:
    st.header("Action plan")
    if not report.actions:
        st.markdown("No actions recorded yet. Add them on the Checklist page, under each "
                    "criterion's evidence and action.")
        return
    overdue = sum(1 for a in report.actions if a.overdue)
    if overdue:
        st.markdown(f"**{count(overdue, 'action')} overdue.** Overdue actions are listed first.")
    st.table([{"Criterion": plain(a.criterion), "Action": plain(one_line(a.what, 200)),
               "Owner": plain(a.owner), "Due": short_date(a.due) or "No date",
               "Status": ACTION_STATUS_LABELS.get(a.status, a.status),
               "Overdue": "Overdue" if a.overdue else "No"} for a in report.actions],
             hide_index=True)


def _questions(report: GapReport) -> None:
    if not report.questions:
        return
    st.header("Questions governors might ask")
    st.markdown("\n".join(f"{i}. {plain(q)}" for i, q in enumerate(report.questions, 1)))


def _sign_offs(report: GapReport) -> None:
    signed = report.current_sign_offs
    if not signed:
        return
    st.header("Sign-off")
    st.table([{"Name": plain(s.name), "Role": SIGN_OFF_ROLE_LABELS.get(s.role, s.role),
               "Date": long_date(s.date), "Comment": plain(s.comment or ""),
               "Reason for signing before it was finished": plain(s.reason or "")}
              for s in signed], hide_index=True)


def _downloads(report: GapReport, audit: Audit) -> None:
    st.header("Download")
    report_downloads(report, audit)
    st.caption("The audit file holds every answer, to keep, send to someone, or import on "
               "another computer.")
    audit_file_downloads(audit, "download")


def render() -> None:
    session.follow_page_request()
    st.title("Gap report")
    opened = session.open_audit()
    if opened is None:
        return
    audit, fw = opened
    session.audit_heading(audit, fw)
    report = analyse(fw, audit)
    if report.is_draft:
        st.info(plain(draft_line(report)) + ". Every page of the PDF and the printed HTML "
                "says so.", icon=":material/draft:")
    _duties(report)
    _downloads(report, audit)
    _sections(report, fw)
    _gaps(report)
    _coming(report)
    _not_assessed(report)
    _checks(report)
    _actions(report)
    _questions(report)
    _sign_offs(report)
