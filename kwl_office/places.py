"""Where kwl keeps things by default: the signing key and the Kwaliteitsregister.

A light module (no models), so the command line can name the defaults in its help at once.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

#: environment variable that names the key file when no ``--key`` is given
KEY_ENV = "KWL_KEY_FILE"
KEY_FILENAME = "sleutel.key"
#: environment variable that names the register file when no path is given
REGISTER_ENV = "KWL_REGISTER"
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


def user_register_path() -> Path:
    """``kwaliteitsregister.sqlite`` in the user's data folder (e.g. ``~/.local/share``)."""
    return platformdirs.user_data_path("kwl_office") / REGISTER_FILENAME


def default_register_path() -> Path:
    """``$KWL_REGISTER``, else :func:`user_register_path`."""
    env = os.environ.get(REGISTER_ENV)
    if env:
        return Path(env)
    return user_register_path()
