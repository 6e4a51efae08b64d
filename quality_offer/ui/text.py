"""Showing text safely and saying things plainly: helpers with no Streamlit in them.

Streamlit renders Markdown (and its own directives: ``:red[...]``, ``:material/icon:``,
``$maths$``, emoji shortcodes, autolinks) in ``st.markdown``, captions, widget labels, radio
options and ``st.table`` cells. A SENCO's evidence note or a school name typed as
``**URGENT** [click](http://x)`` must show exactly as typed, never as formatting or a link,
so every piece of user text passes through :func:`plain` before it reaches any of those.
"""

from __future__ import annotations

import re
import string
from urllib.parse import quote

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping all of
# them also defeats Streamlit's directives (":"), maths ("$"), HTML ("<", "&") and GFM
# autolinks ("www.", "http:", "@"), whatever new syntax the renderer learns later.
_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
_LEADING_SPACE = re.compile(r"^[ \t]+", re.MULTILINE)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Streamlit's Markdown turns URLs and e-mail addresses in *text* into links after escapes are
# resolved (GFM autolink literals work on the parsed text), so escaping alone cannot stop it.
# A WORD JOINER (U+2060, invisible, no width) inside "://", after "www" and after "@" breaks
# every pattern the autolinker knows while the text still reads exactly as typed.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(?=://)|(?<=www)(?=\.)|(?<=@)")
WORD_JOINER = "\u2060"


def plain(text: object) -> str:
    """``text`` escaped so Streamlit's Markdown shows it literally, line breaks kept.

    Leading spaces become no-break spaces (four spaces would start a code block), control
    characters become U+FFFD (visible, so it is clear something was there), each line break
    becomes a hard break, and an invisible word joiner inside ``://``, after ``www`` and
    after ``@`` keeps the text from being made into a link (copied text carries it along).
    """
    value = "" if text is None else str(text)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("\ufffd", value)
    value = _AUTOLINK.sub(WORD_JOINER, value)
    value = _PUNCTUATION.sub(r"\\\1", value)
    value = _LEADING_SPACE.sub(lambda m: "\u00a0" * len(m.group().expandtabs(4)), value)
    return value.replace("\n", "  \n")


def one_line(text: object, limit: int = 120) -> str:
    """User text shortened to one line for a label or a table cell (still needs :func:`plain`)."""
    value = " ".join(("" if text is None else str(text)).split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def link(label: str, url: str) -> str:
    """A Markdown link whose label is escaped and whose address cannot break out of ``( )``.

    Addresses come from the framework's reference index, which only allows ``https://``.
    """
    if not url.startswith("https://"):
        return plain(label)
    safe = quote(url, safe=":/?#[]@!$&'*+,;=%-._~")
    safe = safe.replace("(", "%28").replace(")", "%29")
    return f"[{plain(label)}]({safe})"


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``3 criteria``, ``1 criterion``, ``1,000 schools``: numbers said in words people read
    without pausing, thousands grouped as everywhere else on the page."""
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"
