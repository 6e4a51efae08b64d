"""Time the PDF report: one school's full report against a floor, then an LA's batch.

    .venv/bin/python benchmarks/bench_reports.py                  # 500 schools on 2 cores
    .venv/bin/python benchmarks/bench_reports.py --schools 50 --repeats 3
    .venv/bin/python benchmarks/bench_reports.py --words 300      # very full audits

The goals: one school's PDF within 2x a fair floor measured in the same run; 500 typical
schools' PDFs on 2 processes in under 45 s. The floor is a plain reportlab SimpleDocTemplate
holding every word the report prints (criteria, ratings, evidence, actions, references,
table cells, headings and explanations: checked against the words pypdf extracts from the
report) as plain Paragraphs in the same embedded font, with no cover, tables, chart, tags,
outline or page numbering. The ratio says what the report's layout costs over setting its
words at all.

The audit is synthetic but shaped like a real one: every criterion of the shipped framework
rated, about 80 words of evidence each (a typical audit; ``--words``) drawn with a fixed seed
from the framework's own vocabulary, an action with owner and date on each, and a few
criteria left not assessed. Prints figures, the load average and peak memory; no assertion.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import io
import os
import random
import re
import resource
import statistics
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

from pypdf import PdfReader
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate

from quality_offer import auditfile
from quality_offer import framework as frameworks
from quality_offer.audit import Audit
from quality_offer.framework import Framework
from quality_offer.gaps import GapReport, analyse
from quality_offer.reports.batch import render_batch
from quality_offer.reports.pdf import render_pdf
from quality_offer.reports.pdf.fonts import _find_font

TODAY = dt.date(2027, 1, 15)
EVIDENCE_WORDS = 80
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


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def floor_texts(report: GapReport) -> list[str]:
    """The report's words as plain paragraphs, roughly one for each paragraph it prints.

    Built from the same GapReport field by field (criteria, ratings, evidence, actions,
    references, section lines, the tables' cells, the references list); the words the
    report prints beyond these (fixed headings and explanations, labels, tags, footers)
    are added by :func:`fair_floor_texts` from the report's own text.
    """
    texts: list[str] = []
    for sec in report.sections:
        texts.append(f"{sec.title} {sec.applicable} applicable, {sec.assessed} assessed")
    for item in report.items:
        texts.append(f"{item.criterion} {item.text}")
        texts.append(f"Rating {item.rating_label or 'Not assessed'} {item.expected_label}")
        if item.not_applicable_reason:
            texts.append(item.not_applicable_reason)
        if item.evidence:
            texts += [item.evidence.text, f"{item.evidence.location} {item.evidence.kind}"]
        if item.action:
            texts += [item.action.what, f"{item.action.owner} {item.action.due} "
                                        f"{item.action.status}"]
        if item.references:
            texts.append(" ".join(f"{r.id} {r.source} {r.title}: {r.summary}"
                                  for r in item.references))
    for gap in report.gaps[:5]:
        texts.append(f"{gap.criterion} {gap.text} {gap.rating_label}")
    for a in report.actions:
        texts += [a.criterion, a.what, a.owner, str(a.due), a.status]
    for cid in report.not_assessed:
        texts.append(cid)
    for check in report.checks:
        texts.append(f"{check.kind} {check.criterion} {check.message}")
    for r in report.references:
        texts += [f"{r.id} {r.title} {r.source}", r.summary, r.url]
    return [t for t in texts if t.strip()]


def fair_floor_texts(report: GapReport, report_pdf: bytes) -> tuple[list[str], int, int]:
    """:func:`floor_texts` plus every word the report prints that they lack.

    Compared as multisets of words with the text pypdf extracts from the report, so the
    floor holds at least every word the report prints, whatever its wording. Returns the
    texts, the report's word count and the number of words added.
    """
    from collections import Counter

    texts = floor_texts(report)
    printed = Counter(_words("\n".join(page.extract_text() or ""
                                        for page in PdfReader(io.BytesIO(report_pdf)).pages)))
    have = Counter(_words("\n".join(texts)))
    missing = [w for w, n in (printed - have).items() for _ in range(n)]
    for i in range(0, len(missing), 60):
        texts.append(" ".join(missing[i:i + 60]))
    return texts, sum(printed.values()), len(missing)


def floor_pdf(texts: list[str]) -> bytes:
    """The words as plain Paragraphs in a plain SimpleDocTemplate: the floor."""
    if "Floor-DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Floor-DejaVuSans", str(_find_font("DejaVuSans.ttf"))))
    style = ParagraphStyle("floor", fontName="Floor-DejaVuSans", fontSize=10, leading=14)
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


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs"


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _rss(who: int) -> str:
    return f"{resource.getrusage(who).ru_maxrss / 1024:.0f} MiB"


def main() -> None:
    global EVIDENCE_WORDS
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--schools", type=int, default=500, help="schools in the batch")
    parser.add_argument("--repeats", type=int, default=7, help="renders timed for the median")
    parser.add_argument("--processes", type=int, default=2, help="worker processes (cores)")
    parser.add_argument("--warm", type=int, default=20,
                        help="other schools rendered before one school is timed")
    parser.add_argument("--words", type=int, default=EVIDENCE_WORDS,
                        help="words of evidence a criterion (80: typical; 300: very full)")
    args = parser.parse_args()
    EVIDENCE_WORDS = args.words

    fw = frameworks.default()
    report = analyse(fw, build_audit(fw, 0), TODAY)
    words = sum(len(i.evidence.text.split()) for i in report.items if i.evidence)
    pdf = render_pdf(report)          # warm up: fonts registered, modules imported
    texts, printed, added = fair_floor_texts(report, pdf)
    floor = floor_pdf(texts)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    floor_pages = len(PdfReader(io.BytesIO(floor)).pages)
    print(f"framework: {fw.id} {fw.version}, {len(report.items)} criteria, "
          f"{words:,} words of evidence, {len(report.actions)} actions")
    print(f"report PDF: {pages} pages, {len(pdf):,} bytes; floor PDF: {floor_pages} pages, "
          f"{len(floor):,} bytes")
    print(f"the report prints {printed:,} words; the floor holds them all as "
          f"{len(texts):,} plain paragraphs ({added:,} words of headings, labels and "
          "explanations added from the report's own text)")

    # Interleaved, so a change in the machine's load falls on both alike. The report draws
    # what it has drawn before from memory (pages and paragraphs every school shares, a
    # school's own lines), so the same school again flatters it: other schools of the same
    # shape, never rendered before in this process, are what a batch renders, once its
    # workers have rendered a few (``--warm``).
    for n in range(args.warm):
        render_pdf(analyse(fw, build_audit(fw, 2000 + n), TODAY))
    others = [analyse(fw, build_audit(fw, 1000 + n), TODAY) for n in range(args.repeats)]
    t_report, t_again, t_floor = [], [], []
    for other in others:
        t_report.append(median_time(functools.partial(render_pdf, other), 1))
        t_again.append(median_time(lambda: render_pdf(report), 1))
        t_floor.append(median_time(lambda: floor_pdf(texts), 1))
    rep, again, flo = (statistics.median(t) for t in (t_report, t_again, t_floor))
    print(f"load average {_load()}")
    print(f"render_pdf, a school not rendered before in this process, after {args.warm} "
          f"others (median of {args.repeats}): {rep:.3f} s")
    print(f"render_pdf, the same school again (median of {args.repeats}): {again:.3f} s")
    print(f"floor, plain SimpleDocTemplate of the same words (median of {args.repeats}): "
          f"{flo:.3f} s")
    print(f"ratio report / floor: {rep / flo:.2f}x (goal: within 2x); the same school "
          f"again: {again / flo:.2f}x")
    print(f"peak memory (max RSS) of this process: {_rss(resource.RUSAGE_SELF)}")

    # The batch as an authority runs it: audit files in a folder, through the same code
    # as ``quality-offer report FOLDER --pdf-dir OUT --jobs N``.
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "audits"
        folder.mkdir()
        files = []
        for n in range(1, args.schools + 1):
            path = folder / f"{n}.yaml"
            path.write_text(auditfile.dump(build_audit(fw, n), "yaml"), encoding="utf-8")
            files.append(path)
        print(f"load average {_load()}")
        cpu0 = _cpu(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        results = list(render_batch(files, pdf_dir=Path(tmp) / "pdf",
                                    workers=args.processes))
        total = time.perf_counter() - start
        cpu = _cpu(resource.RUSAGE_CHILDREN) - cpu0
        size = sum(p.stat().st_size for p in (Path(tmp) / "pdf").iterdir())
    failed = [r for r in results if not r.ok]
    print(f"{args.schools} schools' PDFs from audit files on {args.processes} processes: "
          f"{total:.1f} s total, {total / args.schools * 1000:.0f} ms a school, "
          f"{size / 1e6:.1f} MB, {len(failed)} failed (goal: 500 in under 45 s)")
    # Under load the wall clock counts other people's work; the workers' CPU time does not
    # (much): on a quiet machine the batch takes about that divided by the processes.
    print(f"CPU time of the workers: {cpu:.1f} s ({cpu / args.schools * 1000:.0f} ms a school; "
          f"{cpu / args.processes:.1f} s a process)")
    print(f"load average {_load()}; peak memory of one worker (max RSS): "
          f"{_rss(resource.RUSAGE_CHILDREN)}")


if __name__ == "__main__":
    main()
