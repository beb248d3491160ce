"""Atomic file output: write to a temporary file beside the target, then rename into place.

A reader (or a crash) never sees a half-written file under its final name.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path


def _default_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _default_file_mode()


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; rename it to ``target`` on success.

    The temporary name keeps the target's suffix so libraries that look at it (openpyxl,
    LibreOffice) behave; on an exception the temporary file is removed and the target is
    left as it was.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{_short(target.stem)}.", suffix=f".tmp{target.suffix}", dir=target.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        # mkstemp creates 0600; outputs are ordinary files the team must be able to read
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


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
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=target.parent)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            os.fchmod(handle.fileno(), _FILE_MODE)  # mkstemp creates 0600, see atomic_path
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    return Path(tmp_name)


def write_bytes_atomic(target: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically."""
    tmp = stage_bytes(target, data)
    try:
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return Path(target)


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
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{_short(target.stem)}.",
                                suffix=f".tmp{target.suffix}", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        save(tmp)
        if target.exists() and same_package(tmp, target):
            return False
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, target)
        return True
    finally:
        if tmp.exists():
            tmp.unlink()
