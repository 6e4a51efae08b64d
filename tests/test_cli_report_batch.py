"""``quality-offer report FILES... --pdf-dir DIR``: an authority's batch of reports.

One PDF (and or HTML) per audit, named by URN and year, made on every core; a bad file is
named with its located problem and stops nothing; two files for one school and year never
overwrite each other; no half-written file is ever left in the folder.
"""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from quality_offer import auditfile
from quality_offer.cli import main
from quality_offer.reports.batch import output_name, render_batch

from .builders import make_audit


def write_audits(fw, folder, urns, year="2026/27"):
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, urn in enumerate(urns):
        crit = fw.active[0]
        audit = make_audit(fw, {crit.id: {
            "rating": fw.scale_of(crit).level_ids[0],
            "evidence": {"text": f"Evidence of school {urn}: =HYPERLINK(\"x\") <b>typed</b>",
                         "location": "SEN folder", "kind": "document"}}},
            urn=urn, year=year, name=f"School {n} Łódź")
        path = folder / f"school-{n}.yaml"
        path.write_text(auditfile.dump(audit, "yaml"), encoding="utf-8")
        paths.append(path)
    return paths


def pdf_text(path):
    return " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())


def test_a_folder_of_audits_gives_one_pdf_per_school_named_by_urn_and_year(
        shipped, tmp_path, capsys):
    write_audits(shipped, tmp_path / "in", ["100001", "100002", "100003"])
    out = tmp_path / "out"
    code = main(["report", str(tmp_path / "in"), "--pdf-dir", str(out), "--jobs", "2"])
    assert code == 0, capsys.readouterr().err
    names = sorted(p.name for p in out.iterdir())
    assert names == ["100001-2026-27.pdf", "100002-2026-27.pdf", "100003-2026-27.pdf"]
    text = pdf_text(out / "100002-2026-27.pdf")
    assert "School 1 Łódź" in text and "Evidence of school 100002" in text
    assert '=HYPERLINK("x") <b>typed</b>' in text
    assert "3 audits reported" in capsys.readouterr().err


def test_pdf_and_html_folders_are_filled_together(shipped, tmp_path, capsys):
    paths = write_audits(shipped, tmp_path / "in", ["100001", "100002"])
    code = main(["report", *map(str, paths), "--pdf-dir", str(tmp_path / "pdf"),
                 "--html-dir", str(tmp_path / "html")])
    assert code == 0, capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "pdf").iterdir()) == [
        "100001-2026-27.pdf", "100002-2026-27.pdf"]
    page = (tmp_path / "html" / "100001-2026-27.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;typed&lt;/b&gt;" in page and "<b>typed</b>" not in page


def test_a_damaged_file_is_named_with_its_line_and_the_others_are_still_written(
        shipped, tmp_path, capsys):
    paths = write_audits(shipped, tmp_path / "in", ["100001", "100002"])
    bad = tmp_path / "in" / "broken.yaml"
    bad.write_text("school:\n  urn: [unclosed\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(["report", str(paths[0]), str(bad), str(paths[1]), str(tmp_path / "nowhere"),
                 "--pdf-dir", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{bad}: line " in err
    assert "nowhere: no such file or folder" in err
    assert "2 audits reported, 1 not" in err
    assert sorted(p.name for p in out.iterdir()) == ["100001-2026-27.pdf", "100002-2026-27.pdf"]
    assert "Traceback" not in err


def test_two_files_for_one_school_and_year_never_overwrite_each_other(
        shipped, tmp_path, capsys):
    first = write_audits(shipped, tmp_path / "a", ["100001"])[0]
    second = write_audits(shipped, tmp_path / "b", ["100001"])[0]
    second.write_text(second.read_text(encoding="utf-8").replace("School 0", "Another"),
                      encoding="utf-8")
    out = tmp_path / "out"
    code = main(["report", str(first), str(second), "--pdf-dir", str(out), "--jobs", "2"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{second}: not written: {first} is also the audit of URN 100001" in err
    assert [p.name for p in out.iterdir()] == ["100001-2026-27.pdf"]  # no .part left over
    assert "School 0" in pdf_text(out / "100001-2026-27.pdf")


def test_several_audits_without_an_output_folder_are_refused_with_a_hint(
        shipped, tmp_path, capsys):
    paths = write_audits(shipped, tmp_path / "in", ["100001", "100002"])
    assert main(["report", *map(str, paths)]) == 1
    assert "--pdf-dir DIR" in capsys.readouterr().err
    assert main(["report", str(paths[0]), "--pdf-dir", str(tmp_path / "o"),
                 "--pdf", str(tmp_path / "x.pdf")]) == 1
    assert "--pdf is for one audit file" in capsys.readouterr().err
    assert not (tmp_path / "o").exists() and not (tmp_path / "x.pdf").exists()


def test_the_batch_in_one_process_gives_the_same_files_as_on_several(
        shipped, tmp_path):
    paths = write_audits(shipped, tmp_path / "in", ["100001", "100002", "100003"])
    one = [r.written for r in render_batch(paths, pdf_dir=tmp_path / "one", workers=1)]
    two = [r.written for r in render_batch(paths, pdf_dir=tmp_path / "two", workers=2)]
    assert [[p.split("/")[-1] for p in w] for w in one] == \
           [[p.split("/")[-1] for p in w] for w in two]
    assert len(one) == 3 and all(len(w) == 1 for w in one)


@pytest.mark.parametrize(("urn", "year", "name"), [
    ("123456", "2026/27", "123456-2026-27"),
    ("../etc", "2026/27", "etc-2026-27"),
])
def test_output_names_never_leave_the_folder(urn, year, name):
    assert output_name(urn, year) == name
