"""The installed version of kwl_office (kept apart to avoid import cycles)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kwl-office")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+local"
