"""DejaVu Sans, found on the system at run time and registered once per process.

No font files ship with the package, so the folders a system keeps them in are searched, and a
missing font gives a message that says how to install it. The registered font remembers the
widths it has measured and numbers characters at C speed: line breaking and drawing measure and
encode every word of a report.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ...errors import FontNotFoundError

FONT = "QO-DejaVuSans"
FONT_BOLD = "QO-DejaVuSans-Bold"
FONT_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf"}


def _font_dirs() -> list[Path]:
    dirs: list[Path] = []
    if os.environ.get("QUALITY_OFFER_FONT_DIR"):
        dirs.append(Path(os.environ["QUALITY_OFFER_FONT_DIR"]))
    home = Path.home()
    dirs += [Path(p) for p in (
        "/usr/share/fonts/truetype/dejavu",      # Debian, Ubuntu (fonts-dejavu-core)
        "/usr/share/fonts/dejavu",               # Fedora, Alpine
        "/usr/share/fonts/TTF",                  # Arch
        "/usr/local/share/fonts",
        "/opt/homebrew/share/fonts",
        "/Library/Fonts",
        "C:/Windows/Fonts",
    )]
    dirs += [home / ".local/share/fonts", home / ".fonts", home / "Library/Fonts"]
    # matplotlib bundles DejaVu Sans; use it when it is there, without importing matplotlib.
    spec = importlib.util.find_spec("matplotlib")
    if spec and spec.origin:
        dirs.append(Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf")
    return dirs


#: Searched through (recursively) when the font is in none of the usual folders.
FONT_SEARCH_ROOTS: tuple[Path, ...] = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))


def _find_font(filename: str) -> Path:
    dirs = _font_dirs()
    for folder in dirs:
        if (folder / filename).is_file():
            return folder / filename
    for root in FONT_SEARCH_ROOTS:
        if root.is_dir():
            for path in root.rglob(filename):
                return path
    raise FontNotFoundError(
        f"The PDF report needs the font {filename} (DejaVu Sans) and it was not found. "
        "Install it (Debian/Ubuntu: apt-get install fonts-dejavu-core; Fedora: "
        "dnf install dejavu-sans-fonts; macOS: brew install --cask font-dejavu) or set "
        "QUALITY_OFFER_FONT_DIR to a folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf. "
        "Looked in: " + ", ".join(str(d) for d in dirs))


class _MeasuredTTFont(TTFont):
    """A TrueType font that remembers the width of each string it has measured.

    Line breaking measures every word, and report text repeats its words: a dictionary
    look-up is several times quicker than measuring again, even with reportlab's C
    accelerator (the rl-accel package) installed.
    """

    CACHE_LIMIT = 200_000

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        self._widths: dict[str, float] = {}

    def stringWidth(self, text: str | bytes, size: float, encoding: str = "utf8") -> float:
        if not isinstance(text, str):
            text = text.decode(encoding or "utf8")
        width = self._widths.get(text)
        if width is None:
            if len(self._widths) > self.CACHE_LIMIT:
                self._widths.clear()
            get, default = self.face.charWidths.get, self.face.defaultWidth
            width = self._widths[text] = sum(get(ord(ch), default) for ch in text)
        return 0.001 * size * width

    def splitString(self, text: str | bytes, doc: Any, encoding: str = "utf-8"
                    ) -> list[tuple[int, bytes]]:
        """The text as the font's character numbers in this document, as reportlab gives them.

        reportlab numbers characters as it first draws them, in a Python loop over every
        character drawn: a tenth of a report's time. Once every character of a text has its
        number in the first subset of 256 (most texts after the first page), translating
        the text through a table of those numbers gives the same bytes at C speed; anything
        else (a new character, a later subset) takes reportlab's own way, which numbers it.
        """
        state = self.state.get(doc)
        if state is not None and text and isinstance(text, str):
            numbers = state.assignments
            table = getattr(state, "qo_table", None)
            if table is None or table.size != len(numbers):
                table = state.qo_table = _Numbers(numbers)
            try:
                return [(0, text.translate(table).encode("latin-1"))]
            except _NotNumbered:
                pass
        return super().splitString(text, doc, encoding)


class _NotNumbered(Exception):
    """A character without a number in the first subset (not a LookupError, so that
    ``str.translate`` stops instead of leaving the character as it is)."""


class _Numbers(dict[int, str]):
    """A ``str.translate`` table from characters to their one-byte numbers in a subset."""

    def __init__(self, numbers: dict[int, int]) -> None:
        super().__init__((c, chr(n)) for c, n in numbers.items() if n < 256)
        if 32 in self:
            self[0xA0] = self[32]  # reportlab prints a no-break space as a space
        self.size = len(numbers)

    def __missing__(self, char: int) -> str:
        raise _NotNumbered


@functools.cache
def register_fonts() -> None:
    """Register DejaVu Sans once per process; bold maps to the bold face in markup."""
    for name, filename in FONT_FILES.items():
        pdfmetrics.registerFont(_MeasuredTTFont(name, str(_find_font(filename))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT,
                                  boldItalic=FONT_BOLD)
