"""PDF through LibreOffice headless: many documents in one ``soffice`` run.

Starting LibreOffice costs seconds, converting a document a fraction of that, so documents are
converted in batches, with a private profile folder (parallel runs and a user's open
LibreOffice do not collide) and a timeout. PDF is optional: without LibreOffice the .docx
files are still made and :class:`~kwl_office.errors.LibreOfficeMissing` says so clearly.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from kwl_office import texts_nl as T
from kwl_office.errors import KwlError, LibreOfficeMissing

DEFAULT_TIMEOUT = 600.0


class PdfConversionFailed(KwlError):
    """LibreOffice ran but did not produce (all) PDFs, or took too long."""


def find_soffice() -> str | None:
    """Path of LibreOffice's ``soffice``, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(
    documents: Sequence[str | Path], outdir: str | Path | None = None, *,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[Path]:
    """Convert documents to PDF in as few ``soffice`` runs as possible.

    Each PDF lands beside its document (or in ``outdir``) under the same name with ``.pdf``,
    moved into place atomically. Raises :class:`LibreOfficeMissing` without LibreOffice and
    :class:`PdfConversionFailed` when a PDF is not produced in time.
    """
    exe = find_soffice()
    if exe is None:
        raise LibreOfficeMissing(T.PDF_NO_LIBREOFFICE)
    paths = [Path(d).resolve() for d in documents]
    results: list[Path] = []
    # soffice writes <stem>.pdf into one folder: documents with the same stem go in turns
    for batch in _batches(paths):
        results += _convert_batch(exe, batch, outdir, timeout)
    return results


def _batches(paths: list[Path]) -> list[list[Path]]:
    batches: list[list[Path]] = []
    for path in paths:
        for batch in batches:
            if all(p.stem != path.stem for p in batch):
                batch.append(path)
                break
        else:
            batches.append([path])
    return batches


def _convert_batch(exe: str, batch: list[Path], outdir: str | Path | None,
                   timeout: float) -> list[Path]:
    with tempfile.TemporaryDirectory(prefix="kwl-soffice-") as work:
        profile = Path(work) / "profiel"
        target = Path(work) / "pdf"
        command = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                   "--norestore", "--nologo", "--convert-to", "pdf", "--outdir", str(target),
                   *map(str, batch)]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as err:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfConversionFailed(T.PDF_TIMEOUT.format(seconds=int(timeout))) from err
        results = []
        for document in batch:
            produced = target / f"{document.stem}.pdf"
            if not produced.exists():
                detail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
                raise PdfConversionFailed(T.PDF_FAILED.format(file=document.name,
                                                              detail=detail[0][:200]))
            final = Path(outdir) / produced.name if outdir else document.with_suffix(".pdf")
            final.parent.mkdir(parents=True, exist_ok=True)
            # same filesystem rename is atomic; across filesystems copy then rename
            staging = final.with_name(f".{final.name}.tmp")
            shutil.copyfile(produced, staging)
            os.replace(staging, final)
            results.append(final)
        return results
