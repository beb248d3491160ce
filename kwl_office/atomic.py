"""Atomic file output: write to a temporary file beside the target, then rename into place.

A reader (or a crash) never sees a half-written file under its final name. An
:class:`OSError` raised while writing names the target (``err.filename``), not the hidden
temporary file, nor the source of a copy, nor nothing at all: "the disk is full at …" must
say which disk.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from kwl_office.errors import DISK_FULL, os_error_code


def _default_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _default_file_mode()

@contextlib.contextmanager
def naming(target: str | Path, *temporary: str | Path) -> Iterator[None]:
    """Let an :class:`OSError` raised inside name ``target``: when it names nothing, one of
    the ``temporary`` files written for it, or (a full disk during a copy) the copy's source.
    A path it names otherwise (a folder above that cannot be made) is kept: it says more."""
    try:
        yield
    except OSError as err:
        name_target(err, target, *temporary)
        raise


def name_target(err: OSError, target: str | Path, *temporary: str | Path) -> OSError:
    """``err`` naming ``target`` (see :func:`naming`); returns ``err``."""
    # a full disk is the disk written to: shutil's copy names its source first, target second
    if os_error_code(err) in DISK_FULL and err.filename2 is not None:
        err.filename = err.filename2
    if err.filename is None or os.fspath(err.filename) in {os.fspath(t) for t in temporary}:
        err.filename = os.fspath(target)
    return err


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; rename it to ``target`` on success.

    The temporary name keeps the target's suffix so libraries that look at it (openpyxl,
    LibreOffice) behave; on an exception the temporary file is removed and the target is
    left as it was.
    """
    target = Path(target)
    with naming(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{_short(target.stem)}.", suffix=f".tmp{target.suffix}", dir=target.parent
        )
        os.close(fd)
    tmp = Path(tmp_name)
    try:
        with naming(target, tmp):
            yield tmp
            # mkstemp creates 0600; outputs are ordinary files the team must be able to read
            os.chmod(tmp, _FILE_MODE)
            os.replace(tmp, target)
    finally:
        _remove(tmp)


def _remove(tmp: str | Path) -> None:
    """Remove a temporary file if it is there; a failure here never hides the error that
    brought us here (nor is one of its own: the file is hidden and the next run clears it)."""
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def _short(stem: str, limit: int = 60) -> str:
    """At most ``limit`` UTF-8 bytes of a name: the temporary name (with its random part and
    suffix) then stays far below the 255 bytes file systems allow, whatever the letters."""
    return stem.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


def copy_file_atomic(source: str | Path, target: str | Path) -> Path:
    """Copy ``source`` to ``target`` atomically (the source is only read)."""
    with atomic_path(target) as tmp:
        shutil.copyfile(source, tmp)
    return Path(target)


def stage_bytes(target: str | Path, data: bytes) -> Path:
    """Write ``data`` to a temporary file beside ``target`` (hidden, named as
    :func:`atomic_path` names its own) and return its path; ``os.replace`` puts it in place.
    The caller removes it when it is not used. Lets one process write a file that another
    decides on (see :func:`kwl_office.batch.collect.collect`)."""
    target = Path(target)
    prefix, suffix = f".{_short(target.stem)}.", f".tmp{target.suffix}"
    # written through the descriptor mkstemp opened: a round files thousands of copies,
    # and on some file systems every open of a path costs a quarter of a millisecond; the
    # folder is made only when it is missing (one call less per file when it is there)
    with naming(target):
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=target.parent)
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=target.parent)
    try:
        with naming(target, tmp_name), os.fdopen(fd, "wb") as handle:
            handle.write(data)
            os.fchmod(handle.fileno(), _FILE_MODE)  # mkstemp creates 0600, see atomic_path
    except BaseException:
        _remove(tmp_name)
        raise
    return Path(tmp_name)


def write_bytes_atomic(target: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically."""
    tmp = stage_bytes(target, data)
    try:
        with naming(target, tmp):
            os.replace(tmp, target)
    except BaseException:
        _remove(tmp)
        raise
    return Path(target)


def save_atomic(target: str | Path, save: Callable[[io.BytesIO], object]) -> Path:
    """Write what ``save(stream)`` writes to ``target`` atomically, saved in memory first.

    For the libraries that write a zip (openpyxl, python-docx): on a full disk their
    half-written ``ZipFile`` would stay open on the file and fail once more when the garbage
    collector closes it, printing a traceback after kwl's own message. In memory the save
    cannot fail that way; the disk sees one write of the finished bytes.
    """
    buffer = io.BytesIO()
    save(buffer)
    return write_bytes_atomic(target, buffer.getvalue())


def write_text_atomic(target: str | Path, text: str) -> Path:
    """Write UTF-8 ``text`` to ``target`` atomically."""
    return write_bytes_atomic(target, text.encode("utf-8"))


#: zip members that only carry save times; ignored when comparing two saves of a workbook
_VOLATILE_PARTS = frozenset({"docProps/core.xml"})


def same_package(a: Path, b: Path) -> bool:
    """True when two Office files hold the same parts (save timestamps aside)."""
    try:
        with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
            names = sorted(set(za.namelist()) - _VOLATILE_PARTS)
            if names != sorted(set(zb.namelist()) - _VOLATILE_PARTS):
                return False
            return all(za.read(n) == zb.read(n) for n in names)
    except (OSError, zipfile.BadZipFile):
        return False


def save_if_changed(target: str | Path, save: Callable[[Path], object]) -> bool:
    """Save through ``save(tmp)`` and replace ``target`` only when the content differs.

    Office files carry save times, so saving the same content twice gives different bytes;
    this keeps a re-run from touching outputs whose content did not change. Returns True
    when the target was (re)written.
    """
    target = Path(target)
    with naming(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{_short(target.stem)}.",
                                    suffix=f".tmp{target.suffix}", dir=target.parent)
        os.close(fd)
    tmp = Path(name)
    try:
        with naming(target, tmp):
            save(tmp)
            if target.exists() and same_package(tmp, target):
                return False
            os.chmod(tmp, _FILE_MODE)
            os.replace(tmp, target)
            return True
    finally:
        _remove(tmp)
