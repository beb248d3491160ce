"""Signing and verifying workbook identities, and finding the round's signing key.

The signature is HMAC-SHA256 over the canonical JSON of the identity fields, with the
round's secret key. It makes a workbook whose identity was edited, or one forged for
another organisation, recognisable on read-back. The key is looked up in this order:
an explicit path (``--key FILE``), ``$KWL_KEY_FILE``, then ``sleutel.key`` in the user's
configuration folder (see :func:`default_key_path`), created on first use when writing.
Checking a workbook puts the key of the round it lies in (or is checked in) before the last
two (:func:`verification_key_path`).
"""

from __future__ import annotations

import contextlib
import errno
import hmac
import json
import os
import secrets
import tempfile
from pathlib import Path

from kwl_office import texts_nl
from kwl_office.assessment import Identity
from kwl_office.atomic import naming
from kwl_office.errors import KeyFileError
from kwl_office.places import ROUND_CONFIG_NAME, enclosing_round, key_path


def load_key(explicit: str | Path | None = None, *, create: bool = False) -> bytes | None:
    """The signing key, or None when none exists and ``create`` is false.

    With ``create`` a missing key file is made (random 256-bit key, mode 0600), and so is
    an empty one (:func:`create_key`). Without, an empty key file is a :class:`KeyFileError`
    that says how to get a key.
    """
    path = key_path(explicit)
    if not path.exists():
        if not create:
            if explicit is not None:
                raise KeyFileError(
                    texts_nl.KEY_UNREADABLE.format(path=path, detail="bestand bestaat niet")
                )
            return None
        return create_key(path)
    if path.is_dir():
        raise KeyFileError(texts_nl.KEY_IS_DIRECTORY.format(path=path))
    try:
        with path.open("rb") as handle:  # a key is a line of hex: never read a big file whole
            raw = handle.read(4096)
        text = raw.decode("ascii").strip()
    except UnicodeDecodeError as err:
        raise KeyFileError(texts_nl.KEY_NOT_TEXT.format(path=path)) from err
    except OSError as err:
        raise KeyFileError(texts_nl.KEY_UNREADABLE.format(
            path=path, detail=err.strerror or type(err).__name__)) from err
    if not raw:  # what an older kwl left on a full disk: no key was ever in it
        if create:
            return create_key(path)
        raise KeyFileError(_empty_key_message(path))
    try:
        key = bytes.fromhex(text)
    except ValueError as err:
        raise KeyFileError(texts_nl.KEY_INVALID.format(path=path)) from err
    if len(key) < 16:
        raise KeyFileError(texts_nl.KEY_INVALID.format(path=path))
    return key


def verification_key_path(file: str | Path, explicit: str | None = None, *,
                          cwd: Path | None = None) -> Path | None:
    """The key file that verifies ``file``: ``--key`` when given; else the key of the round
    the workbook lies in (the nearest folder above it with a ``ronde.yaml``), else of the
    round the command runs in (the current folder or one above it), as ``kwl register`` takes
    the register of the round it runs in; else ``$KWL_KEY_FILE``, else the user's default
    key. None when that last one does not exist (no key at all: ``signature-unverified``)."""
    if explicit is not None:
        return Path(explicit)
    root = enclosing_round(Path(file).parent) or enclosing_round(cwd or Path.cwd())
    if root is not None:
        # only for a workbook in a round: reading ronde.yaml needs the round's libraries
        from kwl_office.batch.folder import RoundFolder

        return root / RoundFolder(root).config().sleutel
    path = key_path()
    return path if path.exists() else None


def create_key(path: Path) -> bytes:
    """Create a new random key file at ``path`` and return the key in it.

    All or nothing: the key is written to a hidden file beside ``path`` and linked into
    place, so a full disk or an interrupt never leaves an empty or half key under its name.
    A key is never overwritten: when another process made one first, that one is returned.
    An empty file is no key (an older kwl left one on a full disk) and is replaced. An
    :class:`OSError` names ``path``.
    """
    key = secrets.token_bytes(32)
    with naming(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        # mkstemp makes the file 0600, as a key must be
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with naming(path, tmp):
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(key.hex() + "\n")
                handle.flush()
                os.fsync(handle.fileno())  # a crash right after must not leave an empty key
            if _link_new(Path(tmp), path):
                return key
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    # another process made the key first: the one on disk is the key
    found = load_key(path)
    assert found is not None  # load_key with a path raises when there is none
    return found


#: link() refused by the file system itself (FAT, some network shares), not by the name
_NO_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS,
                       errno.EXDEV, errno.EMLINK})


def _link_new(tmp: Path, path: Path) -> bool:
    """Put the written key ``tmp`` at ``path`` unless a key is there (False then): O_EXCL
    by a hard link, which never replaces a file; an empty file at ``path`` is moved aside
    first, and put back if it turns out to hold a key by then (another process's)."""
    try:
        os.link(tmp, path)
        return True
    except FileExistsError:
        pass
    except OSError as err:
        if err.errno not in _NO_LINKS:
            raise
        return _write_new(tmp, path)
    with contextlib.suppress(FileNotFoundError):
        if path.stat().st_size:
            return False  # a key: never touched
    aside = tmp.with_name(f"{tmp.name}.leeg")  # unique: tmp's name is
    try:
        os.rename(path, aside)
    except FileNotFoundError:  # gone meanwhile: try once more
        return _link_once(tmp, path)
    if aside.stat().st_size:
        # a key another process made after we looked: it stays the key
        with contextlib.suppress(FileExistsError):
            os.link(aside, path)
        aside.unlink()
        return False
    aside.unlink()
    return _link_once(tmp, path)


def _link_once(tmp: Path, path: Path) -> bool:
    try:
        os.link(tmp, path)
        return True
    except FileExistsError:
        return False


def _write_new(tmp: Path, path: Path) -> bool:
    """:func:`_link_new` on a file system without hard links: create ``path`` exclusively
    and copy the key in; when that fails, remove the file we made (never another's)."""
    if path.exists() and path.stat().st_size == 0:
        path.unlink()  # an older kwl's empty key; no link to move it aside with
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(tmp.read_bytes())
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise
    return True


def _empty_key_message(path: Path) -> str:
    """What to do about an empty key file: in a round, init it again; else remove it."""
    if (path.parent / ROUND_CONFIG_NAME).is_file():
        return texts_nl.KEY_EMPTY_ROUND.format(path=path, root=path.parent)
    return texts_nl.KEY_EMPTY.format(path=path)


#: what ``json.dumps(..., sort_keys=True, ensure_ascii=False, separators=(",", ":"))`` uses,
#: made once: making it costs more than encoding an identity (every read-back verifies one)
_CANONICAL_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def compute_signature(identity: Identity, key: bytes) -> str:
    """HMAC-SHA256 (hex) over the identity's fields except the signature."""
    blob = _CANONICAL_JSON.encode(identity.signed_fields())
    return hmac.digest(key, blob.encode("utf-8"), "sha256").hex()


def sign(identity: Identity, key: bytes) -> Identity:
    """A copy of ``identity`` carrying its signature."""
    return identity.model_copy(update={"signature": compute_signature(identity, key)})


def verify(identity: Identity, key: bytes) -> bool:
    """True when the identity's signature matches ``key``."""
    return hmac.compare_digest(identity.signature, compute_signature(identity, key))
