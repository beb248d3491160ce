"""The exceptions kwl_office raises, and the exit codes of ``kwl``.

Content problems in a workbook or catalogue row are *data* (see :mod:`kwl_office.findings`),
returned to the caller. Exceptions are only for "cannot use this at all", or for a caller
that decided findings are fatal (:meth:`~kwl_office.findings.Report.raise_for_errors`)::

    KwlError                      base class; str(err) is a one-line Dutch message
    ├── CatalogueError            a catalogue file is missing, malformed or inconsistent
    ├── KeyFileError              the signing key file cannot be read or created
    ├── InvalidArgument           a value given by the caller is unusable (e.g. an empty name)
    ├── InvalidAnswer             kwl route: an unknown question, or an answer it does not offer
    ├── TemplateProblem           a Word template is missing or cannot be rendered
    │   └── TemplateUnreadable    the template file is no Word document (.docx) at all
    ├── LibreOfficeMissing        PDF asked for, but LibreOffice (soffice) is not installed
    ├── PdfConversionFailed       LibreOffice ran but produced no PDF in time (documents/pdf.py)
    ├── RegisterError             the Kwaliteitsregister database cannot be used
    │   └── RegisterBusy          another command kept the register locked for too long
    ├── RegisterConflict          the register holds an entry the decision no longer grants
    ├── RoundError                not a usable round folder, its lock is held, or its register
    │                             is not the one it used before (batch/folder.py)
    ├── NothingToConsolidate      none of the given files is a signed workbook of an assessment
    ├── FindingsError             findings with errors, raised because the caller asked so
    └── UnreadableFile            a file cannot be opened as a workbook at all
        ├── UnsupportedFormat     not a workbook, or an old .xls
        ├── EncryptedFile         password protected
        ├── CorruptFile           damaged or truncated zip / XML
        └── TooLarge              exceeds the size limits (zip bomb protection)
"""

from __future__ import annotations

import errno
from enum import IntEnum
from pathlib import Path

from kwl_office import texts_nl as T


class ExitCode(IntEnum):
    """The exit status of every ``kwl`` command."""

    #: everything in order
    OK = 0
    #: done, but something is invalid or failed (findings with errors, a failed assessment)
    INVALID = 1
    #: wrong usage, or an input that cannot be used at all (unreadable file, no register…)
    UNUSABLE = 2


class KwlError(Exception):
    """Base class of every error kwl_office raises; the message is meant for end users."""

    exit_code: ExitCode = ExitCode.UNUSABLE


class CatalogueError(KwlError):
    """A catalogue cannot be loaded; the message names the place (line or sheet!cell)."""

    def __init__(self, message: str, *, place: str | None = None) -> None:
        self.place = place
        super().__init__(f"{place}: {message}" if place else message)


class KeyFileError(KwlError):
    """The signing key file cannot be read or created."""


class InvalidArgument(KwlError):
    """A value given by the caller is unusable, e.g. an empty organisation name."""


class TemplateProblem(KwlError):
    """A Word template is missing, or an edit broke it (the message names the template)."""


class TemplateUnreadable(TemplateProblem):
    """A template file that is no Word document (.docx): empty, another kind of file, a Word
    template (.dotx) or an old .doc renamed; ``reason`` says which and what to do."""

    def __init__(self, path: str | Path, message: str, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(message)


class LibreOfficeMissing(KwlError):
    """PDF output needs LibreOffice (``soffice``), which is not installed."""


class UnreadableFile(KwlError):
    """A file cannot be opened as a workbook at all."""

    def __init__(self, path: str | Path, message: str) -> None:
        self.path = str(path)
        self.reason = message
        super().__init__(f"{Path(path).name}: {message}")


class UnsupportedFormat(UnreadableFile):
    """Not a workbook this tool reads (e.g. .xls, .csv, a PDF)."""


class EncryptedFile(UnreadableFile):
    """The workbook is protected with a password to open."""


class CorruptFile(UnreadableFile):
    """The workbook is damaged: a broken zip, a missing part or malformed XML."""


class TooLarge(UnreadableFile):
    """The workbook exceeds the size limits (protects against zip bombs)."""


class RegisterError(KwlError):
    """The Kwaliteitsregister database cannot be used: not a register, or a newer version."""


class RegisterBusy(RegisterError):
    """Another command kept the register locked longer than the wait allows; try again."""


class RegisterConflict(KwlError):
    """The register holds an entry for an assessment whose decision no longer grants it;
    the entry must be withdrawn first (nothing is changed)."""


class RoundError(KwlError):
    """The folder is not a usable round folder, another command holds its lock, or its
    register is not the one the round used before."""


class NothingToConsolidate(KwlError):
    """None of the given files is a readable, signed workbook of an assessment."""


class FindingsError(KwlError):
    """Findings with errors, raised by :meth:`~kwl_office.findings.Report.raise_for_errors`
    when the caller decides they are fatal; ``codes`` are the error codes."""

    exit_code = ExitCode.INVALID

    def __init__(self, message: str, *, codes: list[str]) -> None:
        self.codes = codes
        super().__init__(message)


class InvalidAnswer(KwlError):
    """An answer for ``kwl route`` names an unknown question, or an answer that is not offered."""

    def __init__(self, message: str, *, question: str, answer: str,
                 allowed: tuple[str, ...] = ()) -> None:
        self.question = question
        self.answer = answer
        #: the ids that would have been accepted (questions or answers)
        self.allowed = allowed
        super().__init__(message)


#: the errno names of a disk that has no room left: full, or the user's quota used up
DISK_FULL = frozenset({"ENOSPC", "EDQUOT"})


def os_error_code(err: OSError) -> str:
    """The errno name of ``err`` (``ENOSPC``), '' when it has none."""
    return errno.errorcode.get(err.errno or 0, "")


def os_error_text(err: OSError, *, where: str | Path | None = None,
                  resuming: bool = False) -> str:
    """One Dutch line for a failing disk or file system, by its errno (a full disk, a
    read-only or forbidden folder, …: ``T.CLI_OS_ERRORS``), naming ``where`` (the caller's
    way to show the file or folder), else the file the error names, else '?'. ``resuming``:
    the command goes on where it stopped when run again (and says so for a full disk)."""
    name = os_error_code(err)
    template = (resuming and T.CLI_OS_ERRORS_RESUMING.get(name)) or T.CLI_OS_ERRORS.get(
        name, T.CLI_OS_ERROR)
    path = where if where is not None else err.filename or "?"
    return template.format(path=path, detail=err.strerror or type(err).__name__)
