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

import hmac
import json
import os
import secrets
from pathlib import Path

from kwl_office import texts_nl
from kwl_office.assessment import Identity
from kwl_office.errors import KeyFileError
from kwl_office.places import enclosing_round, key_path


def load_key(explicit: str | Path | None = None, *, create: bool = False) -> bytes | None:
    """The signing key, or None when none exists and ``create`` is false.

    With ``create`` a missing key file is made (random 256-bit key, mode 0600).
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
    """Create a new random key file at ``path`` (never overwrites an existing one)."""
    key = secrets.token_bytes(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes creating the key at once must not end with different keys
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return load_key(path) or key
    except OSError as err:
        raise KeyFileError(texts_nl.KEY_CREATE_FAILED.format(path=path, detail=err)) from err
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key.hex() + "\n")
    return key


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
