"""The round folder: its layout, its configuration and its lock.

::

    RONDE/
      ronde.yaml          configuration (name, catalogue, register, key)
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
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from filelock import FileLock, Timeout
from pydantic import BaseModel, ConfigDict, ValidationError

from kwl_office import texts_nl as T
from kwl_office.atomic import write_text_atomic
from kwl_office.catalogue import Catalogue, load_catalogue
from kwl_office.errors import KwlError
from kwl_office.identity import create_key, load_key

CONFIG_NAME = "ronde.yaml"
KEY_NAME = "sleutel.key"
MANIFEST_NAME = "manifest.xlsx"


class RoundError(KwlError):
    """The folder is not a usable round folder (or another command holds its lock)."""


class RoundConfig(BaseModel):
    """``ronde.yaml``: what the round uses."""

    model_config = ConfigDict(extra="forbid")

    #: the round's name, e.g. "Ronde 2026"
    naam: str
    #: catalogue file (relative to the round folder), or empty for the example catalogue
    normenkader: str = ""
    #: the Kwaliteitsregister (SQLite); relative paths are relative to the round folder
    kwaliteitsregister: str = "../kwaliteitsregister.sqlite"
    #: the signing key file
    sleutel: str = KEY_NAME


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
        return self.output / safe_name(assessment_id)

    def config(self) -> RoundConfig:
        """Read ``ronde.yaml``."""
        if not self.config_path.is_file():
            raise RoundError(T.ROUND_NOT_A_ROUND.format(path=self.root))
        try:
            data = yaml.safe_load(self.config_path.read_text(encoding="utf-8")) or {}
            return RoundConfig.model_validate(data)
        except (yaml.YAMLError, ValidationError, OSError) as err:
            raise RoundError(T.ROUND_BAD_CONFIG.format(path=self.config_path)) from err

    def catalogue(self) -> Catalogue:
        """The round's catalogue."""
        return self.catalogue_for(self.config())

    def catalogue_for(self, config: RoundConfig) -> Catalogue:
        """The catalogue a configuration names (the example when it names none)."""
        name = config.normenkader
        return load_catalogue(self.root / name if name else None)

    def key(self) -> bytes:
        """The round's signing key."""
        key = load_key(self.root / self.config().sleutel)
        assert key is not None  # load_key with an explicit path raises when missing
        return key

    def register_path(self) -> Path:
        """The register database of this round (shared across rounds by default)."""
        return (self.root / self.config().kwaliteitsregister).resolve()

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


def safe_name(text: str) -> str:
    """A file-name-safe version of a name or id (keeps letters, digits, spaces, -_.())."""
    cleaned = "".join(c if c.isalnum() or c in " -_.()&" else "_" for c in text).strip(" .")
    return cleaned[:80] or "_"


def init_round(root: str | Path, *, name: str | None = None,
               catalogue: str | Path | None = None, register: str | None = None
               ) -> RoundFolder:
    """Create a round folder: config, key, manifest and sub-folders; never overwrites."""
    from kwl_office.batch.manifest import write_manifest_template

    folder = RoundFolder(Path(root))
    if folder.config_path.exists():
        raise RoundError(T.ROUND_EXISTS.format(path=folder.root))
    folder.root.mkdir(parents=True, exist_ok=True)
    for sub in (folder.issued, folder.inbox, folder.received, folder.output, folder.state):
        sub.mkdir(exist_ok=True)
    catalogue_name = ""
    if catalogue is not None:
        source = Path(catalogue)
        load_catalogue(source)  # refuse a broken catalogue before creating anything else
        catalogue_name = source.name
        (folder.root / catalogue_name).write_bytes(source.read_bytes())
    config = RoundConfig(naam=name or folder.root.resolve().name, normenkader=catalogue_name)
    if register is not None:
        config.kwaliteitsregister = register
    if not (folder.root / KEY_NAME).exists():
        create_key(folder.root / KEY_NAME)
    write_manifest_template(folder.manifest, folder.catalogue_for(config))
    write_text_atomic(folder.config_path, T.ROUND_CONFIG_HEADER + yaml.safe_dump(
        config.model_dump(), allow_unicode=True, sort_keys=False))
    return folder

