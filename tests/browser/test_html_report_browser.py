"""The HTML report opened in Chromium: hostile text reads as typed and does nothing, and the
draft line is printed in the top margin of every page.

A parser sees what the markup says; only a browser shows what a reader gets from it: whether
a script runs, whether a link can be followed, what the text reads once entities are decoded,
and what a CSS page-margin box prints.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from quality_offer.gaps import analyse
from quality_offer.reports.html import render_html

from ..hostile_report import FIELDS, hostile_audit, typed
from .helpers import new_page

pytestmark = pytest.mark.browser

TODAY = dt.date(2027, 1, 15)


def test_hostile_text_reads_as_typed_runs_nothing_and_links_nowhere(browser, mini,
                                                                    tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(render_html(analyse(mini, hostile_audit(mini), TODAY)), encoding="utf-8")
    with new_page(browser) as page:
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(path.as_uri())
        text = page.inner_text("body")
        links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        scripts = page.eval_on_selector_all("script", "els => els.length")
    flat = " ".join(text.split())
    for field in FIELDS:
        assert " ".join(typed(field).split()) in flat, field
    assert dialogs == []
    assert scripts == 0
    assert not [href for href in links if not href.startswith(("file:", "http:", "https:"))]
    assert "49" not in flat


def test_the_draft_line_is_in_the_top_margin_of_every_printed_page(browser, mini,
                                                                    tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(render_html(analyse(mini, hostile_audit(mini), TODAY)), encoding="utf-8")
    with new_page(browser) as page:
        page.goto(path.as_uri())
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
    (tmp_path / "report.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) > 1
    for n, printed in enumerate(pages, 1):
        assert printed.strip().startswith("DRAFT: not signed off; still to sign:"), n
