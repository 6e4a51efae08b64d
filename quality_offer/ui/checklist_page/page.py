"""Checklist page: rate every criterion, section by section, with every change saved at once.

This module is the page's frame: the audit opened, who may change it, the section shown, the
search and filters, the cards in order and the way to the next section. Each part is a
module beside it.

How it keeps work safe and fast:

* The database is the truth. Each full run reads the stored answers and their versions; a
  widget is (re)filled from the database whenever the stored version differs from the one the
  widget shows, so a reload, a second tab or a restarted server shows what is saved
  (:mod:`.state`).
* Every change is saved in the widget's callback, naming the version it was edited from. If
  someone else saved in between, the store refuses (``Conflict``); the page says so in their
  words and shows the stored answer instead. Nothing is silently overwritten (:mod:`.saving`).
* One section is rendered at a time. In each card the fixed text (criterion, prompts,
  references) is drawn by the page run; the answer and the evidence-and-action parts are
  separate fragments (``st.fragment``, :mod:`.rating` and :mod:`.details`), and the evidence
  fields are only built while their expander is open, so a rating click reruns one radio and
  the progress bars. The progress bars live outside the cards; each answer fragment redraws
  them (Streamlit lets a fragment write to containers made in the full run, provided it
  writes to them on every full run too).
* The section task list is a widget, which a card's fragment cannot redraw; it is a named
  fragment of its own (:mod:`.navigation`), and a click that changes its counts (answered,
  or a gap) reruns the list and that card by name, not the whole page (unless the cards
  shown are chosen by their answers, "gaps" or "unanswered": then which cards match changes
  too, and the page is redrawn).
* What a change does to an answer, and what counts as answered or a gap, are the rules of
  :mod:`quality_offer.editing` and :mod:`quality_offer.worklist`; the page only calls them.
* User text is only ever shown through :func:`~quality_offer.ui.text.plain`.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ... import search as finder
from ...audit import applicable
from ...worklist import FILTER_LABELS, sections_to_work, select
from .. import move, session
from ..text import count, plain
from .card import criterion
from .cautions import guard_unsaved_typing, signatures_at_stake
from .document import document
from .filters import clear_finder, search_and_filters
from .navigation import scroll_to, start_section, step_section, task_list, to_next_unanswered
from .progress import progress
from .state import FULL_KEY, SECTION_KEY, Ctx, sync


def render() -> None:
    """The page, drawn for the audit asked for (see :func:`.session.open_audit`)."""
    session.follow_page_request()
    st.title("Checklist", anchor="checklist")
    opened = session.open_audit()
    if opened is None:
        return
    audit, fw = opened
    session.audit_heading(audit, fw)
    move.offer(audit, fw)
    move.archived_answers(audit)
    crits = applicable(fw, audit)
    sections = sections_to_work(fw, crits)
    if not sections:
        st.warning("No criteria of this framework apply to this kind of school.")
        return
    ss = st.session_state
    ctx = Ctx(key=audit.key, fw=fw, user=session.current_user(),
              editable=(session.may("edit", audit.school.urn, audit.school.la_code)
                        and audit.status != "signed-off"),
              carried_from=audit.carried_forward_from, order=[c.id for c in crits],
              sections=sections, titles={s.id: s.title for s in fw.sections},
              section_id="")
    if ss.get(SECTION_KEY) not in sections:
        asked = st.query_params.get(SECTION_KEY)
        ss[SECTION_KEY] = (asked if asked in sections
                           else start_section(ctx) or next(iter(sections)))
    ctx.section_id = ss[SECTION_KEY]
    if not ctx.editable:
        if audit.status == "signed-off":
            st.info("This audit is signed off, so it cannot be changed. A headteacher can "
                    "reopen it on the Sign-off and history page.")
        else:
            st.info("You can read this audit but not change it.")
        document(ctx, audit)
        return
    signatures_at_stake(audit)
    left_out = len(fw.active) - len(crits)
    ctx.overall = st.empty()
    task_list(ctx, audit)
    if left_out:
        does, are = ("does", "is") if left_out == 1 else ("do", "are")
        st.caption(f"{count(left_out, 'criterion', 'criteria')} of the framework {does} not "
                   f"apply to this kind of school and {are} not shown.")
    filters, query = search_and_filters(ctx)
    tools = st.container(horizontal=True, vertical_alignment="center")
    with tools:
        ctx.compact = not st.toggle("Show descriptors, prompts and references on every card",
                                    key=FULL_KEY)
        st.button("Next unanswered", icon=":material/skip_next:", on_click=to_next_unanswered,
                  args=(ctx,))
    if ss.get("_jump_msg"):
        st.success(ss.pop("_jump_msg"))
    guard_unsaved_typing()
    ctx.by_answers = bool({"unanswered", "gaps"} & set(filters))
    if filters or query:
        found = finder.search(fw, select(fw, crits, audit.responses, filters,
                                         dt.date.today()), query)
        ctx.shown = [c.id for c in found]
        st.header("Matching criteria", anchor="matching")
        said = [FILTER_LABELS[f].lower() for f in filters] + (
            [f"“{query}”"] if query else [])
        st.markdown(f"{count(len(found), 'criterion', 'criteria')} of {len(crits)} match "
                    f"{plain(' and '.join(said))}.")
        if query and finder.describe(query):
            st.caption(plain(finder.describe(query)))
        st.button("Clear the search and filters", on_click=clear_finder, key="clear_find")
        sync(audit, ctx)
        for cid in ctx.shown:
            criterion(ctx, cid, where=ctx.titles[fw.section_of(cid)])
        progress(ctx)
        ctx.settled = True
        return
    ctx.shown = list(sections[ctx.section_id])
    section = next(s for s in fw.sections if s.id == ctx.section_id)
    st.header(section.title, anchor=f"section-{section.id}")
    if section.summary:
        st.markdown(plain(section.summary))
    ctx.section_bar = st.empty()
    sync(audit, ctx)
    for cid in ctx.shown:
        criterion(ctx, cid)
    progress(ctx)
    ctx.settled = True
    ids = list(sections)
    i = ids.index(ctx.section_id)
    with st.container(horizontal=True, horizontal_alignment="distribute"):
        if i > 0:
            st.button(f"Previous: {ctx.titles[ids[i - 1]]}", icon=":material/arrow_back:",
                      on_click=step_section, args=(ctx, -1), key="prev_section")
        else:
            st.space("small")
        if i < len(ids) - 1:
            st.button(f"Next: {ctx.titles[ids[i + 1]]}", icon=":material/arrow_forward:",
                      icon_position="right", on_click=step_section, args=(ctx, 1),
                      key="next_section")
        elif st.button("See the gap report", icon=":material/summarize:", type="primary",
                       key="to_report"):
            session.go("report")
    focus = ss.pop("_focus", None)
    if focus:
        scroll_to(focus)
