"""Loading and saving a catalogue: one table of formats, each a module depending on the model.

The format modules (:mod:`~kwl_office.catalogue.yaml`, :mod:`~kwl_office.catalogue.xlsx`) are
imported only when their format is used: the CLI starts without openpyxl, and the model never
imports a format (no cycle).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module, resources
from pathlib import Path

from kwl_office import texts_nl
from kwl_office.catalogue.model import EXAMPLE_CATALOGUE, Catalogue
from kwl_office.errors import CatalogueError

#: file suffix → (module, load function, save function); None: that direction is not offered
FORMATS: dict[str, tuple[str, str, str | None]] = {
    ".yaml": ("kwl_office.catalogue.yaml", "load_yaml", "save_yaml"),
    ".yml": ("kwl_office.catalogue.yaml", "load_yaml", "save_yaml"),
    ".xlsx": ("kwl_office.catalogue.xlsx", "load_xlsx", "save_xlsx"),
    ".xlsm": ("kwl_office.catalogue.xlsx", "load_xlsx", None),
}

_EXAMPLE_CACHE: list[Catalogue] = []

#: the shipped example catalogues, by the name ``--catalogue`` accepts instead of a file: the
#: example and an invented later version of it (to show an upgrade: ``kwl catalogue diff``)
BUILT_IN = (EXAMPLE_CATALOGUE, "voorbeeld-2027")


def load_example_catalogue() -> Catalogue:
    """The shipped illustrative catalogue (``versie: voorbeeld``), parsed once per process
    (batch runs build hundreds of workbooks from it)."""
    if not _EXAMPLE_CACHE:
        _EXAMPLE_CACHE.append(load_catalogue(example_catalogue_path()))
    return _EXAMPLE_CACHE[0]


def example_catalogue_path() -> Path:
    """Where the shipped example YAML lives inside the installed package."""
    return Path(str(resources.files("kwl_office") / "catalogues" / f"{EXAMPLE_CATALOGUE}.yaml"))


def builtin_catalogue_path(name: str) -> Path | None:
    """The shipped YAML of a built-in catalogue name (see :data:`BUILT_IN`); None otherwise."""
    if name not in BUILT_IN:
        return None
    return Path(str(resources.files("kwl_office") / "catalogues" / f"{name}.yaml"))


def _function(suffix: str, which: int) -> Callable[..., object]:
    entry = FORMATS.get(suffix.lower())
    name = entry[which] if entry else None
    if entry is None or name is None:
        raise CatalogueError(texts_nl.CATALOGUE_ERRORS["unknown-extension"].format(ext=suffix))
    function: Callable[..., object] = getattr(import_module(entry[0]), name)
    return function


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Load a catalogue from ``.yaml``/``.yml`` or ``.xlsx``; None gives the example.

    Raises :class:`~kwl_office.errors.CatalogueError` naming the place of the first problem.
    """
    if path is None or str(path) == EXAMPLE_CATALOGUE and not Path(path).exists():
        return load_example_catalogue()
    builtin = builtin_catalogue_path(str(path))
    # a file of that name in the working folder wins over the built-in one
    path = builtin if builtin is not None and not Path(path).exists() else Path(path)
    if path.is_dir():
        raise CatalogueError(texts_nl.CATALOGUE_ERRORS["is-directory"].format(path=path))
    if not path.is_file():
        raise CatalogueError(texts_nl.CATALOGUE_ERRORS["not-found"].format(path=path))
    loaded = _function(path.suffix, 1)(path)
    assert isinstance(loaded, Catalogue)
    return loaded


def save_catalogue(catalogue: Catalogue, path: str | Path) -> Path:
    """Write a catalogue as ``.yaml``/``.yml`` or ``.xlsx`` (atomically)."""
    path = Path(path)
    _function(path.suffix, 2)(catalogue, path)
    return path
