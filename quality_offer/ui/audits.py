"""Audits page: resume an audit, start one for a school and year, or start next year's.

The rules (what a URN is, what carrying forward copies) live in :mod:`quality_offer.audit`;
this page collects the details, says plainly what is wrong next to the field, and hands the
audit to the store.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from pydantic import ValidationError

from ..audit import (
    Audit,
    FrameworkRef,
    academic_year_for,
    applicable,
    check,
    next_year,
    years_for_new_audit,
    years_to_carry_forward,
)
from ..dates import today, when
from ..errors import InputError
from ..store import AuditExists, AuditSummary, StoreError
from ..upgrade import carry_forward_to
from ..vocabulary import AUDIT_STATUS_LABELS, PHASE_LABELS, PHASES, TYPE_LABELS, TYPES
from . import session, submission
from .text import count, percent, plain

# What to say when the School model refuses a field: one plain sentence per field.
FIELD_HELP = {
    "urn": "Enter the school's URN: six digits, for example 123456. Find it on Get "
           "Information about Schools.",
    "name": "Enter the school's name (up to 200 characters).",
    "la_code": "The local authority code is three digits, for example 919 for "
               "Hertfordshire. Leave it blank if you do not know it.",
    "phase": "Choose the school's phase.",
    "type": "Choose the type of school.",
    "area": "The area can be up to 300 characters.",
    "academic_year": "Choose the academic year.",
}
NEW_FORM_ERRORS = "_new_audit_errors"


def _key(s: AuditSummary) -> tuple[str, str]:
    return (s.urn, s.academic_year)


def _describe(s: AuditSummary) -> str:
    return f"{s.school_name} (URN {s.urn}), {s.academic_year}"


def _totals(summaries: list[AuditSummary]) -> dict[tuple[str, str], int]:
    """How many criteria apply to each audit's school, for "12 of 70 answered".

    Only for a short list: loading every answer of hundreds of audits is the LA dashboard's
    job, not this page's.
    """
    if not summaries or len(summaries) > 50:
        return {}
    from .. import framework as frameworks

    out: dict[tuple[str, str], int] = {}
    for audit in session.store().get_audits(urns={s.urn for s in summaries}):
        try:
            fw = frameworks.get(audit.framework.id, audit.framework.version)
        except (KeyError, InputError):
            continue
        out[audit.key] = len(applicable(fw, audit))
    return out


def _progress_text(s: AuditSummary, total: int | None) -> str:
    if total:
        return f"{s.answered} of {total} answered ({percent(s.answered, total)})"
    return f"{count(s.answered, 'answer')} so far"


def _resume(summaries: list[AuditSummary]) -> None:
    st.header("Resume an audit")
    totals = _totals(summaries)
    by_key = {_key(s): s for s in summaries}
    current = session.current_key(summaries)
    keys = sorted(by_key, key=lambda k: by_key[k].updated_at, reverse=True)
    index = keys.index(current) if current in by_key else 0
    chosen = st.selectbox("Audit", keys, index=index, format_func=lambda k: _describe(by_key[k]),
                          key="resume_choice")
    if chosen is None:
        return
    s = by_key[chosen]
    total = totals.get(chosen)
    with st.container(border=True):
        st.markdown(f"**{plain(s.school_name)}** · URN {s.urn} · {s.academic_year} · "
                    f"{AUDIT_STATUS_LABELS.get(s.status, s.status)}")
        if total:
            st.progress(min(s.answered / total, 1.0), text=_progress_text(s, total))
        else:
            st.caption(_progress_text(s, None))
        st.caption(f"Last changed at {when(s.updated_at)}. Framework {plain(s.framework_id)} "
                   f"version {plain(s.framework_version)}.")
        with st.container(horizontal=True):
            if st.button("Open the checklist", type="primary", key="open_checklist"):
                session.select_audit(*chosen)
                session.go("checklist")
            if st.button("Open the gap report", key="open_report"):
                session.select_audit(*chosen)
                session.go("report")
        submission.collection_line(session.store().la_code_of(s.urn))
        submission.panel(*chosen)
    if len(summaries) > 1:
        with st.expander(f"All audits ({len(summaries)})"):
            rows = [{"School": plain(x.school_name), "URN": x.urn, "Year": x.academic_year,
                     "Status": AUDIT_STATUS_LABELS.get(x.status, x.status),
                     "Progress": _progress_text(x, totals.get(_key(x))),
                     "Last changed": when(x.updated_at)} for x in summaries]
            st.table(rows, hide_index=True)


# --- starting a new audit -----------------------------------------------------------------


def _field_errors(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for err in exc.errors(include_url=False):
        loc = [p for p in err["loc"] if isinstance(p, str)]
        field = "academic_year" if "academic_year" in loc else (
            loc[1] if len(loc) > 1 and loc[0] == "school" else (loc[0] if loc else ""))
        if field in FIELD_HELP:
            errors.setdefault(field, FIELD_HELP[field])
        else:
            errors.setdefault("form", str(err["msg"]))
    return errors


def _start_new() -> None:
    """Form callback: validate, create the audit, and go to its checklist."""
    ss = st.session_state
    fw = session.default_framework()
    if isinstance(fw, session.FrameworkProblem):
        ss[NEW_FORM_ERRORS] = {"form": fw.message}
        return
    text = {k: (ss.get(f"new_{k}") or "").strip() for k in ("urn", "name", "la_code", "area")}
    data: dict[str, Any] = {
        "framework": FrameworkRef(id=fw.id, version=fw.version).model_dump(),
        "school": {"urn": text["urn"], "name": text["name"], "la_code": text["la_code"] or None,
                   "phase": ss.get("new_phase"), "type": ss.get("new_type"),
                   "area": text["area"] or None},
        "academic_year": ss.get("new_year"),
    }
    errors: dict[str, str] = {}
    if not text["urn"]:
        errors["urn"] = "Enter the school's URN: six digits, for example 123456."
    if not text["name"]:
        errors["name"] = "Enter the school's name."
    try:
        audit = Audit.model_validate(data)
    except ValidationError as exc:
        ss[NEW_FORM_ERRORS] = {**_field_errors(exc), **errors}
        return
    if errors:
        ss[NEW_FORM_ERRORS] = errors
        return
    if not session.may_school("create", audit.school.urn, audit.school.la_code):
        ss[NEW_FORM_ERRORS] = {"urn": "You can start audits only for your own school (or, "
                                      "for an adviser, none): check the URN."}
        return
    try:
        session.store().create_audit(audit, session.current_user())
    except AuditExists:
        ss[NEW_FORM_ERRORS] = {"academic_year": (
            f"There is already an audit for URN {audit.school.urn} in {audit.academic_year}. "
            "Open it under Resume an audit.")}
        return
    except (StoreError, InputError) as exc:
        ss[NEW_FORM_ERRORS] = {"form": str(exc)}
        return
    ss.pop(NEW_FORM_ERRORS, None)
    session.select_audit(*audit.key)
    session.request_page("checklist")


def _error(errors: dict[str, str], field: str) -> None:
    if field in errors:
        st.error(plain(errors[field]), icon=":material/error:")


def _new_audit_form(expanded: bool) -> None:
    """The new-audit form; open at once when there is no audit yet or a field needs fixing."""
    st.header("Start a new audit")
    errors: dict[str, str] = st.session_state.get(NEW_FORM_ERRORS, {})
    this_year = academic_year_for(today())
    years = years_for_new_audit(today())
    holder = (st.container() if expanded or errors
              else st.expander("Enter the school and the year"))
    with holder, st.form("new_audit", border=False, enter_to_submit=False):
        _error(errors, "form")
        st.text_input("URN (unique reference number)", key="new_urn", max_chars=6,
                      help="Six digits, as on Get Information about Schools.",
                      placeholder="123456")
        _error(errors, "urn")
        st.text_input("School name", key="new_name", max_chars=200)
        _error(errors, "name")
        left, right = st.columns(2)
        with left:
            st.selectbox("Phase", PHASES, index=None, key="new_phase",
                         format_func=PHASE_LABELS.get, placeholder="Choose the phase")
            _error(errors, "phase")
            st.text_input("Local authority code (optional)", key="new_la_code",
                          max_chars=3, placeholder="919")
            _error(errors, "la_code")
        with right:
            st.selectbox("Type of school", TYPES, index=None, key="new_type",
                         format_func=TYPE_LABELS.get, placeholder="Choose the type")
            _error(errors, "type")
            st.text_input("Area (optional)", key="new_area", max_chars=300,
                          help="For example the DSPL area, so the local authority can "
                               "compare schools by area.")
            _error(errors, "area")
        st.selectbox("Academic year", years, index=years.index(this_year), key="new_year")
        _error(errors, "academic_year")
        st.form_submit_button("Start the audit", type="primary", on_click=_start_new)


# --- carrying forward ---------------------------------------------------------------------


def _carry(source: tuple[str, str]) -> None:
    """Button callback: start next year's audit from ``source``, answers marked to re-check."""
    from .. import framework as frameworks

    ss = st.session_state
    store = session.store()
    if not session.may_school("create", source[0]):
        ss["_carry_error"] = session.NO_ACCESS
        return
    previous = store.get_audit(*source)
    if previous is None:
        ss["_carry_error"] = "That audit is no longer in the database."
        return
    try:
        fw = frameworks.get(previous.framework.id)  # the newest version of its framework
        old = frameworks.get(previous.framework.id, previous.framework.version)
    except (KeyError, InputError) as exc:
        ss["_carry_error"] = f"The framework {previous.framework.id} is not available: {exc}"
        return
    # Across a framework change, last year's answers move by the upgrade rules first, so
    # none is dropped: changed criteria are re-checked, the rest kept as archived answers.
    audit = carry_forward_to(previous, old, fw)
    problems = check(fw, audit)
    if problems:
        ss["_carry_error"] = ("Last year's answers do not fit the current criteria: "
                              + "; ".join(str(p) for p in problems))
        return
    try:
        store.create_audit(audit, session.current_user())
    except AuditExists:
        ss["_carry_error"] = (f"There is already an audit for URN {audit.school.urn} in "
                              f"{audit.academic_year}. Open it under Resume an audit.")
        return
    except (StoreError, InputError) as exc:
        ss["_carry_error"] = str(exc)
        return
    ss.pop("_carry_error", None)
    session.select_audit(*audit.key)
    session.request_page("checklist")


def _carry_forward(summaries: list[AuditSummary]) -> None:
    st.header("Start next year's audit from last year's")
    st.markdown("Every answer is copied and marked for re-checking; actions that are done "
                "are left behind, and sign-offs and moderation are not copied.")
    by_key = {_key(s): s for s in summaries}
    sources = years_to_carry_forward(by_key)
    if not sources:
        st.caption("Every audit already has the next year's audit.")
        return
    source = st.selectbox("Start from", sources, key="carry_source",
                          format_func=lambda k: _describe(by_key[k]))
    if source is None:
        return
    st.button(f"Start {next_year(source[1])} from {source[1]}", key="carry_button",
              on_click=_carry, args=(source,))
    if st.session_state.get("_carry_error"):
        st.error(plain(st.session_state["_carry_error"]), icon=":material/error:")


def render() -> None:
    session.follow_page_request()
    st.title("Audits")
    summaries = session.store().list_audits(**session.scope_filter("view"))
    can_create = session.may("create")
    if summaries:
        _resume(summaries)
    elif can_create:
        st.markdown("No audit has been started yet. Start one below: you need the school's "
                    "URN, its phase and type, and the academic year.")
    else:  # an adviser, a governor: they read audits the school starts
        st.markdown("There is no audit for you to see yet. A school's audit shows here once "
                    "its SENCO or headteacher starts it.")
    if can_create:
        _new_audit_form(expanded=not summaries)
        limit = session.scope_filter("create")  # advisers never create, so urns suffice
        creatable = [s for s in summaries if not limit or s.urn in limit["urns"]]
        if creatable:
            _carry_forward(creatable)
