"""Time the PDF report: one school's full report against a floor, then an LA's batch.

    .venv/bin/python benchmarks/bench_reports.py                  # 500 schools on 2 cores
    .venv/bin/python benchmarks/bench_reports.py --schools 50 --repeats 3

The quality bars (shared/DESIGN.md): one school's full PDF under 0.5 s; the LA's 500 school
reports in a minute. The single report is also judged against a floor measured in the same
run: a plain reportlab SimpleDocTemplate holding the same text (criteria, evidence, actions,
reference summaries) as plain Paragraphs in the same embedded font, with no cover, tables,
chart, tags, outline or page numbering. The ratio says what the report's layout costs over
setting its words at all.

The audit is synthetic but shaped like a real one: every criterion of the shipped framework
rated, about 300 words of evidence each drawn (with a fixed seed) from the framework's own
vocabulary, an action with owner and date on each, and a few criteria left not assessed.
Prints figures only; no assertion on time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import multiprocessing
import random
import re
import statistics
import time
from xml.sax.saxutils import escape

from pypdf import PdfReader
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate

from quality_offer import framework as frameworks
from quality_offer.audit import Audit
from quality_offer.framework import Framework
from quality_offer.gaps import GapReport, analyse
from quality_offer.reports.pdf import _find_font, render_pdf

TODAY = dt.date(2027, 1, 15)
EVIDENCE_WORDS = 300
OWNERS = ("SENCO", "Headteacher", "SEN governor", "Deputy head", "Inclusion lead")


def _vocabulary(fw: Framework) -> list[str]:
    text = " ".join([c.text for c in fw.criteria]
                    + [r.summary for r in fw.references.values()]
                    + [d for c in fw.criteria for d in c.levels.values()])
    return re.findall(r"[A-Za-z][A-Za-z'-]+", text)


def build_audit(fw: Framework, n: int) -> Audit:
    """School number ``n``: every criterion answered, a few left unrated."""
    rng = random.Random(n)
    words = _vocabulary(fw)
    responses = {}
    for i, crit in enumerate(fw.active):
        if (i + n) % 17 == 0:
            continue  # not assessed
        levels = fw.scale_of(crit).level_ids
        sentences = []
        count = 0
        while count < EVIDENCE_WORDS:
            length = rng.randint(8, 20)
            sentences.append(" ".join(rng.choice(words) for _ in range(length)).capitalize()
                             + ".")
            count += length
        responses[crit.id] = {
            "rating": rng.choice(levels),
            "evidence": {"text": " ".join(sentences), "location": "SEN folder, policies",
                         "kind": "document"},
            "action": {"what": f"Review {crit.id} and agree next steps with staff",
                       "owner": rng.choice(OWNERS),
                       "due": (TODAY + dt.timedelta(days=rng.randint(-60, 200))).isoformat(),
                       "status": rng.choice(["not-started", "in-progress", "done"])},
        }
    return Audit.model_validate({
        "framework": {"id": fw.id, "version": fw.version},
        "school": {"urn": f"{100000 + n:06d}", "name": f"School number {n} Primary",
                   "la_code": "919", "phase": "primary", "type": "maintained",
                   "area": "DSPL 8"},
        "academic_year": "2026/27",
        "completed_by": "Siân O’Brien",
        "responses": responses,
    })


def floor_pdf(report: GapReport) -> bytes:
    """The same words as plain Paragraphs in a plain SimpleDocTemplate: the floor."""
    if "Floor-DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Floor-DejaVuSans", str(_find_font("DejaVuSans.ttf"))))
    style = ParagraphStyle("floor", fontName="Floor-DejaVuSans", fontSize=10, leading=14)
    texts: list[str] = []
    for item in report.items:
        texts.append(f"{item.criterion} {item.text}")
        if item.evidence:
            texts += [item.evidence.text, item.evidence.location]
        if item.action:
            texts += [item.action.what, item.action.owner]
        texts += [f"{r.id} {r.title}: {r.summary}" for r in item.references]
    texts += [a.what for a in report.actions]
    texts += [f"{r.id} {r.title} {r.summary} {r.url}" for r in report.references]
    buf = io.BytesIO()
    a85, rl_config.useA85 = rl_config.useA85, 0  # the same stream encoding as the report
    try:
        SimpleDocTemplate(buf, pagesize=A4).build([Paragraph(escape(t), style) for t in texts])
    finally:
        rl_config.useA85 = a85
    return buf.getvalue()


def median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


_FW: Framework | None = None


def _init_worker(words: int) -> None:
    global _FW, EVIDENCE_WORDS
    _FW = frameworks.default()
    EVIDENCE_WORDS = words


def _one_school(n: int) -> int:
    assert _FW is not None
    report = analyse(_FW, build_audit(_FW, n), TODAY)
    return len(render_pdf(report))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--schools", type=int, default=500, help="schools in the batch")
    parser.add_argument("--repeats", type=int, default=7, help="renders timed for the median")
    parser.add_argument("--processes", type=int, default=2, help="worker processes (cores)")
    parser.add_argument("--words", type=int, default=EVIDENCE_WORDS,
                        help="words of evidence per criterion (300: a very full audit)")
    args = parser.parse_args()
    _init_worker(args.words)

    fw = frameworks.default()
    report = analyse(fw, build_audit(fw, 0), TODAY)
    words = sum(len(i.evidence.text.split()) for i in report.items if i.evidence)
    pdf = render_pdf(report)          # warm up: fonts registered, modules imported
    floor = floor_pdf(report)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    floor_pages = len(PdfReader(io.BytesIO(floor)).pages)
    print(f"framework: {fw.id} {fw.version}, {len(report.items)} criteria, "
          f"{words:,} words of evidence, {len(report.actions)} actions")
    print(f"report PDF: {pages} pages, {len(pdf):,} bytes; floor PDF: {floor_pages} pages, "
          f"{len(floor):,} bytes")

    t_report = median_time(lambda: render_pdf(report), args.repeats)
    t_floor = median_time(lambda: floor_pdf(report), args.repeats)
    print(f"render_pdf, one school (median of {args.repeats}): {t_report:.3f} s "
          "(bar: under 0.5 s)")
    print(f"floor, plain SimpleDocTemplate of the same text (median of {args.repeats}): "
          f"{t_floor:.3f} s")
    print(f"ratio report / floor: {t_report / t_floor:.2f}x")

    start = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(args.processes,
                                                   initializer=_init_worker,
                                                   initargs=(args.words,)) as pool:
        sizes = pool.map(_one_school, range(1, args.schools + 1), chunksize=4)
    total = time.perf_counter() - start
    print(f"{args.schools} schools' PDFs on {args.processes} processes: {total:.1f} s total, "
          f"{total / args.schools * 1000:.0f} ms a school, {sum(sizes) / 1e6:.1f} MB "
          "(bar: 500 in a minute)")


if __name__ == "__main__":
    main()
