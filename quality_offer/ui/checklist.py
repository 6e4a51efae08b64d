"""Checklist page: rate every criterion, section by section, with every change saved at once.

How it keeps work safe and fast:

* The database is the truth. Each full run reads the stored answers and their versions; a
  widget is (re)filled from the database whenever the stored version differs from the one the
  widget shows, so a reload, a second tab or a restarted server shows what is saved.
* Every change is saved in the widget's callback, naming the version it was edited from. If
  someone else saved in between, the store refuses (``Conflict``); the page says so in their
  words and shows the stored answer instead. Nothing is silently overwritten.
* One section is rendered at a time. In each card the fixed text (criterion, prompts,
  references) is drawn by the page run; the answer and the evidence-and-action parts are
  separate fragments (``st.fragment``), and the evidence fields are only built while their
  expander is open, so a rating click reruns one radio and the progress bars. The progress bars live
  outside the cards; each answer fragment redraws them (Streamlit lets a fragment write to
  containers made in the full run, provided it writes to them on every full run too).
* The section task list is a widget, which a card's fragment cannot redraw; it is a named
  fragment of its own, and a click that changes its counts (answered, or a gap) reruns the
  list and that card by name, not the whole page (unless the cards shown are chosen by their
  answers, "gaps" or "unanswered": then which cards match changes too, and the page is redrawn).
* User text is only ever shown through :func:`~quality_offer.ui.text.plain`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import streamlit as st
from pydantic import ValidationError
from streamlit.runtime.scriptrunner import get_script_run_ctx

from .. import search as finder
from ..applies_words import who
from ..audit import Audit, Response, applicable
from ..citations import SOURCE_NAMES, cited
from ..dates import clock, long_date, short_date
from ..editing import NotYet, changed_response
from ..errors import InputError
from ..framework import Framework
from ..models import Criterion
from ..permissions import User
from ..store import Conflict, Forbidden, StoreError
from ..vocabulary import (
    ACTION_STATUS_LABELS,
    ACTION_STATUSES,
    EVIDENCE_KIND_LABELS,
    EVIDENCE_KINDS,
    SIGN_OFF_ROLE_LABELS,
    SIR_STATUS_LABELS,
)
from ..worklist import FILTER_LABELS, is_answered, is_gap, section_statuses, select
from . import move, session
from .text import count, link, one_line, percent, plain
from .theme import SAVED_LINE

# Widget keys are f"{kind}::{criterion id}": stable, so a rerun or a reload finds them.
WIDGETS = ("rating", "na", "na_reason", "ev_text", "ev_loc", "ev_kind", "act_what",
           "act_owner", "act_due", "act_status", "rechecked")
SECTION_KEY = "section"
FILTERS_KEY = "show_only"
SEARCH_KEY = "find"
FULL_KEY = "full_cards"
ANSWERED = "_answered"
TASK_LIST = "task-list"  # the task list's fragment, rerun by name when its counts change
SHORT = 110  # characters of a criterion's text on a compact card's one line
SAVED_WHAT = {"rating": "Rating", "na": "Answer", "na_reason": "Not applicable reason",
              "ev_text": "Evidence", "ev_loc": "Where the evidence is kept",
              "ev_kind": "Kind of evidence", "act_what": "Action", "act_owner": "Action owner",
              "act_due": "Action date", "act_status": "Action status",
              "rechecked": "Re-check"}


def wkey(kind: str, cid: str) -> str:
    return f"{kind}::{cid}"


@dataclass(eq=False)
class Ctx:
    """What a criterion card needs; kept by Streamlit with the fragment between reruns."""

    key: tuple[str, str]
    fw: Framework
    user: User  # who acts; the store looks their rights up again at every save
    editable: bool
    carried_from: str | None
    order: list[str]  # applicable criterion ids, in framework order
    sections: dict[str, list[str]]  # section id -> its applicable criterion ids
    titles: dict[str, str]
    section_id: str
    compact: bool = True  # one line per criterion, details on demand
    by_answers: bool = False  # the cards shown are chosen by their answers (gaps, unanswered)
    shown: list[str] = field(default_factory=list)  # the criteria drawn in this run
    overall: Any = None  # placeholders made in the full run
    section_bar: Any = None
    settled: bool = field(default=False)  # True once the full run has drawn the progress


# --- state ------------------------------------------------------------------------------


def _widget_values(resp: Response | None) -> dict[str, Any]:
    """The value each widget shows for a stored response."""
    ev = resp.evidence if resp else None
    ac = resp.action if resp else None
    return {
        "rating": resp.rating if resp else None,
        "na": bool(resp and resp.not_applicable),
        "na_reason": (resp.not_applicable_reason or "") if resp else "",
        "ev_text": ev.text if ev else "",
        "ev_loc": ev.location if ev else "",
        "ev_kind": ev.kind if ev else None,
        "act_what": ac.what if ac else "",
        "act_owner": ac.owner if ac else "",
        "act_due": ac.due if ac else None,
        "act_status": ac.status if ac else "not-started",
        "rechecked": resp.rechecked if resp else True,
    }


def _load(cid: str, key: tuple[str, str], resp: Response | None, version: int,
          *, overwrite: bool) -> None:
    """Make ``resp`` (at ``version``) what the card for ``cid`` edits.

    With ``overwrite`` the widgets are set to it at once (allowed in callbacks); otherwise
    their state is dropped and the card refills it before drawing.
    """
    ss = st.session_state
    ss[f"_base::{cid}"] = resp
    ss[f"_ver::{cid}"] = (key, version)
    values = _widget_values(resp)
    for kind in WIDGETS:
        if overwrite:
            ss[wkey(kind, cid)] = values[kind]
        else:
            ss.pop(wkey(kind, cid), None)
    _mark_answered(key, cid, resp)


def _fill_missing(cid: str) -> None:
    """Give each widget of the card the stored value, unless it already has state."""
    ss = st.session_state
    values = _widget_values(ss.get(f"_base::{cid}"))
    for kind in WIDGETS:
        if wkey(kind, cid) not in ss:
            ss[wkey(kind, cid)] = values[kind]


def _mark_answered(key: tuple[str, str], cid: str, resp: Response | None) -> None:
    board = st.session_state.get(ANSWERED)
    if board and board["key"] == key:
        board["done"][cid] = is_answered(resp)


def _sync(audit: Audit, ctx: Ctx) -> None:
    """Bring this section's cards in line with the database (another tab, a restart...)."""
    store = session.store()
    ss = st.session_state
    ss[ANSWERED] = {"key": ctx.key, "done": {cid: is_answered(audit.responses.get(cid))
                                             for cid in ctx.order}}
    cids = ctx.shown
    versions = {cid: store.response_version(*ctx.key, cid) for cid in cids}
    stale = [cid for cid in cids if ss.get(f"_ver::{cid}") != (ctx.key, versions[cid])
             or any(wkey(k, cid) not in ss for k in ("rating", "na"))]
    if not stale:
        return
    # Versions were read after ``audit``: re-read the answers, so that no answer is ever
    # paired with a newer version than its own (which could let a save overwrite unseen).
    fresh = store.get_audit(*ctx.key) or audit
    for cid in stale:
        _load(cid, ctx.key, fresh.responses.get(cid), versions[cid], overwrite=False)


# --- saving -----------------------------------------------------------------------------


def _changed(ctx: Ctx, cid: str, kind: str) -> None:
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
        _load(cid, ctx.key, exc.current, exc.version, overwrite=True)
        ss[msg] = ("conflict", str(exc))
        ss["_rerun_app"] = True  # every part of the card shows the stored answer again
        return
    except Forbidden as exc:
        # The rights changed since the page was drawn (a membership removed): say so, and
        # redraw the whole page on fresh rights, read-only.
        _load(cid, ctx.key, base, expected, overwrite=True)
        ss[msg] = ("error", f"Not saved: {exc}.")
        session.forget_rights()
        ss["_rerun_app"] = True
        return
    except (StoreError, InputError) as exc:
        _load(cid, ctx.key, base, expected, overwrite=True)
        ss[msg] = ("error", str(exc))
        return
    ss[f"_base::{cid}"] = new
    ss[f"_ver::{cid}"] = (ctx.key, version)
    _mark_answered(ctx.key, cid, new)
    if kind in ("rating", "na", "rechecked"):
        # Written back so that the browser is told the value, not left to remember it: a
        # click that lands while the page is being redrawn can otherwise show as unchosen
        # although it is saved (seen with a slow server).
        ss[wkey(kind, cid)] = ss.get(wkey(kind, cid))
    if kind == "rating":
        ss[wkey("na", cid)] = False
    if kind == "na_reason":
        ss[wkey("rating", cid)] = None
    if kind == "act_what" and new.action is None:
        for k, v in (("act_owner", ""), ("act_due", None), ("act_status", "not-started")):
            ss[wkey(k, cid)] = v
    ss[f"_say::{msg}"] = True
    ss[msg] = ("saved", f"{SAVED_WHAT.get(kind, 'Answer')} for {cid} saved at "
                        f"{clock(seconds=True)}.")
    crit = ctx.fw.criterion(cid)
    if (is_answered(base), is_gap(ctx.fw, crit, base)) != (
            is_answered(new), is_gap(ctx.fw, crit, new)):
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
        st.rerun([TASK_LIST, _answer_key(cid)])


# --- drawing ----------------------------------------------------------------------------


def _progress(ctx: Ctx) -> None:
    """The overall and section bars, from the answered map."""
    done: dict[str, bool] = st.session_state.get(ANSWERED, {}).get("done", {})
    total = len(ctx.order)
    n = sum(1 for cid in ctx.order if done.get(cid))
    ctx.overall.progress(n / total if total else 0.0,
                         text=f"Overall: {n} of {count(total, 'criterion', 'criteria')} "
                              f"answered ({percent(n, total)})")
    if ctx.section_bar is None:
        return
    cids = ctx.sections[ctx.section_id]
    s_n = sum(1 for cid in cids if done.get(cid))
    ctx.section_bar.progress(s_n / len(cids) if cids else 0.0,
                             text=f"This section: {s_n} of {len(cids)} answered")


def _placeholders_only(ctx: Ctx) -> None:
    """Reserve this card's place in the progress containers without drawing them again."""
    ctx.overall.empty()
    if ctx.section_bar is not None:
        ctx.section_bar.empty()


def _prompts_and_references(ctx: Ctx, crit: Criterion) -> None:
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


def _card_summary(resp: Response | None) -> str:
    """What the evidence-and-action expander holds, so it need not be opened to know."""
    parts = []
    if resp and resp.evidence and not resp.evidence.empty:
        parts.append("evidence recorded")
    if resp and resp.action:
        due = f", due {short_date(resp.action.due)}" if resp.action.due else ""
        status = ACTION_STATUS_LABELS.get(resp.action.status, resp.action.status).lower()
        overdue = (resp.action.overdue(dt.date.today()))
        parts.append(f"action {status}{due}{' (overdue)' if overdue else ''}")
    return "; ".join(parts) if parts else "none recorded yet"


def _evidence_and_action(ctx: Ctx, cid: str, disabled: bool) -> None:
    ss = st.session_state
    cb = {"on_change": _changed}

    def args(kind: str) -> tuple[Ctx, str, str]:
        return (ctx, cid, kind)

    st.markdown("**Evidence**")
    st.caption("Typed text is saved when you leave the box (Tab or click elsewhere) or press "
               "Ctrl+Enter; a line under the box says when it was saved.")
    st.text_area(f"Evidence for {cid}: what shows this rating is right", key=wkey("ev_text", cid),
                 max_chars=20_000, height=100, disabled=disabled, args=args("ev_text"), **cb)
    left, right = st.columns(2)
    with left:
        st.text_input("Where it is kept", key=wkey("ev_loc", cid), max_chars=300,
                      disabled=disabled, args=args("ev_loc"), **cb,
                      help="For example: SEN policy, shared drive > SEND > Policies")
    with right:
        st.selectbox("Kind of evidence", EVIDENCE_KINDS, index=None, key=wkey("ev_kind", cid),
                     format_func=EVIDENCE_KIND_LABELS.get, placeholder="Not given",
                     disabled=disabled, args=args("ev_kind"), **cb)
    st.markdown("**Action**")
    st.text_area(f"Action to improve {cid}", key=wkey("act_what", cid), max_chars=20_000,
                 height=80, disabled=disabled, args=args("act_what"), **cb,
                 help="Fill in the action, its owner, date and status in any order. Clearing "
                      "the action, owner and date removes it (its history is kept).")
    a, b, c = st.columns(3)
    with a:
        st.text_input("Owner", key=wkey("act_owner", cid), max_chars=300,
                      disabled=disabled, args=args("act_owner"), **cb)
    with b:
        st.date_input("Due by", value=None, key=wkey("act_due", cid), format="DD/MM/YYYY",
                      disabled=disabled, args=args("act_due"), **cb)
    with c:
        st.selectbox("Action status", ACTION_STATUSES, key=wkey("act_status", cid),
                     format_func=ACTION_STATUS_LABELS.get, disabled=disabled,
                     args=args("act_status"), **cb)
    base = ss.get(f"_base::{cid}")
    action = base.action if base is not None else None
    if action is not None and action.overdue(dt.date.today()):
        st.warning(f"This action was due on {short_date(action.due)} and is not done yet: "
                   "it is overdue.")


def _message(key: str) -> None:
    message = st.session_state.get(key)
    if message:
        level, text = message
        if level == "saved":
            # Markdown of plain text, in a container the theme styles (green, bold, a tick
            # that screen readers skip): no HTML is built here, so nothing can be mis-escaped.
            with st.container(key=f"{SAVED_LINE}-{key}"):
                st.markdown(plain(text))
        elif level == "info":
            st.info(plain(text))
        else:
            st.error(plain(text))
        if st.session_state.pop(f"_say::{key}", False):
            announce(text)


def _js_string(text: str) -> str:
    """``text`` as a JavaScript string literal that is safe inside a ``<script>`` element:
    JSON, with ``<``, ``>`` and ``&`` written as escapes so no text can close the script."""
    return (json.dumps(text).replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026"))


def announce(text: str) -> None:
    """Say ``text`` to screen readers through one polite live region kept in the page.

    A status element drawn afresh is not reliably read out; a region that stays in the
    document and has its text replaced is (WCAG 2.2, 4.1.3 Status Messages).
    """
    st.html(f"""<script>
      (function() {{
        const doc = window.parent ? window.parent.document : document;
        let region = doc.getElementById("qo-live");
        if (!region) {{
          region = doc.createElement("div");
          region.id = "qo-live";
          region.setAttribute("role", "status");
          region.setAttribute("aria-live", "polite");
          region.className = "qo-visually-hidden";
          region.style.cssText = "position:absolute;width:1px;height:1px;overflow:hidden;" +
            "clip:rect(0 0 0 0);white-space:nowrap;";
          doc.body.appendChild(region);
        }}
        region.textContent = "";
        setTimeout(() => {{ region.textContent = {_js_string(text)}; }}, 50);
      }})();
    </script>""", unsafe_allow_javascript=True, width="content")


def _reload_page_if_asked() -> None:
    """After a refused save the whole page is redrawn from the database (rare, so cheap)."""
    if st.session_state.pop("_rerun_app", False):
        st.rerun(scope="app")


def _answer_key(cid: str) -> str:
    """The name of a criterion's answer fragment, by which a callback reruns that card."""
    return f"answer::{cid}"


def _answer(ctx: Ctx, cid: str) -> None:
    """The rating (or "not applicable") of one criterion, as a fragment named for it: a click
    reruns only this card and the progress bars (and the task list, when its counts change).
    """
    st.fragment(_answer_card, key=_answer_key(cid))(ctx, cid)


def _answer_card(ctx: Ctx, cid: str) -> None:
    _reload_page_if_asked()
    ss = st.session_state
    crit = ctx.fw.criterion(cid)
    scale = ctx.fw.scale_of(crit)
    _fill_missing(cid)
    base: Response | None = ss.get(f"_base::{cid}")
    disabled = not ctx.editable
    if base is not None and not base.rechecked and base.moved_from is not None:
        mf = base.moved_from
        st.warning(f"The criteria changed in version {ctx.fw.version}. This answer was given "
                   f"in version {mf.version} to {mf.criterion}, which read: "
                   f"“{plain(mf.text)}”. Check it against the wording above, then "
                   "confirm it.", icon=":material/published_with_changes:")
        st.checkbox("Re-checked against the new wording: the answer still holds",
                    key=wkey("rechecked", cid), on_change=_changed,
                    args=(ctx, cid, "rechecked"), disabled=disabled)
    elif base is not None and not base.rechecked and not base.blank:
        st.warning(f"Carried forward from {ctx.carried_from or 'last year'}: check this "
                   "answer still holds, then confirm it.")
        st.checkbox("Re-checked this year: the answer still holds", key=wkey("rechecked", cid),
                    on_change=_changed, args=(ctx, cid, "rechecked"), disabled=disabled)
    na = bool(ss.get(wkey("na", cid)))
    st.radio(f"Rating for {cid}", scale.level_ids, index=None, key=wkey("rating", cid),
             format_func=lambda lv: scale.level(lv).label,
             captions=None if ctx.compact else [plain(crit.descriptor(lv, dt.date.today()))
                                                for lv in scale.level_ids],
             horizontal=ctx.compact,
             label_visibility="collapsed" if ctx.compact else "visible",
             on_change=_changed, args=(ctx, cid, "rating"), disabled=disabled or na)
    if crit.na_allowed:
        st.checkbox("Not applicable to this school", key=wkey("na", cid),
                    on_change=_changed, args=(ctx, cid, "na"), disabled=disabled,
                    help=(f"Only when {crit.na_when}" if crit.na_when else None))
        if na:
            st.text_input(f"Why {cid} does not apply", key=wkey("na_reason", cid),
                          max_chars=2000, on_change=_changed,
                          args=(ctx, cid, "na_reason"), disabled=disabled)
    _message(f"_msg::{cid}")
    if ctx.settled:
        _progress(ctx)
    else:
        _placeholders_only(ctx)


def _descriptors(ctx: Ctx, crit: Criterion) -> None:
    """What each level means for this criterion: the compact card's radio has no captions."""
    scale = ctx.fw.scale_of(crit)
    st.markdown("\n".join(["**What each rating means here**", ""] + [
        f"- **{plain(scale.level(lv).label)}**: {plain(crit.levels[lv])}"
        for lv in scale.level_ids]))


@st.fragment
def _details(ctx: Ctx, cid: str) -> None:
    """Evidence and action for one criterion (and, on a compact card, the descriptors,
    prompts and references), built only while its expander is open."""
    _reload_page_if_asked()
    _fill_missing(cid)
    base: Response | None = st.session_state.get(f"_base::{cid}")
    crit = ctx.fw.criterion(cid)
    # The label stays the same whatever is recorded: a changing label would make a new
    # expander and close it under the user's cursor.
    label = (f"Details, evidence and action for {cid}" if ctx.compact
             else f"Evidence and action for {cid}")
    exp = st.expander(label, key=f"open::{cid}", on_change="rerun")
    if exp.open:
        with exp:
            if ctx.compact:
                if one_line(crit.text, SHORT) != crit.text:
                    st.markdown(plain(crit.text))
                scope = who(crit)  # the plain sentence; the legal reasoning is for editors
                if scope:
                    st.caption(plain(scope))
                _descriptors(ctx, crit)
                _prompts_and_references(ctx, crit)
            _evidence_and_action(ctx, cid, not ctx.editable)
    else:
        st.caption(f"Evidence and action: {_card_summary(base)}.")
    _message(f"_dmsg::{cid}")


def _anchor(cid: str) -> str:
    return f"criterion-{cid}".replace(".", "-")


def _criterion(ctx: Ctx, cid: str, where: str | None = None) -> None:
    """One criterion's card: what does not change is drawn here, once per page run; the
    answer and the evidence are fragments, so typing or clicking redraws only them.

    Compact (the default): the id, the text on one line and the rating side by side, with
    descriptors, prompts, references, evidence and action one click away.
    """
    crit = ctx.fw.criterion(cid)
    kind = "Statutory duty" if crit.statutory else "Expectation"
    with st.container(border=True, key=f"card-{cid}"):
        if ctx.compact:
            text, rate = st.columns([5, 4], vertical_alignment="center")
            with text:
                st.subheader(f"{plain(cid)}: {plain(one_line(crit.text, SHORT))}",
                             anchor=_anchor(cid))
                st.caption(kind + (f" · {plain(where)}" if where else ""))
            with rate:
                _answer(ctx, cid)
            if cid in SIR_CRITERIA:
                _sir_status(cid)
            _details(ctx, cid)
            return
        # The kind is said in words inside the heading (a badge is colour and text).
        badge = ":violet-badge[Statutory duty]" if crit.statutory else ":blue-badge[Expectation]"
        st.subheader(f"{plain(cid)} {badge}", anchor=_anchor(cid))
        st.markdown(plain(crit.text))
        if where:
            st.caption(plain(where))
        scope = who(crit)
        if scope:
            st.caption(plain(scope))
        left, right = st.columns([3, 2], gap="large")
        with left:
            _answer(ctx, cid)
        with right:
            _prompts_and_references(ctx, crit)
            if cid in SIR_CRITERIA:
                _sir_status(cid)
        _details(ctx, cid)


def _document(ctx: Ctx, audit: Audit) -> None:
    """A read-only audit as a document: ratings, evidence and actions as text, no controls."""
    for sid, cids in ctx.sections.items():
        st.header(ctx.titles[sid], anchor=f"section-{sid}")
        for cid in cids:
            crit = ctx.fw.criterion(cid)
            scale = ctx.fw.scale_of(crit)
            resp = audit.responses.get(cid)
            st.subheader(f"{plain(cid)}: {plain(crit.text)}", anchor=_anchor(cid))
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
SIR_CRITERIA = ("D5", "D5a")  # the SEN information report criteria


def _sir_status(cid: str) -> None:
    """D5 and D5a: the saved SEN information report check, if there is one, then the link to
    the page that checks the published report and saves evidence.

    The status is read from the check's block in the stored evidence, so it says what the
    audit holds, not what someone last uploaded; it is drawn by the full run (after the cards
    are brought in line with the database), so a check saved on the other page shows here.
    """
    from ..sir.evidence import saved_check
    from .nav import page

    base: Response | None = st.session_state.get(f"_base::{cid}")
    saved = saved_check(base.evidence.text if base and base.evidence else None)
    if saved is not None:
        with st.container(key=f"sir-status-{cid}"):
            st.markdown(f":material/plagiarism: **SEN information report check saved as "
                        f"evidence:** {plain(saved.file)}, checked on {saved.checked_on}.")
            if saved.has_counts:
                said = {k: SIR_STATUS_LABELS[k].lower() for k in ("found", "unclear", "missing")}
                # Colour only says what the words say; a count of none is grey.
                unclear = "orange" if saved.unclear else "gray"
                missing = "red" if saved.missing else "gray"
                st.markdown(f":green-badge[{saved.found} {said['found']}] "
                            f":{unclear}-badge[{saved.unclear} {said['unclear']}] "
                            f":{missing}-badge[{saved.missing} {said['missing']}] "
                            f"of {saved.required} required items.")
            if saved.reviewed:
                st.caption(plain(saved.reviewed))
    label = ("Open the SEN information report check to see each item or check again"
             if saved is not None else
             "Check the published report against the law and for readability")
    st.page_link(page("sir"), label=label, icon=":material/plagiarism:")


# --- navigation within the checklist ----------------------------------------------------


def _next_unanswered(ctx: Ctx) -> None:
    """Button callback: open the section of the next unanswered criterion and point at it."""
    ss = st.session_state
    done = ss.get(ANSWERED, {}).get("done", {})
    in_section = ctx.sections[ctx.section_id]
    start = ctx.order.index(in_section[0]) if in_section else 0
    ring = ctx.order[start:] + ctx.order[:start]
    target = next((cid for cid in ring if not done.get(cid)), None)
    if target is None:
        ss["_jump_msg"] = "Every criterion has an answer."
        return
    ss[SECTION_KEY] = ctx.fw.section_of(target)
    ss["_focus"] = target
    _clear_finder()  # the criterion is shown in its section, whatever was searched for


def _move(ctx: Ctx, step: int) -> None:
    ids = list(ctx.sections)
    i = ids.index(ctx.section_id) + step
    if 0 <= i < len(ids):
        st.session_state[SECTION_KEY] = ids[i]
        st.session_state["_focus"] = "__top__"


def _scroll_to(cid: str) -> None:
    """Scroll to a card and put keyboard focus on its rating, or to the top of the page."""
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
          if (input) input.focus({{preventScroll: true}});
          return true;
        }};
        if (!go()) setTimeout(go, 300);
      }})();
    </script>""", unsafe_allow_javascript=True, width="content")


def _resume_section(ctx: Ctx) -> str | None:
    """Where a new sitting starts: the section of the answer changed last, by anyone."""
    for record in session.store().history(*ctx.key):
        if record.criterion_id in ctx.order:
            return ctx.fw.section_of(record.criterion_id)
    return None


@st.fragment(key=TASK_LIST)
def _task_list(ctx: Ctx, audit: Audit) -> None:
    """The sections with their state, as a GOV.UK task list: also the way between them.

    A radio group is one Tab stop (arrow keys move within it) and is bound to the address,
    so a reload or a bookmark opens the same section and the control agrees with the page.

    A fragment of its own, so that a rating click which changes a section's counts redraws
    the list and the clicked card alone (see ``_changed``), not the whole page. Rerun on its
    own it reads the answers again from the database: the ``audit`` it was drawn from is the
    last full run's. Choosing another section from it redraws the page.
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


def _finder(ctx: Ctx) -> tuple[list[str], str]:
    """The search box and filters; what they ask for."""
    q, f = st.columns([2, 3], vertical_alignment="bottom")
    with q:
        query = st.text_input("Search the criteria", key=SEARCH_KEY, max_chars=200,
                              placeholder="For example: annual review, EHCP")
    with f:
        # One Tab stop for all five (pills would be five).
        filters = st.multiselect("Show only", list(FILTER_LABELS), key=FILTERS_KEY,
                                 format_func=FILTER_LABELS.get,
                                 placeholder="All criteria of the section")
    return list(filters), (query or "").strip()


def _clear_finder() -> None:
    st.session_state[SEARCH_KEY] = ""
    st.session_state[FILTERS_KEY] = []


def render() -> None:
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
    sections = {s.id: [c.id for c in crits if fw.section_of(c.id) == s.id]
                for s in fw.sections}
    sections = {sid: ids for sid, ids in sections.items() if ids}
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
                           else _resume_section(ctx) or next(iter(sections)))
    ctx.section_id = ss[SECTION_KEY]
    if not ctx.editable:
        if audit.status == "signed-off":
            st.info("This audit is signed off, so it cannot be changed. A headteacher can "
                    "reopen it on the Sign-off and history page.")
        else:
            st.info("You can read this audit but not change it.")
        _document(ctx, audit)
        return
    _signatures_at_stake(audit)
    left_out = len(fw.active) - len(crits)
    ctx.overall = st.empty()
    _task_list(ctx, audit)
    if left_out:
        does, are = ("does", "is") if left_out == 1 else ("do", "are")
        st.caption(f"{count(left_out, 'criterion', 'criteria')} of the framework {does} not "
                   f"apply to this kind of school and {are} not shown.")
    filters, query = _finder(ctx)
    tools = st.container(horizontal=True, vertical_alignment="center")
    with tools:
        ctx.compact = not st.toggle("Show descriptors, prompts and references on every card",
                                    key=FULL_KEY)
        st.button("Next unanswered", icon=":material/skip_next:", on_click=_next_unanswered,
                  args=(ctx,))
    if ss.get("_jump_msg"):
        st.success(ss.pop("_jump_msg"))
    _guard_unsaved_typing()
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
        st.button("Clear the search and filters", on_click=_clear_finder, key="clear_find")
        _sync(audit, ctx)
        for cid in ctx.shown:
            _criterion(ctx, cid, where=ctx.titles[fw.section_of(cid)])
        _progress(ctx)
        ctx.settled = True
        return
    ctx.shown = list(sections[ctx.section_id])
    section = next(s for s in fw.sections if s.id == ctx.section_id)
    st.header(section.title, anchor=f"section-{section.id}")
    if section.summary:
        st.markdown(plain(section.summary))
    ctx.section_bar = st.empty()
    _sync(audit, ctx)
    for cid in ctx.shown:
        _criterion(ctx, cid)
    _progress(ctx)
    ctx.settled = True
    ids = list(sections)
    i = ids.index(ctx.section_id)
    with st.container(horizontal=True, horizontal_alignment="distribute"):
        if i > 0:
            st.button(f"Previous: {ctx.titles[ids[i - 1]]}", icon=":material/arrow_back:",
                      on_click=_move, args=(ctx, -1), key="prev_section")
        else:
            st.space("small")
        if i < len(ids) - 1:
            st.button(f"Next: {ctx.titles[ids[i + 1]]}", icon=":material/arrow_forward:",
                      icon_position="right", on_click=_move, args=(ctx, 1),
                      key="next_section")
        elif st.button("See the gap report", icon=":material/summarize:", type="primary",
                       key="to_report"):
            session.go("report")
    focus = ss.pop("_focus", None)
    if focus:
        _scroll_to(focus)


def _signatures_at_stake(audit: Audit) -> None:
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


def _guard_unsaved_typing() -> None:
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
