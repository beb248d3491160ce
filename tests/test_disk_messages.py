"""A full disk and Ctrl-C: the message says where, never a traceback, never an unusable key.

The full disk is the kernel's own: from the moment a test says so, every file opened for
writing in one folder is given the descriptor of ``/dev/full``, whose writes fail with ENOSPC
(the file itself is made, empty, as on a disk that has an inode left but no block). That
stands in for the disk only; kwl and the libraries it writes with run as they are.
"""

from __future__ import annotations

import builtins
import errno
import gc
import io
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kwl_office import texts_nl as T
from kwl_office.atomic import (
    atomic_path,
    copy_file_atomic,
    save_if_changed,
    write_bytes_atomic,
)
from kwl_office.batch.folder import RoundFolder, init_round
from kwl_office.catalogue import Catalogue
from kwl_office.cli import main
from kwl_office.documents.examples import example_context
from kwl_office.documents.pdf import convert_to_pdf
from kwl_office.documents.registry import DocumentKind
from kwl_office.documents.render import render_document
from kwl_office.errors import KeyFileError, RoundError
from kwl_office.identity import create_key, load_key
from kwl_office.places import default_key_path
from kwl_office.register import Register
from tests.helpers import make_round, row
from tests.test_pdf_batch import FAKE_SOFFICE

DEV_FULL = Path("/dev/full")
#: a round of one self-evaluation: issued without reviewers or CI
ROW = row("2026-001", "Welzijn Een (fictief)", "zelfevaluatie")



class FullDisk:
    """The folders whose disk is full now."""

    def __init__(self) -> None:
        self.folders: list[Path] = []

    def __call__(self, folder: Path) -> None:
        """From now on the disk of ``folder`` is full."""
        self.folders.append(folder.absolute())

    def free(self) -> None:
        """Room again everywhere."""
        self.folders.clear()


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[FullDisk]:
    """``full_disk(folder)``: from now on the disk of ``folder`` is full (see the module);
    ``full_disk.free()``: room again."""
    if not DEV_FULL.exists():
        pytest.skip("no /dev/full here: it stands in for a full disk")
    disk = FullDisk()
    real_open = os.open
    real_io_open = io.open

    def is_full(path: Any) -> bool:
        place = Path(os.fsdecode(path)).absolute()
        return any(place.is_relative_to(folder) for folder in disk.folders)

    def full_open(path: Any, flags: int, mode: int = 0o777, *, dir_fd: int | None = None
                  ) -> int:
        fd = real_open(path, flags, mode, dir_fd=dir_fd)
        if flags & (os.O_WRONLY | os.O_RDWR) and dir_fd is None and is_full(path):
            full = real_open(DEV_FULL, os.O_RDWR)
            os.dup2(full, fd)
            os.close(full)
        return fd

    def full_io_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if (isinstance(file, str | bytes | os.PathLike) and set(mode) & set("wax+")
                and kwargs.get("opener") is None and is_full(file)):
            kwargs["opener"] = lambda path, flags: full_open(path, flags, 0o666)
        return real_io_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(os, "open", full_open)
    monkeypatch.setattr(io, "open", full_io_open)
    monkeypatch.setattr(builtins, "open", full_io_open)
    yield disk
    disk.free()


@pytest.fixture
def unraisable(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What Python would print as "Exception ignored in: …" (a ``__del__`` that fails)."""
    seen: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: seen.append(
        f"{u.exc_type.__name__}: {u.exc_value} in {u.object!r}"))
    return seen


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*") if p.is_file())


# --- F1: the key is made all or nothing --------------------------------------------------------


def test_init_on_a_full_disk_leaves_no_key_and_init_again_makes_one(
        tmp_path: Path, full_disk: FullDisk) -> None:
    root = tmp_path / "ronde"
    root.mkdir()
    full_disk(root)
    with pytest.raises(OSError) as caught:
        init_round(root)
    assert caught.value.errno == errno.ENOSPC
    assert caught.value.filename == str(root / "sleutel.key")
    assert not (root / "sleutel.key").exists() and _hidden(root) == []
    full_disk.free()
    folder = init_round(root)
    assert len(folder.key()) == 32


def test_an_empty_key_of_an_older_kwl_is_said_and_init_replaces_it(tmp_path: Path) -> None:
    folder = make_round(tmp_path / "ronde", [ROW])
    key = folder.root / "sleutel.key"
    key.write_bytes(b"")  # what an older kwl's init left on a full disk
    manifest = folder.manifest.read_bytes()

    issued = run("round", "issue", str(folder.root))
    assert issued.exit_code == 2
    assert issued.output.strip() == "kwl: " + T.KEY_EMPTY_ROUND.format(path=key,
                                                                         root=folder.root)
    assert key.read_bytes() == b""  # a command that only reads never makes a key

    again = run("round", "init", str(folder.root))
    assert again.exit_code == 0, again.output
    made = load_key(key)
    assert made is not None and len(made) == 32
    assert folder.manifest.read_bytes() == manifest  # the rest of the round as it was
    assert run("round", "issue", str(folder.root)).exit_code == 0

    # a key with content is never replaced, by init nor by create_key
    written = key.read_bytes()
    third = run("round", "init", str(folder.root))
    assert third.exit_code == 2
    assert third.output.strip() == "kwl: " + T.ROUND_EXISTS.format(path=folder.root)
    assert create_key(key) == made and key.read_bytes() == written


def test_an_empty_default_key_is_replaced_when_signing_and_said_when_checking(
        tmp_path: Path) -> None:
    path = default_key_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    with pytest.raises(KeyFileError) as caught:
        load_key(path)
    assert str(caught.value) == T.KEY_EMPTY.format(path=path)
    key = load_key(create=True)
    assert key is not None and len(key) == 32 and load_key() == key
    assert path.stat().st_mode & 0o777 == 0o600


# --- F5: the message names what was being written ----------------------------------------------


def _via_atomic_path(target: Path) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(b"x" * 100_000)


def _via_copy(target: Path) -> None:
    source = target.parent.parent / "bron.bin"
    source.write_bytes(b"x" * 100_000)
    copy_file_atomic(source, target)


WRITERS: dict[str, Callable[[Path], object]] = {
    "write_bytes_atomic": lambda target: write_bytes_atomic(target, b"x" * 100_000),
    "atomic_path": _via_atomic_path,
    "copy_file_atomic": _via_copy,
    "save_if_changed": lambda target: save_if_changed(
        target, lambda tmp: tmp.write_bytes(b"x" * 100_000)),
}


@pytest.mark.parametrize("writer", list(WRITERS))
def test_a_full_disk_names_the_file_being_written(tmp_path: Path, full_disk: FullDisk,
                                                  writer: str) -> None:
    folder = tmp_path / "uit"
    folder.mkdir()
    full_disk(folder)
    target = folder / "doel.bin"
    with pytest.raises(OSError) as caught:
        WRITERS[writer](target)
    assert caught.value.errno == errno.ENOSPC
    assert caught.value.filename == str(target)
    assert sorted(p.name for p in folder.iterdir()) == []


def test_a_failing_clean_up_never_hides_the_first_error(tmp_path: Path,
                                                        full_disk: FullDisk) -> None:
    folder = make_round(tmp_path / "ronde", [ROW])
    register = folder.open_register()
    try:
        folder.register_memory.unlink()  # so that remembering has to write
        full_disk(folder.state)
        first = RoundError(T.ROUND_LOCKED.format(path=folder.root))
        with pytest.raises(RoundError) as caught:
            try:
                raise first
            finally:  # as a step's clean-up runs after the register refused (a full disk)
                folder.remember_register(register)
        assert caught.value is first
        # without an error already on its way, its own failure is said, with the file
        with pytest.raises(OSError) as own:
            folder.remember_register(register)
        assert own.value.filename == str(folder.register_memory)
    finally:
        register.close()


# --- F3: --pdf names the PDF on the full disk, not soffice's copy in /tmp ------------------------


@pytest.fixture
def fake_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stand-in ``soffice`` of test_pdf_batch first on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "soffice"
    exe.write_text(f"#!{sys.executable}\n{FAKE_SOFFICE}", encoding="utf-8")
    exe.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_SOFFICE_LOG", str(tmp_path / "soffice.log"))


def test_a_full_disk_during_pdf_names_the_pdf(tmp_path: Path, fake_soffice: None,
                                              full_disk: FullDisk) -> None:
    document = tmp_path / "uitvoer" / "2026-001" / "auditrapport.docx"
    document.parent.mkdir(parents=True)
    document.write_bytes(b"document " * 20_000)
    outdir = tmp_path / "pdf"
    outdir.mkdir()
    full_disk(outdir)
    with pytest.raises(OSError) as caught:
        convert_to_pdf([document], outdir)
    assert caught.value.errno == errno.ENOSPC
    assert caught.value.filename == str(outdir / "auditrapport.pdf")
    assert list(outdir.iterdir()) == []  # no half copy left behind


# --- F4: no "Exception ignored in: ZipFile.__del__" after our own line -------------------------


def test_a_document_on_a_full_disk_leaves_nothing_to_complain_later(
        tmp_path: Path, catalogue: Catalogue, full_disk: FullDisk,
        unraisable: list[str]) -> None:
    folder = tmp_path / "uit"
    folder.mkdir()
    full_disk(folder)
    kind = DocumentKind.LEARNING_REPORT
    out = folder / "leerrapport.docx"
    with pytest.raises(OSError) as caught:
        render_document(kind, example_context(kind, catalogue), out)
    assert caught.value.errno == errno.ENOSPC and caught.value.filename == str(out)
    del caught
    gc.collect()
    assert unraisable == []
    assert list(folder.iterdir()) == []


def test_register_export_on_a_full_disk_is_one_line_that_promises_nothing(
        tmp_path: Path, full_disk: FullDisk, unraisable: list[str]) -> None:
    register = tmp_path / "register.sqlite"
    with Register(register):
        pass
    folder = tmp_path / "uit"
    folder.mkdir()
    full_disk(folder)
    target = folder / "register.xlsx"
    result = run("register", "export", str(target), "--register", str(register))
    assert result.exit_code == 2
    # an export starts over when run again: no "hij gaat verder waar hij was"
    assert result.output.strip() == "kwl: " + T.CLI_OS_ERRORS["ENOSPC"].format(path=target)
    del result
    gc.collect()
    assert unraisable == []
    assert list(folder.iterdir()) == []


# --- F8: Ctrl-C says whether running the command again finishes the work ---------------------


def test_ctrl_c_says_run_again_where_that_finishes_the_work(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_round(tmp_path / "ronde", [ROW])
    register = tmp_path / "register.sqlite"
    with Register(register):
        pass

    def pressed(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # Ctrl-C, the moment a file is put in place

    monkeypatch.setattr(os, "replace", pressed)
    issued = run("round", "issue", str(folder.root), "--jobs", "1")
    assert issued.exit_code == 1
    assert issued.output.strip() == T.CLI_ABORTED_RESUMING
    exported = run("register", "export", str(tmp_path / "x.csv"), "--register", str(register),
                   "--format", "csv")
    assert exported.exit_code == 1
    assert exported.output.strip() == "Afgebroken."  # starts over anyway: nothing to promise
    monkeypatch.undo()
    assert run("round", "issue", str(folder.root), "--jobs", "1").exit_code == 0
    assert RoundFolder(folder.root).key() == folder.key()
