"""Time the SEN information report check against reading the same report and scoring it.

    .venv/bin/python benchmarks/bench_sir.py [--sections N] [--repeat R]

The floor, measured in the same run, is what any such check must do anyway: extract the text
(pypdf, python-docx) and score it once with textstat. The figure is how many times that the
whole check takes (matching every item, the hardest passages, jargon, the review date). The
report is the test suite's complete report, its sections repeated N times with a hard
paragraph added to each (N=1 is about 5,500 words, a long real report).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import textstat

from quality_offer.sir import check, read_bytes
from tests import sir_reports as R


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=1, help="times the report is repeated")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    parts = [(h, f"{b} {R.HARD_PARAGRAPH}") for h, b in R.SECTIONS.values()] * 3
    parts = parts * args.sections
    files = {"report.pdf": R.as_pdf(parts), "report.docx": R.as_docx(parts),
             "report.txt": R.as_text(parts).encode()}
    textstat.flesch_reading_ease("Load the pronouncing dictionary before timing.")
    print(f"{'file':<12} {'words':>7} {'floor s':>8} {'check s':>8} {'ratio':>6}")
    ratios = []
    for name, data in files.items():
        document = read_bytes(data, name)

        def floor(data=data, name=name) -> None:
            doc = read_bytes(data, name)
            textstat.flesch_reading_ease(doc.text)
            textstat.flesch_kincaid_grade(doc.text)

        def whole(data=data, name=name) -> None:
            check(read_bytes(data, name))

        f, w = best(floor, args.repeat), best(whole, args.repeat)
        ratios.append(w / f)
        print(f"{name:<12} {document.words:>7,} {f:>8.3f} {w:>8.3f} {w / f:>6.1f}")
    print(f"median ratio {statistics.median(ratios):.1f}x the floor")


if __name__ == "__main__":
    main()
