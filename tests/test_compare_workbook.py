"""The comparison workbook, written row by row: every text stays text, every number a number.

Names and notes are typed by many people. Whatever they start with (a formula, an error
code like ``#N/A``, a web address, a number-like string such as a URN with leading zeros),
the workbook shows them as text, exactly as typed apart from the apostrophe that disarms a
formula. Shares stay numbers formatted as percentages.
"""

from __future__ import annotations

import io

from openpyxl import load_workbook

from quality_offer.compare import Comparison
from quality_offer.compare.tables import to_xlsx

from .builders import make_audit

NAMES = ["#N/A", "https://evil.test/x", "000123", "=1+2", "TRUE", "Ysgol Ŵŷ — Łódź"]


def workbook_of(mini):
    audits = [make_audit(mini, {"D1": {"rating": "met"}, "O1.1": {"rating": "emerging"}},
                         urn=f"11700{n}", name=name) for n, name in enumerate(NAMES)]
    comp = Comparison.from_audits([(mini, a) for a in audits])
    return load_workbook(io.BytesIO(to_xlsx(comp)))


def test_names_that_look_like_errors_links_numbers_or_formulas_stay_text(mini):
    sections = workbook_of(mini)["Sections"]
    names = {c.value: c.data_type for c in sections["B"][1:]}
    assert names == {"#N/A": "s", "https://evil.test/x": "s", "000123": "s", "'=1+2": "s",
                     "TRUE": "s", "Ysgol Ŵŷ — Łódź": "s"}
    assert not sections._hyperlinks


def test_shares_are_numbers_shown_as_percentages_under_a_bold_frozen_header(mini):
    book = workbook_of(mini)
    sections = book["Sections"]
    assert sections.freeze_panes == "A2" and sections["A1"].font.b
    shares = [sections.cell(row=r, column=8) for r in range(2, len(NAMES) + 2)]
    assert all(type(c.value) in (int, float) and c.number_format == "0%" for c in shares)
    assert book.sheetnames[0] == "About" and book["About"]["B2"].value == len(NAMES)


def test_common_gaps_are_named_by_their_criterion_text_in_the_workbook_and_csv(mini):
    import csv

    from quality_offer.compare.tables import shared_xlsx, to_csv

    audits = [make_audit(mini, {"D1": {"rating": "met"}, "O1.1": {"rating": "emerging"}},
                         urn=f"11700{n}", name=f"School {n}") for n in range(6)]
    comp = Comparison.from_audits([(mini, a) for a in audits])
    o11 = mini.criterion("O1.1")
    section = next(s.title for s in mini.sections if s.id == mini.section_of("O1.1"))
    for book in (load_workbook(io.BytesIO(to_xlsx(comp))),
                 load_workbook(io.BytesIO(shared_xlsx(comp, threshold=5)))):
        gaps = book["Common gaps"]
        head = [c.value for c in gaps[1]]
        assert head[:5] == ["Rank", "Criterion", "Criterion text", "Section", "Kind"]
        first = {h: c.value for h, c in zip(head, gaps[2], strict=True)}
        assert (first["Criterion"], first["Criterion text"]) == ("O1.1", o11.text)
        assert first["Section"] == section and first["Kind"] == "Expectation"
    share = load_workbook(io.BytesIO(to_xlsx(comp)))["Common gaps"]["H2"]
    assert share.value == 1.0 and share.number_format == "0%"
    rows = list(csv.DictReader(io.StringIO(to_csv(comp))))
    named = {r["Criterion"]: r["Criterion text"] for r in rows}
    assert named["O1.1"] == o11.text
    assert all(text == mini.criterion(cid).text for cid, text in named.items())


def test_a_text_repeated_on_every_schools_rows_is_stored_once(mini):
    """The long table repeats each criterion's text for every school; the file holds it once
    (a shared string), so a thousand schools' workbook stays small enough to email."""
    import zipfile

    audits = [make_audit(mini, {"D1": {"rating": "met"}, "O1.1": {"rating": "emerging"}},
                         urn=f"11700{n}", name=f"School {n}") for n in range(6)]
    data = to_xlsx(Comparison.from_audits([(mini, a) for a in audits]))
    responses = load_workbook(io.BytesIO(data))["Responses"]
    text = mini.criterion("O1.1").text
    column = [c.value for c in responses["K"]]
    assert column[0] == "Criterion text" and column.count(text) == 6
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/"))
    assert xml.count(text) == 1
