"""The report's font numbers its characters exactly as reportlab would, whatever the text.

The PDF's text is bytes that mean characters only through the embedded font's table; a
wrong number prints a wrong letter. The report's quicker way of numbering must give
reportlab's bytes for every text, in every order: new characters, no-break spaces,
characters the font lacks, and more than 256 different characters (a second subset).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from quality_offer.reports.pdf import fonts as pdf_fonts

ALPHABET = st.one_of(
    st.sampled_from("abc xyz\u00a0ŵŷâ’“”—…•·\u2002\u2003\u0000\U0001f600\u4e2d"),
    st.characters(min_codepoint=0x20, max_codepoint=0x2FF),
    st.characters(min_codepoint=0x370, max_codepoint=0x52F),  # Greek, Cyrillic
)


class Doc:
    """Stands for a PDF document: fonts keep their numbering per document object."""


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(ALPHABET, max_size=60), max_size=40))
def test_every_text_gets_reportlabs_bytes_in_any_order(texts):
    pdf_fonts.register_fonts()
    font = pdfmetrics.getFont(pdf_fonts.FONT)
    ours, theirs = Doc(), Doc()
    for text in texts + texts:  # the second time round every character has its number
        assert font.splitString(text, ours) == TTFont.splitString(font, text, theirs)


def test_a_second_subset_is_numbered_as_reportlab_numbers_it():
    pdf_fonts.register_fonts()
    font = pdfmetrics.getFont(pdf_fonts.FONT)
    many = "".join(chr(c) for c in range(0x400, 0x400 + 300))  # 300 Cyrillic letters
    ours, theirs = Doc(), Doc()
    for text in (many, "Ж Ѐ ӿ abc", many[::-1]):
        expected = TTFont.splitString(font, text, theirs)
        assert font.splitString(text, ours) == expected
    assert {subset for subset, _ in expected} == {0, 1}
