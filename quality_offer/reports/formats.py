"""The report files one audit can be downloaded as: one list, read by the CLI and the app.

Each format names its file extension, the label on the app's button, its media type and the
function that renders a :class:`~quality_offer.gaps.GapReport` to bytes. A renderer is
imported only when asked for, so a missing or broken optional library costs that one format,
not the page or the command.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..gaps import GapReport


@dataclass(frozen=True)
class Format:
    ext: str
    label: str
    mime: str
    module: str  # where the renderer lives, imported when first used
    function: str

    def renderer(self) -> Callable[[GapReport], bytes]:
        """The function turning a report into this file's bytes (ImportError if missing)."""
        render = getattr(importlib.import_module(self.module, __package__), self.function)

        def to_bytes(report: GapReport) -> bytes:
            data = render(report)
            return data.encode("utf-8") if isinstance(data, str) else data

        return to_bytes


FORMATS: tuple[Format, ...] = (
    Format("pdf", "PDF report", "application/pdf", ".pdf", "render_pdf"),
    Format("html", "HTML report", "text/html", ".html", "render_html"),
    Format("xlsx", "Spreadsheet (XLSX)",
           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           ".spreadsheets", "report_xlsx"),
    Format("csv", "Every answer (CSV)", "text/csv", ".spreadsheets", "responses_csv"),
)


def available() -> dict[str, tuple[Format, Callable[[GapReport], bytes]]]:
    """The formats whose renderer imports in this install, by extension."""
    out: dict[str, tuple[Format, Callable[[GapReport], bytes]]] = {}
    for fmt in FORMATS:
        try:
            out[fmt.ext] = (fmt, fmt.renderer())
        except ImportError:
            continue
    return out


def file_stem(urn: str, academic_year: str) -> str:
    """The name every file of one audit starts with: quality-offer-123456-2026-27."""
    return f"quality-offer-{urn}-{academic_year.replace('/', '-')}"


def write_outputs(outputs: list[tuple[Path, Callable[[], bytes]]]) -> None:
    """Build every output first, then write each whole, so nothing is half-written."""
    built = [(path, build()) for path, build in outputs]
    for path, content in built:
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(content)
        tmp.replace(path)
