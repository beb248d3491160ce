"""The signed identity of a returned workbook: which workbook it is, of which assessment
and reviewer, and whether the round's key signed it.

The writer puts the identity twice: on the hidden sheet ``_kwl`` and in the custom document
properties. Both are read and compared (an edit to either one is ``identity-tampered``), the
sheet's values are verified (a program that drops custom properties, such as Google Sheets,
leaves the sheet), and the catalogue the workbook was made from is compared with the one it
is read with.
"""

from __future__ import annotations

from pydantic import ValidationError

from kwl_office import texts_nl as T
from kwl_office.assessment import Identity
from kwl_office.catalogue import Catalogue
from kwl_office.excel import layout as L
from kwl_office.excel.container import OpenedFile
from kwl_office.excel.sheets import SheetSource, cell_text
from kwl_office.findings import Finding, Report, make_finding
from kwl_office.identity import verify

_IDENTITY_KEYS = frozenset(L.IDENTITY_KEYS)
#: (identity key, the document property that mirrors it)
_IDENTITY_PROPERTIES = tuple((key, L.PROPERTY_PREFIX + key) for key in L.IDENTITY_KEYS)


def read_identity(
    book: SheetSource, opened: OpenedFile, catalogue: Catalogue, key: bytes | None,
    report: Report, key_name: str | None = None,
) -> Identity | None:
    """The signed identity from the hidden sheet (and the document properties that mirror
    it), checked against ``catalogue`` and ``key``; problems are added to ``report``.
    ``key_name``: where ``key`` came from, named when the signature does not match it.
    ``None`` when the workbook has none."""
    sheet_values: dict[str, str] = {}
    identity_sheet = next(
        (n for n in book.names if n.casefold() == L.SHEET_IDENTITY.casefold()), None)
    if identity_sheet is not None:
        for row in book.rows(identity_sheet):
            if len(row) >= 2:
                name = cell_text(row[0])
                if name in _IDENTITY_KEYS:
                    sheet_values[name] = cell_text(row[1])
    properties = opened.properties
    prop_values = {key: value.strip() for key, prop in _IDENTITY_PROPERTIES
                   if (value := properties.get(prop)) is not None}
    values = sheet_values or prop_values
    if not values:
        report.add(make_finding("identity-missing", sheet=L.SHEET_IDENTITY, detail=""))
        return None
    if sheet_values and prop_values and sheet_values != prop_values:
        differing = sorted(k for k in L.IDENTITY_KEYS
                           if sheet_values.get(k, "") != prop_values.get(k, ""))
        if differing:
            report.add(make_finding("identity-tampered", sheet=L.SHEET_IDENTITY,
                                    detail=f" ({', '.join(differing)})"))
    try:
        identity = Identity.model_validate(values)
    except ValidationError as err:
        fields = sorted({str(e["loc"][0]) for e in err.errors() if e["loc"]})
        report.add(make_finding("identity-missing", sheet=L.SHEET_IDENTITY,
                                detail=f" ({', '.join(fields)})"))
        return None
    if not sheet_values:
        # the properties are the only copy left: nothing is lost, but a program that drops
        # them (Google Sheets) would leave the workbook without any identity
        report.add(make_finding("identity-sheet-missing", sheet=L.SHEET_IDENTITY,
                                gone=T.IDENTITY_SHEET_GONE[
                                    "deleted" if identity_sheet is None else "emptied"]))
    if identity.layout_version != L.LAYOUT_VERSION:
        report.add(make_finding("layout-version", sheet=L.SHEET_IDENTITY,
                                found=identity.layout_version, expected=L.LAYOUT_VERSION))
    if not identity.signature:
        report.add(make_finding("identity-missing", sheet=L.SHEET_IDENTITY,
                                detail=" (handtekening ontbreekt)"))
    elif key is None:
        report.add(make_finding("signature-unverified", sheet=L.SHEET_IDENTITY))
    elif not verify(identity, key):
        # edited, or signed with another key: which one cannot be told apart, but the key
        # that was used can be named, with the way to give the right one
        report.add(make_finding("identity-tampered", sheet=L.SHEET_IDENTITY, detail=(
            T.IDENTITY_KEY_USED.format(path=key_name) if key_name else "")))
    if identity.catalogue_fingerprint != catalogue.fingerprint:
        report.add(make_finding(
            "catalogue-mismatch", sheet=L.SHEET_IDENTITY,
            found=f"{identity.catalogue_id} {identity.catalogue_version}",
            expected=f"{catalogue.id} {catalogue.version}",
        ))
    return identity


def wrong_kind(found: str, expected: str, *, file: str | None = None) -> Finding:
    """The ``wrong-kind`` finding for a workbook of kind ``found`` where one of ``expected``
    is needed (kinds as the identity has them: ``peer``, ``geconsolideerd``). It says what a
    person can see, the title on top of the start sheet, and is located there; never at the
    hidden identity sheet, which nobody sees."""
    shown = T.WRONG_KIND_FOUND.get(found)
    return make_finding(
        "wrong-kind", sheet=L.SHEET_START if shown else None,
        cell=L.START_KIND_CELL if shown else None, file=file,
        found=shown or T.WRONG_KIND_FOUND_OTHER.format(kind=found),
        expected=T.WRONG_KIND_NEEDED.get(expected, expected))


__all__ = ["read_identity", "wrong_kind"]
