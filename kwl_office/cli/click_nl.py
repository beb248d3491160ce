"""Dutch for click's own strings: help headings, "[required]", "[default: …]" and every usage
error click writes itself ("No such option", "Missing option", "Invalid value for …").

A message catalogue as data: click's msgid (its English text, exactly as in click's source) →
the Dutch text. :mod:`kwl_office.cli.language` hands it to click. ``tests/test_look_cli.py``
extracts the msgids from the installed click and checks that each one is here and that each
translation uses only the placeholders its msgid offers; so a new click string is noticed.

Two habits of the Dutch texts: values are quoted as '{value}' instead of click's ``{value!r}``
(a Windows path then shows as typed, not with doubled backslashes), and a placeholder that adds
only an English word (``{number_type}``, a Path's ``{name}``) is left out.
"""

from __future__ import annotations

#: msgid → Dutch text (``_()`` in click's source)
MESSAGES: dict[str, str] = {
    # help pages
    "Usage:": "Gebruik:",
    "Options": "Opties",
    "Positional arguments": "Argumenten",
    "Commands": "Opdrachten",
    "Show this message and exit.": "Toon deze hulp en stop.",
    "Show the version and exit.": "Toon de versie en stop.",
    "%(prog)s, version %(version)s": "%(prog)s, versie %(version)s",
    "required": "verplicht",
    "default: {default}": "standaard: {default}",
    "env var: {var}": "omgevingsvariabele: {var}",
    "(dynamic)": "(wisselend)",
    "deprecated": "verouderd",
    "Try '{command} {option}' for help.": "Zie '{command} {option}' voor hulp.",
    # usage errors
    "Error: {message}": "Fout: {message}",
    "Missing command.": "geef een opdracht.",
    "No such option {name!r}.": "onbekende optie '{name}'.",
    "No such command {name!r}.": "onbekende opdracht '{name}'.",
    "Missing argument": "ontbrekend argument",
    "Missing option": "ontbrekende optie",
    "Missing parameter": "ontbrekende waarde",
    "Missing {param_type}": "ontbrekende waarde ({param_type})",
    "Missing parameter: {param_name}": "ontbrekende waarde: {param_name}",
    "Invalid value: {message}": "ongeldige waarde: {message}",
    "Invalid value for {param_hint}: {message}": "ongeldige waarde voor {param_hint}: {message}",
    "Option {name!r} does not take a value.": "optie '{name}' neemt geen waarde.",
    "Argument {name!r} takes {nargs} values.": "argument '{name}' neemt {nargs} waarden.",
    "Invalid start character for option ({option})":
        "ongeldig eerste teken voor een optie ({option})",
    "Value must be an iterable.": "De waarde moet een reeks zijn.",
    "Choose from:\n\t{choices}": "Kies uit:\n\t{choices}",
    "Choice({choices})": "Keuze({choices})",
    "{value} is not in the range {range}.": "{value} kan niet; toegestaan is {range}.",
    "{value!r} is not a valid {number_type}.": "'{value}' is geen geldig getal.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "'{value}' is geen ja of nee. Toegestaan: {states}",
    "{value!r} is not a valid UUID.": "'{value}' is geen geldige UUID.",
    "file": "bestand",
    "directory": "map",
    "path": "pad",
    "{name} {filename!r} does not exist.": "'{filename}' bestaat niet.",
    "{name} {filename!r} is a file.": "'{filename}' is een bestand, geen map.",
    "{name} {filename!r} is a directory.": "'{filename}' is een map, geen bestand.",
    "{name} {filename!r} is not readable.": "'{filename}' kan niet worden gelezen (rechten).",
    "{name} {filename!r} is not writable.": "'{filename}' kan niet worden beschreven (rechten).",
    "{name} {filename!r} is not executable.": "'{filename}' kan niet worden uitgevoerd.",
    "Could not open file {filename!r}: {message}":
        "bestand '{filename}' kan niet worden geopend: {message}",
    "unknown error": "onbekende fout",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}":
        "Let op: de opdracht '{name}' is verouderd.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}":
        "Let op: '{name}' is verouderd.{extra_message}",
    # prompts and the terminal
    "Aborted!": "Afgebroken.",
    "Do you want to continue?": "Wilt u doorgaan?",
    "Confirm the action without prompting.": "Bevestig zonder het te vragen.",
    "Repeat for confirmation": "Herhaal ter bevestiging",
    "Error: The two entered values do not match.": "Fout: de twee invoeren zijn niet gelijk.",
    "Error: invalid input": "Fout: ongeldige invoer",
    "Press any key to continue...": "Druk op een toets om door te gaan...",
    "d": "d",
    "{editor}: Editing failed": "{editor}: bewerken mislukt",
    "{editor}: Editing failed: {e}": "{editor}: bewerken mislukt: {e}",
    "Windows error: {error}": "Windows-fout: {error}",
    "Shell completion is not supported for Bash versions older than 4.4.":
        "Aanvullen in de shell werkt niet met Bash ouder dan 4.4.",
    "Couldn't detect Bash version, shell completion is not supported.":
        "De versie van Bash is onbekend; aanvullen in de shell werkt niet.",
    # mistakes in a program's own declarations: a developer meets these, still in Dutch
    "Unknown color {colour!r}": "Onbekende kleur '{colour}'",
    "Unknown standard stream '{name}'": "Onbekende standaardstroom '{name}'",
    "Name '{name}' defined twice": "Naam '{name}' twee keer gedeclareerd",
    "Boolean option {decl!r} cannot use the same flag for true/false.":
        "Ja/nee-optie '{decl}' kan niet dezelfde vlag voor ja en nee gebruiken.",
    "Could not determine name for option with declarations {decls!r}":
        "Geen naam te bepalen voor de optie met declaraties {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument "
    "instead? Did you mean to pass '--{name}'?":
        "Geen opties gedeclareerd, wel een naam ({name}). Bedoelt u een argument, of "
        "'--{name}'?",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.":
        "Een argument heeft precies één declaratie, niet {length}: {decls}.",
}

#: singular msgid → (Dutch for one, Dutch for several) (``ngettext()`` in click's source)
PLURALS: dict[str, tuple[str, str]] = {
    "Got unexpected extra argument ({args})": (
        "onverwacht extra argument ({args})", "onverwachte extra argumenten ({args})"),
    "Did you mean {possibility}?": (
        "Bedoelt u {possibility}?", "(Bedoelt u een van: {possibilities}?)"),
    "Option {name!r} requires an argument.": (
        "optie '{name}' vraagt een waarde.", "optie '{name}' vraagt {nargs} waarden."),
    "Takes {nargs} values but 1 was given.": (
        "vraagt {nargs} waarden, maar kreeg er 1.",
        "vraagt {nargs} waarden, maar kreeg er {len}."),
    "{value!r} is not {choice}.": (
        "'{value}' kan niet; de enige keuze is {choice}.",
        "'{value}' kan niet; kies uit {choices}."),
    "{value!r} does not match the format {format}.": (
        "'{value}' heeft niet de vorm {format}.", "'{value}' heeft geen van de vormen {formats}."),
    "{len_type} values are required, but {len_value} was given.": (
        "{len_type} waarden nodig, maar er is {len_value} gegeven.",
        "{len_type} waarden nodig, maar er zijn {len_value} gegeven."),
}

__all__ = ["MESSAGES", "PLURALS"]
