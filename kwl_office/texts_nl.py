"""Every Dutch string that users see, in one place.

A second locale is a drop-in replacement of this module (with the finding messages in
:mod:`kwl_office.findings`). Longer than 600 lines on purpose: one catalogue of texts is what a
translator or an editor of the wording needs. Templates use ``str.format`` fields.
"""

from __future__ import annotations

from datetime import date

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")


def format_date(value: date | str) -> str:
    """``2026-11-28`` → ``28 november 2026``; text that is no ISO date is returned as given."""
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return value
    else:
        day = value
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


# --- workbook kinds -------------------------------------------------------------------------

KIND_TITLES = {
    "zelfevaluatie": "Zelfevaluatie",
    "peer": "Intercollegiale adviesmeting",
    "audit": "Externe audit",
}
KIND_SUBTITLES = {
    "zelfevaluatie": "De organisatie beoordeelt zichzelf op het normenkader.",
    "peer": "Een collega-organisatie beoordeelt de gastorganisatie op het normenkader.",
    "audit": "Een certificerende instelling beoordeelt de organisatie op het normenkader.",
}

# --- sheet names (at most 31 characters, no []:*?/\) ----------------------------------------

SHEET_START = "Start"

# --- buttons of a workbook with macros (macros/KwlControle.bas) -------------------------------

BUTTON_CHECK = "Controleer werkmap"
BUTTON_CHECK_HELP = ("Controleert of elk oordeel is ingevuld en geldig is; kleurt wat te "
                     "verbeteren is en zet het op het blad Controle.")
BUTTON_NEXT_OPEN = "Volgende open norm"
BUTTON_NEXT_OPEN_HELP = "Springt naar de eerstvolgende norm zonder geldig oordeel."
# on each reviewer's tab of a shared team workbook
BUTTON_CHECK_SHEET = "Controleer dit tabblad"
BUTTON_CHECK_SHEET_HELP = ("Controleert de oordelen en teksten op dit tabblad; kleurt wat te "
                           "verbeteren is en zet het op het blad Controle. De tabbladen van de "
                           "anderen blijven zoals ze zijn.")
BUTTON_NEXT_OPEN_SHEET_HELP = "Springt naar de eerstvolgende open norm op dit tabblad."
SHEET_OVERVIEW = "Overzicht"
SHEET_TEAM = "Team"

# --- shared team workbooks -------------------------------------------------------------------

TEAM_TITLE_SUFFIX = " (gedeelde werkmap)"
TEAM_SUBTITLE = ("Een team van beoordelaars vult samen één werkmap in: ieder op het eigen "
                 "tabblad, het team samen op het tabblad Team.")
LABEL_REVIEWERS = "Beoordelaars"
LABEL_PENVOERDER = "Penvoerder"
#: the locked row above the header of each sheet of a team workbook: whose sheet it is
TEAM_OWNER_LABEL = "Ingevuld door"
TEAM_OWNER_TEAM = "het team (penvoerder: {penvoerder})"
TEAM_SHEET_TITLE = "Beoordeling door {reviewer}"
TEAM_TEAM_TITLE = "Wat het team samen zegt"
TEAM_TEAM_INTRO = ("Vul dit tabblad in na het overleg van het team. Alleen de penvoerder "
                   "({penvoerder}) schrijft hier, zodat niemand elkaars tekst overschrijft.")
OVERVIEW_TEAM_TITLE = "Overzicht per beoordelaar"
#: who said what the team sheet says, in documents and the consolidated workbook
TEAM_NAME = "het team ({reviewers})"
TEAM_NAME_SHORT = "het team"
#: who filled the team sheet, in a merge-conflict finding (a reviewer is named)
MERGE_TEAM_OWNER = "Het team"
OVERVIEW_REVIEWER = "Beoordelaar"
#: the instruction about the *spiegel*, only in a workbook that shows it (others leave it out)
MIRROR_INSTRUCTION = (
    "De zelfevaluatie van de organisatie staat grijs naast de normen, in de kolommen "
    "'Zelfevaluatie: oordeel' en 'Zelfevaluatie: onderbouwing'. Die kolommen kunt u niet "
    "wijzigen.")
TEAM_INSTRUCTIONS = [
    "Iedere beoordelaar heeft een eigen tabblad met alle normen, op naam. Vul alleen uw eigen "
    "tabblad in: dan kunnen jullie tegelijk werken (in Excel of Excel voor het web, met de "
    "werkmap in SharePoint, OneDrive of Teams) zonder elkaars cellen te raken.",
    "Kies per norm in de kolom 'Oordeel' uw eigen oordeel en beschrijf onder 'Bevindingen' "
    "wat u zag en hoorde. Ieders oordeel telt apart mee, net als bij aparte werkmappen.",
    "Na jullie overleg vult de penvoerder het tabblad 'Team' in: de sterke punten en de "
    "leerpunten of adviezen die het team samen meegeeft.",
    MIRROR_INSTRUCTION,
    "Gaat de werkmap per e-mail rond? Dan mag ieder zijn eigen kopie terugsturen: het "
    "secretariaat voegt de tabbladen samen. Vul dan wel alleen uw eigen tabblad in.",
    "Filteren kan met de knopjes in de kopregel. Sorteren kan niet: de normteksten zijn "
    "beveiligd. Laat de kolom 'Norm' en de regel 'Ingevuld door' staan.",
]

# --- column headers on the domain sheets ----------------------------------------------------

HEADERS = {
    "norm_id": "Norm",
    "quality_value": "Kwaliteitswaarde",
    "norm_text": "Normtekst",
    "guidance": "Toelichting",
    "distinctive": "Ond.",
    "self_rating": "Zelfevaluatie: oordeel",
    "self_comment": "Zelfevaluatie: onderbouwing",
    "rating": "Oordeel",
    "comment_self": "Onderbouwing",
    "evidence": "Bewijs / documenten",
    "improvements": "Verbeteracties",
    "accent": "Accent",
    "comment_review": "Bevindingen",
    "strengths": "Sterke punten",
    "learning_points": "Leerpunten / advies",
    "team_strengths": "Sterke punten van het team",
    "team_learning_points": "Leerpunten / advies van het team",
}
HEADER_NOTES = {
    "rating": "Kies uit de lijst (of typ de code).",
    "accent": "Zet 'ja' bij normen die voor uw organisatie extra aandacht verdienen.",
}

YES = "ja"
#: how Excel and LibreOffice show a logical value to a Dutch user
SHOWN_TRUE = "WAAR"
SHOWN_FALSE = "ONWAAR"
NO = "nee"
DISTINCTIVE_MARK = "ja"

# --- start sheet ----------------------------------------------------------------------------

LABEL_HOST = "Organisatie"
LABEL_REVIEWER_PEER = "Beoordelende organisatie"
LABEL_REVIEWER_AUDIT = "Certificerende instelling"
LABEL_ASSESSMENT = "Toetsing"
LABEL_DEADLINE = "Inleverdatum"
LABEL_CATALOGUE = "Normenkader"


def catalogue_name(title: str, version: str) -> str:
    """The catalogue as people read it: its title, with the version unless the title already
    says it (title ``… (voorbeeld)`` with version ``voorbeeld`` is shown once)."""
    if not version or version.casefold() in title.casefold():
        return title
    return f"{title}, versie {version}"


LABEL_SCOPE = "Normen in deze werkmap"
SCOPE_ALL = "alle normen"
SCOPE_DISTINCTIVE = "alleen de onderscheidende normen (combinatie HKZ/ISO)"
LABEL_ISSUED = "Uitgegeven op"
LABEL_WORKBOOK_ID = "Werkmapnummer"
HEADING_INSTRUCTIONS = "Zo vult u deze werkmap in"
INSTRUCTIONS = {
    "zelfevaluatie": [
        "Per domein staat er een tabblad met de normen. Lees bij elke norm de normtekst en de "
        "toelichting.",
        "Kies in de kolom 'Oordeel' hoe uw organisatie er nu voor staat. Een norm die voor u "
        "niet geldt, beoordeelt u als 'Niet van toepassing'.",
        "Licht uw oordeel toe onder 'Onderbouwing' en noem bij 'Bewijs / documenten' waar dat "
        "uit blijkt. Noteer bij 'Verbeteracties' wat u nog wilt doen.",
        "Zet bij 'Accent' een 'ja' bij normen die voor uw organisatie extra aandacht verdienen; "
        "daar kan het feedbackgesprek of de toetsing zich op richten.",
        "Filteren kan met de knopjes in de kopregel, bijvoorbeeld om alleen de normen zonder "
        "oordeel te zien. Sorteren kan niet: de normteksten zijn beveiligd. Laat de kolom "
        "'Norm' en de tabbladnamen staan.",
        "Het tabblad 'Overzicht' en de voortgang hieronder tellen vanzelf mee.",
    ],
    "peer": [
        "Per domein staat er een tabblad met de normen. Lees bij elke norm de normtekst en de "
        "toelichting.",
        "Kies in de kolom 'Oordeel' uw oordeel over de gastorganisatie. Een norm die niet geldt, "
        "beoordeelt u als 'Niet van toepassing'.",
        "Beschrijf onder 'Bevindingen' wat u zag en hoorde, en vul de sterke punten en de "
        "leerpunten of adviezen in: daar leert de organisatie het meest van.",
        MIRROR_INSTRUCTION,
        "Filteren kan met de knopjes in de kopregel, bijvoorbeeld om alleen de normen zonder "
        "oordeel te zien. Sorteren kan niet: de normteksten zijn beveiligd. Laat de kolom "
        "'Norm' en de tabbladnamen staan.",
        "Het tabblad 'Overzicht' en de voortgang hieronder tellen vanzelf mee.",
    ],
    "audit": [
        "Per domein staat er een tabblad met de normen. Lees bij elke norm de normtekst en de "
        "toelichting.",
        "Kies in de kolom 'Oordeel' uw oordeel als auditor. Een norm die niet geldt, "
        "beoordeelt u als 'Niet van toepassing'.",
        "Beschrijf onder 'Bevindingen' wat u heeft vastgesteld en noteer sterke punten en "
        "leerpunten of aanbevelingen.",
        MIRROR_INSTRUCTION,
        "Filteren kan met de knopjes in de kopregel, bijvoorbeeld om alleen de normen zonder "
        "oordeel te zien. Sorteren kan niet: de normteksten zijn beveiligd. Laat de kolom "
        "'Norm' en de tabbladnamen staan.",
        "Het tabblad 'Overzicht' en de voortgang hieronder tellen vanzelf mee.",
    ],
}
HEADING_LEGEND = "Beoordelingsschaal"
LEGEND_CODE = "Code"
LEGEND_LABEL = "Oordeel"
LEGEND_SCORE = "Score"
LEGEND_DISTINCTIVE = "{mark} = onderscheidende norm (getoetst in de combinatie met HKZ/ISO)"
HEADING_PROGRESS = "Voortgang"
PROGRESS_SUFFIX = "normen beoordeeld"
PROGRESS_OF = "van"
RETURN_NOTE = (
    "Stuur de ingevulde werkmap terug naar het secretariaat. Wijzig de tabbladnamen en de "
    "kolom 'Norm' niet: daaraan herkennen wij uw antwoorden."
)
TEAM_RETURN_NOTE = (
    "Stuur de ingevulde werkmap terug naar het secretariaat. Wijzig de regel 'Ingevuld door' "
    "en de kolom 'Norm' niet: daaraan herkennen wij ieders antwoorden (de naam van een "
    "tabblad mag wel anders)."
)
EXAMPLE_NOTE = (
    "Let op: dit is een VOORBEELD-normenkader met eigen formuleringen, niet het officiële "
    "normenkader van Sociaal Werk Nederland."
)

# --- overview sheet -------------------------------------------------------------------------

OVERVIEW_TITLE = "Overzicht per domein"
OVERVIEW_DOMAIN = "Domein"
OVERVIEW_TOTAL_NORMS = "Normen"
OVERVIEW_RATED = "Beoordeeld"
OVERVIEW_OPEN = "Nog open"
OVERVIEW_TOTAL = "Totaal"
OVERVIEW_ACCENTS = "Accenten"

# --- data validation ------------------------------------------------------------------------

DV_RATING_TITLE = "Oordeel"
DV_RATING_PROMPT = "Kies een oordeel uit de lijst."
DV_RATING_ERROR = "Kies een oordeel uit de lijst: {allowed}."
DV_ACCENT_PROMPT = "Vul 'ja' in als deze norm voor u extra aandacht verdient."

# --- findings: their Dutch messages are declared with their kinds in kwl_office.findings ----

#: wrong-kind: what a workbook of each kind is, as its user sees it (the title on top of its
#: first sheet), and which workbook is needed instead; keyed by the kind in the identity
WRONG_KIND_FOUND = {
    "zelfevaluatie": (f"een zelfevaluatie (bovenaan het blad {SHEET_START} staat "
                      f"'{KIND_TITLES['zelfevaluatie']}')"),
    "peer": (f"een werkmap van een beoordelaar voor een intercollegiale adviesmeting (bovenaan "
             f"het blad {SHEET_START} staat '{KIND_TITLES['peer']}')"),
    "audit": (f"een werkmap van een certificerende instelling (bovenaan het blad {SHEET_START} "
              f"staat '{KIND_TITLES['audit']}')"),
}
#: wrong-kind, for a kind no workbook of kwl has (an edited identity)
WRONG_KIND_FOUND_OTHER = "een werkmap van het onbekende soort '{kind}'"
WRONG_KIND_NEEDED = {
    "zelfevaluatie": "de zelfevaluatie die de organisatie zelf heeft ingevuld",
    "peer": "een werkmap die een collega-organisatie als beoordelaar heeft ingevuld",
    "audit": "een werkmap die de certificerende instelling heeft ingevuld",
    "geconsolideerd": ("de geconsolideerde werkmap die kwl consolidate schreef "
                       "(geconsolideerd.xlsx), met Eindoordeel en Motivering van de "
                       "consensusbespreking"),
}
#: identity-sheet-missing: what happened to the hidden identity sheet
IDENTITY_SHEET_GONE = {"deleted": "is verwijderd", "emptied": "is leeggemaakt"}
#: identity-tampered when the signature does not match the key used (kwl check names it)
IDENTITY_KEY_USED = (
    " Gecontroleerd met de sleutel {path}. Hoort de werkmap bij een ronde, geef dan de "
    "sleutel van die ronde op: --key RONDE/sleutel.key."
)
#: unknown-rating: the value holds a character nobody sees (shown as U+200B)
INVISIBLE_CHARACTER = " (met een onzichtbaar teken: {codes})"
#: missing-rating: an empty rating cell while a text cell of the row holds a rating
RATING_IN_TEXT_COLUMN = " In {column} ({cell}) staat '{value}'; hoort dat onder {rating}?"
#: formula-error: how Dutch Excel shows an error that LibreOffice and the file spell in English
FORMULA_ERRORS_NL = {
    "#DIV/0!": "#DEEL/0!", "#N/A": "#N/B", "#VALUE!": "#WAARDE!", "#REF!": "#VERW!",
    "#NAME?": "#NAAM?", "#NUM!": "#GETAL!", "#NULL!": "#LEEG!",
}
#: formula-error: the error shown, Dutch Excel's name first when it has its own
FORMULA_ERROR_SHOWN = " ({error})"
FORMULA_ERROR_BOTH = " ({dutch} of {error})"


# --- refusals (UnreadableFile messages) -----------------------------------------------------

UNREADABLE = {
    "not-found": "bestand niet gevonden",
    "is-directory": "dit is een map, geen bestand",
    "empty": "het bestand is leeg",
    "xls": (
        "dit is een oud Excel-bestand (.xls); open het in Excel of LibreOffice en sla het op "
        "als Excel-werkmap (.xlsx)"
    ),
    "encrypted": (
        "de werkmap is beveiligd met een wachtwoord; verwijder het wachtwoord (Bestand > "
        "Info > Werkmap beveiligen) en stuur hem opnieuw"
    ),
    "not-workbook": "dit is geen Excel- of LibreOffice-werkmap (.xlsx, .xlsm of .ods)",
    "corrupt-zip": "de werkmap is beschadigd of onvolledig (het zip-bestand is ongeldig)",
    "corrupt-part": "de werkmap is beschadigd: onderdeel '{part}' ontbreekt of is ongeldig",
    "too-large": (
        "de werkmap is te groot om veilig te lezen ({size} na uitpakken, maximum {limit})"
    ),
    "bomb": "de werkmap bevat een verdacht sterk ingepakt onderdeel ('{part}'); niet gelezen",
    "too-many-parts": (
        "de werkmap bestaat uit te veel onderdelen om veilig te lezen ({count}, maximum "
        "{limit})"
    ),
    "too-large-file": "het bestand is te groot om te lezen ({size}, maximum {limit})",
    "not-regular": (
        "dit is geen gewoon bestand (maar bijvoorbeeld een apparaat of een pijp); niet gelezen"
    ),
    "link-outside": (
        "dit is een koppeling naar een bestand buiten de rondemap; zet het bestand zelf in de "
        "inbox"
    ),
    "xml-entities": (
        "de werkmap bevat XML-declaraties (DOCTYPE/ENTITY) die niet in een werkmap horen; "
        "niet gelezen"
    ),
    "unreadable": "de werkmap kan niet worden gelezen ({detail})",
    "no-domain-sheets": "de werkmap bevat geen tabbladen met normen",
    "consolidated-workbook": (
        "dit is de geconsolideerde werkmap die kwl consolidate schreef (bovenaan het blad "
        "{sheet} staat '{title}'), geen werkmap die een organisatie of "
        "beoordelaar invult; geef hier de ingevulde werkmap zelf (de geconsolideerde werkmap "
        "hoort bij kwl consolidate --overrides)"
    ),
}

# --- catalogue ------------------------------------------------------------------------------

CATALOGUE_SHEET_INFO = "Normenkader"
CATALOGUE_SHEET_NORMS = "Normen"
CATALOGUE_SHEET_SCALE = "Schaal"
CATALOGUE_SHEET_POLICY = "Beleid"
CATALOGUE_SHEET_DOMAINS = "Domeinen"
CATALOGUE_ERRORS = {
    "yaml-syntax": "het YAML-bestand is ongeldig: {detail}",
    "not-mapping": "het normenkader moet met sleutels als 'id', 'titel' en 'domeinen' beginnen",
    "field": "{detail}",
    "duplicate-id": "id '{id}' komt meer dan eens voor (eerder op {other}); geef elk domein, "
    "elke kwaliteitswaarde en elke norm een eigen id",
    "id-parent": "norm-id '{id}' hoort niet bij kwaliteitswaarde '{parent}'",
    "missing-sheet": "tabblad '{sheet}' ontbreekt",
    "missing-column": "kolom '{column}' ontbreekt op tabblad '{sheet}'",
    "unknown-extension": "onbekend bestandstype '{ext}'; gebruik .yaml, .yml of .xlsx",
    "not-found": "normenkader '{path}' niet gevonden",
    "is-directory": "normenkader '{path}' is een map; geef het YAML- of Excel-bestand op",
    "not-text": "dit is geen tekstbestand (UTF-8); is het wel een YAML-normenkader?",
    "unreadable": "het normenkader kan niet worden gelezen ({detail})",
    "scale-code": "de schaal heeft twee oordelen met code '{code}' (eerder op {other})",
    "scale-score": "de schaal heeft twee oordelen met score {score} (eerder op {other})",
    "scale-number": "een getypt getal is bij deze schaal niet eenduidig: {clashes}. Geef de "
    "oordelen lettercodes (zoals {letters}) of maak bij elk oordeel de code gelijk aan de score",
    "scale-number-clash": "{number} is {meanings}",
    "scale-number-code": "de code van {label}",
    "scale-number-label": "het label van oordeel {code}",
    "scale-number-score": "de score van {label} (code {code})",
    "scale-text": "een getypt oordeel is bij deze schaal niet eenduidig: {clashes}. Geef elk "
    "oordeel een code en een label die niet ook de code of het label van een ander oordeel zijn",
    "scale-text-clash": "'{text}' is {meanings}",
    "scale-empty": "de schaal moet minstens één oordeel met een score hebben",
    "role-nvt-score": "oordeel '{code}' heeft rol 'nvt' en mag dus geen score hebben",
    "role-needs-score": "oordeel '{code}' met rol '{role}' heeft een score nodig",
    "role-missing": "de schaal heeft geen oordeel met rol '{role}' (elke schaal heeft een "
    "oordeel 'voldoet' en een oordeel 'niet')",
    "role-twice": "de schaal heeft meer dan één oordeel met rol '{role}'",
    "role-order": "oordeel '{high}' (rol '{high_role}') moet een hogere score hebben dan "
    "'{low}' (rol '{low_role}')",
}

#: why a mapping file between two catalogue versions cannot be used
MAPPING_ERRORS = {
    "not-found": "mapping '{path}' niet gevonden",
    "too-large": "dit bestand is groter dan {limit} MB; dat is geen mapping",
    "not-text": "dit is geen tekstbestand (UTF-8); is het wel een mapping (YAML)?",
    "unreadable": "de mapping kan niet worden gelezen ({detail})",
    "yaml-syntax": "het YAML-bestand is ongeldig: {detail}",
    "not-mapping": "een mapping begint met de sleutels 'van', 'naar' en 'normen'",
    "wrong-source": "de mapping gaat van normenkader {found}, maar de vorige zelfevaluatie is "
    "gemaakt met {expected} (een andere vingerafdruk); geef de mapping van die versie op",
    "wrong-target": "de mapping gaat naar normenkader {found}, maar de nieuwe werkmap wordt "
    "gemaakt met {expected}; geef met --catalogue het normenkader op waar de mapping naar gaat",
    "needs-mapping": "de vorige zelfevaluatie is gemaakt met normenkader {found} en de nieuwe "
    "met {expected}; geef met --mapping op hoe de normen van de ene versie bij de andere horen",
}

_MAPPING_FIELDS = """#
# van:    het normenkader van de vorige versie (id, versie en vingerafdruk)
# naar:   het normenkader van de nieuwe versie
# normen: per norm van de vorige versie waar hij gebleven is:
#   naar:                 de norm of normen in de nieuwe versie; [] = vervallen;
#                         twee of meer = gesplitst
#   betekenis_gewijzigd:  true als de norm inhoudelijk is veranderd (bijvoorbeeld strenger):
#                         oordelen zijn dan niet vergelijkbaar en worden opnieuw gegeven
#   gelijkenis:           hoe sterk de teksten op elkaar lijken (0 tot 1); alleen ter
#                         informatie, kwl gebruikt het getal niet
#
# Alleen een norm die één op één doorloopt zonder gewijzigde betekenis is vergelijkbaar:
# alleen daarvan worden oordelen overgenomen en vergeleken. Een gewijzigde, gesplitste of
# samengevoegde norm en een nieuwe norm zijn 'niet vergelijkbaar'.
# Controleer met: kwl catalogue check NIEUW --previous OUD --mapping DIT-BESTAND
"""

#: the kinds of change ``kwl catalogue diff`` shows (keys: the stable ``kind`` of --json)
DIFF_KINDS = {
    "unchanged": "ongewijzigd",
    "reworded": "anders verwoord",
    "renamed": "ander nummer",
    "split": "gesplitst",
    "removed": "vervallen",
    "added": "nieuw",
}
#: a comment line in the draft mapping: what the diff saw
DIFF_NOTE = "{kind} (gelijkenis {score})"
#: the closing comment of a mapping: the new norms (they have no line of their own)
DIFF_ADDED_FOOTER = "Nieuw in deze versie (geen vorige norm, dus niet vergelijkbaar): {norms}"

#: the Start sheet of a self-evaluation carried over from the previous one (--carry-over)
CARRY_CARRIED = "{norms} overgenomen uit de vorige zelfevaluatie"
CARRY_RERATE = "{number} opnieuw te beoordelen ({norms})"
CARRY_NEW = "{number} nieuw ({norms})"
CARRY_SUMMARY = (
    "{parts}. Kijk de overgenomen antwoorden na. Bij de normen die opnieuw beoordeeld moeten "
    "worden staat het vorige antwoord grijs in de kolom Toelichting; het telt niet mee.")
#: the first line of the "previous version" guidance of a norm to rate anew, by reason
CARRY_REASONS = {
    "gewijzigd": "Vorige versie ({norms}): de betekenis van deze norm is veranderd. Geef "
    "opnieuw een oordeel.",
    "gesplitst": "Vorige versie ({norms}): die norm is in deze versie gesplitst. Geef per "
    "deel opnieuw een oordeel.",
    "samengevoegd": "Vorige versie ({norms}): die normen zijn samengevoegd tot deze norm. "
    "Geef opnieuw een oordeel.",
    "schaal": "Vorige versie ({norms}): dat oordeel bestaat niet meer in de schaal van deze "
    "versie. Geef opnieuw een oordeel.",
}
CARRY_PREVIOUS = "{norm}: {rating}."
CARRY_NO_RATING = "geen oordeel"

#: the comment header of a reviewed mapping file
MAPPING_HEADER = (
    "# Mapping tussen twee versies van het normenkader (kwl_office)\n" + _MAPPING_FIELDS)

#: the comment header of the draft ``kwl catalogue diff -o`` writes
MAPPING_HEADER_DRAFT = (
    "# CONCEPT-mapping tussen twee versies van het normenkader, gemaakt door kwl catalogue "
    "diff.\n"
    "# Dit is een voorstel op grond van de teksten: het secretariaat beoordeelt elke regel,\n"
    "# vooral 'betekenis_gewijzigd', en haalt deze regels weg als de mapping is nagekeken.\n"
) + _MAPPING_FIELDS

#: Dutch messages for the pydantic error types people run into when editing a catalogue
VALIDATION_ERRORS = {
    "missing": "verplicht veld ontbreekt",
    "extra_forbidden": "onbekend veld (tikfout?)",
    "string_type": "moet tekst zijn",
    "string_too_short": "mag niet leeg zijn",
    "string_too_long": "is te lang ({length} tekens, hoogstens {max_length})",
    "string_pattern_mismatch": "bevat ongeldige tekens (gebruik letters, cijfers, punt of streep)",
    "int_type": "moet een geheel getal zijn",
    "int_parsing": "moet een geheel getal zijn",
    "int_from_float": "moet een geheel getal zijn",
    "float_type": "moet een getal zijn",
    "float_parsing": "moet een getal zijn",
    "bool_type": "moet ja/nee (true/false) zijn",
    "bool_parsing": "moet ja/nee (true/false) zijn",
    "too_short": "moet minstens één onderdeel bevatten",
    "greater_than_equal": "is te klein",
    "less_than_equal": "is te groot",
    "list_type": "moet een lijst zijn",
    "tuple_type": "moet een lijst zijn",
    "dict_type": "moet sleutels met waarden bevatten",
    "model_type": "moet sleutels met waarden bevatten",
    "enum": "moet een van deze waarden zijn: {expected}",
}
#: why a limit exists, after the message of a pydantic error (type, field path without
#: list positions): a limit without its reason looks arbitrary
VALIDATION_REASONS = {
    ("string_too_long", "domeinen.titel"): "de titel van een domein wordt de naam van een "
    "tabblad in Excel, en Excel staat daar niet meer dan 31 tekens toe",
}
#: a second place in a catalogue file, named inside a message ("eerder op regel 12")
CATALOGUE_LINE = "regel {line}"

POLICY_DOCS = {
    "afwijking_spreiding": "Verschil tussen hoogste en laagste score vanaf waar beoordelaars "
    "het oneens zijn over een norm (standaard 2).",
    "min_beoordelaars": "Minimum aantal beoordelende organisaties voor een registratie na een "
    "intercollegiale adviesmeting (standaard 2).",
    "max_aandeel_deels": "Hoogste aandeel 'voldoet deels' per domein waarbij nog een "
    "certificaat wordt geadviseerd (standaard 0,25).",
    "geldigheid_registratie_jaren": "Aantal jaren dat een registratie geldig is (standaard 3).",
    "geldigheid_certificaat_jaren": "Aantal jaren dat een certificaat geldig is (standaard 3).",
    "max_tekstlengte": "Maximum aantal tekens in één invulcel (standaard 8000).",
    "min_aandeel_beoordeeld": "Aandeel van de normen in een werkmap dat een oordeel moet "
    "hebben (n.v.t. telt als oordeel) voordat de werkmap meetelt (standaard 1: elke norm).",
    "min_groep_branche": "Kleinste groep organisaties waarover het branchebeeld een getal "
    "toont; een kleinere groep staat er als '<k' (standaard 5).",
}

EMPTY_ARGUMENT = "'{label}' mag niet leeg zijn"
TEAM_TOO_SMALL = ("een gedeelde werkmap is voor twee of meer beoordelaars; voor één "
                  "beoordelaar is er de gewone werkmap (kwl workbook peer of audit)")
TEAM_REVIEWER_TWICE = "'{reviewer}' staat twee keer in het team"
BAD_ASSESSMENT_ID = "'{value}' is geen geldig toetsingsnummer; gebruik {allowed}"
SELF_REVIEW_ARGUMENT = (
    "'{reviewer}' is de organisatie zelf; een organisatie beoordeelt zichzelf niet (voor de "
    "eigen beoordeling is er de zelfevaluatie)"
)

# --- key file -------------------------------------------------------------------------------

KEY_UNREADABLE = "de sleutel in '{path}' kan niet worden gelezen: {detail}"
KEY_INVALID = (
    "'{path}' bevat geen geldige sleutel (verwacht: minstens 32 hexadecimale tekens, 0-9 en "
    "a-f; een nieuwe sleutel heeft er 64)"
)
KEY_NOT_TEXT = (
    "'{path}' is geen sleutelbestand: het bevat geen tekst maar binaire gegevens (verwacht: "
    "hexadecimale tekens)"
)
KEY_IS_DIRECTORY = "'{path}' is een map, geen sleutelbestand"
#: an empty key file (an older kwl's round init on a full disk): {root} is the round
KEY_EMPTY_ROUND = (
    "'{path}' is leeg: de sleutel van de ronde is nooit geschreven (het aanmaken werd "
    "onderbroken, bijvoorbeeld doordat de schijf vol was). Draai kwl round init {root} "
    "opnieuw: die schrijft de sleutel en laat de rest van de ronde zoals die is"
)
KEY_EMPTY = (
    "'{path}' is leeg: er is nooit een sleutel in geschreven (het aanmaken werd onderbroken, "
    "bijvoorbeeld doordat de schijf vol was). Verwijder het lege bestand; de eerste opdracht "
    "die weer een werkmap maakt (kwl workbook …), maakt een nieuwe sleutel"
)

# --- CLI ------------------------------------------------------------------------------------

CLI_VALID = "in orde"
CLI_INVALID = "niet in orde"
CLI_ERRORS = "fouten"
CLI_WARNINGS = "waarschuwingen"
CLI_DEADLINE_PAST = (
    "kwl: let op: de inleverdatum {day} ligt vóór vandaag ({today}); de werkmap noemt een "
    "datum die al voorbij is (geef met --deadline een latere dag, of laat hem weg)"
)
CLI_WRITTEN = "Geschreven: {path}"
CLI_CATALOGUE_OK = "Normenkader in orde: {title} (versie {version}), {domains}, {values}, " \
    "{norms} ({distinctive} onderscheidend)."
CLI_FINGERPRINT = "Vingerafdruk: {fingerprint}"
CLI_CATALOGUE_ID = "Id {id}, versie {version}"
CLI_SCALE = "Schaal: {levels}"
CLI_DISTINCTIVE_MARK = "* = onderscheidende norm"
CLI_PREVIOUS_WITHOUT_MAPPING = (
    "--previous hoort bij --mapping: geef ook de mapping op die gecontroleerd moet worden")
CLI_MAPPING_OK = "Mapping in orde: van {source} naar {target}; {comparable} vergelijkbaar."
CLI_MAPPING_WARNINGS = (
    "Mapping van {source} naar {target} bruikbaar, met {warnings}; {comparable} "
    "vergelijkbaar.")
CLI_MAPPING_INVALID = (
    "Mapping van {source} naar {target} heeft {errors} en {warnings}; herstel de fouten "
    "voordat de mapping wordt gebruikt.")
CLI_DRAFT_WRITTEN = (
    "Concept-mapping geschreven: {path}. Kijk elke regel na, vooral betekenis_gewijzigd, en "
    "controleer daarna met kwl catalogue check --mapping.")
CLI_DIFF_TITLE = "Van {old} naar {new}"
CLI_DIFF_COUNTS = "Normen: {parts}."
CLI_DIFF_HEADING = "{kind}: {norms}"
CLI_DIFF_SAME_TEXT = "(dezelfde tekst)"
CLI_DIFF_LEGEND = (
    "Tussen haakjes de gelijkenis van de teksten (0 tot 1). [-weg-] staat alleen in de oude "
    "tekst, {+erbij+} alleen in de nieuwe. Of de betekenis veranderde, zegt de gelijkenis "
    "niet: dat beoordeelt het secretariaat in de mapping.")
CLI_SELFEVAL_INVALID = (
    "De zelfevaluatie '{path}' heeft fouten en wordt niet als spiegel gebruikt:"
)
CLI_CARRY_INVALID = (
    "De vorige zelfevaluatie '{path}' heeft fouten; er wordt niets uit overgenomen:"
)
CLI_CARRY_OTHER_HOST = (
    "De vorige zelfevaluatie '{path}' is van '{found}', niet van '{host}'; er wordt niets "
    "uit overgenomen."
)
CLI_CARRY_NEEDS_PREVIOUS = (
    "de mapping gaat van normenkader {found}, dat niet is ingebouwd; geef met --previous "
    "het normenkader van de vorige zelfevaluatie op"
)
CLI_MAPPING_WITHOUT_CARRY = (
    "--mapping en --previous horen bij --carry-over: geef ook de vorige zelfevaluatie op")
CLI_SELFEVAL_OTHER_HOST = (
    "De zelfevaluatie '{path}' hoort bij '{found}' (toetsing {found_id}), niet bij '{host}' "
    "(toetsing {assessment})."
)

# --- consolidation (CLI side) ----------------------------------------------------------------

CONSOLIDATE_NOTHING = (
    "geen enkele werkmap met een kwl-identiteit gevonden; geef de ingevulde werkmappen of de "
    "map waarin ze staan"
)
ADVICE_LABELS = {
    "registratie": "Registratie in het Kwaliteitsregister",
    "certificaat": "Certificaat",
    "herbeoordeling": "Herbeoordeling nodig",
    "onvolledig": "Onvolledig: nog geen advies mogelijk",
}
NO_ADVICE = "Geen advies (alleen zelfevaluatie)"
VARIANT_LABELS = {
    "zelfevaluatie": "Zelfevaluatie",
    "intercollegiaal": "Intercollegiale adviesmeting",
    "audit": "Externe audit",
    "combinatie": "Combinatietoets (intercollegiaal + externe audit)",
    "hkz-iso": "Combinatie HKZ/ISO (onderscheidende normen)",
}
CLI_CONSOLIDATED = "{host} – toetsing {assessment} ({variant}): {reviewers}{selfeval}"
CLI_WITH_SELF_EVALUATION = " + zelfevaluatie"
CLI_ADVICE = "Advies: {advice}"
CLI_BLOCKING = "Blokkerende normen: {norms}"
#: one row per domain; {width} is the longest domain title, so no title is cut or shifted;
#: voldoet: the share of the {applicable} norms that apply (CLI_SHARE_MET says so, below)
CLI_DOMAIN_LINE = (
    "  {title:<{width}} {counts}  open {open:>2}  voldoet {share} van {applicable:>{digits}}  "
    "verschillen {disagreements:>2}"
)
#: under the rows: what 'voldoet' is a share of, in the words of the reports and
#: geconsolideerd.xlsx; {total}: CLI_SHARE_MET_TOTAL, or "" when no norm applies
CLI_SHARE_MET = (
    "Voldoet: het deel van de normen die van toepassing zijn (met een oordeel) dat het "
    "hoogste oordeel kreeg{total}; 'niet van toepassing' en open normen tellen niet mee."
)
CLI_SHARE_MET_TOTAL = ", in totaal {share} van {norms}"
CLI_DOMAIN_ALPHA = "  alfa {alpha}"
CLI_AGREEMENT = (
    "Overeenstemming: alfa {alpha}, exacte overeenstemming {percent} over {units} normen"
)

# --- documents ------------------------------------------------------------------------------

DOC_OPEN = "open"
DOC_WHOLE_ORGANISATION = "de hele organisatie"
#: the variant inside a sentence ("uit toetsing 2026-104, een externe audit")
DOC_VARIANT_FORMS = {
    "zelfevaluatie": "een zelfevaluatie",
    "intercollegiaal": "een intercollegiale adviesmeting",
    "audit": "een externe audit",
    "combinatie": "een combinatietoets van intercollegiale toetsing en externe audit",
    "hkz-iso": "een combinatietoets HKZ/ISO op de onderscheidende normen",
}
#: why a norm blocks a certificate, with the figures (documents/context.py:blocking_reasons)
DOC_REASON_NOT_MET = (
    "{count} {have} het oordeel ‘{label}’ ({norms}); een certificaat kan alleen als geen "
    "enkele norm dat oordeel heeft."
)
DOC_REASON_PARTLY = (
    "In het domein {domain} {have} {count} van de {total} het oordeel ‘{label}’ ({share}); de "
    "grens is {limit} per domein."
)
DOC_REASON_ALL_NORMS = "{count} normen"
DOC_REASON_APPLICABLE_NORMS = "{count} normen die van toepassing zijn"
DOC_ALPHA_UNDEFINED = "niet te bepalen"
#: why alfa is "–" in a report, after "want" (the note under the table; the cell itself
#: stays short)
DOC_ALPHA_REASONS = {
    "te-weinig-paren": "te weinig normen kregen een oordeel van twee of meer beoordelaars",
    "geen-variatie": "alle oordelen waren gelijk",
}
#: what a report counts as a "verschil van inzicht" (documents/context.py:
#: disagreement_wording): the scores lie the catalogue's afwijking_spreiding or more apart
DOC_DISAGREEMENT_EXAMPLE = "‘{high}’ tegenover ‘{low}’"
DOC_DISAGREEMENT_LEGEND = {
    "far": "normen waarover de oordelen van de beoordelaars ver uiteenlagen (zoals {example})",
    "any": "normen waarover de beoordelaars een ander oordeel gaven (zoals {example})",
}
DOC_DISAGREEMENT_CLAUSE = {
    "far": "lagen de oordelen van de beoordelaars ver uiteen (zoals {example})",
    "any": "gaven de beoordelaars een ander oordeel (zoals {example})",
}
DOC_DISAGREEMENT_SMALLER = "Een kleiner verschil, zoals {example}, telt hier niet mee."
DOC_DISAGREEMENT_POINTS_LEGEND = (
    "normen waarover de scores van de beoordelaars {spread} of meer punten uiteenlagen"
)
DOC_DISAGREEMENT_POINTS_CLAUSE = (
    "lagen de scores van de beoordelaars {spread} of meer punten uiteen"
)
#: the legend of the chart of the self-evaluation next to the reviewers' judgement
DOC_GAP_SELF = "Eigen oordeel (zelfevaluatie)"
DOC_GAP_PEER = {"audit": "Eindoordeel", "many": "Consensus van de beoordelaars",
                "one": "Oordeel van de beoordelaar"}
DOC_WHAT_CERTIFICATE = "het certificaat"
DOC_WHAT_REGISTRATION = "de registratie"
DOC_DECISION_FOLLOWS = "Dit besluit volgt het advies uit toetsing {nummer}, {vorm}."
DOC_DECISION_DEPARTS = (
    "Met dit besluit wijkt de beheercommissie af van het advies uit toetsing {nummer}, "
    "{vorm}; dat advies luidde: {advies}."
)
#: the same where the letter has just named the assessment (the reassessment letter)
DOC_DECISION_FOLLOWS_SHORT = "Dit besluit volgt dat advies."
DOC_DECISION_DEPARTS_SHORT = (
    "Met dit besluit wijkt de beheercommissie af van dat advies; het luidde: {advies}."
)
DOC_ADVICE_EXPLANATION = {
    "registratie": (
        "Alle normen zijn beoordeeld en er hebben voldoende collega-organisaties "
        "meegekeken. De organisatie kan worden ingeschreven in het Kwaliteitsregister."
    ),
    "certificaat": (
        "Geen enkele norm scoort 'voldoet niet' en per domein voldoet het overgrote deel van "
        "de normen. Het advies aan de beheercommissie is het certificaat toe te kennen."
    ),
    "herbeoordeling": (
        "Een of meer normen staan een certificaat nog in de weg. Na verbetering volgt een "
        "herbeoordeling van die normen."
    ),
    "onvolledig": (
        "Nog niet alle normen hebben een oordeel, of er hebben te weinig organisaties "
        "beoordeeld. Er kan nog geen advies worden gegeven."
    ),
}
DOC_NEXT_STEPS = {
    "registratie": [
        "Het secretariaat schrijft de organisatie in het Kwaliteitsregister in.",
        "Bespreek de leerpunten in de teams en kies de verbeteringen voor het komende jaar.",
        "Plan de volgende intercollegiale adviesmeting ruim voor het einde van de "
        "registratieperiode.",
    ],
    "certificaat": [
        "De beheercommissie neemt het besluit over het certificaat.",
        "Bespreek de bevindingen en aanbevelingen in de organisatie.",
        "Houd de verbeteringen bij voor de volgende audit.",
    ],
    "herbeoordeling": [
        "Werk de blokkerende normen uit in een verbeterplan met termijnen.",
        "Vraag de herbeoordeling van die normen aan bij de certificerende instelling.",
        "Na een positieve herbeoordeling volgt het advies over het certificaat.",
    ],
    "onvolledig": [
        "Zorg dat alle normen een oordeel krijgen en dat voldoende beoordelaars hun werkmap "
        "inleveren.",
        "Daarna volgt een nieuwe consolidatie en het advies.",
    ],
}
DOC_FEEDBACK_NEXT_STEPS = [
    "Bespreek deze terugkoppeling in het feedbackgesprek met een certificerende instelling: "
    "interpreteert u de normen goed en waar staat de organisatie nu?",
    "Maak een plan voor de normen die nog niet of niet helemaal voldoen en voor de normen die "
    "nog open staan.",
    "Kies daarna de passende toetsingsvariant: intercollegiale adviesmeting, externe audit of "
    "een combinatie.",
]
DOC_REASSESSMENT_NEXT_STEP = (
    "Wij vragen u {norms} uit te werken in een verbeterplan en daarna een herbeoordeling aan "
    "te vragen bij de certificerende instelling."
)
DOC_REASSESSMENT_NEXT_STEP_PEER = (
    "Wij vragen u {norms} uit te werken in een verbeterplan en daarna een nieuwe "
    "intercollegiale adviesmeting te plannen."
)
#: what the next step is about: the blocking norms, or (none: the committee decided) the
#: points for improvement of the report
DOC_NEXT_STEP_NORMS = ("de verbeterpunten uit het rapport", "de genoemde norm",
                       "de genoemde normen")

TEMPLATE_MISSING = "sjabloon '{template}' niet gevonden"
TEMPLATE_BROKEN = "sjabloon '{template}' kan niet worden gevuld: {detail}"
#: Jinja's messages in Dutch (documents/render.py:explain_template_error): a pattern of the
#: English message and the Dutch text its named groups fill in; the first that matches is used.
#: The groups ``expected`` and ``got`` are what Jinja expected and found in a tag, named as
#: in :data:`TEMPLATE_TOKENS`; the others are kept as Jinja gives them (tag and field names)
TEMPLATE_ERRORS = (
    (r"^Unexpected end of template\. Jinja was looking for the following tags: (?P<tags>.*?)\. "
     r"The innermost block that needs to be closed is '(?P<open>\w+)'",
     "de tag '{open}' wordt nergens afgesloten; er ontbreekt nog {tags}"),
    (r"^Encountered unknown tag '(?P<tag>\w+)'\. (?:Jinja was looking for the following tags:"
     r"|You probably made a nesting mistake\. Jinja is expecting this tag, but currently "
     r"looking for) (?P<tags>.*?)\. The innermost block that needs to be closed is "
     r"'(?P<open>\w+)'",
     "de tag '{tag}' staat waar {tags} hoort (de tag '{open}' is nog open)"),
    (r"^Encountered unknown tag '(?P<tag>\w+)'",
     "onbekende tag '{tag}', of een afsluitende tag zonder begin (zoals endif zonder if)"),
    (r"^unexpected end of template, expected '(?P<expected>.*?)'",
     "een tag is niet afgesloten: er ontbreekt {expected}"),
    (r"^unexpected char (?P<char>.+?) at \d+", "het teken {char} hoort niet in een tag"),
    (r"^unexpected '(?P<got>[^\w\s]+)', expected '(?P<expected>.+?)'",
     "in een tag staat {got} waar {expected} hoort: er ontbreekt waarschijnlijk een haakje"),
    (r"^unexpected '(?P<got>[^\w\s]+)'",
     "in een tag staat {got} waar het niet hoort: er ontbreekt waarschijnlijk een accolade of "
     "haakje"),
    (r"^unexpected '(?P<got>.+?)'",
     "een tag is onvolledig: vóór {got} ontbreekt nog iets (een veld of een waarde)"),
    (r"^expected token '(?P<expected>.+?)', got '(?P<got>.+?)'",
     "in een tag hoort {expected}, maar daar staat {got}"),
    (r"^Expected an expression, got '(?P<got>.+?)'",
     "een tag is leeg of onvolledig: vóór {got} ontbreekt een veld"),
    (r"^expected name or number", "na een punt hoort de naam van een veld"),
    (r"^tag name expected", "na '{{%' hoort de naam van een tag, zoals if of for"),
    (r"^can't assign to '",
     "na 'for' en 'set' hoort een naam, zoals in '{{% for d in domeinen %}}'"),
    (r"^Missing end of comment tag",
     "een opmerking is niet afgesloten: na '{{#' ontbreekt '#}}'"),
    (r"^Missing end of raw directive",
     "de tag '{{% raw %}}' wordt nergens afgesloten: er ontbreekt een '{{% endraw %}}'"),
    (r"^No filter named '(?P<filter>.+?)'", "het filter '{filter}' bestaat niet"),
    (r"^No test named '(?P<test>.+?)'", "de test '{test}' bestaat niet"),
    (r"^'(?P<field>.+?)' is undefined", "het veld '{field}' bestaat niet"),
    (r"^'?\w+ object'? has no attribute '(?P<field>.+?)'", "het veld '{field}' bestaat niet"),
    (r"^\w+ object has no element (?P<element>.+)", "de lijst heeft geen element {element}"),
)
#: what Jinja expected or found in a tag (its token names, jinja2.lexer.describe_token), as
#: the secretariat sees it in Word; a sign is named as such (TEMPLATE_TOKEN_SIGN), a word as
#: it is typed (TEMPLATE_TOKEN_WORD), a token name not listed here never as it is
TEMPLATE_TOKENS = {
    "name": "de naam van een veld of filter",
    "string": "een tekst tussen aanhalingstekens",
    "integer": "een getal",
    "float": "een getal",
    "end of print statement": "het einde van de tag (}})",
    "end of statement block": "het einde van de tag (%})",
    "begin of print statement": "het begin van een tag ({{)",
    "begin of statement block": "het begin van een tag ({%)",
    "end of line statement": "het einde van de tag (%})",
    "begin of line statement": "het begin van een tag ({%)",
    "begin of comment": "het begin van een opmerking ({#)",
    "end of comment": "het einde van de opmerking (#})",
    "comment": "een opmerking ({# … #})",
    "template data / text": "gewone tekst",
    "end of template": "het einde van het sjabloon",
    "raw_begin": "de tag {% raw %}",
    "raw_end": "de tag {% endraw %}",
}
TEMPLATE_TOKEN_SIGN = "het teken '{sign}'"
TEMPLATE_TOKEN_WORD = "het woord '{word}'"
TEMPLATE_TOKEN_OTHER = "een ander onderdeel van de tag"
#: Jinja's list of the tags it looks for ('elif' or 'else' or 'endif')
TEMPLATE_TAGS_OR = "' of '"
TEMPLATE_ERROR_OTHER = "het sjabloon kan niet worden gevuld (melding van Jinja: {message})"
TEMPLATE_ERROR_AT = "{message}, in de regel «{line}»"
#: where a tag that does not parse is (documents/templates.py:locate_syntax_error): a tag
#: opened and not closed in its own paragraph; a block tag (for, if) without its end tag
TEMPLATE_TAG_UNCLOSED = "een tag is niet afgesloten: na '{start}' ontbreekt '{end}'"
TEMPLATE_BLOCK_UNCLOSED = "de tag '{tag}' wordt nergens afgesloten: er ontbreekt een '{end}'"
TEMPLATE_BLOCK_WRONG_END = (
    "de tag '{found}' staat waar '{end}' hoort: de tag '{tag}' is nog niet afgesloten"
)
#: which of several equal tags or paragraphs it is, after the message (Word's Find goes
#: through them in this order); {anchor}: the nearest text without tags before it (or after)
TEMPLATE_OCCURRENCE = (
    "; het gaat om de {nth}e van de {count} keer dat {what} in het sjabloon staat{anchor}"
)
TEMPLATE_OCCURRENCE_WHAT = ("deze regel", "deze tag")
TEMPLATE_OCCURRENCE_AFTER = ", na de tekst «{text}»"
TEMPLATE_OCCURRENCE_BEFORE = ", vóór de tekst «{text}»"
#: a template file that is no Word document (.docx), by what it is; after "sjabloon X "
TEMPLATE_UNREADABLE = "sjabloon '{template}' {reason}"
TEMPLATE_NOT_DOCX = {
    "empty": "is leeg (0 bytes): zet het sjabloon er opnieuw neer, of sla het in Word opnieuw "
    "op als Word-document (.docx)",
    "other": "is geen Word-document (.docx): open het in Word en sla het op als "
    "Word-document (.docx)",
    "old": "is een ouder Word-bestand (.doc) of met een wachtwoord beveiligd: sla het in Word "
    "op als Word-document (.docx), zonder wachtwoord",
    "dotx": "is een Word-sjabloon (.dotx) met de naam .docx: open het in Word en sla het op "
    "als Word-document (.docx), niet als sjabloon",
    "docm": "is een Word-document met macro's (.docm) met de naam .docx: sla het in Word op "
    "als Word-document (.docx)",
    "damaged": "is beschadigd en niet als Word-document te lezen: sla het in Word opnieuw op "
    "als Word-document (.docx), of zet het meegeleverde sjabloon terug",
}
TEMPLATE_FILTER_PLURAL = "geef bij '{word}' ook het meervoud mee: aantal('{word}', '…')"
TEMPLATE_FILTER_NUMBER = "het filter '{filter}' telt een getal, maar kreeg '{value}'"
TEMPLATE_UNSAFE = (
    "sjabloon '{template}' probeert buiten zijn velden te komen (interne Python-onderdelen); "
    "een sjabloon is een document met velden, geen programma. Niet gevuld"
)
#: an own template that uses fields its kind does not have (one field, more fields)
TEMPLATE_UNKNOWN_FIELDS = (
    "sjabloon '{template}' gebruikt het veld {fields}, dat niet bestaat",
    "sjabloon '{template}' gebruikt de velden {fields}, die niet bestaan",
)
#: a batch (kwl round report) refused before it starts, for one template and for more:
#: {problems} is one or more of TEMPLATE_UNREADABLE, TEMPLATE_BROKEN, TEMPLATE_UNSAFE and
#: TEMPLATE_UNKNOWN_FIELDS
TEMPLATES_UNUSABLE = (
    "{problems}. Er is niets gemaakt of geregistreerd: herstel het sjabloon en start "
    "opnieuw ('kwl templates check {folder}' controleert alle sjablonen), of haal het uit "
    "de map {folder}, dan wordt het ingebouwde gebruikt",
    "{problems}. Er is niets gemaakt of geregistreerd: herstel de sjablonen en start "
    "opnieuw ('kwl templates check {folder}' controleert alle sjablonen), of haal ze uit "
    "de map {folder}, dan worden de ingebouwde gebruikt",
)

PDF_NO_LIBREOFFICE = (
    "voor PDF is LibreOffice nodig (soffice niet gevonden); de .docx-bestanden zijn wel gemaakt"
)
PDF_FAILED = "LibreOffice maakte geen PDF van {file} ({detail})"
# why one document got no PDF: the {detail} of PDF_FAILED and REPORT_PDF_FAILED
PDF_UNREADABLE = "het document kan niet worden geopend"
PDF_NO_OUTPUT = "er kwam geen PDF uit"
PDF_CRASHED = "LibreOffice stopte onverwacht bij dit document, code {code}"
PDF_STALLED = "LibreOffice liep erop vast, {seconds} seconden zonder voortgang"

TEMPLATE_FIELDS_HEADER = "Velden van {template} (met voorbeeldwaarden):"
TEMPLATE_LIST = "lijst, {items} in het voorbeeld; per item:"
TEMPLATE_LIST_EMPTY = "lijst (leeg in het voorbeeld)"
TEMPLATE_CHART = "[grafiek]"
FIELD_DOCS = {
    "organisatie": "de getoetste organisatie",
    "naam": "naam",
    "contactpersoon": "contactpersoon (leeg als onbekend)",
    "adresregels": "postadres, een regel per item",
    "afzender": "het secretariaat dat de brief stuurt (uit ronde.yaml of --settings)",
    "telefoon": "telefoonnummer (leeg als niet ingevuld)",
    "email": "e-mailadres (leeg als niet ingevuld)",
    "website": "website (leeg als niet ingevuld)",
    "ondertekenaar": "wie de brief en het certificaat ondertekent (uit ronde.yaml of --settings)",
    "functie": "functie van de ondertekenaar",
    "vorm": "de toetsingsvariant midden in een zin ('een externe audit')",
    "redenen": "waarom een certificaat of registratie nog niet kan: elke regel met de cijfers",
    "toetsing": "de toetsing",
    "nummer": "nummer",
    "variant": "toetsingsvariant in woorden",
    "variant_code": "toetsingsvariant als code",
    "scope": "wat is getoetst (teams of de hele organisatie)",
    "beoordelaars": "namen van de beoordelende organisaties",
    "beoordelaars_tekst": "de beoordelaars als één regel",
    "zelfevaluatie": "of de zelfevaluatie is meegenomen",
    "datum": "datum van vandaag, in het Nederlands",
    "normenkader": "het normenkader",
    "voorbeeld": "waar als het voorbeeldnormenkader is gebruikt",
    "advies": "het advies uit de consolidatie",
    "code": "code (registratie, certificaat, herbeoordeling, onvolledig)",
    "tekst": "tekst",
    "uitleg": "uitleg in een zin",
    "samenvatting": "kerncijfers",
    "grafiek_domeinen": "grafiek: oordelen per domein",
    "grafiek_kloof": (
        "grafiek: eigen oordeel naast dat van de beoordelaars (alleen met zelfevaluatie)"
    ),
    "grafiek": "grafiek: oordelen per kwaliteitswaarde",
    "domeinen": "per domein",
    "normen": "per norm",
    "consensus": "het (eind)oordeel",
    "kleur": "kleur van het oordeel (voor {% cellbg … %})",
    "oordelen": "het oordeel van elke beoordelaar, een regel per beoordelaar",
    "zelf": "het eigen oordeel uit de zelfevaluatie",
    "sterke_punten": "sterke punten, met beoordelaar en norm",
    "leerpunten": "leerpunten en adviezen, met beoordelaar en norm",
    "verschillen": "normen waarover de beoordelaars verschilden of die zijn aangepast",
    "kloof": "normen waar de organisatie zichzelf hoger of lager beoordeelde",
    "blokkerend": "normen die een certificaat in de weg staan",
    "vervolgstappen": "vervolgstappen bij dit advies",
    "opmerkingen": "alle opmerkingen van de beoordelaars (bijlage)",
    "accenten": "normen waarop de organisatie een accent legde",
    "open_normen": "normen zonder oordeel",
    "te_doen": "normen die nog niet (helemaal) voldoen",
    "aanhef": (
        "aanhef van de brief: 'Geachte mevrouw De Vries,' (achternaam, zonder voorletters), "
        "zonder contactpersoon 'Geachte directie,'"
    ),
    "besluit": "het besluit: nummer, datum en geldigheid",
    "geldig_tot": "geldig tot en met (de laatste geldige dag)",
    "besluit.datum": "datum van toekenning (de besluitdatum, of anders de datum van de brief)",
    "datum_besluit": "de dag waarop de beheercommissie besloot (leeg als die niet bekend is)",
    "volgt_advies": "waar als het besluit het advies volgt",
    "grondslag": "zin over het advies waarop het besluit berust (of waarvan het afwijkt)",
    "grondslag_kort": (
        "dezelfde zin zonder toetsing en variant, na een zin die ze al noemt ('Dit besluit "
        "volgt dat advies.')"
    ),
    "soort": "wat wordt toegekend: 'de registratie' of 'het certificaat'",
    "onvolledig": (
        "werkmappen die ontbraken of ongeldig waren toen het document toch werd gemaakt "
        "(leeg: alles was binnen)"
    ),
    "overeenstemming": "waar als minstens twee beoordelaars een norm beoordeelden",
    "alfa": "Krippendorffs alfa, of '–' als die niet te bepalen is (zie alfa_reden)",
    "alfa_reden": "waarom alfa niet te bepalen is (leeg als er een alfa is)",
    "verschil_uitleg": (
        "wat als verschil van inzicht telt, na 'Verschillen van inzicht:' ('normen waarover de "
        "oordelen van de beoordelaars ver uiteenlagen (zoals …)'), uit afwijking_spreiding"
    ),
    "verschil_zin": (
        "hetzelfde na 'Bij deze normen' ('lagen de oordelen van de beoordelaars ver uiteen "
        "(zoals …)')"
    ),
    "verschil_kleiner": (
        "zin dat een kleiner verschil niet meetelt (leeg als elk verschil meetelt)"
    ),
    "beoordeeld": "aantal normen met een (eind)oordeel",
    "open": "aantal normen zonder (eind)oordeel (0: elke norm heeft er een)",
    "bijgesteld": (
        "aantal normen waarvan de consensusbespreking het oordeel bijstelde (een eindoordeel "
        "met motivering); 0: de consensus is alleen berekend uit de oordelen"
    ),
    "voldoet_pct": (
        "het deel dat het hoogste oordeel kreeg van de normen (in het branchebeeld: de "
        "oordelen) die van toepassing zijn; 'niet van toepassing' en open normen tellen niet mee"
    ),
    "vervolgstap": "de vervolgstap bij een herbeoordeling",
    "vorige": (
        "sinds de vorige keer: de vergelijking met de vorige toetsing van de organisatie "
        "(leeg zonder vorige toetsing)"
    ),
    "sinds": "hoe de vorige toetsing heet in de samenvatting ('2023')",
    "vorige.toetsing": "nummer van de vorige toetsing",
    "vorm_toen": (
        "de variant van de vorige toetsing midden in een zin ('een intercollegiale "
        "adviesmeting'), als die anders was dan nu; anders leeg"
    ),
    "naam_toen": (
        "de naam van de organisatie bij de vorige toetsing, als die anders was (zelfde "
        "Organisatie-id); anders leeg"
    ),
    "vorige.normenkader": "het normenkader (en de versie) van de vorige toetsing",
    "via_mapping": "waar als de versies verschillen en een mapping de normen verbond",
    "vorige.samenvatting": "wat is veranderd, in één zin",
    "vorige.domeinen": "per domein: het deel dat voldoet, vorige keer en nu",
    "vergeleken": "normen met een oordeel van toen en van nu",
    "vorige_pct": "deel van de vergeleken normen dat de vorige keer voldeed",
    "nu_pct": "deel van de vergeleken normen dat nu voldoet",
    "beter": "aantal normen met een beter oordeel dan de vorige keer",
    "gelijk": "aantal normen met hetzelfde oordeel",
    "slechter": "aantal normen met een slechter oordeel",
    "richting": "beter, gelijk, slechter of niet vergelijkbaar",
    "gewijzigd": "normen met een ander oordeel dan de vorige keer",
    "oordeel_toen": "het oordeel van de vorige keer",
    "kleur_toen": "kleur van het oordeel van de vorige keer",
    "oordeel_nu": "het oordeel van nu",
    "verbeteractie": "de verbeteractie uit de zelfevaluatie van de vorige keer",
    "nu_gevonden": "wat de beoordelaars nu vonden, met beoordelaar",
    "niet_vergelijkbaar": "normen die niet met de vorige keer zijn vergeleken, met de reden",
    "reden": "waarom de norm niet vergelijkbaar is",
    "vervallen": "normen van de vorige versie die niet meer bestaan",
}

DOC_NO_CONSOLIDATION = (
    "geen bruikbare consolidatie in '{path}'; maak die eerst met kwl consolidate"
)
DOC_OTHER_CATALOGUE = (
    "deze consolidatie is gemaakt met normenkader '{found}'; geef dat mee met --catalogue"
)
DOC_SELF_ONLY = "alleen een zelfevaluatie: maak een terugkoppeling met kwl report feedback"
#: a consolidation of a peer review or audit in which not one review counts
DOC_NO_REVIEWERS = (
    "toetsing {assessment} heeft geen enkele beoordeling die meetelt: een rapport, brief of "
    "certificaat zou beoordelaars en oordelen noemen die er niet zijn"
)
DOC_NO_LETTER = "bij advies '{advice}' hoort geen brief; eerst moet de toetsing volledig zijn"
DOC_NO_CERTIFICATE = "een certificaat hoort alleen bij een toegekend certificaat (nu: {advice})"
DOC_WRONG_REPORT = (
    "een {report} hoort niet bij een {variant} (toetsing {assessment}); maak een {fitting}"
)
DOC_REPORT_NAMES = {"leerrapport": "leerrapport (kwl report learning)",
                    "auditrapport": "auditrapport (kwl report audit)"}
DOC_DECISION_LATER = (
    "de besluitdatum {day} ligt na vandaag ({today}): een besluit dat nog niet genomen is, "
    "gaat niet in een brief of in het register; geef de dag waarop de beheercommissie besloot"
)
DOC_DECISION_BEFORE_ISSUE = (
    "de besluitdatum {day} ligt vóór de uitgifte van de laatste werkmap waarop het advies "
    "rust ({issued}): de beheercommissie kan dat advies toen niet besproken hebben; geef de "
    "dag waarop zij besloot"
)
DOC_GRANT_SELF_ONLY = (
    "bij alleen een zelfevaluatie valt niets toe te kennen (toetsing {assessment})"
)
DOC_NOT_REGISTERED = (
    "toetsing {assessment} staat niet in het Kwaliteitsregister '{path}'; een brief of "
    "certificaat noemt altijd het registernummer. Schrijf de toetsing eerst in met kwl "
    "register add"
)
DOC_REGISTERED_OTHER_KIND = (
    "toetsing {assessment} staat in het register als {found} ({number}), niet als {wanted}; "
    "trek die inschrijving in of volg het besluit dat erbij hoort"
)
DOC_REGISTER_WITHDRAWN = (
    "inschrijving {number} van toetsing {assessment} is ingetrokken op {on}; voor een "
    "ingetrokken inschrijving komt geen nieuwe brief of certificaat"
)
DOC_LETTER = "brief over een toekenning"
DOC_CERTIFICATE = "certificaat"
DOC_NUMBER_MISSING = (
    "een {what} noemt altijd het registernummer; geef het besluit met zijn inschrijving in "
    "het register mee"
)
#: letters and certificates without their sender or signatory (documents/sender.py)
DOC_SETTINGS_MISSING = (
    "{what} wacht op {noun} {settings} in {where}: zonder afzender en ondertekenaar gaat er "
    "geen brief of certificaat uit"
)
DOC_SETTING_PHONE_OR_MAIL = "secretariaat.telefoon of secretariaat.email"
DOC_SETTINGS_UNREADABLE = (
    "'{path}' is geen leesbaar instellingenbestand met secretariaat en ondertekenaar (zoals "
    "ronde.yaml)"
)
#: where the settings go when no file was given (kwl report letter/certificate)
DOC_SETTINGS_NO_FILE = "een instellingenbestand (geef het mee met --settings ronde.yaml)"
DOC_WHAT = {"letter": "de brief", "certificate": "het certificaat"}

CLI_TEMPLATES_OK = "Alle sjablonen in orde ({count} gecontroleerd)."
CLI_TEMPLATES_OK_WARNINGS = (
    "Geen fouten in de sjablonen ({count} gecontroleerd); lees wel de {warnings} hierboven."
)
CLI_TEMPLATE_LINE = "  {severity:<13} {file:<28} {message}"
#: which templates kwl templates check took from the given folder (none: a warning says so)
CLI_TEMPLATES_OWN = "{own} van {count} sjablonen uit de eigen map {folder}: {names}; {rest}."
CLI_TEMPLATES_REST = ("het andere is het ingebouwde", "de andere {count} zijn de ingebouwde")
CLI_TEMPLATES_ALL_OWN = "Alle {count} sjablonen komen uit de eigen map {folder}."
#: kwl report/round --templates: a file in the folder that looks like a template it needs
CLI_TEMPLATE_NONE = (
    "let op: in {folder} staat geen van de sjablonen die hier nodig zijn ({names}); de "
    "meegeleverde worden gebruikt"
)
CLI_TEMPLATE_LOOKALIKE = (
    "let op: {file} in {folder} wordt niet gebruikt; bedoelt u {meant}? Alleen een bestand "
    "met precies die naam vervangt het ingebouwde sjabloon: nu wordt het ingebouwde gebruikt."
)

# --- since last time (kwl_office.consolidation.history) ------------------------------------
HIST_SINCE_DEFAULT = "de vorige toetsing ({assessment})"
#: {better} is a counted noun ("6 normen"); the other two are numbers
HIST_SUMMARY = "Sinds {since}: {better} beter, {worse} slechter, {same} gelijk"
HIST_SUMMARY_NOT_COMPARABLE = "; {count} niet vergelijkbaar ({reasons})."
#: why a norm is not comparable, short (in the summary: "2 nieuw, 1 gesplitst")
HIST_REASON_SHORT = {
    "nieuw": "nieuw",
    "betekenis-gewijzigd": "betekenis gewijzigd",
    "gesplitst": "gesplitst",
    "samengevoegd": "samengevoegd",
    "niet-getoetst": "vorige keer niet getoetst",
    "nvt": "niet van toepassing",
    "geen-oordeel": "zonder oordeel",
}
#: why a norm is not comparable, per norm; {previous}: the norm(s) of the previous version
HIST_REASON = {
    "nieuw": "nieuwe norm in deze versie van het normenkader",
    "betekenis-gewijzigd": "betekenis gewijzigd ten opzichte van {previous} in de vorige versie",
    "gesplitst": "gesplitst uit {previous} van de vorige versie",
    "samengevoegd": "samengevoegd uit {previous} van de vorige versie",
    "niet-getoetst": "vorige keer niet getoetst",
    "nvt": "vorige keer of nu niet van toepassing",
    "geen-oordeel": "vorige keer of nu geen oordeel",
}
HIST_DIRECTION = {"beter": "beter", "gelijk": "gelijk", "slechter": "slechter",
                  "niet vergelijkbaar": "niet vergelijkbaar"}
HIST_WRONG_CATALOGUE = (
    "de consolidatie is gemaakt met normenkader '{expected}', niet met '{found}'"
)
HIST_OTHER_CATALOGUE = (
    "de vorige toetsing gebruikte normenkader '{previous}' en deze '{current}': twee "
    "verschillende normenkaders zijn niet te vergelijken"
)
HIST_MAPPING_NEEDED = (
    "de vorige toetsing gebruikte normenkader '{previous}' en deze '{current}': geef met "
    "--mapping de mapping tussen de twee versies op (kwl catalogue diff maakt een concept)"
)
HIST_MAPPING_MISFIT = (
    "de mapping gaat van normenkader {source} naar {target}, maar de vorige toetsing "
    "gebruikte '{previous}' en deze '{current}'; geef de mapping tussen precies die twee "
    "versies op"
)
HIST_NO_PREVIOUS = (
    "geen vorige consolidatie in '{path}': geef de map van die consolidatie of het bestand "
    "consolidation.json"
)

# --- CLI help -------------------------------------------------------------------------------

CLI_COMMANDS_SECTION = "Opdrachten"
#: a failing disk or file system, by errno name; {path} is where it happened
CLI_OS_ERRORS = {
    "ENOSPC": (
        "de schijf is vol bij '{path}'; er is niets half geschreven. Maak ruimte vrij en draai "
        "de opdracht opnieuw"
    ),
    "EDQUOT": (
        "uw schijfquotum is op bij '{path}'; er is niets half geschreven. Maak ruimte vrij en "
        "draai de opdracht opnieuw"
    ),
    "EROFS": "'{path}' staat op een schijf die alleen gelezen kan worden; er is niets geschreven",
    "EACCES": "geen toegang tot '{path}' (rechten); er is niets geschreven",
    "EPERM": "geen toegang tot '{path}' (rechten); er is niets geschreven",
    "ENAMETOOLONG": "de bestandsnaam is te lang voor het bestandssysteem: '{path}'",
}
CLI_OS_ERROR = "'{path}' kan niet worden gebruikt: {detail}"
#: the same, for the commands that go on where an interrupted run stopped (round issue …)
CLI_OS_ERRORS_RESUMING = {
    "ENOSPC": (
        "de schijf is vol bij '{path}'; er is niets half geschreven. Maak ruimte vrij en draai "
        "de opdracht opnieuw: hij gaat verder waar hij was"
    ),
    "EDQUOT": (
        "uw schijfquotum is op bij '{path}'; er is niets half geschreven. Maak ruimte vrij en "
        "draai de opdracht opnieuw: hij gaat verder waar hij was"
    ),
}
#: Ctrl-C in a command that goes on where it stopped (the others say click's "Afgebroken.")
CLI_ABORTED_RESUMING = (
    "Afgebroken. Draai dezelfde opdracht opnieuw: hij gaat verder waar hij was."
)
CLI_VERSION_HELP = "Toon de versie en stop."
CLI_VERSION = "kwl, versie {version}"
#: the usage line of every command: "Gebruik: kwl round [OPTIES] OPDRACHT [ARGUMENTEN]..."
CLI_OPTIONS_METAVAR = "[OPTIES]"
CLI_SUBCOMMAND_METAVAR = "OPDRACHT [ARGUMENTEN]..."
#: the placeholders in help and usage lines (README uses the same words)
METAVARS = {
    "file": "BESTAND", "register_from": "VAN", "register_to": "NAAR", "folder": "MAP",
    "round": "RONDE", "workbook": "WERKMAP",
    "workbooks": "WERKMAP|MAP", "date": "JJJJ-MM-DD", "assessment": "TOETSING",
    "organisation": "ORGANISATIE", "reviewer": "BEOORDELAAR", "name": "NAAM", "line": "REGEL",
    "number": "NUMMER", "entry": "NUMMER|TOETSING", "count": "AANTAL", "days": "DAGEN",
    "consolidation": "CONSOLIDATIEMAP", "self_evaluation": "ZELFEVALUATIE.xlsx",
    "kind": "SOORT", "answer": "VRAAG=ANTWOORD",
    "old_catalogue": "OUD", "new_catalogue": "NIEUW",
    "benchmark_sources": "RONDE|CONSOLIDATIEMAP", "benchmark": "BRANCHE.json",
}
#: the heading above the default files of this computer, at the end of a help page
CLI_DEFAULT_FILES = "Standaardbestanden op deze computer"
#: the heading above the examples at the end of every help page (one, several)
CLI_EXAMPLE = ("Voorbeeld", "Voorbeelden")
#: a number's allowed range in help ("[1 of meer]") and in the message for a wrong number
CLI_RANGE = {"min": "{min} of meer", "max": "ten hoogste {max}",
             "both": "{min} tot en met {max}"}
CLI_BAD_DATE = "'{value}' is geen datum; schrijf JJJJ-MM-DD, bijvoorbeeld 2026-03-31"
#: a name on the command line (--host, --reviewer) with a control character, as the manifest
#: refuses it (manifest-control-character); ``{value}`` with the character shown as ``\x1b``
CLI_NAME_CONTROL_CHARACTER = (
    "'{value}' bevat een onzichtbaar stuurteken ({char}) dat niet in een naam hoort; typ de "
    "naam opnieuw")
#: a name on the command line with bytes that are no text (UTF-8): the terminal's encoding
CLI_NAME_NOT_TEXT = (
    "'{value}' bevat een teken dat niet als tekst te lezen is ({char}); typ de naam opnieuw "
    "of stel de terminal in op UTF-8")
HELP = {
    "benchmark": (
        "Het branchebeeld voor de beheercommissie: per norm, kwaliteitswaarde en domein de "
        "verdeling van de consensusoordelen over de getoetste organisaties, per ronde, de "
        "normen waar het vaakst niet aan wordt voldaan en de normen waarover beoordelaars het "
        "vaakst van inzicht verschillen. Geef rondemappen en/of consolidatiemappen. Noemt geen "
        "organisaties en toont geen getal over minder organisaties dan de kleinste groep "
        "(beleid min_groep_branche). Schrijft branche.xlsx, branchebeeld.docx en branche.json "
        "in de map van --output."),
    "benchmark_outdir": "Map voor branche.xlsx, branchebeeld.docx en branche.json.",
    "benchmark_min_group": (
        "Kleinste groep organisaties waarover een getal getoond wordt; standaard wat het "
        "beleid van het normenkader vraagt (min_groep_branche). Lager mag alleen met "
        "--allow-small-groups."),
    "benchmark_allow_small": (
        "Sta een --min-group toe die lager is dan het beleid (de documenten vermelden het)."),
    "benchmark_catalogue": (
        "Normenkader van de toetsingen (mag vaker); de normenkaders van de rondemappen en de "
        "meegeleverde voorbeelden zijn al bekend."),
    "benchmark_option": (
        "Het branchebeeld (branche.json van kwl benchmark): het rapport toont dan de positie "
        "van de organisatie in de branche."),
    "route": "Welke toetsing past? Het stroomschema van de flyer als vragenlijst.",
    "dashboard": "Het Excel-dashboard van het secretariaat (knoppen via xlwings).",
    "dashboard_build": (
        "Maak dashboard.xlsm in de rondemap RONDE (standaard de huidige map): manifest, stand "
        "per toetsing en knoppen Uitgeven, Innemen, Rapporteren en Status verversen."),
    "main": (
        "kwl – werkmappen, controle en rapporten voor het Kwaliteitslabel Sociaal Werk. Uitleg "
        "bij een opdracht: kwl OPDRACHT --help."
    ),
    "catalogue": (
        "Het normenkader: controleren, tonen, exporteren en twee versies vergelijken."),
    "catalogue_check": (
        "Controleer een normenkader (YAML of Excel); zonder BESTAND het ingebouwde voorbeeld. "
        "Met --mapping ook de mapping van de vorige versie (--previous) naar dit normenkader."
    ),
    "catalogue_diff": (
        "Vergelijk twee versies van het normenkader: welke normen gelijk bleven, anders "
        "verwoord zijn, een ander nummer kregen, gesplitst zijn, vervielen of nieuw zijn, met "
        "hoe sterk de teksten op elkaar lijken. OUD en NIEUW zijn bestanden (YAML of Excel) of "
        "de ingebouwde namen voorbeeld en voorbeeld-2027. Met -o een concept-mapping om na te "
        "kijken."),
    "diff_json": "Uitvoer als één JSON-object (stabiele velden, voor scripts).",
    "diff_output": (
        "Schrijf een concept-mapping (YAML) naar BESTAND: per oude norm de beste opvolgers, "
        "de gelijkenis en een voorstel voor betekenis_gewijzigd. Nakijken vóór gebruik."),
    "mapping_check": (
        "Mapping (YAML) van de vorige versie van het normenkader naar dit normenkader."),
    "previous_catalogue": (
        "De vorige versie van het normenkader (bestand of ingebouwde naam); standaard het "
        "ingebouwde voorbeeld."),
    "catalogue_show": (
        "Toon domeinen, kwaliteitswaarden en normen van een normenkader; zonder BESTAND het "
        "ingebouwde voorbeeld."
    ),
    "catalogue_export": (
        "Schrijf het normenkader (--catalogue, anders het ingebouwde voorbeeld) naar BESTAND: "
        "een Excel-werkmap (.xlsx) of YAML (.yaml), naar de extensie."
    ),
    "catalogue_option": "Normenkader (YAML of Excel); standaard het ingebouwde voorbeeld.",
    "key_option": (
        "Sleutelbestand waarmee de handtekening van de werkmappen wordt gecontroleerd. "
        "Standaard: $KWL_KEY_FILE, anders het standaardbestand hieronder. Zonder sleutel "
        "meldt de controle signature-unverified (een waarschuwing)."
    ),
    "key_option_check": (
        "Sleutelbestand waarmee de handtekening van de werkmappen wordt gecontroleerd. "
        "Standaard: de sleutel van de ronde waarin de werkmap staat (de map met ronde.yaml "
        "erboven), anders van de ronde waarin u de opdracht geeft, anders $KWL_KEY_FILE, "
        "anders het standaardbestand hieronder. Zonder sleutel meldt de controle "
        "signature-unverified (een waarschuwing)."
    ),
    "key_option_signing": (
        "Sleutelbestand waarmee de werkmap wordt ondertekend. Standaard: $KWL_KEY_FILE, anders "
        "het standaardbestand hieronder (dat wordt bij het eerste gebruik aangemaakt)."
    ),
    "workbook": "Maak werkmappen om in te vullen: zelfevaluatie, peer en audit.",
    "workbook_selfeval": (
        "Werkmap voor de zelfevaluatie van een organisatie. Met --carry-over begint hij met "
        "de antwoorden van de vorige zelfevaluatie (bij een nieuwe versie van het normenkader "
        "via --mapping): alleen van normen die niet veranderden; gewijzigde, gesplitste en "
        "nieuwe normen worden opnieuw beoordeeld."),
    "carry_over": (
        "De ingevulde zelfevaluatie van de vorige keer (.xlsx): de antwoorden van normen die "
        "niet veranderden worden overgenomen."),
    "carry_mapping": (
        "Mapping (YAML) van het normenkader van de vorige zelfevaluatie naar dat van de nieuwe "
        "(--catalogue); niet nodig als de versie gelijk bleef."),
    "carry_previous": (
        "Normenkader van de vorige zelfevaluatie (bestand of ingebouwde naam); standaard het "
        "ingebouwde normenkader waar de mapping van uitgaat."),
    "workbook_peer": "Werkmap voor een collega-organisatie (intercollegiale adviesmeting).",
    "workbook_audit": "Werkmap voor een certificerende instelling (externe audit).",
    "workbook_team": (
        "Gedeelde werkmap voor een team van beoordelaars: ieder een eigen tabblad, samen een "
        "tabblad Team. Om tegelijk in te werken in Excel of Excel voor het web (SharePoint, "
        "OneDrive, Teams), of om per e-mail rond te sturen."),
    "reviewer_team": ("Naam van een beoordelaar van het team; herhaal de optie voor elke "
                      "beoordelaar (minstens twee). De eerste is de penvoerder."),
    "team_audit": "Een auditteam van de certificerende instelling (externe audit) in plaats "
                  "van collega-organisaties.",
    "assessment": "Nummer van de toetsing, bijvoorbeeld 2026-014.",
    "host": "Naam van de organisatie die wordt getoetst.",
    "reviewer_peer": "Naam van de beoordelende collega-organisatie.",
    "reviewer_audit": "Naam van de certificerende instelling (CI) of auditor.",
    "deadline": "Inleverdatum; komt op het blad Start.",
    "selfeval": (
        "Ingevulde zelfevaluatie van de organisatie: toont die als spiegel naast elke norm."
    ),
    "distinctive_only": "Alleen de onderscheidende normen (combinatie met HKZ/ISO).",
    "output": "De werkmap die wordt gemaakt (.xlsx; met --macros .xlsm).",
    "macros": ("Met macro's (.xlsm): knoppen 'Controleer werkmap' en 'Volgende open norm' op "
               "het blad Start. Zonder deze optie een gewone .xlsx (aanbevolen: Office blokkeert "
               "macro's in bestanden uit e-mail)."),
    "check": (
        "Controleer ingevulde werkmappen. Een werkmap is pas in orde als elke norm een oordeel "
        "heeft (n.v.t. telt mee; zie --allow-incomplete). Exitcode 0: alles in orde; 1: fouten "
        "gevonden; 2: een bestand kon niet worden gelezen."
    ),
    "json": "Uitvoer als JSON (één object per bestand, een lijst bij meerdere bestanden).",
    "kind": "Verwacht soort werkmap; een ander soort geeft de fout wrong-kind.",
    "allow_incomplete": (
        "Een werkmap die nog niet af is, is geen fout: normen zonder oordeel blijven "
        "waarschuwingen (voor wie tussendoor controleert). Zonder deze optie is een werkmap "
        "met te weinig oordelen ongeldig (incomplete-submission)."
    ),
    "consolidate": (
        "Combineer de ingevulde werkmappen van één toetsing tot één oordeel per norm, met "
        "advies. Geef de werkmappen of de mappen waarin ze staan; de zelfevaluatie mag erbij. "
        "Schrijft consolidation.json en geconsolideerd.xlsx in de map van --output. Exitcode "
        "0: in orde; 1: bevindingen met fouten; 2: niets bruikbaars gevonden."
    ),
    "outdir": "Map voor consolidation.json en geconsolideerd.xlsx.",
    "overrides": (
        "De geconsolideerd.xlsx waarin de consensusbespreking Eindoordeel en Motivering heeft "
        "ingevuld."
    ),
    "variant": "Toetsingsvariant; standaard afgeleid uit de soorten werkmappen.",
    "json_consolidation": "Druk consolidation.json af in plaats van een samenvatting.",
    "report": "Maak Word-documenten (en PDF) van een consolidatie of zelfevaluatie.",
    "report_learning": "Leerrapport na een intercollegiale adviesmeting (uit een consolidatiemap).",
    "report_audit": "Auditrapport na een audit of combinatietoets (uit een consolidatiemap).",
    "report_feedback": "Terugkoppeling op een ingevulde zelfevaluatie (voor het feedbackgesprek).",
    "report_letter": (
        "Brief over het besluit: registratie, certificaat of herbeoordeling (volgens --decision, "
        "anders het advies). Bij een toekenning staat het nummer uit het Kwaliteitsregister in "
        "de brief; schrijf de toetsing daarom eerst in met kwl register add."
    ),
    "report_certificate": (
        "Het certificaat zelf (één pagina, liggend), met het nummer uit het Kwaliteitsregister."
    ),
    "consolidation_dir": "Map met consolidation.json (uitvoer van kwl consolidate).",
    "previous_consolidation": (
        "De consolidatie van de vorige toetsing van deze organisatie (de map of het bestand "
        "consolidation.json): het rapport krijgt dan het hoofdstuk 'Sinds de vorige keer'."
    ),
    "mapping_previous": (
        "De mapping van het normenkader van de vorige toetsing (--previous) naar dit "
        "normenkader; nodig als de versies verschillen."
    ),
    "docx_output": "Het Word-bestand dat wordt gemaakt (.docx).",
    "pdf": "Maak ook een PDF (met LibreOffice).",
    "templates_dir": "Eigen sjablonenmap; een sjabloon dat daar staat vervangt het meegeleverde.",
    "contact_letter": (
        "Contactpersoon bij de organisatie, bijvoorbeeld \"mevrouw J. de Vries\": boven het "
        "adres en in de aanhef van de brief. Zonder deze optie: Geachte directie."
    ),
    "address_letter": "Regel van het postadres op de brief; herhaal de optie voor elke regel.",
    "contact_register": "Contactpersoon bij de organisatie; komt bij de inschrijving.",
    "address_register": (
        "Regel van het postadres; komt bij de inschrijving. Herhaal de optie voor elke regel."
    ),
    "settings": (
        "Instellingenbestand met de afzender en ondertekenaar (secretariaat en ondertekenaar, "
        "zoals in ronde.yaml); zonder deze optie die van de ronde (--round of de huidige map)."
    ),
    # --decision and --decision-date per command: they do something else in each
    "decision_register": (
        "Besluit van de beheercommissie. Zonder deze optie wordt ingeschreven volgens het advies "
        "uit de consolidatie; na afwijzen volgt geen inschrijving."
    ),
    "decision_date_register": (
        "Dag waarop de beheercommissie besloot; de inschrijving geldt vanaf die dag. Standaard: "
        "vandaag."
    ),
    "decision_letter": (
        "Besluit van de beheercommissie. Zonder deze optie volgt de brief het advies uit de "
        "consolidatie."
    ),
    "decision_date_letter": (
        "Dag waarop de beheercommissie besloot; de brief noemt die datum. Zonder deze optie "
        "noemt de brief geen besluitdatum."
    ),
    "decision_certificate": (
        "Besluit van de beheercommissie; een certificaat hoort alleen bij toekennen. Zonder deze "
        "optie geldt het advies uit de consolidatie. De datum op het certificaat komt uit het "
        "Kwaliteitsregister (kwl register add --decision-date)."
    ),
    "register_option": (
        "Het Kwaliteitsregister (een .sqlite-bestand of een postgresql://-URL). Standaard: dat "
        "van de ronde in --round "
        "of in de huidige map, anders $KWL_REGISTER, anders het standaardbestand hieronder."
    ),
    "round_option": "Rondemap: gebruik het Kwaliteitsregister van die ronde.",
    "templates": "Word-sjablonen: velden bekijken en eigen aanpassingen controleren.",
    "templates_context": (
        "Toon de velden van een sjabloon met voorbeeldwaarden; zonder SOORT van alle sjablonen. "
        "SOORT is {kinds}."
    ),
    "templates_check": (
        "Vul elk sjabloon (uit MAP, anders de meegeleverde) met voorbeeldgegevens en meld "
        "onbekende of ongebruikte velden, kapotte tags en bestanden die geen Word-document "
        "zijn. Zegt welke sjablonen uit MAP komen en waarschuwt voor bestanden in MAP die niet "
        "worden gebruikt (een sjabloon telt alleen met precies zijn naam, zoals "
        "leerrapport.docx). Exitcode 1 bij fouten; waarschuwingen geven 0."
    ),
}
#: the examples at the end of each help page, by command ("kwl" is kwl itself); shown
#: verbatim, at most 76 characters a line (a longer command continues after " \")
EXAMPLES: dict[str, tuple[str, ...]] = {
    "kwl": (
        "kwl demo                         # een hele ronde als voorbeeld",
        "kwl check ingevuld.xlsx          # een ingevulde werkmap controleren",
        "kwl round run ronde-2026 --pdf   # innemen en rapporteren",
    ),
    "catalogue": ("kwl catalogue show", "kwl catalogue check normenkader.yaml"),
    "catalogue check": (
        "kwl catalogue check normenkader.yaml",
        "kwl catalogue check voorbeeld-2027 --previous voorbeeld \\",
        "    --mapping voorbeeld-naar-voorbeeld-2027.yaml",
    ),
    "catalogue diff": (
        "kwl catalogue diff voorbeeld voorbeeld-2027",
        "kwl catalogue diff normenkader-2024.yaml normenkader-2027.yaml \\",
        "    -o mapping.yaml",
    ),
    "catalogue show": ("kwl catalogue show normenkader.xlsx",),
    "catalogue export": ("kwl catalogue export normenkader.xlsx --catalogue normenkader.yaml",),
    "workbook": (
        'kwl workbook selfeval --assessment 2026-014 --host "Welzijn Oost" \\',
        "    -o zelfevaluatie.xlsx",
    ),
    "workbook selfeval": (
        'kwl workbook selfeval --assessment 2026-014 --host "Welzijn Oost" \\',
        "    --deadline 2026-03-31 -o zelfevaluatie.xlsx",
        'kwl workbook selfeval --assessment 2029-003 --host "Welzijn Oost" \\',
        "    --catalogue voorbeeld-2027 --carry-over zelfevaluatie-2026.xlsx \\",
        "    --mapping voorbeeld-naar-voorbeeld-2027.yaml -o zelfevaluatie.xlsx",
    ),
    "workbook peer": (
        'kwl workbook peer --assessment 2026-014 --host "Welzijn Oost" \\',
        '    --reviewer "Noord" --selfeval zelfevaluatie.xlsx -o peer-noord.xlsx',
    ),
    "workbook audit": (
        'kwl workbook audit --assessment 2026-014 --host "Welzijn Oost" \\',
        '    --reviewer "CI Certificering" --distinctive-only -o audit.xlsx',
    ),
    "workbook team": (
        'kwl workbook team --assessment 2026-014 --host "Welzijn Oost" \\',
        '    --reviewer "Noord" --reviewer "Zuid" -o team.xlsx',
    ),
    "check": ("kwl check ingevuld.xlsx", "kwl check zelfevaluatie.xlsx peer.xlsx --json"),
    "benchmark": (
        "kwl benchmark ronde-2025/ ronde-2026/ -o branche/",
        "kwl benchmark ronde-2026/ -o branche/ --min-group 3 --allow-small-groups",
    ),
    "consolidate": (
        "kwl consolidate ingeleverd/ -o uitkomst/",
        "kwl consolidate ingeleverd/ -o uitkomst/ \\",
        "    --overrides uitkomst/geconsolideerd.xlsx",
    ),
    "report": ("kwl report learning uitkomst/ -o leerrapport.docx --pdf",),
    "templates": ("kwl templates context certificaatbrief", "kwl templates check sjablonen/"),
    "templates context": ("kwl templates context certificaatbrief",),
    "templates check": ("kwl templates check sjablonen/",),
    "round": (
        "kwl round init ronde-2026",
        "kwl round issue ronde-2026",
        "kwl round run ronde-2026 --pdf",
    ),
    "round init": ('kwl round init ronde-2026 --name "Ronde 2026" --catalogue normenkader.yaml',),
    "round issue": ("kwl round issue ronde-2026",),
    "round collect": ("kwl round collect ronde-2026",),
    "round report": (
        "kwl round report ronde-2026 --pdf",
        "kwl round report ronde-2026 --incomplete 2026-014",
    ),
    "round run": ("kwl round run ronde-2026 --pdf",),
    "round status": ("kwl round status ronde-2026",),
    "demo": ("kwl demo", "kwl demo proefronde --pdf"),
    "register": ("kwl register list --round ronde-2026", "kwl register show KSW-2026-0042"),
    "register list": ("kwl register list --status actief",),
    "register show": ("kwl register show KSW-2026-0042", "kwl register show 2026-014"),
    "register export": (
        "kwl register export register.html",
        "kwl register export register.xlsx --round ronde-2026",
    ),
    "register expiring": ("kwl register expiring --within 60",),
    "register withdraw": ("kwl register withdraw KSW-2026-0042 --on 2026-09-01",),
    "register add": ("kwl register add uitkomst/ --decision toekennen --decision-date 2026-06-01",),
    "register migrate": ("kwl register migrate register.sqlite postgresql://server/kwl",),
    "route": ("kwl route", "kwl route --answer certificaat=nee --answer soort=registratie"),
    "dashboard": ("kwl dashboard build ronde-2026",),
    "dashboard build": ("kwl dashboard build ronde-2026",),
}
#: the example of a kwl report command, made from the document registry
CLI_REPORT_EXAMPLE = "kwl report {command} {source} -o {output}"
CLI_REPORT_EXAMPLE_SOURCE = {"consolidation": "uitkomst/", "self-evaluation": "zelfevaluatie.xlsx"}
CLI_REPORT_EXAMPLE_DECISION = "    --settings ronde.yaml --decision toekennen"
#: {width}: the place column, widened to the longest place of the findings shown together
CLI_FINDING_LINE = "  {severity:<13} {location:<{width}} {norm:<7} {message}"
CLI_SEVERITY = {"error": "fout", "warning": "waarschuwing"}
CLI_FILE_SUMMARY = "{mark} {file}: {status} ({kind}, {host}{reviewer}; {progress}{errors}, " \
    "{warnings})"
#: the progress in CLI_FILE_SUMMARY: of a workbook, and of a shared team workbook per reviewer
CLI_PROGRESS = "{rated} van {total} beoordeeld, "
CLI_PROGRESS_TEAM = "van de {total} beoordeeld: {reviewers}; "
CLI_PROGRESS_REVIEWER = "{reviewer} {rated}"
#: kwl check --allow-incomplete: a workbook without errors so far that still has open norms
CLI_VALID_SO_FAR = "tot nu toe in orde; {open} nog open"
CLI_UNREADABLE = "✗ {message}"
CLI_NO_IDENTITY = "onbekende werkmap"

# --- consolidated workbook (geconsolideerd.xlsx, kwl_office.consolidation.workbook) -------------
# Variant and advice names come from VARIANT_LABELS / ADVICE_LABELS / NO_ADVICE above.

CONS_SHEET_SUMMARY = "Samenvatting"
CONS_SHEET_MATRIX = "Matrix"
CONS_SHEET_DOMAINS = "Domeinen"
CONS_SHEET_AGREEMENT = "Overeenstemming"
#: column headers of the consolidated workbook; the reader finds Matrix columns by these
CONS_HEADERS = {
    # Matrix
    "norm_id": "Norm",
    "domain": "Domein",
    "quality_value": "Kwaliteitswaarde",
    "norm_text": "Normtekst",
    "self_rating": "Zelfevaluatie",
    "consensus": "Consensus",
    "spread": "Spreiding",
    "final": "Eindoordeel",
    "motivation": "Motivering",
    # Domeinen and Overeenstemming
    "group_domain": "Domein",
    "group_quality_value": "Kwaliteitswaarde",
    "norms": "Normen",
    "open": "Open",
    "share_met": "Aandeel voldoet",
    "mean_score": "Gemiddelde score",
    "disagreements": "Verschillen van inzicht",
    "alpha": "Krippendorffs alfa",
    "interpretation": "Duiding",
    "percent_agreement": "Exacte overeenstemming",
    "pairable_units": "Vergelijkbare normen",
    # Samenvatting
    "blocking_norm": "Norm",
    "blocking_rating": "Consensus",
    "blocking_text": "Normtekst",
    "severity": "Ernst",
    "file": "Bestand",
    "place": "Plaats",
    "message": "Melding",
}
CONS_MOTIVATION_MISSING = (
    "Motivering ontbreekt: het eindoordeel hiernaast is nog NIET overgenomen. Vul de "
    "motivering in en consolideer opnieuw, of maak het eindoordeel leeg."
)
CONS_HEADER_NOTES = {
    "consensus": "Berekend uit de oordelen van de beoordelaars (mediaan; bij een gelijke "
    "stand het lagere oordeel).",
    "spread": "Verschil tussen het hoogste en het laagste oordeel, in scorepunten.",
    "final": "Alleen invullen als de consensusbespreking het oordeel wijzigt; leeg = de "
    "consensus blijft staan.",
    "motivation": "Verplicht bij een eindoordeel: waarom wijkt het af van de consensus?",
    # the tables on 'Domeinen' (the share that meets is not of all the norms of 'Normen')
    "share_met": "Het deel van de normen die van toepassing zijn (met een oordeel) dat het "
    "hoogste oordeel kreeg; 'Niet van toepassing' en open normen tellen niet mee.",
}
CONS_TITLE = "Geconsolideerd oordeel"
CONS_LABEL_VARIANT = "Toetsingsvariant"
CONS_LABEL_SCOPE = "Scope"
CONS_SCOPE_WHOLE = "de hele organisatie"


def scope_name(scope: str) -> str:
    """A scope as workbooks and the register show it: empty, "hele organisatie" and "gehele
    organisatie" (as a manifest may say) all read "de hele organisatie"."""
    text = " ".join(scope.split())
    words = text.lower().removeprefix("de ").replace("gehele", "hele").replace("volledige", "hele")
    return CONS_SCOPE_WHOLE if not text or words == "hele organisatie" else text


CONS_LABEL_REVIEWERS = "Beoordelaars"
CONS_NO_REVIEWERS = "geen"
CONS_LABEL_SELF = "Zelfevaluatie meegenomen"
CONS_LABEL_NORMS = "Normen"
#: e.g. "50 normen, 2 zonder consensus, 1 verschil van inzicht" (the counts via dutch.count)
CONS_NORMS_VALUE = "{norms}, {open} zonder consensus, {disagreements}"
CONS_LABEL_ADVICE = "Advies"
CONS_ADVICE_NOTES = {
    "registratie": "Alle normen hebben een consensus en er hebben genoeg organisaties "
    "beoordeeld: de organisatie kan worden ingeschreven in het Kwaliteitsregister.",
    "certificaat": "Geen norm voldoet niet en per domein voldoen niet te veel normen maar "
    "deels: advies aan de beheercommissie om het certificaat toe te kennen.",
    "herbeoordeling": "De normen hieronder houden een certificaat tegen; na verbetering volgt "
    "een herbeoordeling.",
    "onvolledig": "Nog geen advies mogelijk: niet alle normen hebben een consensus, of er "
    "hebben te weinig organisaties beoordeeld.",
}
CONS_NO_ADVICE_NOTE = "Een zelfevaluatie alleen leidt niet tot een advies."
CONS_HEADING_BLOCKING = {
    "herbeoordeling": "Normen die een certificaat tegenhouden",
    "onvolledig": "Normen zonder consensus",
}
CONS_HEADING_FINDINGS = "Meldingen bij het consolideren"
CONS_NO_FINDINGS = "Geen meldingen: alle werkmappen zijn zonder problemen meegenomen."
#: the findings are listed on a sheet of their own, with their header on every printed page
CONS_SHEET_FINDINGS = "Meldingen"
CONS_FINDINGS_TITLE = "Meldingen bij het consolideren"
CONS_FINDING = ("melding", "meldingen")
CONS_FINDINGS_ELSEWHERE = "{findings} ({kinds}): zie het tabblad '{sheet}'."
#: the comparison with the previous assessment (only when there is one)
CONS_SHEET_PREVIOUS = "Vorige keer"
CONS_PREVIOUS_TITLE = "Sinds de vorige keer"
CONS_PREVIOUS_HEADERS = ("Norm", "Normtekst", "Vorige norm", "Vorige keer", "Nu", "Richting",
                         "Niet vergelijkbaar, want", "Verbeteractie vorige keer")
CONS_HEADING_LOOP = "Consensusbespreking: zo wijzigt u een oordeel"
CONS_LOOP = [
    "Bespreek vooral de oranje gemarkeerde normen op het tabblad 'Matrix': daar verschillen "
    "de beoordelaars sterk van mening.",
    "Wijzigt het overleg het oordeel van een norm? Kies op 'Matrix' in de kolom 'Eindoordeel' "
    "het nieuwe oordeel en leg in 'Motivering' uit waarom. Zonder motivering wordt het "
    "eindoordeel niet overgenomen.",
    "Laat 'Eindoordeel' leeg waar de consensus blijft staan. Alleen 'Eindoordeel' en "
    "'Motivering' zijn te wijzigen. Filteren kan met de knopjes in de kopregel.",
]
#: the last step of CONS_LOOP: where the file was made decides how it is read back
CONS_LOOP_NEXT = {
    "consolidate": "Sla dit bestand op en consolideer opnieuw: kwl consolidate WERKMAPPEN -o "
    "UITVOERMAP --overrides geconsolideerd.xlsx. Advies en overzichten worden dan bijgewerkt.",
    "round": "Sla dit bestand op onder dezelfde naam, in deze map, en rapporteer de ronde "
    "opnieuw: kwl round report RONDEMAP (of kwl round run RONDEMAP). De eindoordelen worden "
    "dan overgenomen en advies, overzichten en documenten bijgewerkt.",
}
CONS_OPEN = "open"
CONS_EMPTY_RATING = "–"
CONS_MATRIX_TITLE = "Oordelen per norm"
CONS_LEGEND_SWATCH = "≥ {spread}"
CONS_LEGEND_TEXT = (
    "Oranje: de beoordelaars verschillen {spread} of meer scorepunten; bespreek deze normen "
    "in de consensusbespreking."
)
CONS_DV_FINAL_PROMPT = "Kies het eindoordeel, of laat leeg om de consensus over te nemen."
CONS_DOMAINS_TITLE = "Resultaten per domein"
CONS_QUALITY_VALUES_TITLE = "Resultaten per kwaliteitswaarde"
CONS_CHART_TITLE = "Consensus per domein"
CONS_CHART_AXIS = "Aantal normen"
CONS_TOTAL = "Totaal"
CONS_NOT_AVAILABLE = "–"
CONS_AGREEMENT_TITLE = "Overeenstemming tussen beoordelaars"
CONS_ALPHA_REASONS = {
    "te-weinig-paren": "te weinig paren",
    "geen-variatie": "geen variatie",
}
CONS_ALPHA_BANDS = {
    "good": "goed",
    "tentative": "voorlopig",
    "discuss": "bespreken",
}
CONS_AGREEMENT_HEADING = "Zo leest u deze cijfers"
CONS_AGREEMENT_EXPLANATION = [
    "Krippendorffs alfa meet hoe eensgezind de beoordelaars zijn, gecorrigeerd voor toeval: "
    "1 is volledige overeenstemming, 0 is niet beter dan toeval.",
    "Vanaf 0,80 is de overeenstemming goed; tussen 0,667 en 0,80 is ze voorlopig bruikbaar.",
    "Onder 0,667 kijken de beoordelaars verschillend naar de normen: bespreek de verschillen "
    "in de consensusbespreking (de oranje normen op 'Matrix').",
    "Exacte overeenstemming is het aandeel normen waarop alle beoordelaars hetzelfde oordeel "
    "gaven; 'Niet van toepassing' en lege oordelen tellen niet mee.",
]
CONS_AGREEMENT_NO_ALPHA = (
    "Geen alfa: '{too_few}' betekent dat minder dan twee beoordelaars deze normen "
    "beoordeelden; '{no_variation}' dat alle oordelen gelijk zijn."
)

# --- the round (batch) ----------------------------------------------------------------------

ROUND_NOT_A_ROUND = (
    "'{path}' is geen rondemap (ronde.yaml ontbreekt); maak er een met kwl round init"
)
ROUND_BAD_CONFIG = "'{path}' is ongeldig; herstel of verwijder het bestand"
ROUND_EXISTS = "in '{path}' staat al een ronde; kies een andere map"
ROUND_LOCKED = (
    "aan de ronde in '{path}' werkt op dit moment een andere kwl-opdracht; probeer het zo "
    "opnieuw"
)
ROUND_CONFIG_HEADER = (
    "# Instellingen van deze ronde (kwl_office). normenkader: bestand in deze map, leeg = "
    "voorbeeld.\n# kwaliteitsregister: leeg = het register van deze gebruiker "
    "($KWL_REGISTER, anders {default}); gedeeld: postgresql://server/database\n# (het "
    "wachtwoord in pgpass of PGPASSWORD, nooit hier).\n# mappings: mappings tussen versies van het "
    "normenkader (kwl catalogue diff), om te vergelijken met\n# een vorige toetsing op een "
    "oudere versie. branchebeeld: branche.json van kwl benchmark (leeg = geen).\n"
)
ROUND_CONFIG_LETTERS = (
    "\n# Afzender en ondertekenaar van de brieven en certificaten. Zonder ondertekenaar (naam\n"
    "# en functie) maakt kwl geen brief of certificaat; een brief vraagt ook de naam en het\n"
    "# postadres van het secretariaat en een telefoonnummer of e-mailadres.\n"
    "# adres: bijvoorbeeld 'Postbus 1234; 3500 AB Utrecht' (een ; tussen de regels).\n"
)
ROUND_REGISTER_GONE = (
    "het Kwaliteitsregister '{path}' ontbreekt, maar deze ronde schreef eerder in register "
    "{register_id} (hoogste nummer {highest}). Zet het register terug uit de back-up; een "
    "nieuw register zou nummers opnieuw uitgeven. Bewust een ander register? Verwijder dan "
    "{memory}"
)
ROUND_REGISTER_OTHER = (
    "'{path}' is een ander Kwaliteitsregister ({found}) dan deze ronde eerder gebruikte "
    "({register_id}). Zet het juiste register terug of pas ronde.yaml aan; bewust een ander "
    "register? Verwijder dan {memory}"
)
ROUND_REGISTER_BEHIND = (
    "het Kwaliteitsregister '{path}' is ouder dan wat deze ronde al zag: het hoogste nummer is "
    "{found}, deze ronde zag al {highest}. Is een oude back-up teruggezet? Zet het recente "
    "register terug; anders worden nummers dubbel uitgegeven. Bewust? Verwijder dan {memory}"
)
MANIFEST_TITLE = "Manifest van de ronde"
MANIFEST_HELP = (
    "Eén rij per toetsing. Verplicht: Toetsing (nummer), Organisatie en Variant. Beoordelaars: "
    "de collega-organisaties, gescheiden door ; of een nieuwe regel (bij intercollegiaal en "
    "combinatie). CI: de certificerende instelling (bij audit, combinatie en hkz-iso). Besluit: "
    "leeg = het advies volgen, of toekennen / afwijzen; Besluitdatum: de dag waarop de "
    "beheercommissie besloot. Toetsing: letters, cijfers en . _ - (hoogstens 40 tekens). "
    "Adres: regels gescheiden door ;. Spiegel: ja = de beoordelaars krijgen hun werkmap pas "
    "als de zelfevaluatie binnen en in orde is, met de zelfevaluatie naast elke norm. "
    "Werkmap: gedeeld = de collega-organisaties vullen samen één werkmap in (ieder op een "
    "eigen tabblad); leeg = per beoordelaar. Organisatie-id: bijvoorbeeld het KvK-nummer; "
    "daaraan herkent een volgende ronde de organisatie (leeg: aan de naam)."
)
MANIFEST_PRINT_FOOTER = "manifest.xlsx"
MANIFEST_YES_NO = ("ja", "nee")
#: the values of the manifest column Werkmap; the first is what an empty cell means
MANIFEST_WORKBOOK_MODES = ("per beoordelaar", "gedeeld")
#: how a team workbook is named in the intake, the status and the file name
TEAM_LABEL_KIND = "gedeeld"
TEAM_FILE_KIND = "team"
#: a team workbook's file name when the whole team does not fit: the penvoerder and a count
TEAM_FILE_OTHERS = "{first} en {others}"
TEAM_INTAKE_KIND = "peer (gedeeld)"
#: the detail of manifest-workbook-mode-changed (Werkmap switched after the issue)
MODE_ISSUED_PER_REVIEWER = ("de werkmappen zijn al per beoordelaar uitgegeven ({reviewers}); "
                            "er komt geen gedeelde werkmap bij.")
MODE_ISSUED_SHARED = ("de werkmap is al gedeeld uitgegeven ({team}); die beoordelaars krijgen "
                      "geen eigen werkmap.")
MODE_TEAM_ADDED = "Niet in de gedeelde werkmap en dus met een eigen werkmap: {reviewers}."
MODE_TEAM_REMOVED = "Staat nog in de gedeelde werkmap, maar niet meer in het manifest: {reviewers}."
#: why a workbook issued to one reviewer or CI no longer counts (manifest-reviewer-removed,
#: workbook-not-counted)
NOT_EXPECTED_REMOVED = (
    "{reviewer} staat niet meer in het manifest (hoort {reviewer} er wel bij, zet de naam dan "
    "terug)"
)
NOT_EXPECTED_VARIANT = "bij de variant {variant} in het manifest hoort die werkmap niet"
NOT_EXPECTED_RESPELLED = (
    "{reviewer} staat niet meer in het manifest, wel {now}. Is dat dezelfde, anders gespeld: "
    "voor kwl is een andere schrijfwijze een andere beoordelaar, dus telt de werkmap van "
    "{reviewer} niet en gaat er een nieuwe, lege werkmap naar {now}. Wilt u het werk dat "
    "{reviewer} deed laten tellen, zet dan de oude schrijfwijze terug (de documenten noemen die)"
)
COLLECT_KEY_HINT = (
    "Let op: geen enkele werkmap had een handtekening die bij de sleutel van deze ronde past. "
    "Waarschijnlijk is de sleutel verkeerd (sleutel.key van een andere ronde of gewijzigd), "
    "niet de werkmappen."
)
COLLECT_FORGED = (
    "de identiteit van deze werkmap ontbreekt, is gewijzigd of is niet met de sleutel van deze "
    "ronde ondertekend; niet opgenomen"
)
COLLECT_FOREIGN = (
    "werkmap van toetsing {assessment} ({host}) hoort niet bij deze ronde; niet opgenomen"
)
#: signed with this round's key, yet not in its index: made by an issue that was interrupted
#: before it recorded the workbook (or by a copy of the round folder)
COLLECT_NOT_RECORDED = (
    "werkmap van toetsing {assessment} ({host}) is met de sleutel van deze ronde gemaakt, "
    "maar deze ronde heeft haar niet vastgelegd als uitgegeven (een 'kwl round issue' die werd "
    "afgebroken?); niet opgenomen. Staat ze nog zo in uitgegeven/, dan legt 'kwl round issue' "
    "haar alsnog vast; neem daarna opnieuw in"
)
#: two different versions of one workbook competed at collect and one counts (see
#: ``batch.receipts.Rival``): on the console after the workbook's label (under
#: CLI_VERSIONS), in the intake under the name of the file that counts. ``verb``: see
#: COLLECT_VERSIONS_VERB; ``kept``: where the other is kept (a path in the round folder)
CLI_VERSIONS = "twee versies"
#: "telt": the one that counts now; "counted": one that was replaced later in the same collect
COLLECT_VERSIONS_VERB = {"counts": "telt", "counted": "telde"}
#: where the other is kept, in receipts written before that was remembered
COLLECT_VERSIONS_KEPT_SOMEWHERE = "historie/"
#: the saved moments decided, as the inbox dates would have: a corrected version, the usual
COLLECT_VERSIONS_LATER = (
    "'{counts}' {verb}, want het is later opgeslagen ({counts_saved}) dan '{other}' "
    "({other_saved}); '{other}' is bewaard in {kept}."
)
#: the moments the workbooks themselves say they were saved decided, against the inbox dates
COLLECT_VERSIONS_BY_SAVED = (
    "'{counts}' {verb} (opgeslagen {counts_saved}); '{other}' is eerder opgeslagen "
    "({other_saved}), al heeft het bestand een latere datum in de inbox, en is bewaard in "
    "{kept}."
)
#: both say the same second: the inbox dates decided
COLLECT_VERSIONS_SAME_SAVED = (
    "'{counts}' {verb}, want het heeft de latere datum in de inbox; '{other}' is op hetzelfde "
    "moment opgeslagen ({saved}) en is bewaard in {kept}."
)
#: one or both do not say when they were saved: the inbox dates decided
COLLECT_VERSIONS_NOT_SAVED = (
    "'{counts}' {verb}, want het heeft de latere datum in de inbox ({unsaid}); '{other}' is "
    "bewaard in {kept}."
)
COLLECT_VERSIONS_UNSAID_ONE = "'{file}' zegt niet wanneer het is opgeslagen"
COLLECT_VERSIONS_UNSAID_BOTH = "geen van beide zegt wanneer ze zijn opgeslagen"
#: the two versions were last saved by different people, as the workbooks say (the user
#: name Excel and LibreOffice write): perhaps a colleague filled someone else's workbook
COLLECT_VERSIONS_SAVED_BY = (
    "Let op: '{counts}' is laatst opgeslagen door '{counts_by}', '{other}' door "
    "'{other_by}': heeft iemand anders deze werkmap ingevuld?"
)
#: a saved moment later than the file came into the inbox: a wrong clock, so it decides nothing
COLLECT_VERSIONS_IMPOSSIBLE = (
    "'{file}' noemt als moment van opslaan {saved}, later dan het in de inbox kwam: dat kan "
    "niet (een verkeerde klok), dus telt dat moment niet"
)
#: a saved moment in local time: "20 november 2026 om 09:00" (with seconds when two
#: moments fall in the same minute)
COLLECT_MOMENT = "{date} om {time}"
#: copies of a shared team workbook that no longer count because a copy of the merged
#: workbook sent back came in (batch.team_copies): on the console after the workbook's
#: label (under CLI_SUPERSEDED); ``by`` and ``old`` are file names in the inbox, quoted
CLI_SUPERSEDED = "vervangen"
COLLECT_SUPERSEDED = {
    "one": (
        "de teruggestuurde werkmap kwam terug als {by}; de kopie waaruit die was "
        "samengevoegd, {old}, telt niet meer mee (bewaard in historie/, ook als die nog in "
        "de inbox staat)."
    ),
    "many": (
        "de teruggestuurde werkmap kwam terug als {by}; de kopieën waaruit die was "
        "samengevoegd, {old}, tellen niet meer mee (bewaard in historie/, ook als ze nog in "
        "de inbox staan)."
    ),
}
#: in the intake, under the names of the copies that count
INTAKE_SUPERSEDED = "niet meer meegeteld (vervangen door de teruggestuurde werkmap): {files}"

# =============================================================================================
# --- Kwaliteitsregister (kwl_office.register, kwl_office.cli.register) -----------------------
# Appended section: every string of the register and its `kwl register …` commands.
# =============================================================================================

REGISTER_TITLE = "Kwaliteitsregister Sociaal Werk"
REGISTER_SHEET = "Kwaliteitsregister"
REGISTER_KIND_LABELS = {
    "registratie": "Registratie",
    "certificaat": "Certificaat",
}
REGISTER_STATUS_LABELS = {
    "actief": "Actief",
    "verlopen": "Verlopen",
    "ingetrokken": "Ingetrokken",
}
REGISTER_WHOLE_ORGANISATION = "de hele organisatie"
#: column headers of the exports (xlsx, csv, html) and labels of ``kwl register show``
REGISTER_HEADERS = {
    "organisation": "Organisatie",
    "number": "Nummer",
    "kind": "Soort",
    "variant": "Toetsingsvariant",
    "scope": "Scope",
    "granted_on": "Toegekend op",
    "valid_until": "Geldig tot en met",
    "status": "Status",
    "withdrawn_on": "Ingetrokken op",
    "assessment": "Toetsing",
    "round": "Ronde",
    "contact": "Contactpersoon",
    "address": "Adres",
    "created_at": "Ingeschreven op",
    "successor": "Opgevolgd door",
}
REGISTER_HTML_INTRO = (
    "Deze organisaties zijn getoetst op het normenkader van het Kwaliteitslabel Sociaal Werk. "
    "Een registratie volgt op een intercollegiale adviesmeting; een certificaat op een externe "
    "audit, een combinatietoets of een combinatie met HKZ/ISO."
)
REGISTER_HTML_AS_OF = "Stand per {date}. Inschrijvingen: {count}, waarvan {active} actief."
REGISTER_HTML_EMPTY = "Er staan nog geen organisaties in het register."
REGISTER_HTML_FOOTER = (
    "Een inschrijving is geldig tot en met de genoemde datum, tenzij ingetrokken."
)
REGISTER_HTML_WITHDRAWN = "Ingetrokken op {date}"

# errors (one line each; shown as "kwl: …")
REGISTER_BUSY = (
    "het Kwaliteitsregister '{path}' is bezet door een andere opdracht; na {seconds:g} "
    "seconden wachten afgebroken, er is niets gewijzigd. Probeer het zo opnieuw."
)
REGISTER_NOT_A_REGISTER = "'{path}' is geen Kwaliteitsregister ({detail})"
REGISTER_NOT_A_FILE = "een map, geen registerbestand"
REGISTER_DISK_FULL = (
    "de schijf van het Kwaliteitsregister '{path}' is vol; er is niets gewijzigd. Maak ruimte "
    "vrij en probeer het opnieuw"
)
REGISTER_READ_ONLY = (
    "het Kwaliteitsregister '{path}' kan alleen gelezen worden (rechten of een alleen-lezen "
    "schijf); er is niets gewijzigd"
)
REGISTER_NO_TABLES = "geen tabellen"
REGISTER_EMPTIED = (
    "het Kwaliteitsregister '{path}' is leeg (0 bytes): het is gewist of overschreven. Zet "
    "het register terug uit de back-up; een nieuw register zou nummers opnieuw uitgeven die "
    "al op certificaten en brieven staan"
)
REGISTER_CANNOT_OPEN = "het Kwaliteitsregister '{path}' kan niet worden geopend: {detail}"
REGISTER_NETWORK_DRIVE = (
    "het Kwaliteitsregister '{path}' staat op een netwerkschijf ({kind}); een registerbestand "
    "kan daar beschadigd raken als twee mensen tegelijk schrijven. Zet het bestand op de eigen "
    "schijf, of deel één register via PostgreSQL: --register postgresql://server/database "
    "(zie de README, 'Een gedeeld register')"
)
REGISTER_SERVER_UNREACHABLE = (
    "de registerserver '{path}' is niet bereikbaar: {detail}. Controleer de URL, het netwerk "
    "en het wachtwoord (PGPASSWORD of het pgpass-bestand, nooit in de rondemap)"
)
REGISTER_COPY_TARGET_USED = (
    "het doelregister '{target}' is niet leeg (register-id {register_id}): kopiëren kan "
    "alleen naar een leeg register of naar een dat al precies dit register bevat"
)
REGISTER_COPY_CHECK = (
    "de kopie naar '{target}' klopt niet ({detail}); er is niets gekopieerd"
)
REGISTER_COPIED = (
    "Gekopieerd naar {target}: {organisations}, {assessments}, {entries}, {results}; hoogste "
    "nummer {highest}; register-id {register_id}."
)
REGISTER_COPY_SAME = (
    "{target} bevat dit register al ({entries}, hoogste nummer {highest}); niets gedaan."
)
#: what kwl register migrate counts, per table
REGISTER_COPY_WORDS = {
    "organisations": ("organisatie", "organisaties"),
    "assessments": ("toetsing", "toetsingen"),
    "entries": ("inschrijving", "inschrijvingen"),
    "results": ("resultaat", "resultaten"),
}
REGISTER_NO_DRIVER = (
    "voor een register op PostgreSQL ('{path}') is het pakket psycopg nodig: "
    "pip install 'psycopg[binary]'"
)
REGISTER_MISSING = (
    "er is nog geen Kwaliteitsregister op '{path}' (het ontstaat bij de eerste inschrijving); "
    "geef een ander met --register of $KWL_REGISTER"
)
REGISTER_NEWER = (
    "het Kwaliteitsregister '{path}' is gemaakt met een nieuwere versie van kwl (schemaversie "
    "{found}, deze versie kent {supported}); werk kwl bij"
)
REGISTER_BAD_KIND = "in het register komt alleen een registratie of certificaat, niet '{kind}'"
REGISTER_SELF_ONLY = (
    "een zelfevaluatie alleen leidt niet tot een inschrijving in het register "
    "(toetsing {assessment})"
)
REGISTER_CERTIFICATE_VARIANT = (
    "een certificaat hoort bij een externe audit, combinatietoets of combinatie HKZ/ISO, "
    "niet bij '{variant}' (toetsing {assessment})"
)
REGISTER_BAD_DATES = (
    "'geldig tot' ({valid_until}) ligt vóór de datum van toekenning ({granted_on}) "
    "(toetsing {assessment})"
)
REGISTER_EMPTY_ASSESSMENT = "een inschrijving heeft het nummer van de toetsing nodig"
REGISTER_OTHER_ORGANISATION = (
    "toetsing {assessment} staat in het register op naam van '{found}', niet van '{given}'; "
    "een toetsing hoort bij één organisatie: geef deze toetsing een eigen toetsingsnummer (of "
    "verbeter de naam als het dezelfde organisatie is)"
)
REGISTER_UNKNOWN_ENTRY = "'{key}' staat niet in het Kwaliteitsregister"
REGISTER_UNKNOWN_STATUS = "onbekende status '{status}'; kies uit {allowed}"
REGISTER_WITHDRAW_TOO_EARLY = (
    "{number} kan niet per {on} worden ingetrokken: het is pas op {granted_on} toegekend. "
    "Trek de inschrijving in per die dag of een latere"
)
REGISTER_WITHDRAW_LATER = (
    "{number} kan niet per {on} worden ingetrokken: die dag ligt na vandaag ({today}); tot "
    "dan is de inschrijving nog geldig. Trek haar in op de dag dat de intrekking ingaat"
)
REGISTER_NEGATIVE_DAYS = "het aantal dagen kan niet negatief zijn ({days})"
REGISTER_UNKNOWN_FORMAT = "onbekend exportformaat '{fmt}'; kies xlsx, csv of html"

# CLI output
REGISTER_CLI_LINE = (
    "{number:<14} {status:<12} {kind:<12} geldig t/m {valid_until:<10}  {organisation}"
)
REGISTER_CLI_LINE_WITHDRAWN = (
    "{number:<14} {status:<12} {kind:<12} ingetrokken {withdrawn_on:<10} {organisation}"
)
REGISTER_CLI_COUNT = "{count}."
REGISTER_CLI_NONE = "Geen inschrijvingen."
REGISTER_CLI_NONE_WITH_STATUS = "Geen inschrijvingen met status '{status}'."
#: {count} is "1 actieve inschrijving" / "3 actieve inschrijvingen": the verb for one, several
REGISTER_CLI_EXPIRING = (
    "{count} verloopt binnen {days} (uiterlijk {until}):",
    "{count} verlopen binnen {days} (uiterlijk {until}):",
)
REGISTER_CLI_ACTIVE_ENTRY = ("actieve inschrijving", "actieve inschrijvingen")
REGISTER_CLI_EXPIRING_NONE = "Geen actieve inschrijvingen die binnen {days} verlopen."
#: ``kwl register expiring`` when every entry that runs out is followed up already
REGISTER_CLI_EXPIRING_NONE_OPEN = (
    "Geen actieve inschrijvingen die binnen {days} verlopen en nog niet zijn opgevolgd."
)
#: the entries that run out but that a newer entry of the same organisation follows up
REGISTER_CLI_EXPIRING_SUCCEEDED = (
    "{count} die binnen {days} verloopt, is al opgevolgd door een nieuwere inschrijving van "
    "dezelfde organisatie:",
    "{count} die binnen {days} verlopen, zijn al opgevolgd door een nieuwere inschrijving van "
    "dezelfde organisatie:",
)
#: after the line of an entry that a newer entry follows up (``list``, ``expiring``; dates as
#: the line's); ``_NAMED`` when the newer entry names the organisation otherwise
REGISTER_CLI_SUCCEEDED = "  (opgevolgd door {number}, geldig t/m {valid_until})"
REGISTER_CLI_SUCCEEDED_NAMED = (
    "  (opgevolgd door {number} van {organisation}, geldig t/m {valid_until})"
)
#: ``kwl register show``: the value beside REGISTER_HEADERS["successor"]
REGISTER_SHOW_SUCCEEDED = "{number}, geldig tot en met {valid_until}"
REGISTER_SHOW_SUCCEEDED_NAMED = "{number} ({organisation}), geldig tot en met {valid_until}"
#: {width}: the longest label, so that every value starts in the same column
REGISTER_CLI_SHOW_LINE = "{label:<{width}} {value}"
REGISTER_CLI_WITHDRAWN = "Ingetrokken: {number} ({organisation}) per {on}."
REGISTER_CLI_ADDED = (
    "Ingeschreven: {number} ({kind}) voor {organisation}, toegekend op {granted_on}, geldig tot "
    "en met {valid_until}. Register: {path}"
)
#: ``kwl register add`` of an assessment whose entry is no longer active: it is never renewed
REGISTER_CLI_NOT_RENEWED = {
    "ingetrokken": (
        "Niet opnieuw ingeschreven: {number} ({organisation}) is ingetrokken op {on}; er is "
        "niets gewijzigd. Register: {path}"
    ),
    "verlopen": (
        "Niet opnieuw ingeschreven: {number} ({organisation}) is verlopen (geldig tot en met "
        "{valid_until}) en wordt niet verlengd; er is niets gewijzigd. Register: {path}"
    ),
}
#: ``kwl register show`` and the xlsx/csv exports: the validity of a withdrawn entry (none)
REGISTER_NO_VALIDITY = "–"
#: ``kwl register add`` with a decision that grants nothing: by the decision the user gave
#: (--decision), else by the advice it follows; "still" is added when the assessment has an
#: active entry already
REGISTER_CLI_NOTHING_TO_ADD = {
    "verdict": (
        "toetsing {assessment}: bij het besluit '{verdict}' hoort geen inschrijving; er is "
        "niets ingeschreven of gewijzigd"
    ),
    "advice": (
        "toetsing {assessment}: het advies luidt '{outcome}' en daarbij hoort geen "
        "inschrijving; er is niets ingeschreven of gewijzigd (besloot de beheercommissie toch "
        "tot toekennen, geef dan --decision toekennen)"
    ),
    "still": (
        ". Inschrijving {number} ({kind}) van deze toetsing blijft actief; trek haar in met "
        "kwl register withdraw {number}"
    ),
}
#: ``kwl register export`` with a --format that the file name contradicts
REGISTER_CLI_FORMAT_MISMATCH = (
    "--format {fmt} past niet bij de bestandsnaam {name} (een {suffix}-bestand); noem het "
    "bestand .{fmt}, of laat --format weg"
)
REGISTER_CLI_ALREADY_WITHDRAWN = "{number} ({organisation}) was al ingetrokken per {on}."
REGISTER_CLI_NO_FORMAT = (
    "aan de bestandsnaam {name} is niet te zien welk formaat het moet worden; geef --format "
    "xlsx, csv of html, of een bestandsnaam die op .xlsx, .csv of .html eindigt"
)

REGISTER_HELP = {
    "register": (
        "Het Kwaliteitsregister: inschrijvingen (registraties en certificaten) bekijken, "
        "exporteren en intrekken. Inschrijven doet de ronde bij het rapporteren, of kwl "
        "register add."
    ),
    "list": "Toon alle inschrijvingen, op nummer.",
    "status": "Alleen inschrijvingen met deze status.",
    "show": "Toon één inschrijving, op nummer (KSW-2026-0042) of op toetsing (2026-014).",
    "export": (
        "Schrijf het register naar BESTAND: xlsx (voor het secretariaat), csv (puntkomma, voor "
        "Excel) of html (openbare lijst voor de website)."
    ),
    "format": (
        "Exportformaat; standaard afgeleid uit de extensie van BESTAND (een .xlsx-, .csv- of "
        ".html-naam moet erbij passen)."
    ),
    "expiring": (
        "Toon actieve inschrijvingen die binnenkort verlopen; die al zijn opgevolgd door een "
        "nieuwere inschrijving van dezelfde organisatie, staan apart."
    ),
    "within": "Aantal dagen vooruit kijken.",
    "withdraw": (
        "Trek een registratie of certificaat in (de inschrijving blijft zichtbaar, als "
        "ingetrokken)."
    ),
    "add": (
        "Schrijf de toetsing in CONSOLIDATIEMAP in het register in volgens het besluit "
        "(--decision, anders het advies) en toon het nummer. Opnieuw inschrijven geeft "
        "hetzelfde nummer."
    ),
    "on": "Datum van intrekken: vandaag (standaard) of eerder, niet later.",
    "migrate": (
        "Kopieer het hele register VAN naar NAAR: een registerbestand naar PostgreSQL "
        "(postgresql://server/database) of terug. Nummers, inschrijvingen, resultaten en de "
        "identiteit van het register gaan mee; daarna wordt alles nagelopen. NAAR moet leeg "
        "zijn of dit register al bevatten (dan gebeurt er niets)."
    ),
}
INTAKE_SHEET = "Ontvangst"
INTAKE_TITLE = "Ontvangst van de werkmappen"
INTAKE_RECEIVED = "ontvangen"
INTAKE_INVALID = "ongeldig"
INTAKE_MISSING = "ontbreekt"
INTAKE_WAITING = "nog niet uitgegeven"
#: a workbook that was issued, but that the manifest no longer asks for (its reviewer was
#: taken off the row): listed, never counted as expected, received or missing
INTAKE_NOT_COUNTED = "telt niet mee"
INTAKE_HEADERS = ("Toetsing", "Organisatie", "Soort", "Beoordelaar", "Status", "Ontvangen op",
                  "Fouten", "Waarschuwingen", "Bestand in de inbox")
#: the line under the title of the Ontvangst sheet: "12 werkmappen verwacht: …"
INTAKE_SUMMARY = (
    "{expected} verwacht: {received} ontvangen, {invalid} ongeldig, {missing} nog niet binnen"
)
INTAKE_SUMMARY_WAITING = "; {waiting} nog niet uitgegeven (in afwachting van de zelfevaluatie)"
INTAKE_SUMMARY_NOT_COUNTED = "; {count} uitgegeven maar niet meer in het manifest (telt niet mee)"
INTAKE_FINDINGS_SHEET = "Bevindingen"
INTAKE_FINDINGS_HEADERS = ("Toetsing", "Werkmap", "Ernst", "Tabblad", "Cel", "Norm", "Melding")
INTAKE_REJECTED_SHEET = "Geweigerd"
INTAKE_REJECTED_HEADERS = ("Bestand in de inbox", "Reden")
INTAKE_SKIPPED_SHEET = "Overgeslagen"
INTAKE_SKIPPED_HEADERS = ("Bestand in de inbox", "Wat het is")
#: the one row of a sheet with nothing to list (printed instead of bare headers)
INTAKE_EMPTY = {
    "received": "Nog geen werkmappen uitgegeven (kwl round issue).",
    "findings": "Geen bevindingen.",
    "rejected": "Geen geweigerde bestanden.",
    "skipped": "Geen overgeslagen bestanden.",
}
#: number format of the "Ontvangen op" cells (a real date-time: sortable and filterable)
INTAKE_TIME_FORMAT = "dd-mm-yyyy hh:mm"
#: what a skipped inbox file is, recognised by its content (never taken in; no action needed)
SKIPPED_KINDS = {
    "pdf": "PDF-document, geen werkmap; overgeslagen",
    "word": "Word-document, geen werkmap; overgeslagen",
    "presentation": "presentatie, geen werkmap; overgeslagen",
    "odf-text": "tekstdocument (OpenDocument), geen werkmap; overgeslagen",
    "image": "afbeelding, geen werkmap; overgeslagen",
    "text": "tekstbestand, geen werkmap; overgeslagen",
    "email": "e-mailbericht, geen werkmap; overgeslagen (zet de bijlage zelf in de inbox)",
    "system": "systeembestand van Windows (miniaturen of mapinstellingen); overgeslagen",
}
CLI_SKIPPED = "overgeslagen"
# --- the annotated copy to send back (uitvoer/terugsturen/) ----------------------------------
ANNOTATE_NOTICE = (
    "Deze werkmap is nog niet in orde: {problems}. Op het tabblad '{sheet}' staat elk probleem "
    "met een link naar de cel. Een fout heeft een roze vak met een paarse rand, een "
    "waarschuwing een lichtblauw vak met een blauwe stippelrand. Herstel de fouten en stuur de "
    "werkmap opnieuw in."
)
ANNOTATE_SHEET_TITLE = "Controle van de werkmap"
ANNOTATE_CHECKED = "Gecontroleerd door het secretariaat bij ontvangst op {when}: {problems}."
ANNOTATE_HOWTO = (
    "Klik op een cel in de kolom Cel om ernaartoe te gaan. Zonder cel geldt het probleem de "
    "hele werkmap. Met de knop Controleer werkmap (als uw werkmap die heeft) kunt u zelf "
    "opnieuw controleren."
)
ANNOTATE_MERGED = (
    "Deze gedeelde werkmap kwam binnen als {copies} ({files}) en is hier samengevoegd: wat "
    "ieder in een eigen kopie invulde, staat nu in deze ene werkmap. Werk verder in deze "
    "werkmap, niet in de oude kopieën."
)
ANNOTATE_HEADERS = ("Blad", "Cel", "Norm", "Ernst", "Wat te doen")
HISTORY_OTHER_NAME = (
    "vergeleken met de vorige toetsing {assessment} van '{name}' (zelfde Organisatie-id, "
    "andere naam): kijk na of dat dezelfde organisatie is voordat u het rapport verstuurt"
)
HISTORY_NOT_COMPARED = "niet vergeleken met de vorige toetsing {assessment}: {reason}"
#: the register knows another assessment of the organisation, but not one done before this
#: one (two rounds on one day): {day} is the day of its last workbook, {what} how that day
#: is known (HISTORY_DAY_KNOWN_BY)
HISTORY_SAME_DAY = (
    "niet vergeleken met {assessment}: op dezelfde dag {what} ({day}); alleen een eerdere "
    "toetsing telt als vorige"
)
HISTORY_LATER_DAY = (
    "niet vergeleken met {assessment}: later {what} ({day}; deze toetsing {own}); alleen "
    "een eerdere toetsing telt als vorige"
)
#: the day of a kept result: its last workbook's issue, or (kept by an older kwl) its report
HISTORY_DAY_KNOWN_BY = {"issued": "uitgegeven", "reported": "gerapporteerd"}
HISTORY_NO_MAPPING = (
    "niet vergeleken met de vorige toetsing {assessment}: die gebruikte normenkaderversie "
    "'{previous}', deze '{current}'. Maak een mapping (kwl catalogue diff OUD NIEUW -o "
    "mapping.yaml), kijk die na en zet hem in ronde.yaml onder mappings"
)
REPORT_NOT_ISSUED = "nog geen werkmappen uitgegeven (kwl round issue)"
REPORT_INVALID = "ongeldig: {items}"
REPORT_MISSING = "nog niet binnen: {items}"
#: a peer or audit workbook with the self-evaluation beside each norm (manifest: Spiegel = ja)
MIRROR_WAITING = "{item}: wacht op de zelfevaluatie (spiegel)"
MIRROR_DUE = (
    "{item}: de zelfevaluatie is binnen; uitgifte bij de volgende kwl round issue of run"
)
REPORT_ITEM_MISSING = "{item}: ontbreekt"
#: a Besluitdatum after the day of reporting: no letter may say the committee decided yet
REPORT_DECISION_LATER = (
    "de Besluitdatum ({day}, {cell}) ligt na vandaag: een brief zou een besluit noemen dat "
    "nog niet genomen is. Rapporteer op of na die dag, of verbeter de datum"
)
REPORT_DECISION_BEFORE_ISSUE = (
    "de Besluitdatum ({day}, {cell}) ligt vóór de uitgifte van de laatste werkmap waarop het "
    "advies rust ({issued}): de beheercommissie kan dat advies toen niet besproken hebben. "
    "Verbeter de datum"
)
REPORT_ITEM_INVALID = "{item}: ongeldig"
REPORT_WITHDRAWN = "inschrijving {number} is ingetrokken op {on}; brief en certificaat blijven"
#: an expired entry is never renewed by reporting its assessment again
REPORT_EXPIRED = (
    "inschrijving {number} is verlopen (geldig tot en met {until}) en wordt niet verlengd; "
    "brief en certificaat blijven"
)
REPORT_REGISTERED_BUT = (
    "staat al in het register als {kind} ({number}), maar het besluit is nu: {outcome}. Trek "
    "de inschrijving eerst in (kwl register withdraw {number}) of herstel het besluit"
)
REPORT_UNKNOWN_INCOMPLETE = (
    "--incomplete {id}: die toetsing staat niet (geldig) in het manifest"
)
#: --incomplete while not one review counts: a report would name reviewers and judgements
#: that are not there, so the assessment still waits (after the reason of REPORT_MISSING)
REPORT_NO_REVIEW = (
    "--incomplete rapporteert met wat er is, maar er is nog geen enkele beoordeling binnen en "
    "in orde: er is niets om over te rapporteren"
)
REPORT_MADE = "gemaakt"
REPORT_SKIPPED = "ongewijzigd"
REPORT_FAILED = "mislukt"
#: the first line of ``fout.txt`` is the reason as the console said it; the traceback follows
REPORT_FAILURE_DETAILS = "De technische details hieronder zijn voor wie kwl onderhoudt:"
#: ``round report``: the decision is in the register, but the documents that state it failed
#: (``documents``: ``REGISTERED_DOCUMENTS`` of the kind registered)
REPORT_REGISTERED_NOT_MADE = (
    "ingeschreven als {number}, maar {documents} niet gemaakt: draai kwl round report opnieuw"
)
REGISTERED_DOCUMENTS = {
    "registratie": "de brief is",
    "certificaat": "brief en certificaat zijn",
}
#: ``round report``, once at the end: assessments failed because the disk was full
ROUND_DISK_FULL = (
    "De schijf is vol: maak ruimte vrij en draai de opdracht opnieuw; er is niets half "
    "geschreven."
)
REPORT_WAITING = "wacht"
REPORT_PDFS = "{documents} omgezet naar PDF"
REPORT_PDFS_PARTLY = "{made} omgezet naar PDF, {failed} niet:"
REPORT_PDF_FAILED = "toetsing {assessment}: LibreOffice maakte geen PDF van {file} ({detail})"
STATUS_REPORTED = "gerapporteerd"
STATUS_REPORTED_BUT = "gerapporteerd, maar nu: {reason}"
#: reported with --incomplete, and still as incomplete as then: no change, so no "maar nu"
STATUS_REPORTED_INCOMPLETE = "gerapporteerd met --incomplete ({reason})"
#: ``kwl round status``: the register number of a reported assessment whose entry is no
#: longer valid (by its status in the register today)
STATUS_ENTRY = {
    "ingetrokken": "{number} (ingetrokken op {on})",
    "verlopen": "{number} (verlopen: geldig tot en met {until})",
}
STATUS_NOT_ISSUED = "niet uitgegeven"
STATUS_READY = "klaar voor rapportage"
#: ``kwl round status``: a workbook that counts for a reported assessment came in after its
#: report (said as ``STATUS_REPORTED_BUT``'s reason)
STATUS_NEW_VERSION = "nieuwe versie binnen (opnieuw rapporteren)"
#: ``kwl round status``: what changed since the report of an assessment in the inputs the
#: report depends on (said as ``STATUS_REPORTED_BUT``'s reason); ``what`` lists the
#: changes, so that a new workbook alone says ``STATUS_NEW_VERSION``
STATUS_CHANGED = "{what} (opnieuw rapporteren)"
STATUS_CHANGED_WORKBOOK = "nieuwe versie binnen"
#: by part of the inputs (see ``kwl_office.batch.readiness.folder_fingerprint``)
STATUS_CHANGED_PARTS = {
    "overrides": "eindoordelen in geconsolideerd.xlsx gewijzigd",
    "manifest": "manifest gewijzigd",
    "letters": "briefinstellingen in ronde.yaml gewijzigd",
    "benchmark": "branchebeeld gewijzigd",
    "catalogue": "normenkader gewijzigd",
    "tool": "gemaakt met een andere versie van kwl",
}
#: any other change (e.g. a workbook that came in and does not count)
STATUS_CHANGED_OTHER = "invoer gewijzigd"
#: ``kwl round status``: the last ``kwl round report`` of the assessment failed (after its
#: last success, if any); the reason is the first line of what the report said
STATUS_FAILED = "rapportage mislukt: {reason} (zie {file})"
STATUS_FAILED_UNKNOWN = "reden onbekend"
#: ``kwl round status``: the register holds an active entry of the assessment that its
#: documents do not state yet (a report failed or was stopped after the register step);
#: after a failure (``STATUS_FAILED``) without "draai …": the failure says what to do
STATUS_REGISTERED_NOT_MADE = "ingeschreven als {number}, maar {documents} nog niet gemaakt"
STATUS_REPORT_AGAIN = "draai kwl round report opnieuw"
DEMO_INIT = "Demoronde aangemaakt in {path} (zes verzonnen organisaties)."
DEMO_TEAM = "het team"
DEMO_SECOND_INIT = (
    "Tweede demoronde aangemaakt in {path}: drie jaar later komen twee organisaties terug, "
    "op de nieuwe versie van het voorbeeldnormenkader."
)
DEMO_SECOND_FILLED = (
    "Werkmappen van de tweede ronde ingevuld en in de inbox gezet (de organisaties werkten "
    "aan hun leerpunten)."
)
DEMO_NOT_DEMO = "'{path}' is een echte ronde, geen demo; kies een andere map voor kwl demo"
DEMO_FILLED = (
    "Werkmappen ingevuld zoals organisaties dat doen en in de inbox gezet (één beoordelaar "
    "maakt fouten; één team vult samen een gedeelde werkmap in)."
)
HELP_ROUND = {
    "round": "De ronde van het secretariaat: manifest, uitgeven, innemen, rapporteren.",
    "init": "Maak de rondemap RONDE met manifest.xlsx, sleutel, instellingen en mappen.",
    "name": "Naam van de ronde (standaard de mapnaam).",
    "issue": (
        "Maak alle werkmappen die het manifest vraagt. Opnieuw draaien maakt alleen wat "
        "ontbreekt en verandert nooit een uitgegeven werkmap."
    ),
    "collect": (
        "Neem alles in de inbox in: herkent werkmappen aan hun identiteit, bewaart een kopie "
        "per toetsing, schrijft uitvoer/intake.xlsx en een kopie met opmerkingen per ongeldige "
        "werkmap. De bestanden in de inbox blijven onaangeroerd."
    ),
    "report": (
        "Consolideer, maak rapporten, brieven en certificaten en schrijf het register bij, voor "
        "elke toetsing waarvan alles binnen en in orde is. Slaat ongewijzigde toetsingen over."
    ),
    "jobs": "Aantal parallelle processen (standaard: het aantal processorkernen).",
    "incomplete": (
        "Rapporteer deze toetsing ook al is niet alles binnen of in orde; herhaal de optie per "
        "toetsing. De documenten zeggen welke werkmappen ontbraken of ongeldig waren. "
        "Zonder één beoordeling die meetelt wacht de toetsing toch: dan is er niets om over "
        "te rapporteren."
    ),
    "run": (
        "Uitgeven, innemen en rapporteren in één keer (issue + collect + report); geeft ook "
        "de werkmappen met spiegel uit zodra de zelfevaluatie binnen is."
    ),
    "status": "Toon per toetsing wat er binnen is en hoe ver ze is.",
    "demo": (
        "Speel een hele ronde na met het voorbeeldnormenkader en verzonnen organisaties. De "
        "ronde komt in MAP, standaard kwl-demo in de huidige map."
    ),
}
ROUND_INITIALISED = "Ronde aangemaakt in {path}. Vul nu {manifest} in en draai kwl round issue."
ROUND_ISSUED = "Uitgegeven: {created}; {existing} al eerder uitgegeven."
#: of the new workbooks, those an interrupted issue had written already: taken as they were
ROUND_ISSUED_ADOPTED = (
    " Daarvan {adopted} al geschreven door een uitgifte die werd afgebroken: die zijn "
    "gebleven zoals ze waren (misschien zijn ze al verstuurd)."
)
ROUND_ISSUED_WAITING = " Nog niet uitgegeven (in afwachting van de zelfevaluatie): {waiting}."
ROUND_COLLECTED = "Ingenomen: {new} ({unchanged} ongewijzigd)"
ROUND_COLLECTED_REJECTED = "geweigerd: {files}"
ROUND_COLLECTED_SKIPPED = "overgeslagen: {files}"
ROUND_COLLECTED_INVALID = "ongeldig: {workbooks} (kopie met opmerkingen in uitvoer/terugsturen/)"
ROUND_STALE_REMOVED = "Niet meer nodig, verwijderd: {path}"
ROUND_ANNOTATED = "Terugsturen: {path}"
ROUND_PROGRESS = "Rapporteren"
ROUND_WITH_ERRORS = (
    "Let op: {assessments} met fouten in de consolidatie ({ids}); zie de meldingen "
    "hierboven en Samenvatting in geconsolideerd.xlsx."
)
ROUND_TABLE_HEADER = f"{'Toetsing':<10} {'Organisatie':<38} {'Status':<12} {'Uitkomst':<16} Nummer"
#: ``{host}`` comes padded to the 38 columns of the terminal it takes (wide letters count two)
ROUND_TABLE_ROW = "{id:<10} {host} {status:<12} {outcome:<16} {number}"
#: the state last: it is free text of any length (a reason to wait, a failure), and would
#: push the outcome out of line
#: ``{width}``: the outcome column, as wide as the widest outcome of the table (at least 30)
STATUS_HEADER = (
    f"{'Toetsing':<10} {'Organisatie':<38} {'Variant':<15} {'Binnen':<7} {'Fout':<5} "
    "{outcome:<{width}} Stand"
)
STATUS_OUTCOME_HEADING = "Uitkomst"
STATUS_ROW = "{id:<10} {host} {variant:<15} {received:<7} {invalid!s:<5} " \
    "{outcome:<{width}} {state}"
DEMO_BENCHMARK = (
    "Branchebeeld over beide rondes geschreven in {path} (branche.xlsx, branchebeeld.docx; de "
    "demo toont groepen vanaf 3 organisaties, een echt branchebeeld vanaf 5)."
)
DEMO_DONE = (
    "Klaar. Kijk in {path}: uitvoer/intake.xlsx (ontvangst), uitvoer/terugsturen/ (werkmap met "
    "opmerkingen), uitvoer/<toetsing>/ (consolidatie, rapport, brief, certificaat). De tweede "
    "ronde staat in {second}: het leerrapport van 2029-101 vertelt wat er sinds 2026 veranderde."
)


# --- the secretariat's dashboard (kwl dashboard build, kwl_office/xl.py) ---------------------

DASH_TITLE = "Kwaliteitslabel Sociaal Werk – dashboard van het secretariaat"
DASH_SUBTITLE = ("De knoppen voeren een stap van de ronde uit (via xlwings); de melding, de stand "
                 "en het manifest worden daarna hier bijgewerkt.")
DASH_LABELS = {"round": "Ronde", "folder": "Rondemap", "message": "Laatste melding",
               "updated": "Bijgewerkt", "summary": "Stand van de ronde",
               "last": "Laatste actie", "howto": "Zo werkt het"}
DASH_BUTTONS = {"Uitgeven": "Uitgeven", "Innemen": "Innemen", "Rapporteren": "Rapporteren",
                "StatusVerversen": "Status verversen"}
#: what each button does (macro → text): the buttons' descriptions and the how-to's first lines
DASH_BUTTON_HELP = {
    "Uitgeven": "Uitgeven: maakt de werkmappen die het manifest vraagt (alleen wat nog ontbreekt).",
    "Innemen": "Innemen: neemt alles in wat in de map inbox staat en werkt uitvoer/intake.xlsx "
               "bij.",
    "Rapporteren": "Rapporteren: consolideert, maakt rapporten, brieven en certificaten en "
                   "schrijft in het Kwaliteitsregister.",
    "StatusVerversen": "Status verversen: leest alleen de stand en het manifest opnieuw in.",
}
DASH_HOWTO = (
    *DASH_BUTTON_HELP.values(),
    "Het manifest wijzigt u in manifest.xlsx in deze map, niet hier.",
    "Zonder xlwings werkt alles ook in een terminal: kwl round issue / collect / report / "
    "status RONDEMAP.",
)
DASH_STATUS_TITLE = "Stand per toetsing"
DASH_STATUS_SUBTITLE = ("Zo stond de ronde bij het maken van het dashboard of bij de laatste "
                        "klik op een knop. Alleen lezen.")
DASH_MANIFEST_TITLE = "Manifest (alleen lezen; wijzigen in manifest.xlsx)"
DASH_MANIFEST_SUBTITLE = ("Wat manifest.xlsx in deze rondemap vraagt. Wijzigen doet u daar; "
                          "dit blad volgt bij de volgende klik op een knop.")
DASH_STATUS_HEADERS = ("Toetsing", "Organisatie", "Variant", "Werkmappen", "Ontvangen",
                       "Ongeldig", "Stand", "Uitkomst", "Nummer")
DASH_MANIFEST_HEADERS = ("Toetsing", "Organisatie", "Variant", "Scope", "Beoordelaars",
                         "Certificerende instelling", "Inleverdatum", "Besluit")
DASH_SHARED_REVIEWERS = "{reviewers} (gedeelde werkmap)"
DASH_SUMMARY = {"assessments": "Toetsingen", "expected": "Werkmappen uitgegeven",
                "received": "Werkmappen ontvangen", "invalid": "Ongeldig ontvangen",
                "reported": "Toetsingen gerapporteerd"}
DASH_BUILT = "Dashboard gemaakt; klik op Status verversen voor de actuele stand."
DASH_REFRESHED = "Stand en manifest opnieuw ingelezen."
#: {created} and {errors} are counted nouns ("1 werkmap", "0 fouten": dutch.count)
DASH_ISSUED = "Uitgeven: {created} gemaakt, {existing} bestonden al; {errors} in het manifest."
DASH_COLLECTED = "Innemen: {new} nieuw, {unchanged} ongewijzigd, {rejected} geweigerd, " \
    "{invalid} ongeldig (kopie met opmerkingen in uitvoer/terugsturen)."
DASH_REPORTED = "Rapporteren: {made} gemaakt, {skipped} ongewijzigd, {failed} mislukt, " \
    "{waiting} wachten nog op werkmappen; {errors} met fouten in de consolidatie."
DASH_FAILED = "De stap {step} is niet gelukt: {error}"
DASH_UNKNOWN_STEP = "Onbekende stap '{step}'; bekend zijn: {steps}."
DASH_WRITTEN = "Dashboard: {path}"

# --- the branch benchmark (kwl benchmark, branche.xlsx, branchebeeld.docx) --------------------

BENCH_TITLE = "Branchebeeld Kwaliteitslabel Sociaal Werk"
BENCH_SUBTITLE = "Geanonimiseerd: geen organisatie genoemd, kleine groepen niet getoond"
BENCH_ABOUT = (
    "Per norm, kwaliteitswaarde en domein de verdeling van de consensusoordelen over de "
    "getoetste organisaties, per ronde. Elke organisatie telt één keer per ronde: is zij in een "
    "ronde twee keer getoetst, dan telt de toetsing met de meeste normen met een oordeel.",
    "Bij een norm telt elke kolom organisaties; bij een kwaliteitswaarde of domein telt elke "
    "kolom de oordelen van alle organisaties samen. Voldoet en voldoet niet zijn aandelen van "
    "de oordelen met een score (zonder n.v.t.).",
    "Privacy: er staat geen naam van een organisatie of beoordelaar, geen toetsingsnummer en "
    "geen tekst uit een werkmap in. Een getal over minder organisaties dan de kleinste "
    "getoonde groep staat er als <k. Verborgen: de verdeling over de oordelen is weggelaten, "
    "omdat een oordeel minder organisaties telt dan de kleinste groep (anders was het uit de "
    "andere getallen terug te rekenen).",
    "Versies van het normenkader worden nooit samengeteld: elke versie heeft haar eigen "
    "tabellen.",
)
BENCH_VERSION = "versie"
BENCH_SHEETS = {"start": "Toelichting", "domains": "Domeinen",
                "quality_values": "Kwaliteitswaarden", "norms": "Normen",
                "not_met": "Meest niet voldaan", "hot_spots": "Verschillen van inzicht"}
BENCH_FACTS = {"rounds": "Rondes", "min_group": "Kleinste getoonde groep"}
BENCH_SMALLEST = "kleinste getoonde groep: {k} organisaties"
BENCH_LOWERED = ("(lager dan de {policy} die het beleid van het normenkader vraagt; "
                 "verlaagd bij het maken)")
BENCH_COLUMNS = {
    "version": "Versie", "round": "Ronde", "id": "Id", "title_domains": "Domein",
    "title_quality_values": "Kwaliteitswaarde", "title_norms": "Norm",
    "organisations": "Organisaties", "share_met": "Aandeel voldoet",
    "share_not_met": "Aandeel voldoet niet",
    "share_disagreement": "Aandeel verschil van inzicht", "mean_spread": "Gemiddelde spreiding",
    "rank": "Plaats",
}
BENCH_HIDDEN = "verborgen"
BENCH_EMPTY_RANKING = {
    "not_met": "Geen norm om te noemen: geen enkele getoonde norm heeft 'voldoet niet' "
               "(groepen kleiner dan {k} organisaties tellen hier niet mee).",
    "hot_spots": "Geen norm om te noemen: bij geen enkele getoonde norm waren beoordelaars het "
                 "oneens (groepen kleiner dan {k} organisaties tellen hier niet mee).",
}
#: below a ranking whose cut fell among norms with the same share: none of those is named
#: (naming the first ones by id would call them "most often" and not the others)
BENCH_RANKING_TIE = {
    "not_met": "Daarna volgen {count} normen met elk {share} 'voldoet niet'. Welke daarvan het "
               "vaakst niet wordt voldaan, is niet te zeggen; daarom staat geen ervan in de "
               "lijst.",
    "hot_spots": "Daarna volgen {count} normen waarbij de beoordelaars even vaak van inzicht "
                 "verschilden ({share}, met dezelfde spreiding). Welke daarvan het meest, is "
                 "niet te zeggen; daarom staat geen ervan in de lijst.",
}
#: a ranking of which no norm can be named: all candidates have the same share
BENCH_RANKING_ALL_TIED = {
    "not_met": "Geen norm springt eruit: {count} normen hebben elk {share} 'voldoet niet' "
               "(groepen kleiner dan {k} organisaties tellen hier niet mee).",
    "hot_spots": "Geen norm springt eruit: bij {count} normen verschilden de beoordelaars even "
                 "vaak van inzicht ({share}, met dezelfde spreiding; groepen kleiner dan {k} "
                 "organisaties tellen hier niet mee).",
}
#: the rankings of a round with fewer organisations than the smallest group: every norm is
#: hidden, so "no norm has 'voldoet niet'" would read as good news it is not
BENCH_EMPTY_RANKING_HIDDEN = (
    "Geen norm te noemen: deze ronde telt minder dan {k} organisaties, dus blijven alle "
    "normen verborgen."
)
BENCH_CHART_NOT_MET = "aandeel organisaties met 'voldoet niet'"
BENCH_CHART_DISAGREEMENT = "aandeel organisaties waar de beoordelaars het oneens waren"
BENCH_OTHER_VERSION = ("Het branchebeeld gaat over {versions}; deze toetsing gebruikte "
                       "{own}. Omdat de normen van verschillende versies niet hetzelfde "
                       "betekenen, staat hier geen vergelijking met de branche.")
BENCH_MAJORITY = {"met": "voldoen aan deze norm", "partly": "voldoen deels aan deze norm",
                  "not_met": "voldoen niet aan deze norm",
                  "nvt": "vinden deze norm niet van toepassing"}
BENCH_POSITION_LINE = "{count} van de {total} organisaties {verb}"
BENCH_NOT_A_BENCHMARK = "{path} is geen branchebeeld (branche.json van kwl benchmark)"
BENCH_NO_SOURCES = ("geen toetsing gevonden in {sources}; geef rondemappen (met "
                    "uitvoer/<toetsing>/consolidation.json) of consolidatiemappen")
BENCH_NOT_FOUND = "{path} is geen rondemap, consolidatiemap of consolidation.json"
BENCH_UNKNOWN_CATALOGUE = (
    "de toetsingen {assessments} gebruiken normenkader {catalogue}, dat niet bekend is; geef "
    "het bestand met --catalogue")
BENCH_BELOW_POLICY = (
    "--min-group {k} is lager dan de {policy} die het beleid van {catalogue} vraagt; voeg "
    "--allow-small-groups toe als dat de bedoeling is (de documenten vermelden het dan)")
BENCH_SUMMARY = "{catalogue}: {rounds}; {k}"
BENCH_SKIPPED = "Niet meegeteld: {what}"
