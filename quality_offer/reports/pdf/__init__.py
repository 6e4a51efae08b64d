"""The PDF report of one GapReport: cover, governors' summary, full gap report, action plan.

Built with reportlab's platypus. Choices that matter to readers and to safety:

* Every free-text string (evidence, actions, reasons, names) is cleaned of control
  characters and XML-escaped before it reaches a Paragraph, so markup typed into an audit
  prints literally and nothing (an ``<img src=...>``, a font file) is ever read from disk.
* Long free text is never put in a table cell. Evidence, reasons and notes flow as ordinary
  paragraphs that split across pages, so a 50,000-character answer or an unbroken string
  cannot break the build. Table cells (the action plan, priorities, sign-off comments) show
  at most a few hundred characters and end with "… (continues in the full gap report)" or
  "… (continues in the audit file)" where they cut; the full text is in the gap report.
* Fonts are DejaVu Sans, found on the system at run time (no font files ship with the
  package) and embedded, so Welsh, Polish and typographic characters print everywhere.
* Meaning never rests on colour: every rating tag, flag and overdue mark is a word.
* ``deterministic=True`` fixes the dates and the document id so two renders are identical.

The package is split by the part of the report each module draws: :mod:`.fonts`,
:mod:`.styles`, :mod:`.paragraphs` and :mod:`.markup` for text, :mod:`.pages` and
:mod:`.tables` for the page furniture, then :mod:`.cover`, :mod:`.summary`, :mod:`.sections`,
:mod:`.plans` and :mod:`.appendices`, put together in order by :mod:`.document`.
"""

from __future__ import annotations

from .document import render_pdf
from .fonts import FontNotFoundError

__all__ = ["FontNotFoundError", "render_pdf"]
