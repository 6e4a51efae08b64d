"""The batch renderer in a process of its own, telling its caller each file's outcome.

The app makes a cohort's reports from a thread of its server (:mod:`quality_offer.jobs`).
Starting worker processes from there goes wrong both ways: forking a process with many
threads can leave a child stuck on a lock another thread held, and spawn re-runs the
process's main module, which under Streamlit is the app script itself. So the job starts
this module as a fresh, single-threaded Python (``python -m``), which forks its workers
safely through :func:`.batch.render_batch`, and reads one JSON line a file from its output:
``{"source": ..., "written": [...], "problems": [...]}``.

Arguments: a JSON file listing the audit files, the folder for the PDFs, the workers (0 for
every core).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .batch import render_batch


def main(argv: list[str] | None = None) -> int:
    listing, pdf_dir, workers = argv if argv is not None else sys.argv[1:]
    sources = json.loads(Path(listing).read_text(encoding="utf-8"))
    for result in render_batch(sources, pdf_dir=pdf_dir, workers=int(workers) or None):
        print(json.dumps({"source": result.source, "written": list(result.written),
                          "problems": [p.message for p in result.problems]}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
