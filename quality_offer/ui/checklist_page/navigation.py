"""The way through the checklist: the task list of sections, the previous and next section,
"Next unanswered", where a new sitting starts, and scrolling to the card asked for.

The task list is a widget, which a card's fragment cannot redraw; it is a named fragment of
its own, and a click that changes its counts (answered, or a gap) reruns the list and that
card by name, not the whole page (see :mod:`.saving`).
"""

from __future__ import annotations

import json

import streamlit as st

from ...audit import Audit
from ...worklist import is_answered, next_unanswered, resume_section, section_statuses
from .. import session
from .filters import clear_finder
from .state import ANSWERED, SECTION_KEY, TASK_LIST, Ctx


def to_next_unanswered(ctx: Ctx) -> None:
    """Button callback: open the section of the next unanswered criterion and point at it."""
    ss = st.session_state
    done = ss.get(ANSWERED, {}).get("done", {})
    target = next_unanswered(ctx.order, ctx.sections[ctx.section_id], done)
    if target is None:
        ss["_jump_msg"] = "Every criterion has an answer."
        return
    ss[SECTION_KEY] = ctx.fw.section_of(target)
    ss["_focus"] = target
    clear_finder()  # the criterion is shown in its section, whatever was searched for


def step_section(ctx: Ctx, step: int) -> None:
    """Button callback: open the section ``step`` places away, from its top."""
    ids = list(ctx.sections)
    i = ids.index(ctx.section_id) + step
    if 0 <= i < len(ids):
        st.session_state[SECTION_KEY] = ids[i]
        st.session_state["_focus"] = "__top__"


def scroll_to(cid: str) -> None:
    """Scroll to a card and put keyboard focus on its rating, or to the page's heading."""
    if cid == "__top__":
        target = json.dumps("checklist")
        label = json.dumps("")
    else:
        target = json.dumps(f"criterion-{cid}".replace(".", "-"))
        label = json.dumps(f"Rating for {cid}")
    st.html(f"""<script>
      (function() {{
        const doc = window.parent ? window.parent.document : document;
        const go = () => {{
          const el = doc.getElementById({target});
          if (!el) return false;
          el.scrollIntoView({{block: "start"}});
          const group = {label} && doc.querySelector('[role="radiogroup"][aria-label=' +
                                                   JSON.stringify({label}) + ']');
          const input = group && group.querySelector("input");
          if (input) {{
            input.focus({{preventScroll: true}});
          }} else if (!{label}) {{
            // The page's heading takes the focus the pressed button had: left on the page's
            // body, focus was nowhere to be seen, and a screen reader said nothing.
            el.setAttribute("tabindex", "-1");
            el.focus({{preventScroll: true}});
          }}
          return true;
        }};
        if (!go()) setTimeout(go, 300);
      }})();
    </script>""", unsafe_allow_javascript=True, width="content")


def keep_focus_on_card(cid: str) -> None:
    """Put keyboard focus back on a card's rating when the control that had it went away.

    Ticking "Re-checked" saves the answer and removes the notice and the box itself: the
    focus fell to the page's body, and the next Tab started again from somewhere else. It
    goes to the rating just confirmed (the chosen level, as a radio group's Tab stop is),
    or to the first control still enabled in the card. Nothing moves if the person has
    already gone on to another control.
    """
    label = json.dumps(f"Rating for {cid}")
    st.html(f"""<script>
      (function() {{
        const doc = window.parent ? window.parent.document : document;
        const start = Date.now();
        const go = () => {{
          const active = doc.activeElement;
          const lost = !active || active === doc.body || !active.isConnected;
          const group = doc.querySelector('[role="radiogroup"][aria-label=' +
                                          JSON.stringify({label}) + ']');
          if (lost && group) {{
            const card = group.closest('[class*="st-key-card-"]') || group;
            const input = group.querySelector("input:checked:not(:disabled)")
              || group.querySelector("input:not(:disabled)")
              || card.querySelector("input:not(:disabled), summary");
            if (input) {{ input.focus(); return; }}
          }}
          const leaving = active && active.isConnected && active.type === "checkbox"
            && (active.closest("label") || active).textContent.includes("Re-checked");
          if ((lost || leaving) && Date.now() - start < 4000) setTimeout(go, 100);
        }};
        go();
      }})();
    </script>""", unsafe_allow_javascript=True, width="content")


def start_section(ctx: Ctx) -> str | None:
    """Where a new sitting starts: the section of the answer changed last, by anyone."""
    return resume_section(ctx.fw, ctx.order,
                          (r.criterion_id for r in session.store().history(*ctx.key)))


@st.fragment(key=TASK_LIST)
def task_list(ctx: Ctx, audit: Audit) -> None:
    """The sections with their state, as a GOV.UK task list: also the way between them.

    A radio group is one Tab stop (arrow keys move within it) and is bound to the address,
    so a reload or a bookmark opens the same section and the control agrees with the page.

    A fragment of its own, so that a rating click which changes a section's counts redraws
    the list and the clicked card alone (see :func:`.saving.changed`), not the whole page.
    Rerun on its own it reads the answers again from the database: the ``audit`` it was
    drawn from is the last full run's. Choosing another section from it redraws the page.
    """
    ss = st.session_state
    if ctx.settled:  # a rerun of this fragment alone, after the page was drawn
        if ss.get(SECTION_KEY) != ctx.section_id:
            st.rerun(scope="app")  # another section chosen: its cards are the page's
        audit = session.store().get_audit(*ctx.key) or audit
        ss[ANSWERED] = {"key": ctx.key, "done": {cid: is_answered(audit.responses.get(cid))
                                                 for cid in ctx.order}}
    crits = [ctx.fw.criterion(cid) for cid in ctx.order]
    lines = {s.id: s for s in section_statuses(ctx.fw, crits, audit.responses)}
    st.radio("Sections", list(ctx.sections), key=SECTION_KEY,
             format_func=lambda sid: ctx.titles[sid],
             captions=[f"{lines[sid].status}: {lines[sid].describe()}" for sid in ctx.sections],
             bind="query-params")
