"""Who sends and signs letters and certificates: the secretariat and its signatory.

Both come from the round settings (``ronde.yaml``; stand-alone ``kwl report letter`` and
``certificate`` read the same keys from the file given with ``--settings``). A letter never
goes out with a placeholder or without a name under it: a letter needs the secretariat's name,
postal address and a telephone number or e-mail address, and every decision document (letter
or certificate) needs a signatory with a function. What is missing is named setting by setting
(:meth:`LetterSettings.missing`), so the message says exactly what to fill in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kwl_office import dutch
from kwl_office import texts_nl as T
from kwl_office.errors import InvalidArgument
from kwl_office.yamltext import safe_load


class Secretariat(BaseModel):
    """``secretariaat`` in ``ronde.yaml``: the sender of the letters."""

    model_config = ConfigDict(extra="forbid")

    #: e.g. "Secretariaat Kwaliteitslabel Sociaal Werk"
    naam: str = ""
    #: postal address, one line per item (a text with ``;`` between the lines is accepted)
    adres: list[str] = Field(default_factory=list)
    telefoon: str = ""
    email: str = ""
    website: str = ""

    @field_validator("adres", mode="before")
    @classmethod
    def _lines(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [line.strip() for line in value.replace("\n", ";").split(";")]
        return value if value is not None else []

    @field_validator("naam", "telefoon", "email", "website", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return "" if value is None else str(value).strip()

    @property
    def address_lines(self) -> list[str]:
        """The address without empty lines."""
        return [line.strip() for line in self.adres if line and line.strip()]


class Signatory(BaseModel):
    """``ondertekenaar`` in ``ronde.yaml``: the person who signs letters and certificates."""

    model_config = ConfigDict(extra="forbid")

    naam: str = ""
    #: e.g. "secretaris van de beheercommissie"
    functie: str = ""

    @field_validator("naam", "functie", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return "" if value is None else str(value).strip()


class LetterSettings(BaseModel):
    """The sender and the signatory of the decision documents."""

    model_config = ConfigDict(extra="forbid")

    secretariaat: Secretariat = Field(default_factory=Secretariat)
    ondertekenaar: Signatory = Field(default_factory=Signatory)

    def missing(self, *, letter: bool) -> list[str]:
        """The settings still to fill in, by their name in ``ronde.yaml``; a certificate
        (``letter=False``) needs only the signatory, a letter also the sender."""
        found: list[str] = []
        if letter:
            sender = self.secretariaat
            found += [name for name, value in (("secretariaat.naam", sender.naam),
                                               ("secretariaat.adres", sender.address_lines))
                      if not value]
            if not (sender.telefoon or sender.email):
                found.append(T.DOC_SETTING_PHONE_OR_MAIL)
        found += [f"ondertekenaar.{name}" for name in ("naam", "functie")
                  if not getattr(self.ondertekenaar, name)]
        return found

    def require(self, *, letter: bool, what: str, where: str) -> None:
        """Raise :class:`SettingsMissing` when :meth:`missing` names anything; ``what`` is
        the document ("de brief"), ``where`` the file to fill in ("ronde.yaml")."""
        missing = self.missing(letter=letter)
        if missing:
            raise SettingsMissing(missing, what, where)


class SettingsMissing(InvalidArgument):
    """A letter or certificate cannot be made: its sender or signatory is not configured."""

    def __init__(self, missing: list[str], what: str, where: str) -> None:
        self.missing = missing
        super().__init__(T.DOC_SETTINGS_MISSING.format(
            what=what, settings=dutch.join(missing), where=where,
            noun=dutch.noun(len(missing), dutch.Word("de instelling", "de instellingen"))))


def load_letter_settings(path: str | Path) -> LetterSettings:
    """The ``secretariaat`` and ``ondertekenaar`` of a settings file (``ronde.yaml`` or a
    file with only those two keys); other keys are left to their own readers."""
    source = Path(path)
    try:
        data = safe_load(source.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise ValueError("no mapping")
        return LetterSettings.model_validate(
            {key: data[key] for key in ("secretariaat", "ondertekenaar") if data.get(key)})
    except (OSError, ValueError, yaml.YAMLError, ValidationError) as err:
        raise InvalidArgument(T.DOC_SETTINGS_UNREADABLE.format(path=source)) from err


__all__ = ["LetterSettings", "Secretariat", "SettingsMissing", "Signatory",
           "load_letter_settings"]
