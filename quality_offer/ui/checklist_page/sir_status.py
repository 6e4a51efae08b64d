"""D5 and D5a's cards: the saved SEN information report check and the way to the page that
makes it."""

from __future__ import annotations

import streamlit as st

from ...audit import Response
from ...vocabulary import SIR_STATUS_LABELS
from ..text import plain

SIR_CRITERIA = ("D5", "D5a")  # the SEN information report criteria


def sir_status(cid: str) -> None:
    """D5 and D5a: the saved SEN information report check, if there is one, then the link to
    the page that checks the published report and saves evidence.

    The status is read from the check's block in the stored evidence, so it says what the
    audit holds, not what someone last uploaded; it is drawn by the full run (after the cards
    are brought in line with the database), so a check saved on the other page shows here.
    """
    from ...sir.evidence import saved_check
    from ..nav import page

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
