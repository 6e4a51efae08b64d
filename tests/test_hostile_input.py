"""Hostile and malformed input, through every reader, every command and the pages.

Each case of :mod:`tests.hostile_corpus` says what a correct tool does. A refused file gets
a non-zero exit and messages that name the file and, for a fault inside the file, its line
and column (and the field, where the case names one); nothing of it reaches the database;
there is never a traceback. An accepted file goes through. The Import page shows the same
located problems, and the Compare page compares the good files of an upload and lists every
bad one with its located reason.
"""

from __future__ import annotations

import re
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quality_offer import auditfile, gias
from quality_offer import framework as frameworks
from quality_offer.cli import main
from quality_offer.errors import InputError
from quality_offer.store import Store

from .hostile_corpus import AUDIT, Case, audit_cases, framework_cases, gias_cases, materialise

AUDITS = audit_cases()
FRAMEWORKS = framework_cases()
REGISTERS = gias_cases()


def ids(cases: list[Case]) -> list[str]:
    return [c.name for c in cases]


@pytest.fixture(autouse=True)
def never_hangs() -> Iterator[None]:
    """A FIFO or a device read by mistake would block for ever: fail the test instead."""
    def stop(*_: object) -> None:
        raise TimeoutError("the command did not return within 60 seconds")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(60)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_located(case: Case, path: Path, err: str) -> None:
    """Every message about the file names it; a fault inside it has a line (and column)."""
    assert "Traceback" not in err
    name = re.escape(path.name)
    if case.whole_file:
        assert re.search(name + r"\S*: ", err), err
        return
    lines = [line for line in err.splitlines() if path.name in line]
    assert lines, err
    # a CSV row has a line and a column name; YAML and JSON a line and a column number
    where = r":\d+(:\d+)?: " if case.kind == "gias" else r":\d+:\d+: "
    assert all(re.search(name + where, line) for line in lines), err
    if case.field:
        assert case.field in err, err


# --- the audit reader ------------------------------------------------------------------------


@pytest.mark.parametrize("case", AUDITS, ids=ids(AUDITS))
def test_the_audit_reader_refuses_each_bad_file_where_it_stands_and_accepts_the_good(
        case, tmp_path):
    path = materialise(case, tmp_path)
    try:
        audit, _ = auditfile.read(path)
    except InputError as exc:
        assert not case.accept, [str(p) for p in exc.problems]
        assert exc.problems
        for p in exc.problems:
            assert p.file.endswith(path.name)
            if not case.whole_file:
                assert p.line is not None and p.column is not None, str(p)
        if case.field:
            assert any(case.field in p.field for p in exc.problems), exc.problems[:3]
    else:
        assert case.accept, f"{case.name} was accepted"
        assert audit.school.urn == "123456"


# --- the commands ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'hostile.db'}"


@pytest.mark.parametrize("case", AUDITS, ids=ids(AUDITS))
def test_import_stores_no_bad_file_and_says_where_it_is_wrong(case, tmp_path, capsys,
                                                               database):
    path = materialise(case, tmp_path)
    with Store(database) as store:
        before = store.list_audits(), store.get_audit("123456", "2026/27")
    code, _out, err = run(capsys, "import", str(path), "--database", database)
    with Store(database) as store:
        after = store.list_audits()
        stored = store.get_audit("123456", "2026/27")
    if case.accept:
        assert code == 0, err
        assert stored is not None
        return
    assert code == 1
    assert_located(case, path, err)
    assert (after, stored) == before  # nothing new, nothing changed


@pytest.mark.parametrize("case", AUDITS, ids=ids(AUDITS))
def test_report_refuses_each_bad_file_with_its_location(case, tmp_path, capsys):
    path = materialise(case, tmp_path)
    out_pdf = tmp_path / "out.html"
    code, _out, err = run(capsys, "report", str(path), "--html", str(out_pdf))
    if case.accept:
        assert code == 0, err
        assert out_pdf.exists()
        return
    assert code == 1
    assert not out_pdf.exists()
    if case.special == "folder":  # a folder is several reports: it asks where to put them
        assert "Traceback" not in err and "--html-dir" in err
        return
    assert_located(case, path, err)


@pytest.mark.parametrize("case", AUDITS, ids=ids(AUDITS))
def test_compare_leaves_out_each_bad_file_by_name_and_compares_the_rest(case, tmp_path,
                                                                         capsys):
    good = tmp_path / "good" / "oak.yaml"
    good.parent.mkdir()
    good.write_text(AUDIT.replace("123456", "654321"), "utf-8")
    path = materialise(case, tmp_path)
    code, _out, err = run(capsys, "compare", str(path), str(good), "--format", "json")
    assert code == 0, err
    if case.accept:
        assert str(path.name) not in err
        return
    assert "Traceback" not in err
    skipped = [line for line in err.splitlines() if line.startswith(f"skipped {path}")]
    assert skipped, err
    if not case.whole_file:
        assert re.match(rf"skipped {re.escape(str(path))}: line \d+, column \d+: ", skipped[0])
    # and alone, there is nothing to compare: exit 1 with the located problems
    code, _out, err = run(capsys, "compare", str(path))
    assert code == 1
    assert_located(case, path, err)


@pytest.mark.parametrize("case", FRAMEWORKS, ids=ids(FRAMEWORKS))
def test_validate_refuses_each_bad_framework_file_with_its_location(case, tmp_path, capsys):
    folder = materialise(case, tmp_path)
    code, out, err = run(capsys, "validate", str(folder))
    if case.accept:
        assert code == 0, err
        assert "OK" in out
        return
    assert code == 1
    assert_located(case, folder / "outcome-1.yaml", err)
    with pytest.raises(InputError):
        frameworks.load(folder)


@pytest.mark.parametrize("case", REGISTERS, ids=ids(REGISTERS))
def test_compare_refuses_each_bad_gias_extract_with_its_location(case, tmp_path, capsys):
    good = tmp_path / "oak.yaml"
    good.write_text(AUDIT, "utf-8")
    path = materialise(case, tmp_path)
    code, _out, err = run(capsys, "compare", str(good), str(path), "--format", "json")
    if case.accept:
        assert code == 0, err
        assert "Traceback" not in err
        return
    assert code == 1
    assert_located(case, path, err)


def test_a_large_register_is_read_row_by_row_not_copied_whole(tmp_path):
    """The extract's text is read line by line: memory at the peak is a small multiple of
    the file, not the several copies (bytes, text, a four-bytes-a-character buffer, a list
    of rows) that took a national extract to 880 MB."""
    import tracemalloc

    head, row = (Path(__file__).parent / "fixtures" / "gias" / "edubasealldata_sample.csv"
                 ).read_text("utf-8-sig").splitlines()[:2]
    # as wide as a real extract (about 300 columns), in Windows-1252 with a curly apostrophe
    head += "".join(f",Extra{i}" for i in range(280))
    row = row.replace("Oak Tree", "St Mary\u2019s Oak") + ",value" * 280
    rows = "\n".join(row.replace("117000", f"{200000 + i}", 1) for i in range(4_000))
    data = (head + "\n" + rows + "\n").encode("cp1252")
    tracemalloc.start()
    register = gias.parse_text(data, "national.csv")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(register.schools) == 4_000
    kept = sum(len(s.name) + len(s.gias_type) + len(s.gias_phase) + 300
               for s in register.schools)
    assert peak < len(data) // 2 + 2 * kept, (peak, len(data), kept)


# --- database URLs ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "postgresql://ann:s3cr3t-pw@localhost:notaport/qo",
    "postgresql+nodriver://ann:s3cr3t-pw@localhost/qo",
    "mysql://ann:s3cr3t-pw@localhost/qo",
    "postgresql://ann:s3cr3t-pw@127.0.0.1:1/qo",
    "sqlite:////no/such/folder/qo.db",
    "not a url at all s3cr3t-pw",
])
@pytest.mark.parametrize("command", ["import", "export"])
def test_a_database_that_cannot_be_opened_is_named_without_its_password(url, command,
                                                                        tmp_path, capsys):
    path = tmp_path / "oak.yaml"
    path.write_text(AUDIT, "utf-8")
    argv = (["import", str(path)] if command == "import"
            else ["export", "123456", "2026/27", "-o", str(tmp_path / "out.yaml")])
    code, out, err = run(capsys, *argv, "--database", url)
    assert code == 1
    assert err.startswith("cannot open the database"), err
    assert "s3cr3t-pw" not in out + err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


# --- any bytes at all ------------------------------------------------------------------------


def _mutated(draw: st.DrawFn) -> bytes:
    """A valid audit with a few bytes changed, inserted or cut: near misses find more."""
    data = bytearray(AUDIT.encode())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        how = draw(st.sampled_from(["insert", "replace", "cut"]))
        chunk = draw(st.binary(min_size=1, max_size=6))
        if how == "insert":
            data[at:at] = chunk
        elif how == "replace":
            data[at:at + len(chunk)] = chunk
        else:
            del data[at:at + len(chunk)]
    return bytes(data)


hostile_bytes = st.one_of(
    st.binary(max_size=400),
    st.composite(_mutated)(),
    st.text(max_size=200).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.builds(lambda a, b: (a * b).encode(), st.sampled_from(["[", "- ", "{a: ", "!!", "&a "]),
              st.integers(1, 300)),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=hostile_bytes, suffix=st.sampled_from([".yaml", ".json"]))
def test_any_bytes_give_an_audit_or_located_problems_never_an_exception(data, suffix):
    name = "upload" + suffix
    try:
        audit, _fw = auditfile.from_text(data, name)
    except InputError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.file == name
            assert p.line is not None and p.column is not None, str(p)
    else:
        assert audit.school.urn.isascii()
