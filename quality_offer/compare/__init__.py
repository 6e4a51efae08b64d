"""The local authority's comparison of many schools' audits.

- :mod:`.school_result`: one school's row, read off its own gap report.
- :mod:`.measures`: common gaps, spreads and inputs left out.
- :mod:`.core`: the pure logic (:class:`Comparison`, built from (Framework, Audit) pairs).
- :mod:`.loading`: a folder of audit files in, broken files named and skipped.
- :mod:`.database`: the same comparison from the store's tables, in a few queries.
- :mod:`.privacy`: small-number suppression for anything shared beyond the authority.
- :mod:`.tables`: XLSX and CSV exports, formula-safe.
- :mod:`.cli`: ``quality-offer compare``.
"""

from __future__ import annotations

from typing import Any

from .cli import cli, render_text
from .core import Comparison
from .loading import NothingToCompare, load_folder
from .measures import CommonGap, Distribution, Skipped
from .privacy import shared_summary, suppress
from .school_result import SchoolResult, result_of

build = Comparison.from_audits

__all__ = [
    "CommonGap",
    "Comparison",
    "Distribution",
    "NothingToCompare",
    "SchoolResult",
    "Skipped",
    "build",
    "cli",
    "from_store",
    "load_folder",
    "render_text",
    "result_of",
    "shared_summary",
    "suppress",
]


def from_store(store: Any, **kwargs: Any) -> Comparison:
    """The comparison from the database; see :func:`.database.from_store`.

    Imported on first use, so comparing a folder of files never loads the database layer.
    """
    from .database import from_store as _from_store

    return _from_store(store, **kwargs)
