"""Catalogue ⇄ Excel: info, norms, domains, scale and policy sheets.

The norms sheet is flat (one row per norm, with its domain and quality value) so that the
secretariat can edit the whole normenkader in one table. Errors name ``sheet!cell``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError

from kwl_office import texts_nl as T
from kwl_office.atomic import atomic_path
from kwl_office.catalogue.model import (
    Catalogue,
    Policy,
    ScaleRole,
    validation_message,
)
from kwl_office.errors import CatalogueError
from kwl_office.excel.style import (
    BODY_FONT,
    WRAP_TOP,
    fit_row_height,
    header_cells,
    lines_height,
    list_validation,
    print_setup,
    text_lines,
)
from kwl_office.names import normalise_token

Place = tuple[str | int, ...]

INFO_KEYS = ("id", "titel", "versie", "taal")
# (widths: the norms sheet prints on A4 landscape at 8.5 pt or more, see excel.style)
NORM_COLUMNS = (
    ("domain_id", "Domein-id", 10),
    ("domain", "Domein", 14),
    ("value_id", "Kwaliteitswaarde-id", 16),
    ("value", "Kwaliteitswaarde", 18),
    ("norm_id", "Norm-id", 8),
    ("text", "Normtekst", 36),
    ("guidance", "Toelichting", 28),
    ("evidence", "Bewijs (één per regel)", 24),
    ("distinctive", "Onderscheidend", 15),
)
DESCRIPTION_COLUMNS = (
    ("id", "Id", 10), ("title", "Titel", 35), ("description", "Omschrijving", 80),
)
SCALE_COLUMNS = (("code", "Code", 10), ("label", "Label", 25), ("score", "Score", 10),
                 ("rol", "Rol", 12), ("kleur", "Kleur", 12))
POLICY_COLUMNS = (("key", "Sleutel", 32), ("value", "Waarde", 12), ("doc", "Uitleg", 80))


# --- writing ---------------------------------------------------------------------------------


def save_xlsx(catalogue: Catalogue, path: Path) -> Path:
    """Write the catalogue as an Excel workbook, atomically."""
    wb = Workbook()
    info = wb.active
    assert info is not None
    info.title = T.CATALOGUE_SHEET_INFO
    data = catalogue.to_data()
    info.append(["Sleutel", "Waarde"])
    for key in INFO_KEYS:
        info.append([key, data[key]])
    _style_sheet(info, (("k", "Sleutel", 12), ("v", "Waarde", 70)), catalogue)

    norms = wb.create_sheet(T.CATALOGUE_SHEET_NORMS)
    norms.append([label for _, label, _ in NORM_COLUMNS])
    for domain in catalogue.domains:
        for value in domain.quality_values:
            for norm in value.norms:
                norms.append([
                    domain.id, domain.title, value.id, value.title, norm.id, norm.text,
                    norm.guidance, "\n".join(norm.evidence), T.YES if norm.distinctive else T.NO,
                ])
    _style_sheet(norms, NORM_COLUMNS, catalogue)

    domains = wb.create_sheet(T.CATALOGUE_SHEET_DOMAINS)
    domains.append([label for _, label, _ in DESCRIPTION_COLUMNS])
    for domain in catalogue.domains:
        domains.append([domain.id, domain.title, domain.description])
        for value in domain.quality_values:
            domains.append([value.id, value.title, value.description])
    _style_sheet(domains, DESCRIPTION_COLUMNS, catalogue)

    scale = wb.create_sheet(T.CATALOGUE_SHEET_SCALE)
    scale.append([label for _, label, _ in SCALE_COLUMNS])
    for level in catalogue.scale:
        scale.append([level.code, level.label, level.score, level.role.value, level.colour])
        scale.cell(scale.max_row, 2).fill = PatternFill("solid", fgColor=level.colour)
    _style_sheet(scale, SCALE_COLUMNS, catalogue)
    # the role decides what a level means for the advice: offer exactly the allowed values
    roles = list_validation('"' + ",".join(r.value for r in ScaleRole) + '"', strict=True)
    role_column = get_column_letter([key for key, _, _ in SCALE_COLUMNS].index("rol") + 1)
    roles.add(f"{role_column}2:{role_column}50")
    scale.add_data_validation(roles)

    policy = wb.create_sheet(T.CATALOGUE_SHEET_POLICY)
    policy.append([label for _, label, _ in POLICY_COLUMNS])
    policy_data = catalogue.policy.model_dump(by_alias=True)
    for name, field in Policy.model_fields.items():
        alias = field.alias or name
        policy.append([alias, policy_data[alias], T.POLICY_DOCS.get(alias, "")])
    _style_sheet(policy, POLICY_COLUMNS, catalogue)

    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def _style_sheet(ws: Worksheet, columns: tuple[tuple[str, str, int], ...],
                 catalogue: Catalogue) -> None:
    """House header row, wrapped 10 pt cells with rows as high as their text (a hint: they
    still grow when edited), frozen header, printed with the header row on every page."""
    widths = [width for _, _, width in columns]
    header_cells(ws, 1, [label for _, label, _ in columns], widths=widths)
    fit_row_height(ws, 1, lines_height(max(
        text_lines(label, width, bold=True) for _, label, width in columns)))
    for row in ws.iter_rows(min_row=2):
        lines = 1
        for cell, width in zip(row, widths, strict=False):
            cell.alignment = WRAP_TOP
            cell.font = BODY_FONT
            if cell.value is not None:
                lines = max(lines, text_lines(str(cell.value), width))
        fit_row_height(ws, row[0].row, lines_height(lines))
    ws.freeze_panes = "A2"
    print_setup(ws, title_row=1,
                header=(T.catalogue_name(catalogue.title, catalogue.version), ws.title))


# --- reading ---------------------------------------------------------------------------------


def load_xlsx(path: Path) -> Catalogue:
    """Load a catalogue workbook; errors carry ``sheet!cell``."""
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many unrelated types for damaged files
        raise CatalogueError(f"kan de werkmap niet openen ({type(err).__name__})",
                             place=path.name) from err
    try:
        places: dict[Place, str] = {}
        data = _read_info(wb, places)
        data["domeinen"] = _read_norms(wb, places)
        data["schaal"] = _read_scale(wb, places)
        policy = _read_policy(wb, places)
        if policy is not None:
            data["beleid"] = policy
    finally:
        wb.close()
    try:
        return Catalogue.model_validate(data)
    except ValidationError as err:
        loc, detail = validation_message(
            err, lambda other: _place_for(other, places) or path.name)
        raise CatalogueError(detail, place=_place_for(loc, places) or path.name) from err


def _sheet_rows(wb: Any, name: str, *, required: bool = True) -> list[tuple[Any, ...]] | None:
    if name not in wb.sheetnames:
        if required:
            raise CatalogueError(T.CATALOGUE_ERRORS["missing-sheet"].format(sheet=name))
        return None
    return [tuple(row) for row in wb[name].iter_rows(values_only=True)]


def _columns(
    rows: list[tuple[Any, ...]], sheet: str, columns: tuple[tuple[str, str, int], ...],
    optional: tuple[str, ...] = (),
) -> dict[str, int]:
    header = [normalise_token(str(v)) if v is not None else "" for v in (rows[0] if rows else ())]
    found: dict[str, int] = {}
    for key, label, _ in columns:
        token = normalise_token(label)
        if token in header:
            found[key] = header.index(token)
        elif key not in optional:
            raise CatalogueError(
                T.CATALOGUE_ERRORS["missing-column"].format(column=label, sheet=sheet),
                place=f"{sheet}!1",
            )
    return found


def _cell(row: tuple[Any, ...], index: int | None) -> Any:
    if index is None or index >= len(row):
        return None
    value = row[index]
    return value.strip() if isinstance(value, str) else value


def _ref(sheet: str, row: int, col: int) -> str:
    return f"{sheet}!{get_column_letter(col + 1)}{row}"


def _read_info(wb: Any, places: dict[Place, str]) -> dict[str, Any]:
    sheet = T.CATALOGUE_SHEET_INFO
    rows = _sheet_rows(wb, sheet) or []
    data: dict[str, Any] = {}
    for r, row in enumerate(rows[1:], start=2):
        key = _cell(row, 0)
        if isinstance(key, str) and key in INFO_KEYS:
            value = _cell(row, 1)
            data[key] = "" if value is None else str(value)
            places[(key,)] = _ref(sheet, r, 1)
    return data


def _read_norms(wb: Any, places: dict[Place, str]) -> list[dict[str, Any]]:
    sheet = T.CATALOGUE_SHEET_NORMS
    rows = _sheet_rows(wb, sheet) or []
    cols = _columns(rows, sheet, NORM_COLUMNS, optional=("guidance", "evidence", "distinctive"))
    descriptions = _read_descriptions(wb)
    domains: dict[str, dict[str, Any]] = {}
    values: dict[str, dict[str, Any]] = {}
    for r, row in enumerate(rows[1:], start=2):
        norm_id = _cell(row, cols["norm_id"])
        if norm_id is None or norm_id == "":
            continue
        domain_id = str(_cell(row, cols["domain_id"]) or "")
        value_id = str(_cell(row, cols["value_id"]) or "")
        if domain_id not in domains:
            d_index = len(domains)
            domains[domain_id] = {
                "id": domain_id,
                "titel": str(_cell(row, cols["domain"]) or ""),
                "omschrijving": descriptions.get(domain_id, ""),
                "kwaliteitswaarden": [],
            }
            places[("domeinen", d_index)] = _ref(sheet, r, cols["domain_id"])
            places[("domeinen", d_index, "id")] = _ref(sheet, r, cols["domain_id"])
            places[("domeinen", d_index, "titel")] = _ref(sheet, r, cols["domain"])
        domain = domains[domain_id]
        d_index = list(domains).index(domain_id)
        if value_id not in values:
            v_index = len(domain["kwaliteitswaarden"])
            values[value_id] = {
                "id": value_id,
                "titel": str(_cell(row, cols["value"]) or ""),
                "omschrijving": descriptions.get(value_id, ""),
                "normen": [],
            }
            domain["kwaliteitswaarden"].append(values[value_id])
            base: Place = ("domeinen", d_index, "kwaliteitswaarden", v_index)
            places[base] = _ref(sheet, r, cols["value_id"])
            places[(*base, "id")] = _ref(sheet, r, cols["value_id"])
            places[(*base, "titel")] = _ref(sheet, r, cols["value"])
        value = values[value_id]
        v_index = domain["kwaliteitswaarden"].index(value)
        n_index = len(value["normen"])
        evidence = _cell(row, cols.get("evidence"))
        distinctive = _cell(row, cols.get("distinctive"))
        value["normen"].append({
            "id": str(norm_id),
            "tekst": "" if _cell(row, cols["text"]) is None else str(_cell(row, cols["text"])),
            "toelichting": str(_cell(row, cols.get("guidance")) or ""),
            "bewijs": [line.strip() for line in str(evidence or "").splitlines() if line.strip()],
            "onderscheidend": _parse_yes_no(distinctive),
        })
        base = ("domeinen", d_index, "kwaliteitswaarden", v_index, "normen", n_index)
        places[base] = _ref(sheet, r, cols["norm_id"])
        for key, col in (("id", "norm_id"), ("tekst", "text"), ("toelichting", "guidance"),
                         ("bewijs", "evidence"), ("onderscheidend", "distinctive")):
            if col in cols:
                places[(*base, key)] = _ref(sheet, r, cols[col])
    return list(domains.values())


def _parse_yes_no(value: Any) -> Any:
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    token = normalise_token(str(value))
    if token in {"ja", "j", "yes", "y", "true", "waar", "1", "x"}:
        return True
    if token in {"nee", "n", "no", "false", "onwaar", "0"}:
        return False
    return str(value)  # let validation report it at its cell


def _read_descriptions(wb: Any) -> dict[str, str]:
    rows = _sheet_rows(wb, T.CATALOGUE_SHEET_DOMAINS, required=False)
    if not rows:
        return {}
    cols = _columns(rows, T.CATALOGUE_SHEET_DOMAINS, DESCRIPTION_COLUMNS, optional=("title",))
    result: dict[str, str] = {}
    for row in rows[1:]:
        key = _cell(row, cols["id"])
        if key is not None:
            result[str(key)] = str(_cell(row, cols["description"]) or "")
    return result


def _read_scale(wb: Any, places: dict[Place, str]) -> list[dict[str, Any]]:
    sheet = T.CATALOGUE_SHEET_SCALE
    rows = _sheet_rows(wb, sheet) or []
    cols = _columns(rows, sheet, SCALE_COLUMNS, optional=("kleur",))
    places[("schaal",)] = f"{sheet}!1"  # a problem of the whole scale: its header row
    scale: list[dict[str, Any]] = []
    for r, row in enumerate(rows[1:], start=2):
        code = _cell(row, cols["code"])
        if code is None or code == "":
            continue
        score = _cell(row, cols["score"])
        if isinstance(score, float) and score.is_integer():
            score = int(score)
        if score == "":
            score = None
        role = _cell(row, cols["rol"])
        item: dict[str, Any] = {"code": str(code), "label": str(_cell(row, cols["label"]) or ""),
                                "score": score}
        if role not in (None, ""):
            item["rol"] = normalise_token(str(role))
        colour = _cell(row, cols.get("kleur"))
        if colour:
            item["kleur"] = str(colour).lstrip("#")
        index = len(scale)
        scale.append(item)
        for key in ("code", "label", "score", "rol", "kleur"):
            if key in cols:
                places[("schaal", index, key)] = _ref(sheet, r, cols[key])
        places[("schaal", index)] = _ref(sheet, r, cols["code"])
    return scale


def _read_policy(wb: Any, places: dict[Place, str]) -> dict[str, Any] | None:
    sheet = T.CATALOGUE_SHEET_POLICY
    rows = _sheet_rows(wb, sheet, required=False)
    if rows is None:
        return None
    cols = _columns(rows, sheet, POLICY_COLUMNS, optional=("doc",))
    policy: dict[str, Any] = {}
    for r, row in enumerate(rows[1:], start=2):
        key = _cell(row, cols["key"])
        if key is None or key == "":
            continue
        value = _cell(row, cols["value"])
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        policy[str(key)] = value
        places[("beleid", str(key))] = _ref(sheet, r, cols["value"])
        places[("beleid",)] = _ref(sheet, r, cols["key"])
    return policy


def _place_for(loc: tuple[str | int, ...], places: dict[Place, str]) -> str | None:
    for end in range(len(loc), 0, -1):
        if loc[:end] in places:
            return places[loc[:end]]
    return None
