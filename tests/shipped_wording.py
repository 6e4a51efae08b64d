"""Words the shipped framework and its reports must not print: an editor's doubt about a source.

A citation still being checked is printed only as far as it is verified (the chapter or the
Act), so these words belong in the editors' notes, never in what a school or a governor reads.
"""

from __future__ import annotations

DOUBT_WORDS = ("not yet confirmed", "from memory", "not verified", "unverified",
               "as it went through parliament", "not checked", "(as cited)")
