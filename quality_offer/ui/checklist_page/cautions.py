"""What the checklist warns of before harm is done: signatures a change would set aside, and
typed text not yet saved when the page is left."""

from __future__ import annotations

import streamlit as st

from ...audit import Audit
from ...dates import long_date
from ...vocabulary import SIGN_OFF_ROLE_LABELS
from ..text import plain


def signatures_at_stake(audit: Audit) -> None:
    """Say, before anyone edits, that a change sets the signatures already given aside: the
    store does so (signatories sign what they read), and nobody should learn it afterwards."""
    given = audit.current_sign_offs
    if not given:
        return
    who = "; ".join(f"{plain(s.name)} ({SIGN_OFF_ROLE_LABELS.get(s.role, s.role)}, "
                    f"{long_date(s.date)})" for s in given)
    st.warning(f"Already signed by {who}. Changing any answer sets "
               f"{'this signature' if len(given) == 1 else 'these signatures'} aside: "
               "they stay in the history but must be given again.",
               icon=":material/ink_pen:")


def guard_unsaved_typing() -> None:
    """Warn before the page is left while typed text is not yet saved.

    Text boxes save when they lose focus; until then the words live only in the browser.
    Typing marks the page unsaved, the box's commit (Tab, a click elsewhere, Ctrl+Enter)
    clears the mark, and leaving or reloading the page with the mark set asks first.
    """
    st.html("""<script>
      (function() {
        const win = window.parent || window;
        if (win.__qoGuard) return;
        win.__qoGuard = true;
        const doc = win.document;
        const fields = "textarea, input[type=text], input:not([type])";
        win.__qoDirty = new Set();
        doc.addEventListener("input", (e) => {
          if (e.target.matches && e.target.matches(fields)) win.__qoDirty.add(e.target);
        }, true);
        const clean = (e) => win.__qoDirty.delete(e.target);
        doc.addEventListener("focusout", clean, true);
        doc.addEventListener("change", clean, true);
        doc.addEventListener("keydown", (e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey || e.target.tagName === "INPUT")) {
            clean(e);
          }
        }, true);
        win.addEventListener("beforeunload", (e) => {
          if ([...win.__qoDirty].some((el) => el.isConnected)) {
            e.preventDefault();
            e.returnValue = "";
          }
        });
      })();
    </script>""", unsafe_allow_javascript=True, width="content")
