"""PDF through LibreOffice headless: every document of a round in one ``soffice`` run.

Starting LibreOffice costs seconds, converting a document a fraction of that, so all
documents go to one ``soffice`` run (or one per worker). soffice names its output after the
document's stem and writes every PDF into one folder, and every assessment has a
``leerrapport.docx``: so each document is first linked into a private folder under a unique
name (``d00000.docx``, ``d00001.docx``, …), which no stem can clash with. Each run has its own
profile folder (parallel runs and a user's open LibreOffice do not collide). The private
folder carries the pid of its process: one left behind by a killed run (it holds copies of
the documents) is removed by the next conversion (:func:`remove_leftovers`).

One bad document does not cost the others their PDF. soffice converts in the order it is
given and carries on after a document it cannot open; when it crashes or hangs (no new PDF
within its time), the first document without a complete PDF is the one it was working on:
that document is reported and the rest runs again. Failures are returned per document
(:class:`PdfFailure`); :func:`convert_to_pdf` raises them for callers that want all or
nothing. PDF is optional: without LibreOffice the .docx files are still made and
:class:`~kwl_office.errors.LibreOfficeMissing` says so clearly.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import stat
import subprocess
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from kwl_office import texts_nl as T
from kwl_office.atomic import naming
from kwl_office.errors import KwlError, LibreOfficeMissing

#: seconds a (cold, busy-machine) LibreOffice start may take before the first PDF appears
STARTUP_SECONDS = 90.0
#: seconds one document may take; a run gets startup + this per document, and is stopped
#: sooner when no new PDF appears for startup + this (a hang on one document)
PER_DOCUMENT_SECONDS = 30.0
#: a run per worker pays only with this many documents each (a start costs 1–2 s, a
#: document a few tenths); fewer documents go to fewer runs
MIN_DOCUMENTS_PER_RUN = 10
#: at most this many soffice side by side, whatever the cores: each holds ~200 MB
MAX_RUNS = 4
#: how often a running soffice is looked at
_POLL_SECONDS = 0.5
#: stop retrying after this many crashed runs in a row that made no PDF at all: then
#: LibreOffice itself is broken, not one document
_FRUITLESS_RUNS = 3
#: a conversion's private folder in the temporary directory: ``kwl-soffice-<pid>-<random>``,
#: named after the process that owns it, so a later run can tell a leftover from a live one
WORK_PREFIX = "kwl-soffice-"
_WORK_NAME = re.compile(rf"^{re.escape(WORK_PREFIX)}(\d+)-")


class PdfConversionFailed(KwlError):
    """LibreOffice ran but did not produce (all) PDFs, or took too long."""


@dataclass(frozen=True)
class PdfFailure:
    """One document that got no PDF, and why (Dutch, without the file name)."""

    document: Path
    detail: str

    def message(self) -> str:
        """The Dutch line naming the file and the reason."""
        return T.PDF_FAILED.format(file=self.document.name, detail=self.detail)


@dataclass
class PdfResult:
    """What a conversion made: the PDFs in document order, and the documents that failed."""

    made: list[Path] = field(default_factory=list)
    failed: list[PdfFailure] = field(default_factory=list)
    #: number of ``soffice`` processes started (one per worker unless a run had to restart)
    runs: int = 0


def find_soffice() -> str | None:
    """Path of LibreOffice's ``soffice``, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(
    documents: Sequence[str | Path], outdir: str | Path | None = None, *,
    per_document: float = PER_DOCUMENT_SECONDS, startup: float = STARTUP_SECONDS,
) -> list[Path]:
    """Convert documents to PDF in one ``soffice`` run; all or an error.

    Like :func:`convert_documents`, but raises :class:`PdfConversionFailed` naming every
    document that got no PDF (after the others were converted and put in place).
    """
    result = convert_documents(documents, outdir, per_document=per_document, startup=startup)
    if result.failed:
        raise PdfConversionFailed("; ".join(f.message() for f in result.failed))
    return result.made


def convert_documents(
    documents: Sequence[str | Path], outdir: str | Path | None = None, *, workers: int = 1,
    per_document: float = PER_DOCUMENT_SECONDS, startup: float = STARTUP_SECONDS,
) -> PdfResult:
    """Convert documents to PDF, one ``soffice`` run per worker, reporting failures per document.

    ``workers`` runs go side by side, each over a contiguous share of the documents, but
    never fewer than :data:`MIN_DOCUMENTS_PER_RUN` documents a run (see :func:`runs_for`).
    Each PDF lands beside its document (or in ``outdir``) under the same name with ``.pdf``,
    moved into place atomically; with ``outdir``, documents with the same stem overwrite each
    other's PDF. A run may take ``startup`` plus ``per_document`` seconds per document, and is
    stopped when no new PDF appears for ``startup`` plus ``per_document`` seconds. Raises
    :class:`LibreOfficeMissing` without LibreOffice.
    """
    exe = find_soffice()
    if exe is None:
        raise LibreOfficeMissing(T.PDF_NO_LIBREOFFICE)
    paths = [Path(d).resolve() for d in documents]
    if not paths:
        return PdfResult()
    remove_leftovers()
    chunks = _chunks(paths, runs_for(len(paths), workers))
    limits = _Limits(startup=startup, per_document=per_document)
    if len(chunks) == 1:
        parts = [_convert_chunk(exe, chunks[0], outdir, limits)]
    else:
        with ThreadPoolExecutor(max_workers=len(chunks)) as pool:
            parts = list(pool.map(lambda c: _convert_chunk(exe, c, outdir, limits), chunks))
    made = {p: pdf for part in parts for p, pdf in part.made}
    result = PdfResult(runs=sum(part.runs for part in parts))
    result.made = [made[p] for p in paths if p in made]
    result.failed = [f for part in parts for f in part.failed]
    return result


def remove_leftovers(tmpdir: str | Path | None = None) -> list[Path]:
    """Remove the private folders of conversions whose process is gone, from ``tmpdir``
    (default: the system's temporary directory); return the folders removed.

    A conversion killed halfway (SIGKILL, a power cut) cannot clean up after itself, and its
    folder holds copies of the organisations' documents. Only the current user's folders
    named ``kwl-soffice-<pid>-…`` (:data:`WORK_PREFIX`) whose process no longer runs are
    removed, never one of a live process or another user; errors are ignored (the next run
    tries again). Not on Windows, where no process can be asked whether it runs this way.
    """
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # Windows: os.kill(pid, 0) would stop the process, not test it
        return []
    base = Path(tmpdir) if tmpdir is not None else Path(tempfile.gettempdir())
    removed = []
    try:
        candidates = list(base.iterdir())
    except OSError:
        return []
    for folder in candidates:
        found = _WORK_NAME.match(folder.name)
        if found is None or _running(int(found.group(1))):
            continue
        try:
            info = folder.lstat()
            # a symlink or a folder of another user is not ours to remove
            if not stat.S_ISDIR(info.st_mode) or info.st_uid != getuid():
                continue
            shutil.rmtree(folder)
        except OSError:
            continue
        removed.append(folder)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:  # it exists, but belongs to another user
        return True
    except OverflowError:  # no pid at all: not a folder we made, leave it
        return True
    return True


def runs_for(documents: int, workers: int) -> int:
    """How many soffice runs side by side for ``documents`` with ``workers`` cores to use."""
    return max(1, min(workers, MAX_RUNS, documents // MIN_DOCUMENTS_PER_RUN))


def _chunks(paths: list[Path], count: int) -> list[list[Path]]:
    # contiguous slices of nearly equal length: an assessment's documents stay together
    size, extra = divmod(len(paths), count)
    chunks, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        chunks.append(paths[start:end])
        start = end
    return chunks


@dataclass(frozen=True)
class _Limits:
    startup: float
    per_document: float

    def total(self, documents: int) -> float:
        return self.startup + self.per_document * documents

    @property
    def stall(self) -> float:
        return self.startup + self.per_document


@dataclass
class _ChunkResult:
    made: list[tuple[Path, Path]] = field(default_factory=list)
    failed: list[PdfFailure] = field(default_factory=list)
    runs: int = 0


@dataclass
class _Run:
    """How one soffice run ended."""

    done: set[int]
    normal: bool  # exited by itself with status 0
    detail: str  # why it did not end normally, or what it said about an unreadable file


def _convert_chunk(exe: str, chunk: list[Path], outdir: str | Path | None,
                   limits: _Limits) -> _ChunkResult:
    result = _ChunkResult()
    with tempfile.TemporaryDirectory(prefix=f"{WORK_PREFIX}{os.getpid()}-") as tmp:
        work = Path(tmp)
        source = work / "bron"
        target = work / "pdf"
        source.mkdir()
        # unique names: soffice writes <stem>.pdf into one folder, so equal stems would clash
        names = {i: source / f"d{i:05d}{doc.suffix}" for i, doc in enumerate(chunk)}
        for i, doc in enumerate(chunk):
            _link_or_copy(doc, names[i])
        pending = list(names)
        fruitless = 0
        while pending:
            # a fresh profile after a crash or a kill: the old one may still be locked
            profile = work / f"profiel-{result.runs}"
            run = _run_soffice(exe, profile, [names[i] for i in pending], target, limits)
            result.runs += 1
            for i in pending:
                if i in run.done:
                    result.made.append((chunk[i], _move_into_place(
                        target / f"{names[i].stem}.pdf", chunk[i], outdir)))
            missing = [i for i in pending if i not in run.done]
            if run.normal or not missing:
                # soffice went through the whole list: what is missing it could not open
                detail = run.detail or T.PDF_NO_OUTPUT
                result.failed += [PdfFailure(chunk[i], detail) for i in missing]
                break
            fruitless = fruitless + 1 if len(missing) == len(pending) else 0
            if fruitless >= _FRUITLESS_RUNS:
                result.failed += [PdfFailure(chunk[i], run.detail) for i in missing]
                break
            # it crashed or hung on the first document without a PDF; the rest goes again
            result.failed.append(PdfFailure(chunk[missing[0]], run.detail))
            pending = missing[1:]
    return result


def _link_or_copy(source: Path, link: Path) -> None:
    try:
        os.link(source, link)
    except OSError:  # another filesystem, or links not allowed: a copy is cheap enough
        shutil.copyfile(source, link)


def _run_soffice(exe: str, profile: Path, batch: list[Path], target: Path,
                 limits: _Limits) -> _Run:
    """One soffice over ``batch``; stopped when it runs out of time or stops making PDFs."""
    target.mkdir(exist_ok=True)
    log = target.parent / "soffice.log"
    command = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--norestore", "--nologo", "--convert-to", "pdf", "--outdir", str(target),
               *map(str, batch)]
    with log.open("wb") as out:
        # a file, not a pipe: nobody has to drain it while we watch the PDFs appear
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=out,
                                   start_new_session=True)
        start = last = time.monotonic()
        seen = 0
        stopped = ""
        while not _exited(process, _POLL_SECONDS):
            now = time.monotonic()
            count = sum(1 for _ in target.iterdir())
            if count > seen:
                seen, last = count, now
            if now - start > limits.total(len(batch)) or now - last > limits.stall:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                stopped = T.PDF_STALLED.format(seconds=int(now - last))
                break
    done = {int(p.stem[1:]) for p in batch if _complete(target / f"{p.stem}.pdf")}
    said = log.read_text("utf-8", "replace")
    if stopped:
        return _Run(done, False, stopped)
    if process.returncode != 0:
        return _Run(done, False, T.PDF_CRASHED.format(code=process.returncode))
    return _Run(done, True, T.PDF_UNREADABLE if "could not be loaded" in said else "")


def _exited(process: subprocess.Popen[bytes], seconds: float) -> bool:
    # waiting (not sleeping) returns the moment soffice ends
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        return False
    return True


def _complete(pdf: Path) -> bool:
    # a PDF ends with %%EOF: one cut short by a crash or a kill does not count as made
    try:
        with pdf.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - 1024))
            return b"%%EOF" in handle.read()
    except OSError:
        return False


def _move_into_place(produced: Path, document: Path, outdir: str | Path | None) -> Path:
    final = Path(outdir) / f"{document.stem}.pdf" if outdir else document.with_suffix(".pdf")
    # on one filesystem a rename is atomic; across filesystems copy beside it, then rename
    staging = final.with_name(f".{final.name}.tmp")
    try:
        # on a full disk shutil names the copy's source, in soffice's folder in /tmp: the
        # message must name the PDF that could not be written, on the disk that is full
        with naming(final, staging):
            final.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(produced, staging)
            os.replace(staging, final)
    except BaseException:
        with contextlib.suppress(OSError):
            staging.unlink()
        raise
    return final
