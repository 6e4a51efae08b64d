"""``quality-offer report`` end to end: an audit file of the shipped framework to four files.

The command finds the framework among the installed ones, so these tests use the shipped
framework and are skipped, with the validator's own message, while it does not validate.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import openpyxl
from pypdf import PdfReader

from quality_offer import auditfile
from quality_offer.cli import main

from .builders import make_audit


def audit_file(fw, tmp_path, fmt="yaml"):
    responses = {}
    for i, crit in enumerate(fw.active):
        levels = fw.scale_of(crit).level_ids
        responses[crit.id] = {
            "rating": levels[i % len(levels)],
            "evidence": {"text": f"Evidence for {crit.id}: =SUM(A1) <b>not bold</b>",
                         "location": "SEN folder", "kind": "document"},
            "action": {"what": f"Improve {crit.id}", "owner": "SENCO", "due": "2027-03-31"},
        }
    audit = make_audit(fw, responses, name="Ysgol Ŵŷ — Łódź Primary",
                       completed_by="Siân O’Brien")
    path = tmp_path / f"audit.{fmt}"
    path.write_text(auditfile.dump(audit, fmt), encoding="utf-8")
    return path, audit


def test_report_writes_the_pdf_html_xlsx_and_csv(shipped, tmp_path, capsys):
    path, _ = audit_file(shipped, tmp_path)
    out = {ext: tmp_path / f"report.{ext}" for ext in ("pdf", "html", "xlsx", "csv")}
    code = main(["report", str(path), "--pdf", str(out["pdf"]), "--html", str(out["html"]),
                 "--xlsx", str(out["xlsx"]), "--csv", str(out["csv"])])
    assert code == 0
    err = capsys.readouterr().err
    for file in out.values():
        assert f"wrote {file}" in err
    assert not list(tmp_path.glob("*.part"))

    reader = PdfReader(out["pdf"])
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Ysgol Ŵŷ — Łódź Primary" in text and "Summary for governors" in text
    assert "=SUM(A1) <b>not bold</b>" in text
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert "Full gap report" in titles and "Action plan" in titles

    page = out["html"].read_text(encoding="utf-8")
    assert '<html lang="en-GB">' in page and "&lt;b&gt;not bold&lt;/b&gt;" in page

    book = openpyxl.load_workbook(out["xlsx"])
    assert book.sheetnames == ["Summary", "Responses", "Gaps", "Actions", "Coming duties"]
    assert book["Responses"].max_row == len(shipped.active) + 1  # every criterion applies

    rows = list(csv.DictReader(io.StringIO(out["csv"].read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(shipped.active)
    assert rows[0]["Evidence"].startswith("Evidence for")


def test_report_reads_json_audit_files_too(shipped, tmp_path):
    path, _ = audit_file(shipped, tmp_path, "json")
    pdf = tmp_path / "r.pdf"
    assert main(["report", str(path), "--pdf", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_a_bad_audit_file_writes_nothing_and_exits_one(shipped, tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text("format: quality-offer-audit/1\nschool: [\n", encoding="utf-8")
    pdf = tmp_path / "r.pdf"
    assert main(["report", str(path), "--pdf", str(pdf)]) == 1
    assert not pdf.exists()
    assert "bad.yaml" in capsys.readouterr().err


def test_a_server_without_the_font_is_told_what_to_install_and_nothing_is_written(
        shipped, tmp_path, capsys, monkeypatch):
    from quality_offer.reports.pdf import document
    from quality_offer.reports.pdf.fonts import FontNotFoundError

    def missing() -> None:
        raise FontNotFoundError("The PDF report needs the font DejaVuSans.ttf (DejaVu Sans) "
                                "and it was not found. Install it (Debian/Ubuntu: apt-get "
                                "install fonts-dejavu-core)")

    monkeypatch.setattr(document, "register_fonts", missing)
    path, _ = audit_file(shipped, tmp_path)
    pdf, html = tmp_path / "r.pdf", tmp_path / "r.html"
    assert main(["report", str(path), "--pdf", str(pdf), "--html", str(html)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("nothing written: The PDF report needs the font DejaVuSans.ttf")
    assert "fonts-dejavu-core" in err and "Traceback" not in err
    assert not pdf.exists() and not html.exists()


def test_the_installed_command_runs(shipped, tmp_path):
    path, _ = audit_file(shipped, tmp_path)
    html = tmp_path / "r.html"
    run = subprocess.run([sys.executable, "-m", "quality_offer.cli", "report", str(path),
                          "--html", str(html)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert html.read_text(encoding="utf-8").startswith("<!doctype html>")
