"""Import and export page: audit files in and out, with a preview before anything is written.

An uploaded file goes through :func:`quality_offer.auditfile.from_text` (size limit, safe
YAML, schema, known criteria and levels); problems are listed with file, line, column and
field. A good file is compared with the database by ``Store.preview_import`` and shown as a
list of changes; only the explicit Import button writes, and only if the stored audit has not
changed since the preview.
"""

from __future__ import annotations

import streamlit as st

from .. import auditfile
from ..errors import InputError, Problem
from ..framework import Framework
from ..store import Conflict, ImportPreview, StoreError
from ..vocabulary import ACTION_STATUS_LABELS, AUDIT_STATUS_LABELS, EVIDENCE_KIND_LABELS
from ..yamlsafe import MAX_BYTES
from . import session
from .downloads import audit_file_downloads
from .text import one_line, plain

UPLOAD_MB = max(1, MAX_BYTES // 1_000_000)
FIELD_WORDS = {"rating": "rating", "evidence.text": "evidence", "evidence.location":
               "evidence location", "evidence.kind": "evidence kind", "action.what": "action",
               "action.owner": "action owner", "action.due": "action due date",
               "action.status": "action status", "not_applicable_reason":
               "not-applicable reason", "rechecked": "re-checked", "moderated_rating":
               "moderated rating", "moderation_note": "moderation note"}


#: A file can hold tens of thousands of problems; the page lists this many and counts the rest.
SHOWN_PROBLEMS = 200


def _problems(title: str, problems: list[Problem]) -> None:
    n = len(problems)
    st.error(f"{plain(title)}: {n:,} problem{'s' if n != 1 else ''} found. Nothing was saved.",
             icon=":material/error:")
    st.table([{"File": plain(p.file), "Line": "" if p.line is None else str(p.line),
               "Column": "" if p.column is None else str(p.column),
               "Field": plain(p.field), "Problem": plain(p.message)}
              for p in problems[:SHOWN_PROBLEMS]], hide_index=True)
    if n > SHOWN_PROBLEMS:
        st.caption(f"The first {SHOWN_PROBLEMS} problems are shown; there are "
                   f"{n - SHOWN_PROBLEMS:,} more. Fix these and import the file again to see "
                   "the rest.")


def _shown(fw: Framework, field: str, value: str | None) -> str:
    """A stored value as a person reads it: level, kind and status ids become their labels."""
    if value is None:
        return "(blank)"
    if field in ("rating", "moderated_rating"):
        labels = {lv.id: lv.label for sc in fw.manifest.scales for lv in sc.levels}
        value = labels.get(value, value)
    elif field == "evidence.kind":
        value = EVIDENCE_KIND_LABELS.get(value, value)
    elif field in ("action.status", "status"):
        value = {**ACTION_STATUS_LABELS, **AUDIT_STATUS_LABELS}.get(value, value)
    elif field == "rechecked":
        value = {"true": "yes", "false": "no"}.get(value, value)
    return plain(one_line(value, 80))


def _preview_table(preview: ImportPreview, fw: Framework) -> None:
    rows = [{"Criterion": plain(cid or "audit"),
             "Field": plain(FIELD_WORDS.get(field, field.replace("_", " "))),
             "Now": _shown(fw, field, old), "After import": _shown(fw, field, new)}
            for cid, field, old, new in preview.changes]
    if rows:
        shown = rows[:500]
        st.table(shown, hide_index=True)
        if len(rows) > len(shown):
            st.caption(f"And {len(rows) - len(shown)} more changes.")


IMPORT_REFUSED = ("This file is an audit of a school you do not have access to, so it cannot "
                  "be imported here.")


def _do_import(data: bytes, name: str, audit_version: int) -> None:
    """Button callback: import exactly the previewed file, unless the audit changed since."""
    ss = st.session_state
    try:
        audit, _fw = auditfile.from_text(data, name)
        if not session.may_school("import", audit.school.urn, audit.school.la_code):
            ss["_import_msg"] = ("error", IMPORT_REFUSED)
            return
        done = session.store().import_audit(audit, session.current_user(),
                                            expected_audit_version=audit_version)
    except Conflict as exc:
        ss["_import_msg"] = ("error", str(exc))
        return
    except InputError as exc:
        ss["_import_msg"] = ("error", "; ".join(str(p) for p in exc.problems[:SHOWN_PROBLEMS]))
        return
    except StoreError as exc:
        ss["_import_msg"] = ("error", str(exc))
        return
    ss["_import_msg"] = ("success", f"Imported {name}: {done.describe()}.")
    ss["_import_nonce"] = ss.get("_import_nonce", 0) + 1  # a fresh, empty uploader
    session.select_audit(*audit.key)


def _import() -> None:
    ss = st.session_state
    st.header("Import an audit file")
    st.markdown("Bring in an audit file (YAML or JSON) saved by this app, for example from "
                "another computer. You will see exactly what would change before anything is "
                "saved. Answers the file leaves out are kept as they are.")
    message = ss.pop("_import_msg", None)
    if message:
        level, text = message
        (st.success if level == "success" else st.error)(plain(text))
        if level == "success":
            session.go_button("checklist", "Open the checklist", key="after_import")
    upload = st.file_uploader(f"Audit file (YAML or JSON, up to {UPLOAD_MB} MB)",
                              type=["yaml", "yml", "json"], max_upload_size=UPLOAD_MB,
                              key=f"import_file_{ss.get('_import_nonce', 0)}")
    if upload is None:
        return
    data = upload.getvalue()
    try:
        audit, fw = auditfile.from_text(data, upload.name)
    except InputError as exc:
        _problems(f"{upload.name} cannot be imported", exc.problems)
        return
    if not session.may_school("import", audit.school.urn, audit.school.la_code):
        st.error(IMPORT_REFUSED, icon=":material/block:")  # and nothing of what is stored
        return
    try:
        preview = session.store().preview_import(audit, session.current_user())
    except InputError as exc:
        _problems(f"{upload.name} cannot be imported", exc.problems)
        return
    except StoreError as exc:  # a part of the file the user may not change: say which
        st.error(plain(f"{upload.name} cannot be imported: {exc}."), icon=":material/block:")
        return
    st.subheader("What importing would change")
    school = audit.school
    what = "a new audit" if preview.is_new else "the audit already saved"
    said = preview.describe()
    st.markdown(f"**{plain(school.name)}** (URN {school.urn}), {audit.academic_year}: "
                f"{what}. {plain(said[:1].upper() + said[1:])}.")
    _preview_table(preview, fw)
    if not preview.is_new and not preview.changes:
        return
    st.button("Import", type="primary", key="import_button", on_click=_do_import,
              args=(data, upload.name, preview.audit_version))


def _export() -> None:
    st.header("Export the current audit")
    key = session.current_key()
    allowed = key is not None and session.may_school("export", key[0])
    audit = session.store().get_audit(*key) if key and allowed else None
    if audit is None:
        st.markdown("There is no audit to export yet.")
        return
    st.markdown(f"**{plain(audit.school.name)}** (URN {audit.school.urn}), "
                f"{audit.academic_year}. Choose another audit on the Audits page.")
    audit_file_downloads(audit, "export")


def render() -> None:
    session.follow_page_request()
    st.title("Import and export")
    if session.may("import"):
        _import()
    if session.may("export"):
        _export()
