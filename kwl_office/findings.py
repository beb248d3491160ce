"""Findings: problems found in a submission, catalogue row, manifest or template, as data.

Every finding kind is declared **once**, in :data:`KINDS`: its stable kebab-case code (typed:
:data:`FindingCode`), its severity and its Dutch message template. A finding instance carries
only the place (file, sheet, cell, norm) and the values that fill the template;
:func:`make_finding` checks those values against the template, so a kind and its callers
cannot drift apart. JSON output and the Dutch message are two views of the same object.
Tests assert on ``(code, sheet, cell)``, never on prose.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kwl_office.errors import FindingsError


class Severity(StrEnum):
    """How bad a finding is: errors make a submission invalid, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


ERROR, WARNING = Severity.ERROR, Severity.WARNING

#: every finding code; part of the machine interface: never rename one
FindingCode = Literal[
    "identity-missing",
    "identity-tampered",
    "identity-sheet-missing",
    "signature-unverified",
    "layout-version",
    "wrong-kind",
    "wrong-assessment",
    "catalogue-mismatch",
    "missing-header",
    "missing-norm-row",
    "duplicate-norm-row",
    "unknown-norm-row",
    "remark-in-norm-column",
    "norm-text-changed",
    "norms-above-header",
    "unknown-rating",
    "missing-rating",
    "formula-error",
    "merged-rating-cell",
    "incomplete-submission",
    "team-sheet-missing",
    "team-sheet-twice",
    "team-sheet-unknown",
    "merge-conflict",
    "invalid-accent",
    "text-too-long",
    "unreadable-file",
    "submission-invalid",
    "assessment-mismatch",
    "duplicate-submission",
    "duplicate-self-evaluation",
    "self-evaluation-as-review",
    "too-few-reviewers",
    "too-few-ratings",
    "reported-incomplete",
    "workbook-not-counted",
    "reviewer-not-in-manifest",
    "override-without-motivation",
    "override-unknown-norm",
    "manifest-missing-value",
    "manifest-invalid-value",
    "manifest-duplicate-id",
    "manifest-duplicate-reviewer",
    "manifest-control-character",
    "manifest-self-review",
    "manifest-too-few-reviewers",
    "manifest-date-as-id",
    "manifest-deadline-past",
    "manifest-empty",
    "manifest-shared-too-few",
    "manifest-workbook-mode-changed",
    "manifest-reviewer-removed",
    "workbook-name-taken",
    "foreign-workbook",
    "template-missing",
    "template-syntax",
    "template-unknown-field",
    "template-broken-tag",
    "template-unused-field",
    "template-unsafe",
    "template-unreadable",
    "template-misnamed",
    "template-unknown-file",
    "template-folder-unused",
    "mapping-catalogue-mismatch",
    "mapping-unknown-norm",
    "mapping-norm-missing",
    "mapping-target-twice",
]

#: fields every message template may use besides its own values
PLACE_FIELDS = frozenset({"sheet", "cell", "norm_id", "file"})


@dataclass(frozen=True)
class FindingKind:
    """One kind of finding: code, severity and Dutch message template."""

    code: FindingCode
    severity: Severity
    template: str

    @cached_property
    def fields(self) -> frozenset[str]:
        """The values the template needs (besides the place fields)."""
        names = {name for _, name, _, _ in string.Formatter().parse(self.template) if name}
        return frozenset(names - PLACE_FIELDS)


def _kind(code: FindingCode, severity: Severity, template: str) -> FindingKind:
    return FindingKind(code, severity, template)


#: every finding kind, declared once
KINDS: dict[str, FindingKind] = {kind.code: kind for kind in (
    # identity and integrity
    _kind("identity-missing", ERROR,
          "Deze werkmap heeft geen (volledige) kwl-identiteit; is dit wel een werkmap die "
          "door het secretariaat is uitgegeven?{detail}"),
    _kind("identity-tampered", ERROR,
          "De identiteit van deze werkmap is gewijzigd of hoort bij een andere sleutel; de "
          "werkmap wordt niet vertrouwd.{detail}"),
    _kind("identity-sheet-missing", WARNING,
          "Het verborgen tabblad '{sheet}' met de identiteit van deze werkmap {gone}. Er is "
          "niets verloren: dezelfde identiteit staat ook in de documenteigenschappen en is "
          "daaruit gelezen. Maar die zijn nu de enige kopie: een programma dat ze niet bewaart "
          "(zoals Google Sheets) maakt de werkmap onherkenbaar. Bewerk en bewaar hem daarom "
          "alleen nog in Excel of LibreOffice."),
    _kind("signature-unverified", WARNING,
          "De handtekening van deze werkmap kon niet worden gecontroleerd: er is geen "
          "sleutel beschikbaar (gebruik --key of KWL_KEY_FILE)."),
    _kind("layout-version", ERROR,
          "Deze werkmap heeft indelingsversie {found}; deze versie van kwl leest versie "
          "{expected}."),
    _kind("wrong-kind", ERROR, "Dit is {found}. Nodig is {expected}."),
    _kind("wrong-assessment", ERROR,
          "Deze werkmap hoort bij toetsing '{found}', verwacht werd '{expected}'."),
    _kind("catalogue-mismatch", ERROR,
          "Deze werkmap is gemaakt met normenkader '{found}'; gecontroleerd wordt met "
          "'{expected}'."),
    # structure
    _kind("missing-header", ERROR,
          "Kolom '{label}' ontbreekt op tabblad '{sheet}'; zet de kolomkop terug zoals die "
          "was."),
    _kind("missing-norm-row", ERROR,
          "Norm {norm_id} ontbreekt in de werkmap; is de rij of het tabblad verwijderd?"),
    _kind("duplicate-norm-row", ERROR,
          "Norm {norm_id} staat meer dan eens in de werkmap (ook in {first}); alleen de "
          "eerste rij wordt gelezen."),
    _kind("unknown-norm-row", ERROR,
          "Norm '{norm_id}' hoort niet bij deze werkmap (een norm van een ander normenkader "
          "of van een andere selectie?). Verwijder de rij, of zet de norm terug die er "
          "stond."),
    _kind("remark-in-norm-column", WARNING,
          "In de kolom '{norm_column}' staat '{value}'; dat is geen norm, dus kwl slaat deze "
          "rij over. Een opmerking bij een norm hoort in de kolom '{column}' van die norm."),
    _kind("norm-text-changed", WARNING,
          "De tekst van norm {norm_id} is gewijzigd; beoordeeld wordt de oorspronkelijke "
          "norm."),
    _kind("norms-above-header", WARNING,
          "De kopregel van dit tabblad staat op rij {row}, onder de rijen van {norms} "
          "(bijvoorbeeld na sorteren met de kopregel erbij). Die rijen zijn gelezen met de "
          "kolommen van de kopregel; zet de kopregel ({labels}) weer boven de normen."),
    # values
    _kind("unknown-rating", ERROR,
          "'{value}' is geen geldig oordeel{note}. Kies uit: {allowed}."),
    _kind("missing-rating", WARNING, "Norm {norm_id} heeft nog geen oordeel.{hint}"),
    _kind("formula-error", ERROR,
          "In {cell} staat een formule met een fout{error}; kies een oordeel uit de lijst."),
    _kind("merged-rating-cell", ERROR,
          "Norm {norm_id} heeft geen oordeel: cel {cell} is samengevoegd met andere cellen "
          "({merged}), en samengevoegde cellen hebben alleen de waarde van de eerste ({first}). "
          "Maak de samenvoeging ongedaan en kies het oordeel van deze norm opnieuw."),
    _kind("incomplete-submission", ERROR,
          "{file_prefix}{rated} van de {total} normen hebben een oordeel; er zijn er "
          "minstens {required} nodig (n.v.t. telt als oordeel). Nog open: {open_norms}. De "
          "werkmap telt pas mee als hij volledig is."),
    _kind("team-sheet-missing", ERROR,
          "Het tabblad van {reviewer} ontbreekt in deze gedeelde werkmap (geen tabblad met "
          "'Ingevuld door: {reviewer}'). Zijn oordelen tellen pas mee als het tabblad terug is."),
    _kind("team-sheet-twice", ERROR,
          "Dit is een tweede tabblad van {reviewer}; alleen '{first}' telt mee. Verwijder de "
          "kopie of zet de oordelen op het eerste tabblad."),
    _kind("team-sheet-unknown", WARNING,
          "Dit tabblad is ingevuld door '{owner}', die niet in het team van deze werkmap staat; "
          "wat erop staat telt niet mee."),
    _kind("merge-conflict", ERROR,
          "{owner} heeft deze cel in twee kopieën van de gedeelde werkmap verschillend "
          "ingevuld: '{value}' in {file}, '{other_value}' in {other} (tabblad '{other_sheet}', "
          "cel {other_cell}). Verwijder een van de kopieën of maak ze gelijk; tot dan telt de "
          "werkmap niet mee."),
    _kind("invalid-accent", ERROR,
          "'{value}' is geen geldige waarde voor Accent. Vul 'ja' of 'nee' in."),
    _kind("text-too-long", ERROR,
          "De tekst is {length} tekens lang; het maximum is {limit}. Kort de tekst in."),
    # consolidation input checks
    _kind("unreadable-file", ERROR, "{file}: {reason}"),
    _kind("submission-invalid", ERROR,
          "De werkmap {file} heeft {errors} en telt niet mee; laat de fouten eerst "
          "herstellen (kwl check)."),
    _kind("assessment-mismatch", ERROR,
          "De werkmap {file} hoort bij toetsing '{found}' van '{found_host}', niet bij "
          "toetsing '{expected}'; hij telt niet mee."),
    _kind("duplicate-submission", ERROR,
          "{reviewer} heeft twee werkmappen ingeleverd: {first} en {file}. Alleen {first} "
          "telt mee; verwijder de verkeerde."),
    _kind("duplicate-self-evaluation", ERROR,
          "Er zijn twee zelfevaluaties: {first} en {file}. Alleen {first} telt mee."),
    _kind("self-evaluation-as-review", ERROR,
          "De werkmap {file} is een beoordeling door de organisatie zelf ('{reviewer}'); "
          "een zelfevaluatie telt niet als beoordeling."),
    _kind("too-few-reviewers", WARNING,
          "Er {verb} {organisations}; voor een registratie zijn er minstens {minimum} "
          "nodig."),
    _kind("too-few-ratings", WARNING,
          "Norm {norm_id} is door {reviewers} beoordeeld; voor een registratie "
          "zijn er minstens {minimum} nodig."),
    _kind("reported-incomplete", WARNING,
          "Gerapporteerd op verzoek terwijl niet alles binnen of in orde was ({items}); de "
          "documenten zeggen dat."),
    _kind("workbook-not-counted", WARNING,
          "De werkmap {label} is binnen, maar telt niet mee: {reason}."),
    _kind("reviewer-not-in-manifest", WARNING,
          "{reviewer} staat niet meer in het manifest, maar telt mee als beoordelaar: het "
          "tabblad van {reviewer} hoort bij de gedeelde werkmap, en die blijft zoals hij is "
          "uitgegeven. Wilt u dat niet, geef de toetsing dan een nieuw nummer."),
    _kind("override-without-motivation", ERROR,
          "Het eindoordeel van norm {norm_id} is gewijzigd zonder motivering; vul de kolom "
          "'Motivering' in. Het eindoordeel is niet overgenomen."),
    _kind("override-unknown-norm", ERROR,
          "Norm '{norm_id}' hoort niet bij deze toetsing; het eindoordeel is genegeerd."),
    # the round's manifest
    _kind("manifest-missing-value", ERROR,
          "Rij {row}: '{label}' is niet ingevuld; deze toetsing wordt overgeslagen."),
    _kind("manifest-invalid-value", ERROR,
          "'{value}' is geen geldige waarde voor '{label}'. Kies uit: {allowed}. De rij "
          "wordt overgeslagen."),
    _kind("manifest-duplicate-id", ERROR,
          "Toetsing '{value}' staat al eerder in het manifest ({first}); deze rij wordt "
          "overgeslagen."),
    _kind("manifest-duplicate-reviewer", ERROR,
          "'{value}' staat twee keer bij 'Beoordelaars' (namen worden vergeleken zonder "
          "verschil in hoofdletters, spaties of accenttekens); de rij wordt overgeslagen."),
    _kind("manifest-control-character", ERROR,
          "'{label}' bevat een onzichtbaar stuurteken ({char}) dat niet in een naam, adres of "
          "nummer hoort; typ de waarde opnieuw. De rij wordt overgeslagen."),
    _kind("manifest-self-review", ERROR,
          "'{value}' bij '{label}' is de organisatie zelf; een organisatie beoordeelt "
          "zichzelf niet. De rij wordt overgeslagen."),
    _kind("manifest-too-few-reviewers", WARNING,
          "Een intercollegiale adviesmeting heeft minstens {minimum} beoordelaars nodig; deze "
          "rij noemt er {count}. De werkmappen worden uitgegeven, maar zonder meer "
          "beoordelaars wordt het advies 'onvolledig'."),
    _kind("manifest-date-as-id", WARNING,
          "Excel heeft de Toetsing als datum opgeslagen; kwl gebruikt '{value}'. Bedoelde u "
          "een ander nummer, typ het dan opnieuw met een ' ervoor (bijvoorbeeld '2026-014)."),
    _kind("manifest-deadline-past", WARNING,
          "De Inleverdatum {value} ligt vóór vandaag ({today}), de dag van uitgifte; de "
          "werkmappen worden uitgegeven met een datum die al voorbij is."),
    _kind("manifest-empty", WARNING,
          "Het manifest {file} heeft nog geen rijen; vul op tabblad '{sheet}' vanaf rij {row} "
          "één rij per toetsing in."),
    _kind("manifest-shared-too-few", WARNING,
          "Werkmap 'gedeeld' is voor twee of meer collega-organisaties; deze toetsing "
          "({variant}) heeft er {count}. De werkmappen worden per beoordelaar uitgegeven."),
    _kind("manifest-workbook-mode-changed", WARNING,
          "Toetsing {assessment}: {detail} Wat is uitgegeven blijft gelden; er wordt niets "
          "opnieuw uitgegeven."),
    _kind("manifest-reviewer-removed", WARNING,
          "Toetsing {assessment}: de werkmap {label} is al uitgegeven, maar wordt niet meer "
          "verwacht en telt niet mee, ook niet als hij toch terugkomt: {reason}."),
    _kind("workbook-name-taken", ERROR,
          "{file} is al de werkmap van {owner}; voor {label} wordt geen werkmap gemaakt. "
          "Pas de naam in het manifest aan."),
    # collecting returned files
    _kind("foreign-workbook", ERROR, "{file}: {reason}"),
    # Word templates (kwl templates check)
    _kind("template-missing", ERROR, "Sjabloon {file} ontbreekt."),
    _kind("template-syntax", ERROR, "Sjabloon {file}: de tags kloppen niet ({detail})."),
    _kind("template-unknown-field", ERROR,
          "Sjabloon {file} gebruikt het onbekende veld '{field}'."),
    _kind("template-broken-tag", ERROR,
          "Sjabloon {file}: na het vullen staat er nog '{fragment}' in de tekst; Word heeft "
          "een tag waarschijnlijk opgeknipt of een haakje ontbreekt."),
    _kind("template-unsafe", ERROR,
          "Sjabloon {file} probeert buiten zijn velden te komen (interne Python-onderdelen); "
          "een sjabloon is een document met velden, geen programma."),
    _kind("template-unused-field", WARNING,
          "Sjabloon {file} gebruikt het veld '{field}' niet, het meegeleverde sjabloon wel."),
    _kind("template-unreadable", ERROR, "Sjabloon {file} {reason}."),
    _kind("template-misnamed", WARNING,
          "{file} wordt niet gebruikt; bedoelt u {meant}? Alleen een Word-document (.docx) "
          "met precies die naam vervangt het ingebouwde sjabloon."),
    _kind("template-unknown-file", WARNING,
          "{file} wordt niet gebruikt: geen sjabloon heet zo (de sjablonen heten {names})."),
    _kind("template-folder-unused", WARNING,
          "In de map {file} staat geen enkel sjabloon: alle {count} zijn de ingebouwde. Een "
          "eigen sjabloon heet precies als het ingebouwde, bijvoorbeeld {example}."),
    # the mapping between two catalogue versions (kwl catalogue check --mapping)
    _kind("mapping-catalogue-mismatch", ERROR,
          "De mapping noemt bij '{side}' normenkader {found}, maar gecontroleerd wordt met "
          "{expected} (een andere vingerafdruk). Geef het juiste normenkader op of maak de "
          "mapping opnieuw met kwl catalogue diff."),
    _kind("mapping-unknown-norm", ERROR,
          "Norm '{norm_id}' (bij '{side}') staat niet in normenkader {catalogue}; tikfout?"),
    _kind("mapping-norm-missing", WARNING,
          "Norm {norm_id} van de vorige versie staat niet in de mapping en telt dus als "
          "vervallen; zet hem erin als hij een opvolger heeft."),
    _kind("mapping-target-twice", WARNING,
          "Norm {norm_id} van de nieuwe versie komt voort uit {sources}: een samenvoeging. "
          "Oordelen op deze norm zijn nooit vergelijkbaar met die van de vorige versie."),
)}
#: the same table under its earlier name
FINDING_KINDS = KINDS


class Finding(BaseModel):
    """One problem, located as precisely as the input allows."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    severity: Severity
    sheet: str | None = None
    cell: str | None = None
    norm_id: str | None = None
    message: str
    file: str | None = None

    def location(self) -> str:
        """Human-readable place, e.g. ``Vakmanschap!E7``."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or self.cell or ""

    def to_json(self) -> dict[str, Any]:
        """The §5 machine-interface shape (``file`` only when set)."""
        data = self.model_dump(mode="json")
        if data["file"] is None:
            del data["file"]
        return data


def make_finding(
    code: FindingCode,
    *,
    sheet: str | None = None,
    cell: str | None = None,
    norm_id: str | None = None,
    file: str | None = None,
    **params: Any,
) -> Finding:
    """Create a finding of a declared kind, its Dutch message filled from ``params``.

    ``params`` must be exactly the values the kind's template uses: a missing or an unknown
    one is a programming error (:class:`TypeError`), found by the first test that makes it.
    """
    kind = KINDS[code]
    given = set(params)
    if given != kind.fields:
        raise TypeError(f"finding {code!r}: template needs {sorted(kind.fields)}, "
                        f"got {sorted(given)}")
    message = kind.template.format(sheet=sheet, cell=cell, norm_id=norm_id, file=file, **params)
    return Finding(
        code=code,
        severity=kind.severity,
        sheet=sheet,
        cell=cell,
        norm_id=norm_id,
        message=message,
        file=file,
    )


class Report(BaseModel):
    """A list of findings with the questions callers ask of it."""

    model_config = ConfigDict(extra="forbid")

    # a factory: pydantic deep-copies a mutable default for every new report
    findings: list[Finding] = Field(default_factory=list)

    @property
    def valid(self) -> bool:
        """True when there is no finding of severity error."""
        return not self.errors

    @property
    def errors(self) -> list[Finding]:
        """Findings of severity error."""
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        """Findings of severity warning."""
        return [f for f in self.findings if f.severity is Severity.WARNING]

    def add(self, finding: Finding) -> None:
        """Append one finding."""
        self.findings.append(finding)

    def extend(self, findings: Iterable[Finding]) -> None:
        """Append several findings."""
        self.findings.extend(findings)

    def flatten(self, keys: Sequence[str] = ("code", "sheet", "cell")) -> list[tuple[Any, ...]]:
        """Findings as tuples of the given attributes, for short assertions in tests."""
        return [tuple(getattr(f, k) for k in keys) for f in self.findings]

    def codes(self) -> set[str]:
        """The set of finding codes present."""
        return {f.code for f in self.findings}

    def raise_for_errors(self) -> None:
        """Raise :class:`~kwl_office.errors.FindingsError` when there are errors; the caller
        decides whether they are fatal."""
        if self.errors:
            first = self.errors[0]
            more = f" (en {len(self.errors) - 1} meer)" if len(self.errors) > 1 else ""
            raise FindingsError(f"{first.location()}: {first.message}{more}",
                                codes=[f.code for f in self.errors])
