"""PDF in one batch: every document of a round in one LibreOffice run, failures per document.

The orchestration (unique names, one run, moving PDFs into place, carrying on after a
document that cannot be opened, a crash or a hang) is tested fast against a stand-in
``soffice`` on PATH that behaves as LibreOffice does on the command line; the ``soffice``
tests do the same with the real LibreOffice and broken documents made from good ones.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kwl_office import texts_nl as T
from kwl_office.batch.folder import RoundFolder
from kwl_office.catalogue import Catalogue
from kwl_office.cli import main
from kwl_office.documents import pdf as pdf_module
from kwl_office.documents.examples import example_context
from kwl_office.documents.pdf import (
    MIN_DOCUMENTS_PER_RUN,
    WORK_PREFIX,
    PdfConversionFailed,
    convert_documents,
    convert_to_pdf,
    remove_leftovers,
)
from kwl_office.documents.registry import DocumentKind
from kwl_office.documents.render import render_document
from kwl_office.documents.text import document_lines
from tests.helpers import hand_in, make_round, row

# LibreOffice's command line as we use it: ``-env:UserInstallation=… --headless --norestore
# --nologo --convert-to pdf --outdir DIR FILE…``; converts in order, says so on stdout, carries
# on after a file it cannot load. Content decides what happens: HANG, CRASH, BAD, else a PDF
# holding the hash of its source (so a test can see which document it came from).
FAKE_SOFFICE = textwrap.dedent("""\
    import hashlib, os, signal, sys, time
    from pathlib import Path
    args = sys.argv[1:]
    profile = next(a for a in args if a.startswith("-env:UserInstallation="))
    outdir = Path(args[args.index("--outdir") + 1])
    files = [a for a in args if not a.startswith("-")
             and a not in ("pdf", str(outdir))]
    with open(os.environ["FAKE_SOFFICE_LOG"], "a", encoding="utf-8") as log:
        log.write(profile + " " + " ".join(Path(f).name for f in files) + "\\n")
    outdir.mkdir(parents=True, exist_ok=True)
    for name in files:
        data = Path(name).read_bytes()
        if data.startswith(b"HANG"):
            time.sleep(600)
        if data.startswith(b"CRASH"):
            os.kill(os.getpid(), signal.SIGSEGV)
        if data.startswith(b"BAD"):
            print("Error: source file could not be loaded", file=sys.stderr)
            continue
        print(f"convert {name} -> {outdir / (Path(name).stem + '.pdf')}", flush=True)
        digest = hashlib.sha256(data).hexdigest().encode()
        (outdir / (Path(name).stem + ".pdf")).write_bytes(b"%PDF-1.4\\n" + digest
                                                          + b"\\n%%EOF\\n")
""")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def fake_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in ``soffice`` first on PATH; returns its log (one line per run)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "soffice"
    exe.write_text(f"#!{sys.executable}\n{FAKE_SOFFICE}", encoding="utf-8")
    exe.chmod(0o755)
    log = tmp_path / "soffice.log"
    log.touch()
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_SOFFICE_LOG", str(log))
    return log


def _runs(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines()


def _round_of_documents(root: Path, assessments: int) -> list[Path]:
    """Per assessment a folder with ``leerrapport.docx`` and ``brief.docx``, all different."""
    documents = []
    for i in range(1, assessments + 1):
        folder = root / f"2026-{i:03d}"
        folder.mkdir(parents=True)
        for name in ("leerrapport.docx", "brief.docx"):
            path = folder / name
            path.write_bytes(f"document {name} of assessment {i}".encode())
            documents.append(path)
    return documents


def _came_from(pdf: Path, document: Path) -> bool:
    return hashlib.sha256(document.read_bytes()).hexdigest().encode() in pdf.read_bytes()


# --- fast: the orchestration against the stand-in ------------------------------------------


def test_documents_with_the_same_name_go_in_one_run(tmp_path: Path, fake_soffice: Path) -> None:
    documents = _round_of_documents(tmp_path / "uitvoer", 4)
    result = convert_documents(documents)
    assert len(_runs(fake_soffice)) == 1 and result.runs == 1
    assert result.failed == []
    assert result.made == [d.with_suffix(".pdf") for d in documents]
    for document in documents:  # each PDF next to its own document, from that document
        assert _came_from(document.with_suffix(".pdf"), document)
    # nothing but the PDFs was added beside the documents (no staging files left)
    assert {p.suffix for p in (tmp_path / "uitvoer").rglob("*") if p.is_file()} == {
        ".docx", ".pdf"}


def test_a_document_that_cannot_be_opened_is_reported_and_the_rest_converts(
        tmp_path: Path, fake_soffice: Path) -> None:
    documents = _round_of_documents(tmp_path / "uitvoer", 3)
    bad = documents[2]
    bad.write_bytes(b"BAD " + bad.read_bytes())
    result = convert_documents(documents)
    assert result.runs == 1  # soffice went on by itself: no second run needed
    assert [f.document for f in result.failed] == [bad]
    assert result.failed[0].detail == T.PDF_UNREADABLE
    assert result.made == [d.with_suffix(".pdf") for d in documents if d != bad]
    assert not bad.with_suffix(".pdf").exists()


def test_a_crash_on_one_document_is_reported_and_the_rest_converts(
        tmp_path: Path, fake_soffice: Path) -> None:
    documents = _round_of_documents(tmp_path / "uitvoer", 3)
    crash = documents[1]
    crash.write_bytes(b"CRASH")
    result = convert_documents(documents)
    assert [f.document for f in result.failed] == [crash]
    assert "LibreOffice stopte onverwacht" in result.failed[0].detail
    assert result.made == [d.with_suffix(".pdf") for d in documents if d != crash]
    runs = _runs(fake_soffice)
    # the second run takes only what came after the crash
    assert len(runs) == 2 and len(runs[1].split()) - 1 == len(documents) - 2


def test_a_hanging_soffice_is_stopped_and_the_rest_converts(
        tmp_path: Path, fake_soffice: Path) -> None:
    documents = _round_of_documents(tmp_path / "uitvoer", 2)
    hang = documents[0]
    hang.write_bytes(b"HANG")
    # the stand-in sleeps 600 s on it: this test only ends because the hang is stopped
    result = convert_documents(documents, startup=1.0, per_document=1.0)
    assert [f.document for f in result.failed] == [hang]
    assert "liep erop vast" in result.failed[0].detail
    assert result.made == [d.with_suffix(".pdf") for d in documents[1:]]


def test_when_libreoffice_itself_is_broken_every_document_is_reported_without_endless_retries(
        tmp_path: Path, fake_soffice: Path) -> None:
    documents = _round_of_documents(tmp_path / "uitvoer", 5)
    for document in documents:
        document.write_bytes(b"CRASH")
    result = convert_documents(documents)
    assert sorted(f.document for f in result.failed) == sorted(documents)
    assert result.made == [] and result.runs == 3


def test_workers_split_the_batch_with_a_profile_each(tmp_path: Path,
                                                     fake_soffice: Path) -> None:
    documents = _round_of_documents(tmp_path / "uitvoer", MIN_DOCUMENTS_PER_RUN)
    result = convert_documents(documents, workers=2)
    runs = _runs(fake_soffice)
    assert result.runs == 2 and len(runs) == 2
    assert len({line.split()[0] for line in runs}) == 2  # two profile folders
    # each run has its share, none twice
    assert sorted(len(line.split()) - 1 for line in runs) == [MIN_DOCUMENTS_PER_RUN] * 2
    assert result.made == [d.with_suffix(".pdf") for d in documents]
    assert all(_came_from(d.with_suffix(".pdf"), d) for d in documents)


def test_a_small_batch_is_not_split_over_workers(tmp_path: Path, fake_soffice: Path) -> None:
    documents = _round_of_documents(tmp_path / "uitvoer", 2)
    result = convert_documents(documents, workers=4)
    assert result.runs == 1 and len(result.made) == len(documents)


def test_convert_to_pdf_raises_naming_the_failed_document_after_converting_the_rest(
        tmp_path: Path, fake_soffice: Path) -> None:
    documents = _round_of_documents(tmp_path / "uitvoer", 2)
    documents[1].write_bytes(b"BAD")
    with pytest.raises(PdfConversionFailed, match="brief.docx"):
        convert_to_pdf(documents)
    assert documents[0].with_suffix(".pdf").exists()


def test_outdir_gets_the_pdfs(tmp_path: Path, fake_soffice: Path) -> None:
    document = _round_of_documents(tmp_path / "uitvoer", 1)[0]
    made = convert_to_pdf([document], tmp_path / "pdf")
    assert made == [tmp_path / "pdf" / "leerrapport.pdf"]
    assert _came_from(made[0], document)


def _reaped() -> int:
    # a process that ran and was waited for: its pid names no process any more
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _leftover(base: Path, pid: int) -> Path:
    """A private folder as a conversion of ``pid`` leaves it: with a copied document."""
    folder = base / f"{WORK_PREFIX}{pid}-abc123"
    (folder / "bron").mkdir(parents=True)
    (folder / "bron" / "d00000.docx").write_bytes(b"een document van een organisatie")
    return folder


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="no leftovers are removed on Windows")
def test_leftovers_of_dead_conversions_are_removed(tmp_path: Path) -> None:
    dead = _leftover(tmp_path, _reaped())
    alive = _leftover(tmp_path, os.getpid())
    other = tmp_path / f"{WORK_PREFIX}oud"  # not named after a pid: not ours to judge
    other.mkdir()
    unrelated = tmp_path / "iets-anders-1-x"
    unrelated.mkdir()
    assert remove_leftovers(tmp_path) == [dead]
    assert not dead.exists()
    assert alive.is_dir() and other.is_dir() and unrelated.is_dir()


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="no leftovers are removed on Windows")
def test_a_conversion_removes_leftovers_and_names_its_folder_after_its_process(
        tmp_path: Path, fake_soffice: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    dead = _leftover(temp, _reaped())
    seen: list[str] = []
    real_run = pdf_module._run_soffice

    def watching(exe: str, profile: Path, *args: Any) -> Any:
        seen.extend(p.name for p in temp.iterdir())
        return real_run(exe, profile, *args)

    monkeypatch.setattr(pdf_module, "_run_soffice", watching)
    document = _round_of_documents(tmp_path / "uitvoer", 1)[0]
    assert convert_to_pdf([document]) == [document.with_suffix(".pdf")]
    assert not dead.exists()
    assert [name.startswith(f"{WORK_PREFIX}{os.getpid()}-") for name in seen] == [True]
    assert list(temp.iterdir()) == []  # its own folder is gone after a normal run


def _reported_round(tmp_path: Path, catalogue: Catalogue) -> RoundFolder:
    folder = make_round(tmp_path / "ronde", [
        row("2026-001", "Wijkkracht Oost (fictief)", "intercollegiaal",
            "Welzijn Noord (fictief); Buurtwerk Zuid (fictief)"),
        row("2026-002", "Buurtwerk Zuid (fictief)", "intercollegiaal",
            "Welzijn Noord (fictief); Wijkkracht Oost (fictief)")])
    assert run("round", "issue", str(folder.root)).exit_code == 0
    hand_in(folder, catalogue)
    assert run("round", "collect", str(folder.root)).exit_code == 0
    result = run("round", "report", str(folder.root))
    assert result.exit_code == 0, result.output
    return folder


def test_round_report_converts_in_one_run_and_says_which_document_failed(
        tmp_path: Path, catalogue: Catalogue, fake_soffice: Path) -> None:
    folder = _reported_round(tmp_path, catalogue)
    docs = sorted(folder.output.glob("*/*.docx"))
    assert len({d.name for d in docs}) < len(docs)  # names repeat across assessments
    broken = folder.assessment_output("2026-002") / "leerrapport.docx"
    broken.write_bytes(b"BAD" + broken.read_bytes())
    result = run("round", "report", str(folder.root), "--pdf")
    assert result.exit_code == 1, result.output  # a missing PDF is not a finished round
    assert len(_runs(fake_soffice)) == 1
    assert T.REPORT_PDF_FAILED.format(assessment="2026-002", file="leerrapport.docx",
                                      detail=T.PDF_UNREADABLE) in result.output
    assert all(d.with_suffix(".pdf").exists() for d in docs if d != broken)
    assert not broken.with_suffix(".pdf").exists()

    # again: the PDFs made stay as they are, only the one missing is tried again
    made = {d: d.with_suffix(".pdf").stat().st_mtime_ns for d in docs if d != broken}
    result = run("round", "report", str(folder.root), "--pdf")
    runs = _runs(fake_soffice)
    assert len(runs) == 2 and len(runs[1].split()) == 2  # profile + the one document
    assert {d: d.with_suffix(".pdf").stat().st_mtime_ns for d in made} == made


# --- LibreOffice itself --------------------------------------------------------------------


def _example_documents(root: Path, catalogue: Catalogue) -> list[Path]:
    """Two assessments whose documents share their names but not their content."""
    kinds = {"2026-001": (DocumentKind.LEARNING_REPORT, DocumentKind.REGISTRATION_LETTER),
             "2026-002": (DocumentKind.AUDIT_REPORT, DocumentKind.CERTIFICATE_LETTER)}
    documents = []
    for assessment, (report, letter) in kinds.items():
        folder = root / assessment
        folder.mkdir(parents=True)
        for kind, name in ((report, "rapport.docx"), (letter, "brief.docx")):
            render_document(kind, example_context(kind, catalogue), folder / name)
            documents.append(folder / name)
    return documents


def _pdf_text(pdf: Path) -> str:
    exe = shutil.which("pdftotext")
    assert exe, "pdftotext (poppler) is needed with LibreOffice"
    return subprocess.run([exe, "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.soffice
def test_libreoffice_converts_a_round_in_one_run_past_a_broken_document(
        tmp_path: Path, catalogue: Catalogue) -> None:
    documents = _example_documents(tmp_path / "uitvoer", catalogue)
    broken = tmp_path / "uitvoer" / "2026-003" / "brief.docx"
    broken.parent.mkdir()
    # a document cut short, as a full disk leaves it: made from a good one
    broken.write_bytes(documents[1].read_bytes()[:3000])
    result = convert_documents([*documents[:2], broken, *documents[2:]])
    assert result.runs == 1
    assert [(f.document, f.detail) for f in result.failed] == [(broken, T.PDF_UNREADABLE)]
    assert result.made == [d.with_suffix(".pdf") for d in documents]
    for document in documents:  # every PDF shows its own document's title
        title = " ".join(document_lines(document)[0].split())
        assert title in " ".join(_pdf_text(document.with_suffix(".pdf")).split())
