"""Where kwl keeps things by default: the signing key and the Kwaliteitsregister.

A light module (no models), so the command line can name the defaults in its help at once.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import platformdirs

#: environment variable that names the key file when no ``--key`` is given
KEY_ENV = "KWL_KEY_FILE"
KEY_FILENAME = "sleutel.key"
#: the file that makes a folder a round folder (its configuration)
ROUND_CONFIG_NAME = "ronde.yaml"
#: environment variable that names the register (a file, or a PostgreSQL URL) when none is given
REGISTER_ENV = "KWL_REGISTER"
#: how a register on a PostgreSQL server is named (instead of a file)
REGISTER_URL_SCHEMES = ("postgresql://", "postgres://")

#: a register: a SQLite file, or the URL of a PostgreSQL database (a str)
RegisterLocation = Path | str
REGISTER_FILENAME = "kwaliteitsregister.sqlite"


def default_key_path() -> Path:
    """``sleutel.key`` in the user's config folder (e.g. ``~/.config/kwl_office``)."""
    return platformdirs.user_config_path("kwl_office") / KEY_FILENAME


def key_path(explicit: str | Path | None = None) -> Path:
    """The key file that applies: explicit path, else ``$KWL_KEY_FILE``, else the default."""
    if explicit is not None:
        return Path(explicit)
    env = os.environ.get(KEY_ENV)
    if env:
        return Path(env)
    return default_key_path()


def enclosing_round(path: str | Path) -> Path | None:
    """The round folder ``path`` lies in: the nearest folder, ``path`` itself or one above
    it, that holds a ``ronde.yaml``; None outside any round. Only looks (a few ``stat``
    calls), reads nothing."""
    start = Path(path).absolute()
    for folder in (start, *start.parents):
        if (folder / ROUND_CONFIG_NAME).is_file():
            return folder
    return None


def user_register_path() -> Path:
    """``kwaliteitsregister.sqlite`` in the user's data folder (e.g. ``~/.local/share``)."""
    return platformdirs.user_data_path("kwl_office") / REGISTER_FILENAME


def default_register_path() -> RegisterLocation:
    """``$KWL_REGISTER`` (a file or a PostgreSQL URL), else :func:`user_register_path`."""
    env = os.environ.get(REGISTER_ENV)
    if env:
        return register_location(env)
    return user_register_path()


def is_register_url(value: str | Path) -> bool:
    """True for ``postgresql://…`` (a register on a PostgreSQL server), False for a file."""
    return isinstance(value, str) and value.strip().lower().startswith(REGISTER_URL_SCHEMES)


def register_location(value: str | Path) -> RegisterLocation:
    """A register given as text: the URL of a PostgreSQL database stays text, anything else
    is a file path."""
    return str(value).strip() if is_register_url(value) else Path(value)


def register_exists(location: RegisterLocation) -> bool:
    """Whether there is a register to open without making one: the file exists; a register
    on a database server is taken to exist (its tables are made on first use, and a server
    that cannot be reached says so when the register is opened)."""
    return isinstance(location, str) or location.exists()


def shown_location(location: RegisterLocation) -> str:
    """A register as messages show it: the file, or the URL without a password (one may be in
    it, though it belongs in the environment or a pgpass file)."""
    if not is_register_url(location):
        return str(location)
    text = str(location)
    scheme, _, rest = text.partition("://")
    userinfo, at, host = rest.rpartition("@")
    if at and ":" in userinfo:
        userinfo = userinfo.split(":", 1)[0] + ":***"
    text = f"{scheme}://{userinfo}{at}{host}"
    # a password may also be a query parameter
    return _PASSWORD_PARAMETER.sub(r"\1***", text)


_PASSWORD_PARAMETER = re.compile(r"([?&]password=)[^&]*", re.IGNORECASE)
