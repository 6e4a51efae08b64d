"""Every change is saved in the widget's callback, naming the version it was edited from.

If someone else saved in between, the store refuses (``Conflict``); the card says so in their
words and shows the stored answer instead. Nothing is silently overwritten. What a change does
to the answer is :func:`quality_offer.editing.changed_response`'s to say; this module saves
it and says how it went.
"""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ...audit import Response
from ...dates import clock
from ...editing import NotYet, changed_response, knock_on
from ...errors import InputError
from ...store import Conflict, Forbidden, StoreError
from ...worklist import counts_changed
from .. import session
from .state import TASK_LIST, Ctx, answer_key, load, mark_answered, wkey

SAVED_WHAT = {"rating": "Rating", "na": "Answer", "na_reason": "Not applicable reason",
              "ev_text": "Evidence", "ev_loc": "Where the evidence is kept",
              "ev_kind": "Kind of evidence", "act_what": "Action", "act_owner": "Action owner",
              "act_due": "Action date", "act_status": "Action status",
              "rechecked": "Re-check"}


def changed(ctx: Ctx, cid: str, kind: str) -> None:
    """Widget callback: save the change at once, or say why it was not saved."""
    ss = st.session_state
    base: Response | None = ss.get(f"_base::{cid}")
    answer = kind in ("rating", "na", "na_reason", "rechecked")
    msg = f"_msg::{cid}" if answer else f"_dmsg::{cid}"
    ss.pop(f"_msg::{cid}" if not answer else f"_dmsg::{cid}", None)
    try:
        new = changed_response(base, kind, ss.get(wkey(kind, cid)))
    except NotYet as exc:
        ss[msg] = ("info", str(exc))
        if kind == "na_reason" and base is not None and base.not_applicable:
            ss[wkey(kind, cid)] = base.not_applicable_reason
        return
    except ValidationError as exc:
        ss[msg] = ("error", "Not saved: " + "; ".join(
            str(e["msg"]).removeprefix("Value error, ") for e in exc.errors()))
        return
    if new is None or new == base:
        ss.pop(msg, None)
        return
    if not ctx.editable:  # the widgets are disabled; a crafted message still saves nothing
        ss[msg] = ("error", "Not saved: you cannot change this audit.")
        return
    store = session.store()
    expected = ss.get(f"_ver::{cid}", (ctx.key, 0))[1]
    try:
        version = store.save_response(*ctx.key, cid, new, ctx.user, expected_version=expected)
    except Conflict as exc:
        load(cid, ctx.key, exc.current, exc.version, overwrite=True)
        ss[msg] = ("conflict", str(exc))
        ss["_rerun_app"] = True  # every part of the card shows the stored answer again
        return
    except Forbidden as exc:
        # The rights changed since the page was drawn (a membership removed): say so, and
        # redraw the whole page on fresh rights, read-only.
        load(cid, ctx.key, base, expected, overwrite=True)
        ss[msg] = ("error", f"Not saved: {exc}.")
        session.forget_rights()
        ss["_rerun_app"] = True
        return
    except (StoreError, InputError) as exc:
        load(cid, ctx.key, base, expected, overwrite=True)
        ss[msg] = ("error", str(exc))
        return
    ss[f"_base::{cid}"] = new
    ss[f"_ver::{cid}"] = (ctx.key, version)
    mark_answered(ctx.key, cid, new)
    if kind in ("rating", "na", "rechecked"):
        # Written back so that the browser is told the value, not left to remember it: a
        # click that lands while the page is being redrawn can otherwise show as unchosen
        # although it is saved (seen with a slow server).
        ss[wkey(kind, cid)] = ss.get(wkey(kind, cid))
    for k, v in knock_on(kind, new).items():
        ss[wkey(k, cid)] = v
    if kind == "rechecked" and new.rechecked:
        ss[f"_refocus::{cid}"] = True  # the box goes with the notice: the card keeps focus
    ss[f"_say::{msg}"] = True
    ss[msg] = ("saved", f"{SAVED_WHAT.get(kind, 'Answer')} for {cid} saved at "
                        f"{clock(seconds=True)}.")
    if counts_changed(ctx.fw, ctx.fw.criterion(cid), base, new):
        if ctx.by_answers:
            # "Show only gaps" or "unanswered": which cards match, and how many, changed too.
            ss["_rerun_app"] = True
        else:
            _redraw_task_list(cid)


def _redraw_task_list(cid: str) -> None:
    """The task list's counts changed: have this click redraw the list with the card.

    A click in a card reruns only the card's fragment, which cannot redraw a widget outside
    itself; the list is a fragment too, so both are named, and nothing else of the page is
    redrawn (the list first, so that the card's progress bars read the answers it has just
    read). A run of the whole page (a test's, or one already asked for) draws the list anew
    by itself.
    """
    run = get_script_run_ctx()
    if run is not None and run.fragment_ids_this_run:
        st.rerun([TASK_LIST, answer_key(cid)])


def reload_page_if_asked() -> None:
    """After a refused save the whole page is redrawn from the database (rare, so cheap)."""
    if st.session_state.pop("_rerun_app", False):
        st.rerun(scope="app")
