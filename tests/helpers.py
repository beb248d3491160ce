"""Test helpers: generate workbooks, fill them in code as a person would, mutate them."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from kwl_office.assessment import Kind
from kwl_office.batch.demo import find_columns
from kwl_office.batch.folder import RoundFolder, init_round
from kwl_office.batch.issue import load_index
from kwl_office.batch.manifest import COLUMNS, HEADER_ROW
from kwl_office.catalogue import Catalogue, load_example_catalogue
from kwl_office.documents.examples import EXAMPLE_SENDER
from kwl_office.excel import layout as L
from kwl_office.excel.reader import sheet_owner
from kwl_office.excel.stamp import WorkbookStamper
from kwl_office.excel.writer import (
    WorkbookSpec,
    build_workbook,
    signed_identity,
    workbook_package,
    write_workbook,
)
from kwl_office.identity import sign

DATA = Path(__file__).parent / "data"
#: when tests that name a fixed decision day issue their workbooks: before every such day, as
#: a real decision lies after the workbooks its advice rests on were issued
ISSUE_DAY = datetime(2026, 11, 2, 9, tzinfo=UTC)
KEY = bytes.fromhex("00112233445566778899aabbccddeeff" * 2)
OTHER_KEY = bytes.fromhex("ffeeddccbbaa99887766554433221100" * 2)

HOST = "Stichting Welzijn Oost (fictief)"
REVIEWER = "Sociaal Werk Noord (fictief)"
ASSESSMENT = "2026-014"

#: spellings people really type, each with the scale code it means
MESSY_RATINGS: list[tuple[Any, str]] = [
    ("v", "V"),
    ("Voldoet", "V"),
    (" VOLDOET DEELS ", "D"),
    ("voldoet  deels", "D"),
    ("2", "V"),
    ("2.0", "V"),
    (2, "V"),
    (1.0, "D"),
    (0, "N"),
    ("Voldoet niet", "N"),
    ("n.v.t.", "NVT"),
    ("NVT", "NVT"),
    ("nvt", "NVT"),
    ("N.V.T", "NVT"),
    ("Niet van toepassing", "NVT"),
    ("d", "D"),
]
MESSY_TEXTS = [
    "Regelmatig intervisie,\nmet verslag in het dossier.",
    "Sterk punt 🙂 — inwoners <voelen> zich gehoord & serieus genomen",
    "Let op {{ template }} en {% tags %}",
    "  spaties rondom  ",
    "Tekst met\r\nWindows-regeleinde",
    "Ééntje met accenten: coördinatie, cliënt, café",
]


def zip_bytes(parts: dict[str, bytes]) -> bytes:
    """A zip file in memory holding ``parts`` (name → bytes), for containers made by hand."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def examples(full: int) -> int:
    """Hypothesis examples for a property: ``full`` in CI (``KWL_HYPOTHESIS=ci``), a fifth
    (at least 10) while developing, so the fast lane stays fast and CI stays thorough."""
    if os.environ.get("KWL_HYPOTHESIS") == "ci":
        return full
    return max(10, full // 5)


#: ratings of an organisation that is well on its way (V, D, N, NVT weights)
GOOD = (93, 6, 0, 1)
#: the variants of the test round: every kind of assessment, peer review most often
ROUND_VARIANTS = ["intercollegiaal", "intercollegiaal", "intercollegiaal", "audit", "audit",
                  "combinatie", "combinatie", "hkz-iso", "hkz-iso", "zelfevaluatie",
                  "zelfevaluatie", "intercollegiaal"]


def round_rows() -> list[list[object]]:
    """Manifest rows of the test round (12 assessments, then one row with a missing host)."""
    rows: list[list[object]] = []
    for i, variant in enumerate(ROUND_VARIANTS, start=1):
        reviewers = "; ".join(f"Collega {i}-{r} (fictief)" for r in "AB") \
            if variant in ("intercollegiaal", "combinatie") else ""
        ci = f"CI {i} (fictief)" if variant in ("audit", "combinatie", "hkz-iso") else ""
        rows.append([f"2026-{i:03d}", f"Organisatie {i:02d} (fictief)", f"Contact {i}",
                     f"Straat {i}; 1000 AA Plaats", "", variant, reviewers, ci,
                     date(2027, 1, 15), None])
    rows.append(["2026-099", "", "", "", "", "intercollegiaal", "", "", None, None])  # bad row
    return rows


def spec(kind: Kind, **kw: Any) -> WorkbookSpec:
    """A workbook spec for the test host/reviewer."""
    reviewer = "" if kind is Kind.SELF_EVALUATION else REVIEWER
    return WorkbookSpec(kind=kind, assessment_id=kw.pop("assessment_id", ASSESSMENT),
                        host=kw.pop("host", HOST), reviewer=kw.pop("reviewer", reviewer), **kw)


_STAMPERS: dict[tuple[str, bool], WorkbookStamper] = {}


def generate(path: Path, kind: Kind, catalogue: Catalogue | None = None, *,
             key: bytes = KEY, **kw: Any) -> Path:
    """Write a fresh workbook of ``kind`` to ``path`` (stamped as a round issues it; with a
    mirror built in full, as ``kwl workbook`` does; test_stamp holds the two equal)."""
    mirror = kw.pop("mirror", None)
    macros = kw.pop("macros", False)
    issued_at = kw.pop("issued_at", None)
    catalogue = catalogue or load_example_catalogue()
    if mirror is not None:
        write_workbook(path, spec(kind, **kw), catalogue, key=key, mirror=mirror,
                       macros=macros, issued_at=issued_at)
        return path
    stamper_key = (catalogue.model_dump_json(), macros)
    if stamper_key not in _STAMPERS:
        _STAMPERS[stamper_key] = WorkbookStamper(catalogue, macros=macros)
    _STAMPERS[stamper_key].write(path, spec(kind, **kw), key=key, issued_at=issued_at)
    return path


def generate_as_signed(path: Path, kind: Kind, catalogue: Catalogue | None = None, *,
                       key: bytes = KEY, **identity: Any) -> Path:
    """A workbook whose signed identity holds what today's writer refuses to issue (e.g. a
    host reviewing itself), as an older kwl or a hand-made workbook with the key would."""
    catalogue = catalogue or load_example_catalogue()
    issued = signed_identity(spec(kind), catalogue, key=key)
    forged = sign(issued.model_copy(update={**identity, "signature": ""}), key)
    path.write_bytes(workbook_package(build_workbook(forged, catalogue), macros=False))
    return path


def norm_rows(ws: Any) -> dict[str, int]:
    """Norm id → row number on a domain sheet."""
    located = find_columns(ws)
    assert located is not None
    header, cols = located
    result = {}
    for r in range(header + 1, ws.max_row + 1):
        value = ws.cell(r, cols["norm_id"]).value
        if value:
            result[str(value)] = r
    return result


def domain_sheets(wb: Workbook) -> list[Any]:
    """The sheets that hold norm rows."""
    return [ws for ws in wb.worksheets if find_columns(ws) is not None]


def fill(path: Path, answers: dict[str, dict[str, Any]], out: Path | None = None) -> Path:
    """Type ``answers`` (norm id → column key → value) into the workbook like a person."""
    wb = load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm")
    for ws in domain_sheets(wb):
        located = find_columns(ws)
        assert located is not None
        _, cols = located
        for norm_id, row in norm_rows(ws).items():
            for key, value in answers.get(norm_id, {}).items():
                ws.cell(row, cols[key]).value = value
    out = out or path
    wb.save(out)
    return out


def fill_all(path: Path, catalogue: Catalogue, rating: Any = "V",
             out: Path | None = None) -> Path:
    """Give every norm of the workbook a rating: a complete, valid workbook to mutate."""
    return fill(path, {n.id: {"rating": rating} for n in catalogue.norms()}, out)


def messy_answers(catalogue: Catalogue, kind: Kind, norm_ids: Iterable[str] | None = None
                  ) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """Answers typed with messy spellings, and what the reader must make of them."""
    ids = list(norm_ids) if norm_ids is not None else [n.id for n in catalogue.norms()]
    typed: dict[str, dict[str, Any]] = {}
    meant: dict[str, dict[str, Any]] = {}
    for i, norm_id in enumerate(ids):
        raw, code = MESSY_RATINGS[i % len(MESSY_RATINGS)]
        text = MESSY_TEXTS[i % len(MESSY_TEXTS)]
        clean = text.replace("\r\n", "\n").strip()
        typed[norm_id] = {"rating": raw}
        meant[norm_id] = {"rating": code}
        if kind is Kind.SELF_EVALUATION:
            typed[norm_id] |= {"comment_self": text, "evidence": f"Document {i}",
                               "improvements": None if i % 3 else "Scholing plannen",
                               "accent": "Ja" if i % 4 == 0 else None}
            meant[norm_id] |= {"comment": clean, "evidence": f"Document {i}",
                               "improvements": None if i % 3 else "Scholing plannen",
                               "accent": i % 4 == 0}
        else:
            typed[norm_id] |= {"comment_review": text, "strengths": f"Sterk {i}",
                               "learning_points": None if i % 2 else f"Leerpunt {i}"}
            meant[norm_id] |= {"comment": clean, "strengths": f"Sterk {i}",
                               "learning_points": None if i % 2 else f"Leerpunt {i}"}
    return typed, meant


def mutate(path: Path, change: Callable[[Workbook], None], out: Path | None = None) -> Path:
    """Open with openpyxl, apply ``change``, save (to ``out`` or in place)."""
    wb = load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm")
    change(wb)
    out = out or path
    wb.save(out)
    return out


TEAM = ("Sociaal Werk Noord (fictief)", "Buurtwerk Zuid (fictief)", "Welzijn West (fictief)")


def team_sheets(wb: Workbook) -> dict[str, Any]:
    """Owner ("Ingevuld door") → sheet, for the sheets of a team workbook."""
    found = {}
    for ws in wb.worksheets:
        owner = sheet_owner(ws.iter_rows(max_row=L.HEADER_SCAN_ROWS, values_only=True))
        if owner is not None:
            found[owner] = ws
    return found


def fill_team(path: Path, answers: dict[str, dict[str, dict[str, Any]]],
              team: dict[str, dict[str, Any]] | None = None, out: Path | None = None) -> Path:
    """Type into a team workbook as its reviewers would, each on their own sheet:
    ``answers`` is reviewer → norm id → column key → value; ``team`` is norm id → column key
    (``team_strengths``, ``team_learning_points``) → value, on the team sheet."""
    wb = load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm")
    sheets = team_sheets(wb)
    for reviewer, typed in answers.items():
        ws = sheets[reviewer]
        located = find_columns(ws)
        assert located is not None
        _, cols = located
        for norm_id, row_number in norm_rows(ws).items():
            for key, value in typed.get(norm_id, {}).items():
                ws.cell(row_number, cols[key]).value = value
    if team:
        ws = next(ws for owner, ws in sheets.items() if owner not in answers
                  and ws.title == L.SHEET_TEAM)
        labels = {c.label: c.key for c in L.team_sheet_columns()}
        header = {labels[c.value]: c.column for c in ws[L.HEADER_ROW] if c.value in labels}
        for r in range(L.FIRST_DATA_ROW, ws.max_row + 1):
            norm_id = ws.cell(r, header["norm_id"]).value
            for key, value in team.get(str(norm_id), {}).items():
                ws.cell(r, header[key]).value = value
    out = out or path
    wb.save(out)
    return out


def soffice() -> str | None:
    """Path of LibreOffice's soffice, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_soffice() -> None:
    """Skip the test without LibreOffice, or fail when KWL_REQUIRE_SOFFICE=1 (as in CI)."""
    if soffice() is None:
        if os.environ.get("KWL_REQUIRE_SOFFICE") == "1":
            pytest.fail("KWL_REQUIRE_SOFFICE=1 but LibreOffice (soffice) is not on PATH")
        pytest.skip("LibreOffice (soffice) is not on PATH")


def soffice_convert(src: Path, outdir: Path, target: str, profile: Path) -> Path:
    """Convert ``src`` with LibreOffice headless (e.g. target ``xlsx:Calc MS Excel 2007 XML``).

    ``profile`` is a private user profile folder so parallel runs do not collide.
    """
    exe = soffice()
    assert exe is not None
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [exe, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
         "--convert-to", target, "--outdir", str(outdir), str(src)],
        check=True, capture_output=True, timeout=180,
    )
    ext = target.split(":")[0]
    result = outdir / f"{src.stem}.{ext}"
    assert result.exists(), f"LibreOffice did not write {result}"
    return result


# --- small rounds ----------------------------------------------------------------------------


def row(assessment_id: str, host: str, variant: str, reviewers: str = "", ci: str = "",
        decision: str = "", decision_date: date | None = None) -> dict[str, Any]:
    """A manifest row by column key (see ``kwl_office.batch.manifest.COLUMNS``)."""
    return {"id": assessment_id, "host": host, "variant": variant, "reviewers": reviewers,
            "ci": ci, "decision": decision or None, "decision_date": decision_date}


def make_round(root: Path, rows: list[dict[str, Any]], *, name: str = "Vertrouwen",
               register: str = "kwaliteitsregister.sqlite",
               catalogue: str | None = None) -> RoundFolder:
    """A round with its own register inside the folder (or ``register``, relative to it),
    the example secretariat as the sender and signatory of its letters, and ``rows`` in its
    manifest."""
    folder = init_round(root, name=name, register=register, catalogue=catalogue,
                        letters=EXAMPLE_SENDER)
    wb = load_workbook(folder.manifest)
    ws = wb.worksheets[0]
    keys = list(COLUMNS)
    for offset, values in enumerate(rows, start=1):
        for key, value in values.items():
            ws.cell(HEADER_ROW + offset, keys.index(key) + 1).value = value
    wb.save(folder.manifest)
    return folder


def hand_in(folder: RoundFolder, catalogue: Catalogue, *, skip: tuple[str, ...] = (),
            rating: str = "V") -> None:
    """Every issued workbook filled (``rating`` everywhere) into the inbox, but those whose
    label contains one of ``skip``."""
    for item in load_index(folder).values():
        if any(part in item.label for part in skip):
            continue
        fill_all(folder.root / item.file, catalogue, rating=rating,
                 out=folder.inbox / f"{item.label}.xlsx")


def sheet_xml(path: Path) -> dict[str, str]:
    """Sheet name → the XML of its worksheet part, as written (found through the workbook's
    relationships, so any writer's part names work)."""
    with zipfile.ZipFile(path) as archive:
        book = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
        targets = {a["Id"]: a["Target"].lstrip("/") for a in (
            dict(re.findall(r'(\w+)="([^"]*)"', r)) for r in re.findall(r"<Relationship\b[^>]*>",
                                                                        rels))}
        result = {}
        for sheet in re.findall(r"<sheet\b[^>]*>", book):
            attrs = dict(re.findall(r'([\w:]+)="([^"]*)"', sheet))
            target = targets[attrs["r:id"]]
            part = target if target.startswith("xl/") else f"xl/{target}"
            result[attrs["name"].replace("&amp;", "&")] = archive.read(part).decode()
    return result


def set_saved_moment(path: Path, moment: datetime | None) -> Path:
    """Make the workbook at ``path`` say it was last saved at ``moment`` (``dcterms:modified``
    in ``docProps/core.xml``, as Excel writes it), or say nothing (None). openpyxl always
    writes the time of its own save, so a test that needs an older version says so here."""
    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    # openpyxl declares the namespaces on the element itself: its start tag is kept
    element = re.compile(rb"(<dcterms:modified\b[^>]*>)[^<]*</dcterms:modified>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            if info.filename == "docProps/core.xml":
                assert element.search(data), data
                stamp = b"" if moment is None else (
                    rb"\g<1>" + moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                    + b"</dcterms:modified>")
                data = element.sub(stamp, data)
            archive.writestr(info, data)
    return path


def status_states(folder: RoundFolder) -> dict[str, str]:
    """The Stand of each assessment as ``kwl round status`` gives it, by assessment id."""
    from kwl_office.batch.status import round_status

    return {r.assessment_id: r.state for r in round_status(folder)[0]}


def dashboard_states(folder: RoundFolder) -> dict[str, Any]:
    """The dashboard's Stand column (the seventh), by assessment."""
    from kwl_office.xl import dashboard_view

    return {r[0]: r[6] for r in dashboard_view(folder.root, "").status[1:]}


def count_register_queries(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """From now on, the keyword arguments of every ``Register.entries`` call (to show that
    one query serves a whole table)."""
    from kwl_office.register import Entry, Register

    queries: list[dict[str, Any]] = []
    entries = Register.entries

    def counted(self: Register, **kwargs: Any) -> list[Entry]:
        queries.append(kwargs)
        return entries(self, **kwargs)

    monkeypatch.setattr(Register, "entries", counted)
    return queries
