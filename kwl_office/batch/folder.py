"""The round folder: its layout, its configuration and its lock.

::

    RONDE/
      ronde.yaml          configuration (name, catalogue, register, key, the sender and the
                          signatory of letters and certificates)
      sleutel.key         the round's signing key
      manifest.xlsx       one row per assessment, filled by the secretariat
      uitgegeven/         issued workbooks, per assessment, plus index.json
      inbox/              returned files, dropped anywhere below, never modified
      ontvangen/          received copies per assessment (historie/ keeps earlier ones)
      uitvoer/            intake.xlsx, terugsturen/ (annotated copies), one folder per assessment
      .kwl/               lock and state
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from filelock import FileLock, Timeout
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kwl_office import texts_nl as T
from kwl_office.atomic import write_bytes_atomic, write_text_atomic
from kwl_office.catalogue import Catalogue, builtin_catalogue_path, load_catalogue
from kwl_office.documents.sender import LetterSettings, Secretariat, Signatory
from kwl_office.errors import KwlError, RoundError
from kwl_office.identity import create_key, load_key
from kwl_office.names import file_name
from kwl_office.places import (
    ROUND_CONFIG_NAME,
    RegisterLocation,
    register_exists,
    register_location,
    shown_location,
)
from kwl_office.register import Register, default_register_path, number_order
from kwl_office.yamltext import safe_load

CONFIG_NAME = ROUND_CONFIG_NAME
KEY_NAME = "sleutel.key"
MANIFEST_NAME = "manifest.xlsx"
#: what the round remembers of its register: identity and the highest number seen
REGISTER_MEMORY = "register.json"
#: the marker (in ``.kwl/``) of the demo round, which may name the demo's fixed date
DEMO_MARKER = "demo"
DEMO_DATE = date(2026, 11, 28)
#: the last ``ronde.yaml`` text read and its settings (every step of a round and every
#: assessment reads them; parsing costs more than comparing the text)
_CONFIGS: dict[str, RoundConfig] = {}


class RoundConfig(BaseModel):
    """``ronde.yaml``: what the round uses."""

    model_config = ConfigDict(extra="forbid")

    #: the round's name, e.g. "Ronde 2026"
    naam: str
    #: catalogue file (relative to the round folder), or empty for the example catalogue
    normenkader: str = ""
    #: the Kwaliteitsregister (SQLite); relative paths are relative to the round folder;
    #: empty: the user's register (``$KWL_REGISTER``, else the user's data folder)
    kwaliteitsregister: str = ""
    #: the signing key file
    sleutel: str = KEY_NAME
    #: the sender of letters: name, postal address, phone, e-mail, website
    secretariaat: Secretariat = Field(default_factory=Secretariat)
    #: who signs letters and certificates (name and function); without it none is made
    ondertekenaar: Signatory = Field(default_factory=Signatory)
    #: mappings between catalogue versions (files relative to the round folder, or built-in
    #: names) for comparing with an organisation's previous assessment on an older version
    mappings: list[str] = Field(default_factory=list)
    #: the branch benchmark (``branche.json`` of ``kwl benchmark``, relative to the round
    #: folder) whose position lines the reports show; empty: none
    branchebeeld: str = ""

    def letter_settings(self) -> LetterSettings:
        """The sender and signatory of the round's letters and certificates."""
        return LetterSettings(secretariaat=self.secretariaat, ondertekenaar=self.ondertekenaar)


@dataclass(frozen=True)
class RoundFolder:
    """Paths of a round folder."""

    root: Path

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def manifest(self) -> Path:
        return self.root / MANIFEST_NAME

    @property
    def issued(self) -> Path:
        return self.root / "uitgegeven"

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def received(self) -> Path:
        return self.root / "ontvangen"

    @property
    def output(self) -> Path:
        return self.root / "uitvoer"

    @property
    def state(self) -> Path:
        return self.root / ".kwl"

    def assessment_output(self, assessment_id: str) -> Path:
        return self.output / file_name(assessment_id)

    def config(self) -> RoundConfig:
        """Read ``ronde.yaml``."""
        if not self.config_path.is_file():
            raise RoundError(T.ROUND_NOT_A_ROUND.format(path=self.root))
        try:
            text = self.config_path.read_text(encoding="utf-8")
            cached = _CONFIGS.get(text)
            if cached is None:
                cached = RoundConfig.model_validate(safe_load(text) or {})
                _CONFIGS.clear()  # one round's settings at a time: no growth
                _CONFIGS[text] = cached
            # a copy: a caller may change it, the next reader must not see that
            return cached.model_copy(deep=True)
        except (yaml.YAMLError, ValidationError, OSError) as err:
            raise RoundError(T.ROUND_BAD_CONFIG.format(path=self.config_path)) from err

    def catalogue(self) -> Catalogue:
        """The round's catalogue."""
        return self.catalogue_for(self.config())

    def catalogue_for(self, config: RoundConfig) -> Catalogue:
        """The catalogue a configuration names (the example when it names none)."""
        name = config.normenkader
        if not name:
            return load_catalogue(None)
        if not (self.root / name).exists() and builtin_catalogue_path(name) is not None:
            return load_catalogue(name)  # a built-in name, e.g. voorbeeld-2027
        return load_catalogue(self.root / name)

    def key(self) -> bytes:
        """The round's signing key."""
        key = load_key(self.root / self.config().sleutel)
        assert key is not None  # load_key with an explicit path raises when missing
        return key

    def register_path(self) -> RegisterLocation:
        """The register of this round: ``kwaliteitsregister`` in ``ronde.yaml`` (a file, or
        a ``postgresql://`` URL), or the user's register when that is empty (shared across
        rounds)."""
        name = self.config().kwaliteitsregister
        location = register_location(name) if name else default_register_path()
        if isinstance(location, str):
            return location  # a database on a server
        return (self.root / location).resolve()

    @property
    def register_memory(self) -> Path:
        return self.state / REGISTER_MEMORY

    def open_register(self) -> Register:
        """Open the round's register, refusing one that is not the register it used before.

        The round remembers the register's identity and the highest number it has seen: a
        register that is missing, another one, or older than that (a restored back-up) is
        refused with :class:`RoundError`, so numbers on letters and certificates are never
        handed out twice. The first time, a missing register is created.
        """
        path = self.register_path()
        memory = self._read_memory()
        facts = {"path": shown_location(path), "memory": self.register_memory,
                 "register_id": memory.get("register_id", ""),
                 "highest": memory.get("highest") or "–"}
        if memory and not register_exists(path):
            raise RoundError(T.ROUND_REGISTER_GONE.format(**facts))
        register = Register(path)
        try:
            if memory:
                if register.register_id != memory.get("register_id"):
                    raise RoundError(T.ROUND_REGISTER_OTHER.format(
                        found=register.register_id, **facts))
                highest = register.highest_number()
                seen = memory.get("highest")
                if seen and (highest is None or number_order(highest) < number_order(seen)):
                    raise RoundError(T.ROUND_REGISTER_BEHIND.format(found=highest or "–",
                                                                    **facts))
            self.remember_register(register)
        except BaseException:
            register.close()
            raise
        return register

    def remember_register(self, register: Register) -> None:
        """Remember the register's identity and its highest number (after writing to it).

        Run in the clean-up of a command that is failing already (a full disk), a failure
        to write is not raised: the first error is the one the user must see, and a memory
        that lags behind only weakens the check of :meth:`open_register` for a while.
        """
        failing = sys.exc_info()[1]
        data = {"register_id": register.register_id, "path": register.shown,
                "highest": register.highest_number()}
        if data != self._read_memory():
            try:
                self.state.mkdir(parents=True, exist_ok=True)
                write_text_atomic(self.register_memory, json.dumps(data, indent=1) + "\n")
            except OSError:
                if not isinstance(failing, KwlError | OSError):
                    raise

    def _read_memory(self) -> dict[str, str]:
        if not self.register_memory.is_file():
            return {}
        try:
            data = json.loads(self.register_memory.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise RoundError(T.ROUND_BAD_CONFIG.format(path=self.register_memory)) from err
        return data if isinstance(data, dict) else {}

    @contextlib.contextmanager
    def lock(self, timeout: float = 0) -> Iterator[None]:
        """Hold the round's lock: two commands never work on one round at once."""
        self.state.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.state / "lock"), timeout=timeout)
        try:
            lock.acquire()
        except Timeout as err:
            raise RoundError(T.ROUND_LOCKED.format(path=self.root)) from err
        try:
            yield
        finally:
            lock.release()


def find_round(round_dir: str | Path | None = None, *, cwd: Path | None = None
               ) -> RoundFolder | None:
    """The round folder named by ``--round``, else the current folder when it is one, else
    None. A ``round_dir`` that is not a round folder is a :class:`RoundError`."""
    root = Path(round_dir) if round_dir else (cwd or Path.cwd())
    if (root / CONFIG_NAME).is_file():
        return RoundFolder(root)
    if round_dir:
        raise RoundError(T.ROUND_NOT_A_ROUND.format(path=root))
    return None


def locate_register(register: str | Path | None = None, round_dir: str | Path | None = None,
                    *, cwd: Path | None = None) -> RegisterLocation:
    """The one way every command finds the Kwaliteitsregister.

    ``register`` (``--register``) when given; else the register of the round in ``round_dir``
    (``--round``) or, without it, of the current folder when that is a round folder; else
    ``$KWL_REGISTER``; else the user's register (:func:`~kwl_office.register.user_register_path`).
    """
    if register:
        return register_location(register)
    folder = find_round(round_dir, cwd=cwd)
    return folder.register_path() if folder else default_register_path()


def open_register_for_writing(register: str | Path | None = None,
                              round_dir: str | Path | None = None) -> Register:
    """The register found as :func:`locate_register` finds it, for writing: a round's
    register with the round's checks (:meth:`RoundFolder.open_register`), any other one
    created when it does not exist yet."""
    folder = None if register else find_round(round_dir)
    if folder is not None:
        return folder.open_register()
    return Register(locate_register(register, round_dir))


def init_round(root: str | Path, *, name: str | None = None,
               catalogue: str | Path | None = None, register: str | None = None,
               letters: LetterSettings | None = None) -> RoundFolder:
    """Create a round folder: config, key, manifest and sub-folders; never overwrites.

    ``ronde.yaml`` gets the sender and signatory fields of the letters (``letters``, or empty
    for the secretariat to fill in: until then the round makes no letter or certificate).
    """
    from kwl_office.batch.manifest import write_manifest_template

    folder = RoundFolder(Path(root))
    if folder.config_path.exists():
        key = _empty_key(folder)
        if key is None:
            raise RoundError(T.ROUND_EXISTS.format(path=folder.root))
        # an older kwl left the key empty on a full disk (it signed nothing with it): the
        # round gets its key now; everything else stays as it is
        create_key(key)
        if not folder.manifest.exists():
            write_manifest_template(folder.manifest, folder.catalogue())
        return folder
    folder.root.mkdir(parents=True, exist_ok=True)
    for sub in (folder.issued, folder.inbox, folder.received, folder.output, folder.state):
        sub.mkdir(exist_ok=True)
    catalogue_name = ""
    if catalogue is not None:
        source = Path(catalogue)
        builtin = builtin_catalogue_path(str(catalogue))
        if builtin is not None and not source.exists():
            source = builtin  # a built-in name (voorbeeld-2027): the round keeps a copy
        load_catalogue(source)  # refuse a broken catalogue before creating anything else
        catalogue_name = source.name
        write_bytes_atomic(folder.root / catalogue_name, source.read_bytes())
    config = RoundConfig(naam=name or folder.root.resolve().name, normenkader=catalogue_name)
    if register is not None:
        config.kwaliteitsregister = register
    key = folder.root / KEY_NAME
    if not key.exists() or key.stat().st_size == 0:  # an empty one is no key (create_key)
        create_key(key)
    write_manifest_template(folder.manifest, folder.catalogue_for(config))
    if letters is not None:
        config.secretariaat, config.ondertekenaar = letters.secretariaat, letters.ondertekenaar
    write_text_atomic(folder.config_path, config_text(config))
    return folder


def _empty_key(folder: RoundFolder) -> Path | None:
    """The key file of an existing round when it is empty (what an older kwl's ``round
    init`` left on a full disk), else None."""
    try:
        key = folder.root / folder.config().sleutel
        return key if key.is_file() and key.stat().st_size == 0 else None
    except (RoundError, OSError):
        return None


def config_text(config: RoundConfig) -> str:
    """``ronde.yaml`` as ``init_round`` writes it: the round's own settings, then the sender
    and signatory of the letters, each part with a comment saying what to fill in."""
    data = config.model_dump()
    letters = {key: data.pop(key) for key in ("secretariaat", "ondertekenaar")}
    header = T.ROUND_CONFIG_HEADER.format(default=default_register_path())
    return (header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
            + T.ROUND_CONFIG_LETTERS
            + yaml.safe_dump(letters, allow_unicode=True, sort_keys=False))


def demo_today(folder: RoundFolder) -> date | None:
    """The demo's fixed date (so its documents are the same on every machine; the marker
    file may name it); None for a real round, which uses today."""
    marker = folder.state / DEMO_MARKER
    if not marker.exists():
        return None
    words = marker.read_text(encoding="utf-8").split()
    try:
        return date.fromisoformat(words[-1])
    except (IndexError, ValueError):
        return DEMO_DATE
