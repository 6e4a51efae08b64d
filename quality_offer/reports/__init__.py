"""Every rendering of one :class:`~quality_offer.gaps.GapReport`.

``pdf`` and ``html`` (printable reports), ``spreadsheets`` (XLSX workbook, CSV of every
answer), ``text`` (the terminal), ``batch`` (many PDFs on every core), with ``formats`` the one
list of downloadable files and ``wording`` the words they share. Each renders the same
report and computes nothing of its own.
"""
