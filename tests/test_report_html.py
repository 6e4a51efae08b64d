"""The HTML report: one accessible, self-contained page with the same content as the PDF."""

from __future__ import annotations

import datetime as dt
import itertools
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quality_offer.gaps import analyse
from quality_offer.reports.html import render_html
from quality_offer.reports.wording import clean_text

from .builders import make_audit
from .hostile_report import FIELDS, hostile_audit, typed

TODAY = dt.date(2027, 1, 15)
MARKUP = '<para><img src="/etc/passwd"/></para> &nbsp; <script>alert(1)</script>'
VOID = {"meta", "br", "img", "link", "input", "hr", "col", "source", "wbr", "rect", "path"}


def answers(**overrides):
    base = {
        "D1": {"rating": "not-met",
               "evidence": {"text": "No record of provision.\nSecond line.",
                            "location": "SEN folder", "kind": "document"},
               "action": {"what": "Write the SEN policy", "owner": "Ms Ŵyn Jones",
                          "due": "2026-12-01", "status": "in-progress"}},
        "D2": {"rating": "partly-met"},
        "O1.1": {"rating": "established",
                 "evidence": {"text": "Lesson observations.", "kind": "observation"}},
        "O1.2": {"not_applicable_reason": "No looked-after children on roll."},
    }
    base.update(overrides)
    return base


def report_of(fw, responses, **kw):
    return analyse(fw, make_audit(fw, responses, **kw), TODAY)


class Outline(HTMLParser):
    """Collects what the checks need: tags, attributes, headings, tables, text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[int] = []
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)

    def shows(self, typed: str) -> bool:
        """Whether the text appears as typed within one run of text a reader sees."""
        return any(typed in run for run in self.text)


def parse(page: str) -> Outline:
    parser = Outline()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def page(mini):
    return render_html(report_of(mini, answers(), completed_by="Siân O’Brien",
                                 sign_offs=[{"name": "Dr Jan Łukasz", "role": "headteacher",
                                             "date": "2027-01-12"}]))


def test_it_is_english_with_a_title_and_well_formed(page):
    assert page.startswith("<!doctype html>\n<html lang=\"en-GB\">")
    assert "<title>SEND self-assessment: Oak Tree Primary School, 2026/27</title>" in page
    parsed = parse(page)
    assert parsed.errors == [] and parsed.stack == []


def test_headings_start_at_one_h1_and_never_skip_a_level(page):
    levels = parse(page).headings
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))


def test_every_table_has_a_caption_and_scoped_headers(page):
    parsed = parse(page)
    assert page.count("<table>") == page.count("<caption>") > 3
    ths = [attrs for tag, attrs in parsed.tags if tag == "th"]
    assert ths and all(attrs.get("scope") in {"col", "row"} for attrs in ths)


def test_the_chart_is_an_inline_svg_with_a_text_alternative_and_its_numbers_in_a_table(page):
    parsed = parse(page)
    svg = next(attrs for tag, attrs in parsed.tags if tag == "svg")
    assert svg["role"] == "img"
    assert svg["aria-labelledby"] == "chart-title chart-desc"
    assert '<title id="chart-title">' in page and '<desc id="chart-desc">' in page
    assert "Statutory duties: 0 of 2 assessed at or above expected (0%)" in page
    assert "<caption>Each section in numbers</caption>" in page
    assert '<td class="num">100%</td>' in page


def test_it_loads_nothing_from_anywhere_and_runs_no_script(page):
    parsed = parse(page)
    tags = {tag for tag, _ in parsed.tags}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "audio", "video"}
    assert not any("src" in attrs or "srcset" in attrs for _, attrs in parsed.tags)
    assert not any(k.startswith("on") for _, attrs in parsed.tags for k in attrs)
    assert "@import" not in page and "url(" not in page
    hrefs = [attrs["href"] for tag, attrs in parsed.tags if tag == "a"]
    assert all(h.startswith(("#", "https://")) for h in hrefs)


def test_it_has_print_styles(page):
    assert "@media print" in page and "@page" in page


def test_it_carries_the_same_content_as_the_pdf(mini, page):
    report = report_of(mini, answers())
    text = " ".join("".join(parse(page).text).split())
    assert "Summary for governors" in text and "Full gap report" in text
    for gap in report.gaps:
        for ref in gap.references:
            assert ref.cited in text and ref.summary in text
    for question in report.questions:
        assert question in text
    assert "Write the SEN policy" in text and "Ms Ŵyn Jones" in text
    assert "Overdue" in text
    appendix = text.index("Appendix: how the references were checked")
    assert text.index("As published: CoP 10.0 (no such paragraph).") > appendix
    assert "No looked-after children on roll." in text
    assert report.rules["section"] in text
    assert "Dr Jan Łukasz" in text and "12 January 2027" in text
    for ref in report.references:
        assert f'href="{ref.url}"' in page


def test_meaning_is_never_in_colour_alone(page):
    assert '<strong class="tag tag-red">Not met</strong>' in page
    assert '<strong class="tag tag-green">Established</strong>' in page
    assert '<strong class="overdue">Overdue</strong>' in page
    assert "2 statutory duties not met in full: D1, D2" in page


def test_markup_in_free_text_is_escaped(mini):
    report = report_of(mini, answers(D1={
        "rating": "not-met",
        "evidence": {"text": MARKUP, "location": "<b>unbalanced"},
        "action": {"what": '<a href="javascript:alert(1)">x</a>', "owner": "\"quoted\""}}),
        name="Oak & <Ash> School")
    page = render_html(report)
    outline = parse(page)
    for text in (MARKUP, "<b>unbalanced", '<a href="javascript:alert(1)">x</a>',
                 "\"quoted\"", "Oak & <Ash> School"):
        assert outline.shows(text), text
    assert "javascript:" not in [a.get("href") for _, a in outline.tags]
    assert not {"script", "img", "b", "para"} & {tag for tag, _ in outline.tags}
    assert outline.errors == []


def test_control_characters_are_replaced_not_passed_through(mini):
    page = render_html(report_of(mini, answers(D1={
        "rating": "not-met", "evidence": {"text": "bell\x07 null\x00 end"}})))
    assert "bell\ufffd null\ufffd end" in page
    assert "\x00" not in page and "\x07" not in page


free_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=200)
#: A school's name refuses control and direction characters (see yamlsafe.NOT_IN_NAMES);
#: any other text must show as typed.
name_text = st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp"),
                                  exclude_characters="\u061c\u200e\u200f\u202a\u202b"
                                                     "\u202c\u202d\u202e\u2066\u2067"
                                                     "\u2068\u2069\ufffe\uffff"),
                    min_size=1, max_size=150)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(noise=st.lists(free_text, min_size=8, max_size=8), school=name_text)
def test_any_text_in_any_free_text_field_is_shown_escaped(mini, noise, school):
    reason = noise[4] if noise[4].strip() else "reason"
    name = school
    responses = {
        "D1": {"rating": "not-met",
               "evidence": {"text": noise[0], "location": noise[1][:100]},
               "action": {"what": noise[2], "owner": noise[3][:100]},
               "moderated_rating": "partly-met", "moderation_note": noise[5]},
        "O1.2": {"not_applicable_reason": reason},
    }
    page = render_html(report_of(mini, responses, name=name, completed_by=noise[7][:150]))
    outline = parse(page)
    assert outline.errors == []
    for value in (noise[0], noise[1][:100], noise[2], noise[3][:100], reason, noise[5], name,
                  noise[7][:150]):
        for line in clean_text(value).split("\n"):
            if line.strip():
                assert outline.shows(line)
    assert parse(page).errors == []


def test_an_audit_with_nothing_answered_still_makes_a_full_page(mini):
    page = render_html(report_of(mini, {}))
    assert "No actions are planned." in page and "not assessed yet" in page
    assert parse(page).errors == []


def test_hostile_text_in_every_free_text_field_shows_as_typed_and_is_never_evaluated(mini):
    page = render_html(analyse(mini, hostile_audit(mini), TODAY))
    outline = parse(page)
    for field in FIELDS:
        assert outline.shows(typed(field)), field
    assert "49" not in "".join(outline.text)  # {{ 7*7 }} and ${7*7} were not worked out
    assert not any(tag == "script" or (a.get("href") or "").startswith("javascript:")
                   for tag, a in outline.tags)
    assert outline.errors == []
