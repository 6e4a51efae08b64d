"""The line under a card's part that says how its last change went: saved (and when), not
yet saved, or refused; a save is also said to screen readers through one live region."""

from __future__ import annotations

import json

import streamlit as st

from ..text import plain
from ..theme import SAVED_LINE


def show(key: str) -> None:
    """Draw the message kept under ``key``, if any, and say a new one aloud once."""
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
