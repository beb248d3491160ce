"""click in Dutch, for click only.

click marks its own strings with ``_()`` and ``ngettext()``, names each of its modules imports
from :mod:`gettext` (``from gettext import gettext as _``, the same in every click 8 release).
:func:`install` points those names, in click's modules only, to :data:`CATALOGUE`: a
:class:`gettext.NullTranslations` that answers from the Dutch catalogue in
:mod:`kwl_office.cli.click_nl`. The process-wide gettext domain stays as it is, so no other
library changes language, and a msgid the catalogue lacks stays English (a test notices it).

It runs when :mod:`kwl_office.cli` is imported, before any command is declared: click
translates some words when a type is made (``click.Path`` names itself "file" or "directory").
"""

from __future__ import annotations

import gettext
import sys
from importlib import import_module

from kwl_office.cli.click_nl import MESSAGES, PLURALS

#: click modules that import gettext but are loaded only when used (the progress bar, shell
#: completion): imported here so that they are translated too
_LOADED_ON_USE = ("click._termui_impl", "click.shell_completion")


class DutchCatalogue(gettext.NullTranslations):
    """The Dutch catalogue of click's strings; anything it does not know stays as it is."""

    def gettext(self, message: str) -> str:
        return MESSAGES.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        found = PLURALS.get(msgid1)
        if found is None:
            return msgid1 if n == 1 else msgid2
        return found[0] if n == 1 else found[1]


CATALOGUE = DutchCatalogue()


def click_modules() -> list[str]:
    """The names of click's modules that are loaded now."""
    return [name for name in sys.modules if name == "click" or name.startswith("click.")]


def install() -> None:
    """Make click speak Dutch (idempotent): every loaded click module that uses gettext's
    ``gettext``/``ngettext`` gets the ones of :data:`CATALOGUE` instead."""
    for name in _LOADED_ON_USE:
        try:
            import_module(name)
        except ImportError:  # not in this click release: nothing to translate there
            continue
    for name in click_modules():
        module = sys.modules[name]
        if getattr(module, "_", None) is gettext.gettext:
            module._ = CATALOGUE.gettext  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = CATALOGUE.ngettext  # type: ignore[attr-defined]


__all__ = ["CATALOGUE", "DutchCatalogue", "click_modules", "install"]
