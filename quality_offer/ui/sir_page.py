"""SEN information report page: check the school's published report against the law.

The SENCO uploads the report (PDF, Word, HTML or text); :mod:`quality_offer.sir` reads it and
says, item by item, what it found, with the passage quoted and located, and how readable the
report is. Someone who may edit the open audit can save the result as evidence for D5 and D5a;
the ratings stay theirs to give. Every quoted passage comes from an uploaded file, so it is
shown through :func:`plain` or in a table, never as Markdown.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import streamlit as st

from ..audit import applicable
from ..dates import long_date
from ..errors import InputError
from ..sir import check, read_bytes
from ..sir.check import Result
from ..sir.extract import MAX_BYTES
from ..store import Conflict, StoreError
from ..vocabulary import PHASE_LABELS, PHASES, TYPE_LABELS, TYPES
from ..vocabulary import SIR_STATUS_LABELS as STATUS_LABELS
from . import session
from .text import plain

RESULT = "_sir_result"
MESSAGE = "_sir_msg"
ACCEPTED = ["pdf", "docx", "html", "htm", "txt"]


def upload_limit() -> int:
    """The largest report, in bytes, that can reach the check through this server.

    The check reads up to :data:`MAX_BYTES`, but no upload gets past ``server.maxUploadSize``
    (the proxy in deploy/ is set to match), so the page must promise the smaller of the two,
    not a size the upload would never get through. The browser counts that setting's
    megabytes as a million bytes each (the server as 1,048,576), so the smaller is used.
    """
    return min(MAX_BYTES, int(st.get_option("server.maxUploadSize")) * 1_000_000)


def _school_defaults() -> tuple[str | None, str | None, tuple[str, str] | None]:
    """The open audit's phase and type, if the user may see it; else nothing."""
    key = session.current_key()
    if key is None or not session.may_school("view", key[0]):
        return None, None, None
    audit = session.store().get_audit(*key)
    if audit is None:
        return None, None, None
    return audit.school.phase, audit.school.type, key


def _run_check(name: str, data: bytes, phase: str | None, school_type: str | None) -> None:
    ss = st.session_state
    digest = hashlib.sha256(data).hexdigest()
    wanted = (name, digest, phase, school_type, dt.date.today())
    held = ss.get(RESULT)
    if held and held[0] == wanted:
        return
    try:
        result = check(read_bytes(data, name), phase=phase, school_type=school_type)
    except InputError as exc:
        ss[RESULT] = (wanted, None, "; ".join(p.message for p in exc.problems))
        return
    ss[RESULT] = (wanted, result, None)


def _items_table(result: Result) -> None:
    """One row an item. A table (not a grid) so every word shows and screen readers read
    it; each cell goes through :func:`plain`, since passages come from the uploaded file."""
    rows = []
    for f in result.findings:
        quote = f.passages[0] if f.passages else None
        said = (f"“{quote.text}” ({quote.where})" if quote and f.status == "found"
                else f.explanation)
        if quote and f.status == "unclear":
            said += f" The passage: “{quote.text}”"
        reference = f.item.reference + ("" if f.item.evidence == "V" else
                                        " (paragraph number not confirmed)")
        rows.append({"Status": STATUS_LABELS[f.status],
                     "What the law asks for": plain(f"{f.item.requirement} {reference}"),
                     "What the report says": plain(said)})
    st.table(rows, hide_index=True)


def _readability(result: Result) -> None:
    r, v = result.readability, result.reviewed
    st.subheader("Is it easy to read?")
    a, b, c = st.columns(3)
    a.metric("Reading ease (0 to 100, higher is easier)",
             "n/a" if r.reading_ease is None else f"{r.reading_ease:.0f}",
             help="Flesch reading ease. 60 or more is plain English; below 30 is very hard.")
    b.metric("Reading age", "n/a" if r.reading_age is None else f"about {r.reading_age}")
    c.metric("Words", f"{r.words:,}")
    st.markdown(f"In words: **{plain(r.verdict)}**.")
    if r.hardest:
        st.markdown("**Hardest passages**")
        st.table([{"Where": plain(s.where), "Reading ease": f"{s.reading_ease:.0f}",
                   "Passage": plain(s.text)} for s in r.hardest], hide_index=True)
    if r.longest_sentences:
        st.markdown("**Longest sentences**")
        st.table([{"Where": plain(s.where), "Words": str(s.words), "Sentence": plain(s.text)}
                  for s in r.longest_sentences], hide_index=True)
    if r.jargon:
        st.markdown("**Abbreviations not spelt out where first used**")
        st.table([{"Term": plain(j.term), "First used": plain(j.where),
                   "Times used": str(j.uses), "It means": plain(j.known_meaning or "")}
                  for j in r.jargon], hide_index=True)
    else:
        st.markdown("Every abbreviation is spelt out where it is first used.")
    st.subheader("When was it last reviewed?")
    if v.date is None:
        st.warning("The report does not say when it was last reviewed. The Code of Practice "
                   "(6.79) says it should be updated every year.", icon=":material/event:")
    elif v.out_of_date:
        st.warning(f"Last reviewed on {long_date(v.date)}: more than a year ago "
                   f"({v.days_before_audit} days). The Code of Practice (6.79) says it should "
                   "be updated every year.", icon=":material/event:")
    else:
        st.success(f"Last reviewed on {long_date(v.date)}, {v.days_before_audit} days ago.",
                   icon=":material/event_available:")
    if v.text:
        st.caption(f"The report says: “{plain(v.text)}” ({plain(v.where)}).")


def _save(result: Result, key: tuple[str, str], criteria: tuple[str, ...]) -> None:
    """Button callback: save the result as evidence; the store checks rights and versions."""
    from ..sir import evidence

    ss = st.session_state
    urn = key[0]
    if not session.may_school("edit", urn):
        ss[MESSAGE] = ("error", "Not saved: you cannot change this audit.")
        return
    try:
        saved = evidence.save(session.store(), key, result,
                              session.user_label(session.current_user()), criteria)
    except Conflict as exc:
        ss[MESSAGE] = ("error", f"Not saved: {exc}")
        return
    except (StoreError, InputError, LookupError) as exc:
        ss[MESSAGE] = ("error", f"Not saved: {exc}")
        return
    ss[MESSAGE] = ("saved", f"Saved as evidence for {' and '.join(saved)}. Open the "
                            "Checklist to confirm their ratings.")


def _save_panel(result: Result, key: tuple[str, str] | None) -> None:
    st.subheader("Use it in the audit")
    if key is None:
        st.info("Open an audit on the Audits page to save this check as evidence for D5 and "
                "D5a.")
        return
    audit = session.store().get_audit(*key)
    opened = session.framework_of(audit) if audit else None
    if audit is None or opened is None or isinstance(opened, session.FrameworkProblem):
        st.info("The open audit cannot be read, so nothing can be saved to it.")
        return
    ids = {c.id for c in applicable(opened, audit)}
    criteria = tuple(cid for cid in ("D5", "D5a") if cid in ids)
    if not criteria:
        st.info("D5 and D5a do not apply to this school in its audit, so there is nothing "
                "to save the check to.")
        return
    editable = session.may_school("edit", key[0]) and audit.status != "signed-off"
    st.markdown(f"Saving adds this check's summary to the evidence of "
                f"{' and '.join(criteria)} in the audit of {plain(audit.school.name)} "
                f"({audit.academic_year}). It does not rate them: the check suggests, you "
                "confirm the rating on the Checklist. Checking again replaces the summary.")
    st.button(f"Save as evidence for {' and '.join(criteria)}", key="sir_save",
              icon=":material/save:", disabled=not editable, on_click=_save,
              args=(result, key, criteria), type="primary")
    if not editable:
        st.caption("You can read this audit but not change it"
                   + (" (it is signed off)." if audit.status == "signed-off" else "."))
    message = st.session_state.pop(MESSAGE, None)
    if message:
        (st.success if message[0] == "saved" else st.error)(plain(message[1]))


def render() -> None:
    session.follow_page_request()
    st.title("SEN information report")
    st.markdown(
        "Check the school's published SEN information report against what the law asks it "
        "to contain (SEND Regulations 2014 Schedule 1 and Children and Families Act 2014 "
        "section 69(3)(b)), and how easy it is for parents to read. The check looks for "
        "words and headings; it suggests, and you decide.")
    phase0, type0, key = _school_defaults()
    left, right = st.columns(2)
    with left:
        # In words, as on the Audits page: not the file's codes ("16-plus", "pupil-referral-unit")
        phase = st.selectbox("The school's phase", PHASES, key="sir_phase",
                             format_func=PHASE_LABELS.get,
                             index=PHASES.index(phase0) if phase0 in PHASES else None,
                             placeholder="Any: check every item")
    with right:
        school_type = st.selectbox("The school's type", TYPES, key="sir_type",
                                   format_func=TYPE_LABELS.get,
                                   index=TYPES.index(type0) if type0 in TYPES else None,
                                   placeholder="Any: check every item")
    limit = upload_limit()
    upload = st.file_uploader(
        f"The report: PDF, Word (.docx), web page (.html) or text, up to "
        f"{limit // 1_000_000} MB", type=ACCEPTED, key="sir_upload")
    if upload is None:
        st.session_state.pop(RESULT, None)
        return
    if upload.size > limit:
        st.error(f"{plain(upload.name)}: the file is {upload.size:,} bytes; the limit is "
                 f"{limit:,}.")
        return
    with st.spinner("Reading the report…"):
        _run_check(upload.name, upload.getvalue(), phase, school_type)
    _wanted, result, problem = st.session_state[RESULT]
    if result is None:
        st.error(f"{plain(upload.name)}: {plain(problem)}.", icon=":material/error:")
        return
    st.header("What the law asks for", anchor="items")
    a, b, c, d = st.columns(4)
    a.metric("Found", result.count("found"))
    b.metric("Unclear", result.count("unclear"))
    c.metric("Missing", result.count("missing"))
    d.metric("Not applicable", result.count("not-applicable"))
    st.markdown(plain(result.summary() + "."))
    _items_table(result)
    st.caption("Found means the words were there together, not that the answer is good: "
               "read each passage.")
    _readability(result)
    st.download_button("Download the result (JSON)", key="sir_json",
                       data=json.dumps(result.to_json(), ensure_ascii=False, indent=2),
                       file_name="sen-information-report-check.json",
                       mime="application/json", icon=":material/download:")
    _save_panel(result, key)
