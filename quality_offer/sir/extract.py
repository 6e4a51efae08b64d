"""Text out of a school's SEN information report: PDF, Word (.docx), HTML or plain text.

Each format is read by a well-kept library (pypdf, python-docx, the standard library's HTML
parser) into the same shape: a list of :class:`Block` (a paragraph, a table row, a list item)
that knows its heading and where it stands (page, table and row), so every finding can be
quoted and located. Before any parsing the file is checked: too large, not what its name
says, a PDF that needs a password, a Word file that unpacks to too much: each is refused with
a sentence that says what to do, never a traceback.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..errors import InputError, Problem
from ..yamlsafe import display_name

MAX_BYTES = 20_000_000  # a long report with photographs is a few megabytes
MAX_UNPACKED = 60_000_000  # what a .docx may unpack to (a "zip bomb" unpacks to gigabytes)
MAX_PAGES = 500
MAX_CHARS = 3_000_000  # text read from one PDF before giving up
MAX_WORDS = 60_000  # about 150 pages; real reports run to a few thousand words

KINDS = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html", ".txt": "text",
         ".text": "text", ".md": "text"}
KIND_NAMES = {"pdf": "a PDF", "docx": "a Word (.docx) document", "html": "a web page (HTML)",
              "text": "plain text", "zip": "a zip archive", "doc": "an old Word (.doc) file",
              "binary": "a binary file", "image": "an image"}


class Unreadable(InputError):
    """The report could not be read; the message says why and what to do."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__([Problem(name, None, None, "", message)])


@dataclass(frozen=True)
class Block:
    """A piece of the report's text with its heading and its place."""

    text: str
    heading: str | None = None
    page: int | None = None
    table: int | None = None
    row: int | None = None
    is_heading: bool = False
    list_item: bool = False  # one item of a bulleted or numbered list

    @property
    def where(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.table is not None:
            parts.append(f"table {self.table}, row {self.row}")
        if self.heading and not self.is_heading:
            parts.append(f"under “{_short(self.heading, 80)}”")
        if self.is_heading:
            parts.append("heading")
        return ", ".join(parts) or "start of the report"


@dataclass(frozen=True)
class Document:
    """The report's text as blocks, in reading order."""

    name: str
    kind: str
    blocks: tuple[Block, ...]
    pages: int | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks)

    @property
    def words(self) -> int:
        return sum(len(b.text.split()) for b in self.blocks)


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _clean(text: str) -> str:
    text = text.replace("\u00ad", "").replace("\u00a0", " ").replace("\ufeff", "")
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
    return re.sub(r"[ \t]+", " ", text).strip()


SHORT_LINE = 0.7  # of the longest line: a list item this short has ended
FULL_LINE = 80  # characters in a full line of an A4 page at the usual type sizes
MAX_QUESTION_LINES = 3  # lines a wrapped question heading may run over in a PDF
_HEADING_END = re.compile(r"[.,;]$")
_BULLET = re.compile(r"^[-•*▪◦●–]\s*")
# Bullets as PDFs hold them: a symbol font's private-use characters, or reportlab's 0x7f.
_PDF_BULLET = re.compile("^\\s*[\x7f\u2022\u00b7\u25aa\u25cf\u25e6\u27a2\uf0a7\uf0b7\uf076"
                         "\uf0d8\uf0fc\uf06e\uf0a8]\\s*")
_BULLET_ALONE = re.compile(r"^\s*•\s*$")
_NUMBERED = re.compile(r"^(?:Q(?:uestion)?\s*)?\d{1,2}[.):]\s")


def looks_like_heading(line: str) -> bool:
    """A short line that does not end like a sentence: how headings look in a PDF or text.

    A question ("How will my child be supported?") counts, even a long one: many reports use
    the questions parents ask as their headings, such as "How will the school prepare and
    support my child to join the school, transfer to a new school or the next stage of
    education and life?" (27 words).
    """
    words = line.split()
    question = line.endswith("?")
    most_words, most_chars = (30, 220) if question else (12, 90)
    return (0 < len(words) <= most_words and len(line) <= most_chars
            and not _HEADING_END.search(line)
            and not _BULLET.match(line) and (line[0].isupper() or line[0].isdigit())
            and not re.search(r"(@|https?://|www\.|\d{4,}\s*\d{3,})", line))


# --- what the file really is --------------------------------------------------------------


def sniff(data: bytes) -> str:
    """The kind of file the bytes are, whatever its name says."""
    head = data[:2048]
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                if "word/document.xml" in zf.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            return "binary"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    if head[:4] in (b"\x89PNG", b"GIF8") or head[:3] == b"\xff\xd8\xff":
        return "image"
    if b"\x00" in head:
        return "binary"
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff").lstrip().lower()
    if text.startswith(("<!doctype html", "<html", "<?xml")) or re.search(
            r"<(html|body|h[1-6]|p|div|table)[\s>]", text):
        return "html"
    return "text"


def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Unreadable(name, "the text is in an encoding that cannot be read; save it as UTF-8")


# --- PDF ------------------------------------------------------------------------------------


def _pdf(data: bytes, name: str) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # A PDF locked only against printing or copying opens with an empty password;
            # one that needs a password to open cannot be checked.
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError):
                opened = 0
            if not opened:
                raise Unreadable(name, "the PDF is protected by a password, so its text "
                                       "cannot be read; upload a copy without the password")
        n = len(reader.pages)
        if n > MAX_PAGES:
            raise Unreadable(name, f"the PDF has {n} pages; the limit is {MAX_PAGES}")
        blocks: list[Block] = []
        heading: str | None = None
        chars = 0
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            chars += len(text)
            if chars > MAX_CHARS:
                raise Unreadable(name, "the PDF holds more text than any report would; "
                                       "it cannot be checked")
            heading = _lines_to_blocks(text.splitlines(), blocks, heading, page=number)
    except Unreadable:
        raise
    except (PdfReadError, FileNotDecryptedError, DependencyError, ValueError, KeyError,
            TypeError, OSError, RecursionError) as exc:
        raise Unreadable(name, f"the PDF is damaged and cannot be read ({_short(str(exc), 120)})"
                         ) from None
    if sum(len(b.text) for b in blocks) < 40:
        raise Unreadable(name, f"the PDF has {n} page{'s' if n != 1 else ''} but no text that "
                         "can be read: it looks like a scan or a picture of the report. A "
                         "scanned report cannot be read aloud by a screen reader either; "
                         "publish it as text, then check it again")
    return Document(name, "pdf", tuple(blocks), pages=n)


def _lines_to_blocks(lines: list[str], blocks: list[Block], heading: str | None,
                     page: int | None = None) -> str | None:
    """Group lines into paragraphs and headings; the heading in force at the end."""
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(Block(" ".join(para), heading=heading, page=page,
                                list_item=bool(_BULLET.match(para[0]))))
            para.clear()

    lines = _bullets_marked(lines)
    # The longest line (or a typical full line, on a page of short lines) stands for the
    # width of the text: a list item that stops well short of it has ended, even without a
    # full stop.
    width = max([FULL_LINE] + [len(_clean(raw)) for raw in lines])
    i = 0
    while i < len(lines):
        raw = lines[i]
        i += 1
        line = _clean(raw.lstrip("#").strip() if raw.lstrip().startswith("#") else raw)
        if not line:
            flush()
            continue
        marked = raw.lstrip().startswith("#")
        at_start = (not para or para[-1][-1:] in ".:!?)"
                    or (para[0].startswith("•") and len(para[-1]) < SHORT_LINE * width))
        question, taken = _wrapped_question(line, lines[i:]) if at_start and not marked \
            else (None, 0)
        if question:
            line, i = question, i + taken
        # A short first line whose next line carries on in lower case is a wrapped sentence.
        carries_on = i < len(lines) and lines[i].strip()[:1].islower()
        if marked or question or (looks_like_heading(line) and at_start and not carries_on):
            flush()
            heading = line
            blocks.append(Block(line, heading=line, page=page, is_heading=True))
            continue
        if _BULLET.match(line) and para:
            flush()
        para.append(line)
        if line.endswith((".", "!", "?")) and len(" ".join(para)) > 600:
            flush()
    flush()
    return heading


def _bullets_marked(lines: list[str]) -> list[str]:
    """Lines with every list bullet written as "• ", however the PDF drew it.

    A PDF may draw a bullet in a symbol font that reads back as a private-use character
    (Word's Symbol bullet), or as a control character on a line of its own (reportlab). Read
    as it is, a short list item without a full stop looks like a heading, and a list of them
    would each replace the heading above: marked as bullets, they stay items of its section.
    """
    out: list[str] = []
    pending = False
    for raw in lines:
        line = _PDF_BULLET.sub("• ", raw, count=1)
        if _BULLET_ALONE.match(line):
            pending = True
            continue
        if pending and line.strip():
            line, pending = "• " + line.strip(), False
        out.append(line)
    return out


def _wrapped_question(first: str, rest: list[str]) -> tuple[str | None, int]:
    """A question heading that a PDF wrapped over two or three lines, and the lines it took.

    Reports often use the local authority's long questions as headings ("How does the school
    know if children need extra help and what should I do if I think my child may have special
    educational needs?"); in a PDF such a question runs over lines, and read line by line its
    first part would join the answer above and its end stand alone as the heading.
    """
    if first[-1:] in "?.!:;," or _BULLET.match(first):
        return None, 0  # a whole question, or a sentence that has ended
    joined = first
    for taken, raw in enumerate(rest[:MAX_QUESTION_LINES - 1], start=1):
        line = _clean(raw)
        if not line or _BULLET.match(line) or _NUMBERED.match(line) or line.startswith("#"):
            return None, 0  # a new item or question starts: the first line stood alone
        joined = f"{joined} {line}"
        if line.endswith("?"):
            return (joined, taken) if looks_like_heading(joined) else (None, 0)
        if line[-1:] in ".!:;":
            return None, 0
    return None, 0


# --- Word -----------------------------------------------------------------------------------


def _docx(data: bytes, name: str) -> Document:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = sum(info.file_size for info in zf.infolist())
        if unpacked > MAX_UNPACKED:
            raise Unreadable(name, f"the Word file unpacks to {unpacked:,} bytes; the limit is "
                                   f"{MAX_UNPACKED:,}")
        document = docx.Document(io.BytesIO(data))
    except Unreadable:
        raise
    except Exception as exc:  # python-docx raises many kinds for a damaged package
        raise Unreadable(name, "the Word file is damaged and cannot be read "
                               f"({_short(type(exc).__name__ + ': ' + str(exc), 120)})") from None
    blocks: list[Block] = []
    heading: str | None = None
    tables = 0
    for part in document.iter_inner_content():
        if isinstance(part, Paragraph):
            text = _clean(part.text)
            if not text:
                continue
            style = (part.style.name if part.style is not None else "") or ""
            bold = bool(part.runs) and all(r.bold for r in part.runs if r.text.strip())
            if style.startswith(("Heading", "Title")) or (bold and looks_like_heading(text)):
                heading = text
                blocks.append(Block(text, heading=text, is_heading=True))
            else:
                blocks.append(Block(text, heading=heading, list_item=style.startswith("List")))
        elif isinstance(part, Table):
            tables += 1
            for r, row in enumerate(part.rows, start=1):
                cells: list[str] = []
                for cell in row.cells:
                    text = _clean(" ".join(p.text for p in cell.paragraphs))
                    if text and (not cells or cells[-1] != text):  # merged cells repeat
                        cells.append(text)
                if not cells:
                    continue
                # A question-and-answer table: the first cell heads the row.
                row_heading = cells[0] if len(cells) > 1 else heading
                blocks.append(Block(" — ".join(cells), heading=row_heading, table=tables,
                                    row=r))
    return Document(name, "docx", tuple(blocks))


# --- HTML -----------------------------------------------------------------------------------


class _HtmlBlocks(HTMLParser):
    """Collects text by block element, remembering the last heading."""

    BLOCK = frozenset({"p", "li", "div", "section", "article", "main", "td", "th", "tr", "dd", "dt",
                       "blockquote", "br", "table", "ul", "ol", "header", "footer", "address"})
    SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.heading: str | None = None
        self.buf: list[str] = []
        self.skip = 0
        self.in_heading = False
        self.tables = 0
        self.row = 0
        self.in_table = 0
        self.cells: list[str] | None = None
        self.bold: list[str] = []  # open tags that make the text bold
        self.plain = False  # the block holds text that is not bold
        self.in_list = 0

    def _flush(self) -> None:
        text = _clean(" ".join(self.buf))
        # A paragraph that is all bold and short, outside lists and tables, is how many school
        # websites mark a heading when their editor offers no heading styles.
        bold_heading = (not self.plain and not self.in_list and self.cells is None
                        and looks_like_heading(text)) if text else False
        self.buf, self.plain = [], False
        if not text:
            return
        if self.in_heading or bold_heading:
            self.heading = text
            self.blocks.append(Block(text, heading=text, is_heading=True))
        elif self.cells is not None:
            self.cells.append(text)
        else:
            self.blocks.append(Block(text, heading=self.heading, list_item=self.in_list > 0))

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIP:
            self.skip += 1
            return
        if _makes_bold(tag, attrs):
            self.bold.append(tag)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._flush()
            self.in_heading = True
        elif tag == "table":
            self._flush()
            self.tables += 1
            self.in_table += 1
            self.row = 0
        elif tag == "tr" and self.in_table:
            self._flush()
            self.row += 1
            self.cells = []
        elif tag in self.BLOCK:
            self._flush()
            if tag in ("ul", "ol"):
                self.in_list += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if tag in self.bold:  # close it, and any bold tag left open inside it
            del self.bold[len(self.bold) - 1 - self.bold[::-1].index(tag):]
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._flush()
            self.in_heading = False
        elif tag == "tr" and self.cells is not None:
            self._flush()
            cells, self.cells = self.cells, None
            if cells:
                row_heading = cells[0] if len(cells) > 1 else self.heading
                self.blocks.append(Block(" — ".join(cells), heading=row_heading,
                                         table=self.tables, row=self.row))
        elif tag == "table":
            self._flush()
            self.in_table = max(0, self.in_table - 1)
        elif tag in self.BLOCK:
            self._flush()
            if tag in ("ul", "ol"):
                self.in_list = max(0, self.in_list - 1)

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.buf.append(data)
            if data.strip() and not self.bold:
                self.plain = True


_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(bold|bolder|[6-9]00)\b", re.IGNORECASE)


def _makes_bold(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    """Whether the tag makes its text bold: <b>, <strong>, an inline bold style, or <dt>.

    A definition list's term (<dt>) heads its description as a heading would.
    """
    if tag in ("b", "strong", "dt"):
        return True
    style = next((v for k, v in attrs if k == "style" and v), "")
    return bool(_BOLD_STYLE.search(style))


def _html(data: bytes, name: str) -> Document:
    parser = _HtmlBlocks()
    parser.feed(_decode(data, name))
    parser.close()
    parser._flush()
    return Document(name, "html", tuple(parser.blocks))


def _text(data: bytes, name: str) -> Document:
    blocks: list[Block] = []
    _lines_to_blocks(_decode(data, name).splitlines(), blocks, None)
    return Document(name, "text", tuple(blocks))


READERS = {"pdf": _pdf, "docx": _docx, "html": _html, "text": _text}


def read_bytes(data: bytes, filename: str, name: str | None = None) -> Document:
    """The report in ``data``, whose file name (for its extension) is ``filename``."""
    name = name or filename
    if len(data) > MAX_BYTES:
        raise Unreadable(name, f"the file is {len(data):,} bytes; the limit is {MAX_BYTES:,}")
    if not data.strip():
        raise Unreadable(name, "the file is empty")
    suffix = Path(filename).suffix.lower()
    claimed = KINDS.get(suffix)
    actual = sniff(data)
    if claimed is None:
        if suffix == ".doc" or actual == "doc":
            raise Unreadable(name, "old Word (.doc) files cannot be read; save the report as "
                                   ".docx or PDF and check that")
        raise Unreadable(name, f"a {suffix or 'file without an extension'} file cannot be "
                               "checked; use PDF, Word (.docx), HTML or plain text (.txt)")
    # Plain text and HTML overlap (a .txt may mention <p>), so either is accepted as the other.
    if actual != claimed and {actual, claimed} != {"html", "text"}:
        raise Unreadable(name, f"the file's name says it is {KIND_NAMES[claimed]}, but it is "
                               f"{KIND_NAMES.get(actual, 'something else')}; it was not read")
    document = READERS[claimed](data, name)
    if not any(b.text.strip() for b in document.blocks):
        raise Unreadable(name, "no text was found in the file")
    if document.words > MAX_WORDS:
        raise Unreadable(name, f"the file holds {document.words:,} words; the check reads "
                               f"reports of up to {MAX_WORDS:,} words (about 150 pages)")
    return document


def read_file(path: Path) -> Document:
    """Read a report from disk, refusing it before reading if it is too large."""
    name = display_name(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_BYTES:
            raise Unreadable(name, f"the file is {size:,} bytes; the limit is {MAX_BYTES:,}")
        data = Path(path).read_bytes()
    except OSError as exc:
        raise Unreadable(name, f"cannot read: {exc.strerror}") from None
    return read_bytes(data, Path(path).name, name)
