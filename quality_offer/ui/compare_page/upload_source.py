"""Audits compared from files the adviser uploads: held to the reader's size limits,
read in a temporary folder, a file that cannot be read listed with its reason, and the
temporary paths never shown (only the names the adviser chose).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import streamlit as st

from ...compare import Comparison, NothingToCompare, load_folder
from ...compare.measures import Skipped
from ...compare.school_result import SchoolResult
from ...yamlsafe import MAX_BYTES

_FILES_KEY = "_cmp_files"  # Session State: Comparison of uploaded files

#: Each uploaded audit file is held to the audit reader's limit, and one selection to this
#: much in all: the files past it are left out and listed, and the rest compared.
UPLOAD_MB = max(1, MAX_BYTES // 1_000_000)

TOTAL_UPLOAD_BYTES = 50_000_000


def over_the_total(files: list[Any], limit: int | None = None
                   ) -> tuple[list[Any], list[Skipped]]:
    """The files that fit in ``limit`` bytes together, in the order chosen, and the rest."""
    limit = TOTAL_UPLOAD_BYTES if limit is None else limit
    kept: list[Any] = []
    left: list[Skipped] = []
    total = 0
    for f in files:
        size = int(getattr(f, "size", 0) or len(f.getvalue()))
        if total + size > limit:
            left.append(Skipped(Path(f.name).name, f"not read: the files chosen together are "
                                f"over {limit // 1_000_000} MB; compare the rest in another "
                                "selection"))
            continue
        total += size
        kept.append(f)
    return kept, left


def _load_uploads(files: list[Any]) -> None:
    """Compare the uploaded audit files; a broken file is listed with its error, skipped."""
    bar = st.progress(0.0, text="Reading the audit files...")
    files, too_many = over_the_total(files)
    with tempfile.TemporaryDirectory(prefix="qo-compare-") as tmp:
        folder = Path(tmp)
        paths = []
        for i, f in enumerate(files):
            # Each file in its own folder, so two uploads with one name cannot collide.
            name = Path(f.name).name or "audit"
            sub = folder / str(i)
            sub.mkdir()
            path = sub / name
            path.write_bytes(f.getvalue())
            paths.append(path)

        def progress(done: int, total: int, table_text: str) -> None:
            bar.progress(done / max(total, 1), text=f"Read {done} of {total} files")

        prefix = str(folder)
        try:
            comp = load_folder(paths, progress)
        except NothingToCompare as exc:
            st.session_state[_FILES_KEY] = None
            st.session_state["_cmp_files_failed"] = [
                (_short(s.file, prefix), _short(s.error, prefix))
                for s in [*exc.skipped, *too_many]]
            bar.empty()
            return
        except ValueError as exc:
            st.session_state["_cmp_files_failed"] = [("", str(exc))]
            bar.empty()
            return
    skipped = tuple(type(s)(_short(s.file, prefix), _short(s.error, prefix))
                    for s in comp.skipped) + tuple(too_many)
    results = tuple(_unsourced(r, prefix) for r in comp.results)
    st.session_state[_FILES_KEY] = Comparison(comp.framework, results, skipped)
    st.session_state.pop("_cmp_files_failed", None)
    bar.empty()


def _short(text: str, prefix: str) -> str:
    """A temporary path shown as the name the adviser uploaded."""
    import re

    return re.sub(re.escape(prefix) + r"[\\/]\d+[\\/]", "", text)


def _unsourced(res: SchoolResult, prefix: str) -> SchoolResult:
    """The result with its temporary path shown as the name the adviser uploaded."""
    from dataclasses import replace

    return replace(res, source=_short(res.source or "", prefix) or None)


def files_comparison() -> Comparison | None:
    """The uploader and its button; the comparison of the files last compared (kept in
    Session State), or None before any."""
    st.markdown("Choose the audit files (YAML or JSON) to compare: select many at once. A "
                "file that cannot be read is listed with the reason and left out; the rest "
                "are compared.")
    files = st.file_uploader(f"Audit files (YAML or JSON, up to {UPLOAD_MB} MB each and "
                             f"{TOTAL_UPLOAD_BYTES // 1_000_000} MB in all)",
                             type=["yaml", "yml", "json"], accept_multiple_files=True,
                             max_upload_size=UPLOAD_MB, key="cmp_upload")
    if st.button("Compare these files", key="cmp_upload_go", type="primary",
                 disabled=not files):
        _load_uploads(list(files or []))
    failed = st.session_state.get("_cmp_files_failed")
    if failed:
        st.error("None of the files could be compared.")
        st.dataframe([{"File": f, "Problem": e} for f, e in failed], hide_index=True)
    return st.session_state.get(_FILES_KEY)
