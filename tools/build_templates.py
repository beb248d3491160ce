"""(Re)create the Word templates shipped in ``docx_templates/``.

The seven ``.docx`` files in ``docx_templates/`` are what the secretariat edits in Word. Once
they have been edited, **the .docx files are the source of truth**: this script only recreates
the shipped defaults (and overwrites them!). Run it from the repository root::

    .venv/bin/python tools/build_templates.py                 # write docx_templates/*.docx
    .venv/bin/python tools/build_templates.py --check OUT_DIR  # and render the examples
    .venv/bin/python tools/build_templates.py --screenshots    # and renew docs/*.png

How the templates are written, so that Word keeps them working:

- every Jinja tag (``{{ veld }}``, ``{% cellbg x %}``) is a run of its own, so Word never
  splits it; tag runs are marked "no proofing" so Word does not underline field names;
- loops and conditions stand in paragraphs of their own (``{%p for … %}``) or in table rows of
  their own (``{%tr for … %}``), shown in a small grey "Sjabloonlogica" style;
- a grey "Toelichting sjabloon" block at the top explains the fields; it sits inside
  ``{%p if false %}`` … ``{%p endif %}`` and therefore never reaches a rendered document;
- one font family (Calibri), headings and table headers in house blue, "Pagina X van Y" in
  the footer, A4; the certificate is one landscape page;
- tables have a fixed layout with explicit column widths, and every column is at least as
  wide as the longest word of its header in the widest font the document may be shown in
  (DejaVu Sans Bold: what LibreOffice uses when Calibri and Carlito are missing), so no
  header word is ever broken; the build stops when a column is too narrow. Header rows
  repeat on every page, rows never split, headings and the paragraph before a table keep
  with what follows (the renderer adds the keeping of the first and last rows of a table,
  which depends on how many rows there are: :mod:`kwl_office.documents.render`);
- letters keep their closing and signature with the last paragraph of the body.

The output is deterministic: the same script gives byte-identical files.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from matplotlib.font_manager import FontProperties, findfont, get_font

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "docx_templates"
# the field lists and the screenshots come from kwl_office itself, also when not installed
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FONT = "Calibri"
BLUE = "1F4E79"  # house blue (headings, table headers)
LIGHT_BLUE = "DEEAF6"  # label cells, advice box
GRID = "BFBFBF"  # light table grid
TEXT = "262626"
GREY = "595959"
LOGIC_GREY = "8C8C8C"
NOTE_FILL = "F2F2F2"
WARN_FILL = "FBE5E4"
WARN = "9C2B23"
BRAND = "Kwaliteitslabel Sociaal Werk"
FIXED_TIME = datetime(2026, 1, 1, 0, 0, 0)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# --- schema order of the few OOXML property elements we touch ---------------------------------

RPR = ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
       "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof",
       "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern",
       "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
       "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
       "w:specVanish", "w:oMath")
PPR = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
       "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
       "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
       "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
       "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
       "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
       "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
       "w:pPrChange")
TCPR = ("w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd",
        "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")
TBLPR = ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
         "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
         "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
TRPR = ("w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter",
        "w:cantSplit", "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden")
SECTPR = ("w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr", "w:type",
          "w:pgSz", "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType",
          "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
          "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")


def el(tag: str, **attrs: str | int) -> OxmlElement:
    """A new OOXML element; attribute names use ``_`` for ``:`` (``w_val`` → ``w:val``)."""
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(key.replace("_", ":", 1)), str(value))
    return element


def put(parent: OxmlElement, child: OxmlElement, order: Sequence[str]) -> OxmlElement:
    """Insert ``child`` into ``parent`` at its schema position, replacing one of the same tag."""
    name = child.tag
    for old in parent.findall(name):
        parent.remove(old)
    position = [qn(t) for t in order].index(name)
    later = {qn(t) for t in order[position + 1:]}
    for index, existing in enumerate(parent):
        if existing.tag in later:
            parent.insert(index, child)
            return child
    parent.append(child)
    return child


def twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def border(tag: str, *, val: str = "single", sz: int = 4, color: str = GRID,
           space: int = 0) -> OxmlElement:
    return el(tag, w_val=val, w_sz=sz, w_space=space, w_color=color)


# --- content model: runs, paragraphs, logic ---------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A run of text; ``tag`` runs hold exactly one Jinja tag and nothing else."""

    text: str
    bold: bool | None = None
    italic: bool | None = None
    colour: str | None = None
    size: float | None = None
    caps: bool = False
    tag: bool = False


def f(expr: str, **fmt: object) -> Run:
    """A field: ``{{ expr }}`` as a run of its own."""
    return Run("{{ " + expr + " }}", tag=True, **fmt)  # type: ignore[arg-type]


def s(stmt: str, **fmt: object) -> Run:
    """An inline statement (``{% cellbg x %}``) as a run of its own."""
    return Run("{% " + stmt + " %}", tag=True, **fmt)  # type: ignore[arg-type]


def b(text: str, **fmt: object) -> Run:
    return Run(text, bold=True, **fmt)  # type: ignore[arg-type]


Part = str | Run


@dataclass
class P:
    """A paragraph: its parts and paragraph format."""

    parts: Sequence[Part]
    style: str | None = None
    align: str | None = None  # "center" | "right"
    before: float | None = None
    after: float | None = None
    keep_next: bool = False
    keep_lines: bool = False
    page_break: bool = False
    line: float | None = None  # line spacing (multiple)


@dataclass
class L:
    """A logic paragraph: ``{%p stmt %}`` alone in its paragraph."""

    stmt: str


Block = P | L

ALIGN = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
         "left": WD_ALIGN_PARAGRAPH.LEFT}


def add_run(paragraph: Paragraph, part: Part) -> None:
    run_spec = part if isinstance(part, Run) else Run(part)
    run = paragraph.add_run(run_spec.text)
    font = run.font
    if run_spec.bold is not None:
        font.bold = run_spec.bold
    if run_spec.italic is not None:
        font.italic = run_spec.italic
    if run_spec.caps:
        font.all_caps = True
    if run_spec.colour:
        font.color.rgb = RGBColor.from_string(run_spec.colour)
    if run_spec.size:
        font.size = Pt(run_spec.size)
    if run_spec.tag:
        put(run._r.get_or_add_rPr(), el("w:noProof"), RPR)


def fill_paragraph(paragraph: Paragraph, block: Block) -> Paragraph:
    if isinstance(block, L):
        paragraph.style = "Sjabloonlogica"
        add_run(paragraph, Run("{%p " + block.stmt + " %}", tag=True))
        return paragraph
    if block.style:
        paragraph.style = block.style
    fmt = paragraph.paragraph_format
    if block.align:
        fmt.alignment = ALIGN[block.align]
    if block.before is not None:
        fmt.space_before = Pt(block.before)
    if block.after is not None:
        fmt.space_after = Pt(block.after)
    if block.keep_next:
        fmt.keep_with_next = True
    if block.keep_lines:
        fmt.keep_together = True
    if block.line is not None:
        fmt.line_spacing = block.line
    if block.page_break:
        fmt.page_break_before = True
    for part in block.parts:
        add_run(paragraph, part)
    return paragraph


def write(container: DocxDocument | _Cell, blocks: Sequence[Block]) -> None:
    """Append blocks to the document or cell (a fresh cell's empty paragraph is reused)."""
    for block in blocks:
        paragraph: Paragraph | None = None
        if isinstance(container, _Cell):
            first = container.paragraphs[0]
            if len(container.paragraphs) == 1 and not first.runs and first.style.name in (
                    "Normal", "Tabeltekst") and not getattr(container, "_kwl_used", False):
                paragraph = first
            container._kwl_used = True  # type: ignore[attr-defined]
        if paragraph is None:
            paragraph = container.add_paragraph()
        fill_paragraph(paragraph, block)


def H1(*parts: Part, page_break: bool = False) -> P:  # noqa: N802  (reads like a style)
    return P(parts, style="Heading 1", page_break=page_break)


def H2(*parts: Part) -> P:  # noqa: N802
    return P(parts, style="Heading 2")


def T(*parts: Part, **kw: object) -> P:  # noqa: N802  (table text)
    return P(parts, style="Tabeltekst", **kw)  # type: ignore[arg-type]


def small(*parts: Part, **kw: object) -> P:
    return P(parts, style="Tabeltekst klein", **kw)  # type: ignore[arg-type]


# --- styles -----------------------------------------------------------------------------------


def _font_everywhere(root: OxmlElement) -> None:
    """Replace theme fonts and theme colours by the house font and explicit colours."""
    for fonts in root.iter(qn("w:rFonts")):
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), FONT)
    for colour in root.iter(qn("w:color")):
        for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
            colour.attrib.pop(qn(attr), None)


def _style(doc: DocxDocument, name: str, *, base: str = "Normal", size: float | None = None,
           bold: bool | None = None, italic: bool | None = None, colour: str | None = None,
           before: float | None = None, after: float | None = None,
           line: float | None = None, keep_next: bool | None = None,
           left_indent: float | None = None, align: str | None = None,
           caps: bool | None = None, kind: int = 1) -> object:
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, kind)
        style.base_style = styles[base]
        style.quick_style = True
    font = style.font
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if colour is not None:
        font.color.rgb = RGBColor.from_string(colour)
    if caps is not None:
        font.all_caps = caps
    fmt = style.paragraph_format
    if before is not None:
        fmt.space_before = Pt(before)
    if after is not None:
        fmt.space_after = Pt(after)
    if line is not None:
        fmt.line_spacing = line
    if keep_next is not None:
        fmt.keep_with_next = keep_next
    if left_indent is not None:
        fmt.left_indent = Mm(left_indent)
    if align is not None:
        fmt.alignment = ALIGN[align]
    return style


def _strip(style: object, *paths: str) -> None:
    for path in paths:
        for found in style.element.findall(path, {"w": W_NS}):  # type: ignore[attr-defined]
            found.getparent().remove(found)


def _paragraph_box(style: object, *, fill: str | None, sides: dict[str, OxmlElement]) -> None:
    ppr = style.element.get_or_add_pPr()  # type: ignore[attr-defined]
    if sides:
        bdr = el("w:pBdr")
        for side in ("top", "left", "bottom", "right"):
            if side in sides:
                bdr.append(sides[side])
        put(ppr, bdr, PPR)
    if fill:
        put(ppr, el("w:shd", w_val="clear", w_color="auto", w_fill=fill), PPR)


def setup_styles(doc: DocxDocument) -> None:
    root = doc.styles.element
    rpr_default = root.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    put(rpr_default, el("w:lang", w_val="nl-NL", w_eastAsia="en-US", w_bidi="ar-SA"), RPR)
    put(rpr_default, el("w:sz", w_val=21), RPR)
    put(rpr_default, el("w:szCs", w_val=21), RPR)
    ppr_default = root.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    put(ppr_default, el("w:spacing", w_after=120, w_line=264, w_lineRule="auto"), PPR)
    _font_everywhere(root)

    _style(doc, "Normal", colour=TEXT)
    title = _style(doc, "Title", size=28, bold=True, colour=BLUE, after=4, before=0,
                   line=1.0)
    subtitle = _style(doc, "Subtitle", size=16, italic=False, bold=False, colour=GREY,
                      after=6, before=0)
    # the default template's title border, letter spacing, subtitle numbering and the
    # Letter-size tab stops of header and footer do not belong to the house style
    _strip(title, "w:pPr/w:pBdr", "w:rPr/w:spacing")
    _strip(subtitle, "w:pPr/w:numPr", "w:rPr/w:spacing")
    _style(doc, "Heading 1", size=16, bold=True, colour=BLUE, before=18, after=6,
           keep_next=True)
    _style(doc, "Heading 2", size=12.5, bold=True, colour=BLUE, before=12, after=4,
           keep_next=True)
    _style(doc, "Heading 3", size=11, bold=True, colour=BLUE, before=10, after=3,
           keep_next=True)
    for name in ("Header", "Footer"):
        _strip(_style(doc, name, size=8.5, colour=GREY, after=0), "w:pPr/w:tabs")
    _style(doc, "List Bullet", after=4)
    _style(doc, "Merkregel", size=10, bold=True, colour=BLUE, caps=True, after=2)
    _style(doc, "Tabeltekst", size=9, after=0, before=0, line=1.0)
    _style(doc, "Tabeltekst klein", base="Tabeltekst", size=8, colour=GREY)
    _style(doc, "Tabelkop", base="Tabeltekst", size=9, bold=True, colour="FFFFFF",
           keep_next=True)
    _style(doc, "Kerncijfer", base="Tabeltekst", size=13, bold=True, colour=BLUE,
           align="center", before=2, after=2)
    _style(doc, "Notitie", size=9, italic=True, colour=GREY)
    _style(doc, "Adres", after=0, line=1.05)
    _style(doc, "Afzender", size=9, after=0, line=1.05, align="right")
    quote = _style(doc, "Citaat", italic=True, left_indent=6, before=6, after=0,
                   keep_next=True)
    _paragraph_box(quote, fill=None, sides={
        "left": border("w:left", sz=18, color=BLUE, space=8)})
    _style(doc, "Bron citaat", size=8.5, colour=GREY, left_indent=6.5, after=4)
    note = _style(doc, "Toelichting sjabloon", size=9, colour="404040", after=3, before=0,
                  line=1.05)
    grey_line = {side: border(f"w:{side}", sz=4, color="A6A6A6", space=4)
                 for side in ("top", "left", "bottom", "right")}
    _paragraph_box(note, fill=NOTE_FILL, sides=grey_line)
    _style(doc, "Sjabloonlogica", size=8, colour=LOGIC_GREY, after=0, before=0, line=1.0)


# --- page setup, header, footer ---------------------------------------------------------------


def _field(paragraph: Paragraph, instruction: str, placeholder: str = "1") -> None:
    """A complex field (PAGE, NUMPAGES) that Word and LibreOffice update on display."""
    def fld_run(child: OxmlElement) -> None:
        run = paragraph.add_run()
        run._r.append(child)

    fld_run(el("w:fldChar", w_fldCharType="begin"))
    instr = el("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    fld_run(instr)
    fld_run(el("w:fldChar", w_fldCharType="separate"))
    paragraph.add_run(placeholder)
    fld_run(el("w:fldChar", w_fldCharType="end"))


def _bottom_rule(paragraph: Paragraph, colour: str = BLUE, sz: int = 6, space: int = 4) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    bdr = el("w:pBdr")
    bdr.append(border("w:bottom", sz=sz, color=colour, space=space))
    put(ppr, bdr, PPR)


def _top_rule(paragraph: Paragraph, colour: str = GRID, sz: int = 4, space: int = 4) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    bdr = el("w:pBdr")
    bdr.append(border("w:top", sz=sz, color=colour, space=space))
    put(ppr, bdr, PPR)


@dataclass
class Page:
    landscape: bool = False
    top: float = 25
    bottom: float = 22
    left: float = 20
    right: float = 20

    @property
    def text_width(self) -> float:
        return (297 if self.landscape else 210) - self.left - self.right


def setup_page(doc: DocxDocument, page: Page, *, title: str | None,
               footer_left: Sequence[Part] = (), cover: bool = False) -> None:
    section = doc.sections[0]
    if page.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(page.top), Mm(page.bottom)
    section.left_margin, section.right_margin = Mm(page.left), Mm(page.right)
    section.header_distance = section.footer_distance = Mm(10)
    section.gutter = Mm(0)
    if title is None:  # the certificate: no header and footer
        return
    header = section.header.paragraphs[0]
    header.paragraph_format.tab_stops.add_tab_stop(Mm(page.text_width), WD_TAB_ALIGNMENT.RIGHT)
    add_run(header, Run(BRAND, bold=True, colour=BLUE))
    add_run(header, "\t")
    add_run(header, title)
    _bottom_rule(header, colour=BLUE, sz=4, space=3)
    footer = section.footer.paragraphs[0]
    footer.paragraph_format.tab_stops.add_tab_stop(Mm(page.text_width), WD_TAB_ALIGNMENT.RIGHT)
    _top_rule(footer)
    for part in footer_left:
        add_run(footer, part)
    footer.add_run("\tPagina ")
    _field(footer, "PAGE")
    footer.add_run(" van ")
    _field(footer, "NUMPAGES")
    if cover:  # the cover page carries no header and footer
        section.different_first_page_header_footer = True
        section.first_page_header.is_linked_to_previous = False
        section.first_page_footer.is_linked_to_previous = False


def page_border(doc: DocxDocument) -> None:
    sect = doc.sections[0]._sectPr
    borders = el("w:pgBorders", w_offsetFrom="page")
    for side in ("top", "left", "bottom", "right"):
        borders.append(border(f"w:{side}", val="thinThickSmallGap", sz=24, color=BLUE,
                              space=24))
    put(sect, borders, SECTPR)


# --- tables -----------------------------------------------------------------------------------


# --- measuring: every column as wide as the longest word of its header -------------------------

#: the header font size (style "Tabelkop") and the cell margin left and right, in pt and mm
HEADER_SIZE = 9.0
CELL_MARGIN = 1.6
#: what a column needs beyond its longest word: the margins and a little room for rounding
COLUMN_SLACK = 2 * CELL_MARGIN + 1.0


@lru_cache(maxsize=1)
def _wide_font() -> Any:
    """DejaVu Sans Bold (shipped with matplotlib): wider than Calibri, Carlito and Arial, so
    a header that fits in it fits in every font a reader's LibreOffice or Word may use."""
    return get_font(findfont(FontProperties(family="DejaVu Sans", weight="bold")))


def word_width(word: str, size: float = HEADER_SIZE) -> float:
    """Width in mm of ``word`` in bold DejaVu Sans at ``size`` pt."""
    font = _wide_font()
    font.set_size(size, 72)
    font.set_text(word, 0.0)
    width, _ = font.get_width_height()  # 1/64 pt
    return float(width) / 64 / 72 * 25.4


def header_text(header: Sequence[Part] | str) -> str:
    """The plain text of a header (template tags left out: they are filled in later)."""
    if isinstance(header, str):
        return header
    return "".join(p if isinstance(p, str) else p.text for p in header
                   if isinstance(p, str) or not p.tag)


def min_width(header: Sequence[Part] | str) -> float:
    """The narrowest column in which no word of ``header`` has to break."""
    words = header_text(header).split()
    return max((word_width(w) for w in words), default=0.0) + COLUMN_SLACK


def fit_widths(cols: Sequence[Col], total: float | None) -> list[float]:
    """The column widths: fixed ones as given, the flexible ones (``width=None``) share what
    is left of ``total``. Stops the build when any column is narrower than its header's
    longest word needs."""
    fixed = sum(c.width for c in cols if c.width is not None)
    flexible = [c for c in cols if c.width is None]
    if flexible and total is None:
        raise ValueError("a table with a flexible column needs its total width")
    rest = (total - fixed) / len(flexible) if flexible and total is not None else 0.0
    widths = [c.width if c.width is not None else rest for c in cols]
    for col, width in zip(cols, widths, strict=True):
        if width < min_width(col.header):
            raise SystemExit(f"column '{header_text(col.header)}' is {width:.1f} mm wide; its "
                             f"header needs {min_width(col.header):.1f} mm")
    return widths


@dataclass
class Col:
    """A column of a data table: header text, width in mm (None: a share of what the fixed
    columns leave), the body cell's blocks."""

    header: Sequence[Part] | str
    width: float | None
    body: Sequence[Block] = ()
    bg: str | None = None  # cellbg expression for the body cell
    header_bg: str | None = None  # cellbg expression for the header cell (dark text then)
    align: str | None = None


def _cell_props(cell: _Cell, *, fill: str | None = None, valign: str = "top",
                margins: dict[str, float] | None = None) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    if fill:
        put(tcpr, el("w:shd", w_val="clear", w_color="auto", w_fill=fill), TCPR)
    if margins:
        mar = el("w:tcMar")
        for side in ("top", "left", "bottom", "right"):
            if side in margins:
                mar.append(el(f"w:{side}", w_w=twips(margins[side]), w_type="dxa"))
        put(tcpr, mar, TCPR)
    cell.vertical_alignment = {"top": WD_ALIGN_VERTICAL.TOP,
                               "center": WD_ALIGN_VERTICAL.CENTER,
                               "bottom": WD_ALIGN_VERTICAL.BOTTOM}[valign]


def _cell_borders(cell: _Cell, **sides: OxmlElement) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    borders = el("w:tcBorders")
    for side in ("top", "left", "bottom", "right"):
        if side in sides:
            borders.append(sides[side])
    put(tcpr, borders, TCPR)


def _table_props(table: Table, widths: Sequence[float], *, grid: bool = True,
                 grid_colour: str = GRID, align_center: bool = False,
                 cell_margin: float = CELL_MARGIN) -> None:
    tblpr = table._tbl.tblPr
    put(tblpr, el("w:tblW", w_w=twips(sum(widths)), w_type="dxa"), TBLPR)
    borders = el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if grid:
            borders.append(border(f"w:{side}", sz=4, color=grid_colour))
        else:
            borders.append(el(f"w:{side}", w_val="nil"))
    put(tblpr, borders, TBLPR)
    table.autofit = False  # fixed layout: the column widths below hold
    mar = el("w:tblCellMar")
    for side, value in (("top", 0.8), ("left", cell_margin), ("bottom", 0.8),
                        ("right", cell_margin)):
        mar.append(el(f"w:{side}", w_w=twips(value), w_type="dxa"))
    put(tblpr, mar, TBLPR)
    put(tblpr, el("w:tblLook", w_val="0000", w_firstRow=0, w_lastRow=0, w_firstColumn=0,
                  w_lastColumn=0, w_noHBand=1, w_noVBand=1), TBLPR)
    if align_center:
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)


def _row_props(row: object, *, header: bool = False, cant_split: bool = False) -> None:
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    if cant_split:
        put(trpr, el("w:cantSplit"), TRPR)
    if header:
        put(trpr, el("w:tblHeader"), TRPR)


def _logic_row(table: Table, stmt: str) -> None:
    """A table row holding only ``{%tr stmt %}`` (one merged, grey cell)."""
    row = table.add_row()
    cells = row.cells
    merged = cells[0].merge(cells[-1]) if len(cells) > 1 else cells[0]
    paragraph = merged.paragraphs[0]
    paragraph.style = "Sjabloonlogica"
    add_run(paragraph, Run("{%tr " + stmt + " %}", tag=True))


def _header_cell(cell: _Cell, col: Col) -> None:
    parts: list[Part] = []
    colour = "FFFFFF"
    if col.header_bg:
        parts.append(s("cellbg " + col.header_bg))
        colour = TEXT
    if isinstance(col.header, str):
        parts.append(Run(col.header, colour=colour, bold=True))
    else:
        parts.extend(replace(p, colour=p.colour or colour) if isinstance(p, Run)
                     else Run(p, colour=colour, bold=True) for p in col.header)
    write(cell, [P(parts, style="Tabelkop", align=col.align)])
    _cell_props(cell, fill=BLUE, valign="bottom")


def data_table(doc: DocxDocument, cols: Sequence[Col], loop: str | None = None, *,
               total: float | None = None) -> Table:
    """A table with a house-blue header row (repeated on every page, kept with the first
    row) and one body row that never splits, repeated by ``{%tr for … %}`` …
    ``{%tr endfor %}`` when ``loop`` is given; ``total`` is the width of the table when a
    column takes the rest (``width=None``)."""
    widths = fit_widths(cols, total)
    table = doc.add_table(rows=1, cols=len(cols))
    header = table.rows[0]
    _row_props(header, header=True, cant_split=True)
    for cell, col in zip(header.cells, cols, strict=True):
        _header_cell(cell, col)
    if loop:
        _logic_row(table, loop)
    row = table.add_row()
    _row_props(row, cant_split=True)
    for cell, col in zip(row.cells, cols, strict=True):
        blocks = list(col.body)
        if col.bg:
            first = blocks[0]
            assert isinstance(first, P), "cellbg goes in a text paragraph"
            blocks[0] = replace(first, parts=[s("cellbg " + col.bg), *first.parts])
        if col.align:
            blocks = [replace(bl, align=col.align) if isinstance(bl, P) and bl.align is None
                      else bl for bl in blocks]
        write(cell, blocks)
        _cell_props(cell)
    if loop:
        _logic_row(table, "endfor")
    _table_props(table, widths)
    return table


def figures_table(doc: DocxDocument, figures: Sequence[tuple[str, str]], width: float
                  ) -> Table:
    """Key figures: a one-row table, label in the blue header, value large below; each
    column as wide as its label needs plus an equal share of the room that is left."""
    needed = [min_width(label) for label, _ in figures]
    extra = (width - sum(needed)) / len(figures)
    return data_table(doc, [Col(label, need + extra, [P([f(expr)], style="Kerncijfer")],
                                align="center")
                            for (label, expr), need in zip(figures, needed, strict=True)])


def info_table(doc: DocxDocument, rows: Sequence[tuple[str | Sequence[Run], Sequence[Block]]],
               widths: tuple[float, float] = (48, 122)) -> Table:
    """Label/value rows; labels on light blue, values plain (values may hold loops)."""
    fit_widths([Col(label, widths[0]) for label, _ in rows], None)
    table = doc.add_table(rows=len(rows), cols=2)
    for row, (label, blocks) in zip(table.rows, rows, strict=True):
        _row_props(row, cant_split=True)
        label_cell, value_cell = row.cells
        write(label_cell, [T(b(label)) if isinstance(label, str)
                           else T(*(replace(part, bold=True) for part in label))])
        _cell_props(label_cell, fill=LIGHT_BLUE)
        write(value_cell, [T(*bl.parts) if isinstance(bl, P) and bl.style is None else bl
                           for bl in blocks])
        _cell_props(value_cell)
    _table_props(table, list(widths))
    return table


def box(doc: DocxDocument, blocks: Sequence[Block], *, width: float, fill: str,
        bar: str, margin: float = 3) -> Table:
    """A one-cell box with a coloured bar on the left (advice, warnings)."""
    table = doc.add_table(rows=1, cols=1)
    cell = table.rows[0].cells[0]
    write(cell, blocks)
    _cell_props(cell, fill=fill, margins={"top": 2, "bottom": 2, "left": margin,
                                          "right": margin})
    _cell_borders(cell, left=border("w:left", sz=36, color=bar))
    _table_props(table, [width], grid=False)
    return table


def plain_table(doc: DocxDocument, widths: Sequence[float],
                cells: Sequence[Sequence[Sequence[Block]]], *, centre: bool = False
                ) -> Table:
    """A borderless layout table (letter head, signatures)."""
    table = doc.add_table(rows=len(cells), cols=len(widths))
    for row, contents in zip(table.rows, cells, strict=True):
        for cell, blocks in zip(row.cells, contents, strict=True):
            write(cell, blocks)
            _cell_props(cell)
    _table_props(table, widths, grid=False, align_center=centre, cell_margin=0)
    return table


def spacer(doc: DocxDocument, pt: float = 4, *, keep_next: bool = False) -> None:
    write(doc, [P([], after=0, before=0, style="Tabeltekst", keep_next=keep_next)])
    paragraph = doc.paragraphs[-1]
    paragraph.paragraph_format.space_after = Pt(pt)


# --- the explanation block at the top --------------------------------------------------------

EDITING = [
    "Velden staan tussen dubbele accolades; bijvoorbeeld het veld organisatie.naam. Laat de "
    "accolades en de veldnaam intact en typ niet door een veld heen. Wilt u een veld anders "
    "opmaken, selecteer dan het hele veld (met de accolades).",
    "Grijze regels en tabelrijen met for/endfor (herhalen) en if/else/endif (voorwaarde) "
    "sturen het sjabloon. Laat elk op een eigen regel of in een eigen tabelrij staan en "
    "verwijder ze alleen in paren. De opdracht cellbg kleurt een tabelcel in de kleur van het "
    "oordeel uit het normenkader.",
    "Tellen en opsommen in gewoon Nederlands doen drie filters: aantal (n|aantal('norm', "
    "'normen') geeft 1 norm of 3 normen), woord (n|woord('norm', 'normen') geeft alleen het "
    "woord dat bij het aantal past) en opsomming (lijst|opsomming geeft a, b en c).",
    "Tekst, opmaak, kop- en voetteksten en de huisstijl mag u vrij aanpassen. Alle velden met "
    "voorbeeldwaarden ziet u met: kwl templates context {kind}. Controleer een aangepast "
    "sjabloon voordat u een reeks documenten maakt met: kwl templates check MAP.",
]


def explanation(doc: DocxDocument, kind: str, purpose: str) -> None:
    """The 'Toelichting sjabloon' block; ``if false`` keeps it out of every document."""
    fields = field_lines(kind)
    style = "Toelichting sjabloon"
    blocks: list[Block] = [
        P([Run("{%p if false %}", tag=True)], style=style),
        P([b("TOELICHTING BIJ DIT SJABLOON"),
           " – dit grijze blok verschijnt niet in het gemaakte document (het staat tussen "
           "'if false' en 'endif')."], style=style),
        P([purpose], style=style),
        *(P([text.format(kind=kind)], style=style) for text in EDITING),
        P([b("Beschikbare velden: ")], style=style),
        *(P(["• " + line], style=style) for line in fields),
        P([Run("{%p endif %}", tag=True)], style=style),
    ]
    write(doc, blocks)


def field_lines(kind: str) -> list[str]:
    """One line per field of ``kind``, built from the example data, so the list in the
    template is always the list ``kwl templates context`` shows (with example values)."""
    from kwl_office.catalogue import load_example_catalogue
    from kwl_office.documents.examples import example_context
    from kwl_office.documents.registry import DocumentKind

    context = example_context(DocumentKind(kind), load_example_catalogue())
    return [_field_line(key, value) for key, value in context.items()]


def _field_line(key: str, value: object) -> str:
    if isinstance(value, dict):
        return f"{key}: {', '.join(_field_line(k, v) for k, v in value.items())}"
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return f"{key} (lijst, per item: {', '.join(value[0])})"
        return f"{key} (lijst)"
    return key


# --- documents --------------------------------------------------------------------------------


def new_document(kind: str, *, title: str | None, page: Page, cover: bool = False,
                 footer_left: Sequence[Part] = ()) -> DocxDocument:
    doc = Document()
    setup_styles(doc)
    setup_page(doc, page, title=title, footer_left=footer_left, cover=cover)
    props = doc.core_properties
    props.author = props.last_modified_by = "Secretariaat " + BRAND
    props.title = f"{title or 'Certificaat'} (sjabloon {kind})"
    props.subject = BRAND
    props.comments = ("Sjabloon voor kwl (docxtpl). Zie het grijze toelichtingsblok bovenaan "
                      "het document.")
    props.keywords = ""
    props.category = "sjabloon"
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1
    body = doc.element.body  # drop the template's empty first paragraph
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    return doc


NOTE_EXAMPLE = P([Run("Let op: ", bold=True), "dit document gebruikt het illustratieve "
                  "voorbeeldnormenkader van kwl, niet het officiële normenkader."],
                 style="Notitie")


def counted(expr: str, one: str, many: str) -> Run:
    """A field with the word that fits the number: ``woord('norm', 'normen')``."""
    return f(f"{expr}|woord('{one}', '{many}')")


def by_reviewers(one: str, many: str, **fmt: object) -> Run:
    """Words that fit the number of reviewers: an audit by one CI has "de beoordelaar"."""
    return replace(counted("toetsing.beoordelaars|length", one, many), **fmt)  # type: ignore[arg-type]


def _report_cover(doc: DocxDocument, audit: bool, text_width: float) -> None:
    title = "Auditrapport" if audit else "Leerrapport intercollegiale adviesmeting"
    write(doc, [
        P([BRAND], style="Merkregel", before=90),
        P([title], style="Title"),
    ])
    if audit:
        write(doc, [P([f("toetsing.variant")], style="Subtitle")])
    rule = doc.paragraphs[-1]
    _bottom_rule(rule, colour=BLUE, sz=12, space=6)
    write(doc, [
        P([f("organisatie.naam", bold=True, colour=TEXT)], style="Subtitle", before=18,
          after=30),
    ])
    reviewers = (counted("toetsing.beoordelaars|length", "Beoordelaar", "Beoordelaars")
                 if audit else counted("toetsing.beoordelaars|length",
                                       "Beoordelende organisatie", "Beoordelende organisaties"))
    info_table(doc, [
        ("Organisatie", [P([f("organisatie.naam")])]),
        ("Scope", [P([f("toetsing.scope")])]),
        ("Toetsingsnummer", [P([f("toetsing.nummer")])]),
        ("Toetsingsvariant", [P([f("toetsing.variant")])]),
        ([reviewers], [L("for beoordelaar in toetsing.beoordelaars"),
                       T(f("beoordelaar")), L("endfor")]),
        ("Normenkader", [P([f("normenkader.titel"), ", versie ", f("normenkader.versie")])]),
        ("Datum rapport", [P([f("datum")])]),
    ], widths=(50, text_width - 50))
    write(doc, [L("if normenkader.voorbeeld"),
                P(NOTE_EXAMPLE.parts, style="Notitie", before=10),
                L("endif")])


def _quotes(doc: DocxDocument, items: str, name: str, intro: Sequence[Part],
            empty: Sequence[Part]) -> None:
    """Quotes of the reviewers, or one sentence saying there are none (never both)."""
    write(doc, [
        L(f"if {items}"),
        P(intro, keep_next=True),
        L(f"for {name} in {items}"),
        P(["“", f(f"{name}.tekst_punt"), "”"], style="Citaat"),
        P(["— ", f(f"{name}.beoordelaar"), ", bij norm ", f(f"{name}.norm")],
          style="Bron citaat"),
        L("endfor"),
        L("else"),
        P(empty),
        L("endif"),
    ])


def incomplete_note(doc: DocxDocument, width: float, what: str) -> None:
    """A warning box, only when the document was made although workbooks were missing."""
    write(doc, [L("if onvolledig")])
    box(doc, [P([Run("Let op: ", bold=True, colour=WARN),
                 Run(f"{what} is gemaakt terwijl niet alle werkmappen binnen of in orde "
                     "waren:", bold=True, colour=WARN)], after=2, before=2, keep_next=True),
              L("for ontbreekt in onvolledig"),
              P([f("ontbreekt")], style="List Bullet", after=0),
              L("endfor")],
        width=width, fill=WARN_FILL, bar=WARN)
    spacer(doc)
    write(doc, [L("endif")])


def since_last_time(doc: DocxDocument, width: float, consensus: str) -> None:
    """"Sinds de vorige keer": only when a previous assessment was compared (``vorige`` is
    empty otherwise, and the whole section, heading included, is left out)."""
    write(doc, [
        L("if vorige"),
        H1("Sinds de vorige keer", page_break=True),
        P(["Deze toetsing is vergeleken met de vorige toetsing van de organisatie: toetsing ",
           f("vorige.toetsing"),
           # another variant then: "Vorige keer" may be the consensus of collega-organisaties
           s("if vorige.vorm_toen or vorige.naam_toen"), " (",
           s("if vorige.vorm_toen"), f("vorige.vorm_toen"), s("if vorige.naam_toen"), ", ",
           s("endif"), s("endif"),
           s("if vorige.naam_toen"), "toen onder de naam ", f("vorige.naam_toen"), s("endif"),
           ")", s("endif"),
           ". Per norm staat het oordeel van toen naast dat van nu. Alleen een norm die toen "
           "en nu hetzelfde betekent en toen en nu een oordeel met een score had, wordt "
           "vergeleken; de andere staan hieronder als niet vergelijkbaar.",
           s("if vorige.via_mapping"),
           " De vorige toetsing gebruikte normenkader ", f("vorige.normenkader"),
           "; de normen zijn vergeleken via de nagekeken mapping tussen de twee versies.",
           s("endif")], keep_next=True),
    ])
    box(doc, [P([f("vorige.samenvatting")], style="Heading 3", before=2, after=2)],
        width=width, fill=LIGHT_BLUE, bar=BLUE)
    write(doc, [H2("Per domein")])
    counts = (("Voldoet vorige keer", "d.vorige_pct", 21),
              ("Voldoet nu", "d.nu_pct", 21), ("Beter", "d.beter", 16),
              ("Gelijk", "d.gelijk", 16), ("Slechter", "d.slechter", 22))
    data_table(doc, [Col("Domein", None, [T(f("d.titel", bold=True)),
                                          small(f("d.vergeleken"), " van ",
                                                f("d.aantal|aantal('norm', 'normen')"),
                                                " vergeleken")]),
                     *(Col(label, w, [T(f(expr))], align="center") for label, expr, w in counts),
                     Col("Richting", 21, [T(f("d.richting", bold=True))], align="center")],
               "for d in vorige.domeinen", total=width)
    write(doc, [
        P(["Vergeleken: de normen met een oordeel van toen en van nu. Voldoet: het deel van die "
           "vergeleken normen met het hoogste oordeel, toen en nu. Beter, gelijk en slechter "
           "tellen de vergeleken normen per richting."], style="Notitie", before=4),
        H2("Normen met een ander oordeel dan de vorige keer"),
        L("if vorige.gewijzigd"),
        P(["Bij elke norm staat de verbeteractie die de organisatie de vorige keer in haar "
           "zelfevaluatie opschreef, naast wat ",
           by_reviewers("de beoordelaar nu vond", "de beoordelaars nu vonden"), "."],
          keep_next=True),
    ])
    data_table(doc, [
        Col("Norm", 15, [T(f("g.norm", bold=True))]),
        Col("Omschrijving", None, [
            T(f("g.tekst")),
            L("if g.verbeteractie"),
            small(b("Verbeteractie vorige keer: "), f("g.verbeteractie"), before=3),
            L("endif"),
            L("if g.nu_gevonden"),
            small(b("Wat "), by_reviewers("de beoordelaar nu vond:",
                                          "de beoordelaars nu vonden:", bold=True), before=3),
            L("for x in g.nu_gevonden"),
            small(f("x.beoordelaar", italic=True), ": ", f("x.tekst")),
            L("endfor"),
            L("endif"),
        ]),
        Col("Vorige keer", 24, [T(f("g.oordeel_toen"))], bg="g.kleur_toen"),
        Col(consensus + " nu", 28, [T(f("g.oordeel_nu", bold=True))], bg="g.kleur"),
        Col("Richting", 21, [T(f("g.richting", bold=True))]),
    ], "for g in vorige.gewijzigd", total=width)
    write(doc, [
        L("else"),
        P(["Geen enkele vergeleken norm heeft een ander oordeel dan de vorige keer."]),
        L("endif"),
        L("if vorige.niet_vergelijkbaar"),
        H2("Niet vergelijkbaar"),
        P(["Deze normen zijn niet met de vorige keer vergeleken, met de reden:"],
          keep_next=True),
        L("for n in vorige.niet_vergelijkbaar"),
        P([f("n.norm", bold=True), ": ", f("n.reden")], style="List Bullet", after=0),
        L("endfor"),
        L("endif"),
        L("if vorige.vervallen"),
        P(["Vervallen sinds de vorige toetsing: ", f("vorige.vervallen|opsomming"), "."],
          before=6),
        L("endif"),
        L("endif"),
    ])


def build_report(audit: bool) -> DocxDocument:
    kind = "auditrapport" if audit else "leerrapport"
    page = Page()
    width = page.text_width
    title = "Auditrapport" if audit else "Leerrapport intercollegiale adviesmeting"
    doc = new_document(kind, title=title, page=page, cover=True,
                       footer_left=[f("organisatie.naam"), " · toetsing ",
                                    f("toetsing.nummer")])
    purpose = ("Dit sjabloon maakt het auditrapport na een externe audit of een combinatietoets "
               "(met de blokkerende normen)." if audit else
               "Dit sjabloon maakt het leerrapport na een intercollegiale adviesmeting.")
    explanation(doc, kind, purpose)
    _report_cover(doc, audit, width)
    # what the reviewers agreed on per norm: the eindoordeel (audit) or the consensus (peer)
    consensus = "Eindoordeel" if audit else "Consensus"
    consensus_ratings = "de eindoordelen" if audit else "de consensusoordelen"
    consensus_rating = "het eindoordeel" if audit else "het consensusoordeel"

    # --- summary
    # "per norm" only when every norm has a judgement: with open norms (reported with
    # --incomplete, or a catalogue that asks fewer than all) the report says for how many
    of_norms = [f("samenvatting.beoordeeld"), " van de ",
                f("samenvatting.normen|aantal('norm', 'normen')")]
    still_open = [f("samenvatting.open|aantal('norm', 'normen')"), " ",
                  counted("samenvatting.open", "heeft", "hebben"), " nog geen oordeel."]
    if audit:
        intro = ["Toetsing ", f("toetsing.nummer"), " bij ", f("organisatie.naam"), " was ",
                 f("toetsing.vorm"), ", met als scope ", f("toetsing.scope"), ". ",
                 counted("toetsing.beoordelaars|length", "De beoordelaar was",
                         "De beoordelaars waren"), " ", f("toetsing.beoordelaars_tekst"),
                 ". ", s("if samenvatting.open"), "Voor ", *of_norms,
                 " is een eindoordeel vastgesteld volgens het ", f("normenkader.titel"), "; ",
                 *still_open, " Samen vormen de eindoordelen de basis voor het advies aan de "
                 "beheercommissie.", s("else"),
                 "Per norm is een eindoordeel vastgesteld volgens het ",
                 f("normenkader.titel"), "; samen vormen de eindoordelen de basis voor het "
                 "advies aan de beheercommissie.", s("endif")]
    else:
        intro = ["Dit leerrapport beschrijft de uitkomst van de intercollegiale adviesmeting "
                 "bij ", f("organisatie.naam"), ", met als scope ", f("toetsing.scope"),
                 ". ", counted("toetsing.beoordelaars|length", "De collega-organisatie",
                               "De collega-organisaties"), " ",
                 f("toetsing.beoordelaars_tekst"), " ",
                 counted("toetsing.beoordelaars|length", "heeft de normen",
                         "hebben elk de normen"),
                 " van het ", f("normenkader.titel"), " beoordeeld. ",
                 # only a consensus meeting that changed a judgement is known to have been
                 # held: without one the report says the consensus is computed
                 s("if samenvatting.bijgesteld"),
                 "In de consensusbespreking is ", s("if samenvatting.open"), "voor ",
                 *of_norms, s("else"), "per norm", s("endif"),
                 " één oordeel vastgesteld: de consensus.",
                 s("else"),
                 s("if samenvatting.open"), "Voor ", *of_norms, s("else"), "Per norm",
                 s("endif"), " is volgens de vaste rekenregel uit ",
                 counted("toetsing.beoordelaars|length", "haar", "hun"), " oordelen één oordeel "
                 "berekend: de consensus. Geen enkel oordeel is in een consensusbespreking "
                 "bijgesteld.",
                 s("endif"),
                 s("if samenvatting.open"), " ", *still_open, s("endif"),
                 " Het rapport is bedoeld om van te leren: wat gaat goed, waar kan "
                 "het beter en hoe verhoudt de eigen inschatting zich tot die van de "
                 "collega's?"]
    write(doc, [H1("Samenvatting", page_break=True)])
    incomplete_note(doc, width, "Dit rapport")
    write(doc, [P(intro), H2("Advies")])
    box(doc, [P([f("advies.tekst")], style="Heading 3", before=2, after=2),
              P([f("advies.uitleg")], after=2)], width=width, fill=LIGHT_BLUE, bar=BLUE)
    if audit:
        write(doc, [L("if blokkerend"), H2("Blokkerende normen")])
        box(doc, [P([Run("Let op: een certificaat is op dit moment niet mogelijk.", bold=True,
                         colour=WARN)], after=2, before=2, keep_next=True),
                  L("for reden in redenen"),
                  P([f("reden")], style="List Bullet", after=2, keep_next=True),
                  L("endfor"),
                  P(["Het gaat om ", f("blokkerend|length|aantal('norm', 'normen')"),
                     "; na verbetering volgt een herbeoordeling van ",
                     counted("blokkerend|length", "die norm", "die normen"), "."], after=2,
                    keep_next=True)],
            width=width, fill=WARN_FILL, bar=WARN)
        spacer(doc, keep_next=True)
        data_table(doc, [
            Col("Norm", 15, [T(f("blok.norm", bold=True))]),
            Col("Omschrijving", None, [T(f("blok.tekst"))]),
            Col("Kwaliteitswaarde", 39, [T(f("blok.kwaliteitswaarde"))]),
            Col(consensus, 28, [T(f("blok.consensus", bold=True, colour=WARN))]),
        ], "for blok in blokkerend", total=width)
        write(doc, [L("endif")])
    # differences and agreement between reviewers exist only where two or more of them
    # rated a norm: an audit by one CI shows neither, not "0" or "niet te bepalen"
    key_figures = [("Normen", "samenvatting.normen"),
                   ("Voldoet", "samenvatting.voldoet_pct"),
                   ("Gemiddelde score", "samenvatting.gemiddelde")]
    write(doc, [H2("Kerncijfers"), L("if samenvatting.overeenstemming")])
    figures_table(doc, [*key_figures,
                        ("Verschillen van inzicht", "samenvatting.verschillen"),
                        ("Krippendorffs alfa", "samenvatting.alfa"),
                        ("Overeenstemming", "samenvatting.overeenstemming_pct")], width)
    write(doc, [L("else")])
    figures_table(doc, key_figures, width)
    # what counts as a difference follows from the catalogue's threshold (the context says
    # it with the catalogue's own levels): never "oneens" for a count of far-apart ratings
    write(doc, [L("endif"),
                P(["Normen: alle normen, ook die niet van toepassing zijn. Voldoet: het deel "
                   "van de normen die van toepassing zijn (met een oordeel) dat het hoogste "
                   "oordeel kreeg. Gemiddelde score: het gemiddelde van ", consensus_ratings,
                   " op de schaal van het normenkader (hoger is beter).",
                   s("if samenvatting.overeenstemming"),
                   " Verschillen van inzicht: ", f("samenvatting.verschil_uitleg"), ". ",
                   f("samenvatting.verschil_kleiner"),
                   " Alfa en overeenstemming: hoe eensgezind de beoordelaars waren (alfa 1 = "
                   "volledig eens; overeenstemming: het deel van de normen waarop alle "
                   "beoordelaars precies hetzelfde oordeel gaven).",
                   s("if samenvatting.alfa_reden"),
                   " Alfa is niet te bepalen (–), want ", f("samenvatting.alfa_reden"), ".",
                   s("endif"), s("endif")], style="Notitie", before=4)])
    write(doc, [H2("Resultaten per domein"), P([f("grafiek_domeinen")], align="center",
                                                 after=4, keep_next=True)])

    def domain_cols() -> list[Col]:
        fields = (("Normen", "d.aantal", 20), ("Open", "d.open", 15),
                  ("Voldoet", "d.voldoet_pct", 20), ("Gemiddelde score", "d.gemiddelde", 28))
        return [Col(label, w, [T(f(expr))], align="center") for label, expr, w in fields]

    # alfa "–" where it cannot be computed: "niet te bepalen" broke mid-word in the narrow
    # column in the fallback font; the note below says why, per domain
    write(doc, [L("if samenvatting.overeenstemming")])
    data_table(doc, [Col("Domein", None, [T(f("d.titel", bold=True))]), *domain_cols(),
                     Col("Verschillen van inzicht", 26, [T(f("d.verschillen"))],
                         align="center"),
                     Col("Alfa", 15, [T(f("d.alfa"))], align="center")],
               "for d in domeinen", total=width)
    write(doc, [L("else")])
    data_table(doc, [Col("Domein", None, [T(f("d.titel", bold=True))]), *domain_cols()],
               "for d in domeinen", total=width)
    write(doc, [L("endif"),
                P(["Per domein: Normen telt alle normen van het domein, Open de normen zonder "
                   "oordeel; Voldoet is het deel van de normen die van toepassing zijn dat het "
                   "hoogste oordeel kreeg.", s("if samenvatting.overeenstemming"),
                   s("for d in domeinen if d.alfa_reden"), " Alfa bij ", f("d.titel"),
                   " is niet te bepalen (–), want ", f("d.alfa_reden"), ".", s("endfor"),
                   s("endif")], style="Notitie", before=4)])
    since_last_time(doc, width, consensus)
    branch_position(doc, width, consensus)

    # --- one section per domain
    write(doc, [L("for domein in domeinen"),
                H1("Domein ", f("domein.titel"), page_break=True)])
    domain_figures = [("Normen", "domein.aantal"), ("Voldoet", "domein.voldoet_pct"),
                      ("Gemiddelde score", "domein.gemiddelde")]
    write(doc, [L("if samenvatting.overeenstemming")])
    figures_table(doc, [*domain_figures, ("Verschillen van inzicht", "domein.verschillen"),
                        ("Alfa", "domein.alfa"), ("Open", "domein.open")], width)
    write(doc, [L("if domein.alfa_reden"),
                P(["Alfa is niet te bepalen (–), want ", f("domein.alfa_reden"), "."],
                  style="Notitie", before=4),
                L("endif"), L("else")])
    figures_table(doc, [*domain_figures, ("Open", "domein.open")], width)
    write(doc, [L("endif")])
    write(doc, [L("if domein.grafiek"),
                P([f("domein.grafiek")], align="center", before=6, after=4),
                L("endif"),
                H2("Oordelen per norm")])
    data_table(doc, [
        Col("Norm", 15, [T(f("n.norm", bold=True))]),
        Col("Omschrijving", None, [T(f("n.tekst")), small(f("n.kwaliteitswaarde"), before=2)]),
        Col(consensus, 28, [T(f("n.consensus", bold=True)),
                            L("if n.aangepast"),
                            T(Run("bijgesteld in de bespreking", italic=True, size=8),
                              before=2),
                            L("endif"), L("if n.verschil"),
                            T(Run("verschil van inzicht", italic=True, size=8), before=2),
                            L("endif")],
            bg="n.kleur"),
        Col("Oordeel per beoordelaar", 40, [T(f("n.oordelen"))]),
        Col("Eigen oordeel", 21, [T(f("n.zelf"))]),
    ], "for n in domein.normen", total=width)
    write(doc, [L("endfor")])

    # --- strengths, learning points
    write(doc, [H1("Sterke punten")])
    _quotes(doc, "sterke_punten", "punt",
            ["Wat ", by_reviewers("de beoordelaar als sterk zag, in eigen woorden.",
                                  "de beoordelaars als sterk zagen, in hun eigen woorden.")],
            [by_reviewers("De beoordelaar heeft", "De beoordelaars hebben"),
             " geen sterke punten genoemd."])
    write(doc, [H1("Leerpunten")])
    _quotes(doc, "leerpunten", "punt",
            ["Waar de organisatie volgens ", by_reviewers(
                "de beoordelaar van kan leren, in eigen woorden.",
                "de beoordelaars van kan leren, in hun eigen woorden.")],
            [by_reviewers("De beoordelaar heeft", "De beoordelaars hebben"),
             " geen leerpunten genoemd."])

    # --- disagreements; "discussed" only when the meeting changed a judgement (an
    # eindoordeel with its motivation): without one nothing is known to have been discussed
    # a "verschil van inzicht" is what the catalogue's threshold counts (far apart, e.g.
    # voldoet against voldoet niet), said as such: reviewers who differ by less were never
    # "het eens"; one reviewer has nobody to differ from (only a changed judgement is listed)
    meeting, changed = (("na bespreking", "bijgesteld") if audit
                        else ("in de consensusbespreking", "aangepast"))
    final = "‘Eindoordeel’" if audit else "‘Consensus’"
    far_apart = [s("if toetsing.beoordelaars|length > 1"), "Bij deze normen ",
                 f("samenvatting.verschil_zin"), f", of is het berekende oordeel {meeting} "
                 f"{changed}. ‘Berekend’ is het oordeel dat uit de afzonderlijke oordelen "
                 f"volgt; {final} is het vastgestelde oordeel.", s("else"),
                 f"Bij deze normen is het oordeel van de beoordelaar {meeting} {changed}. "
                 f"‘Berekend’ is het oordeel van de beoordelaar; {final} is het vastgestelde "
                 "oordeel.", s("endif")]
    if audit:
        heading = "Besproken en bijgestelde oordelen"
        lead = far_apart
        lead_computed = ["Bij deze normen ", f("samenvatting.verschil_zin"), ". Het "
                         "eindoordeel is het oordeel dat uit hun afzonderlijke oordelen volgt; "
                         "er is geen oordeel na bespreking bijgesteld."]
    else:
        heading = "Verschillen van inzicht in de consensusbespreking"
        lead = far_apart
        lead_computed = ["Bij deze normen ", f("samenvatting.verschil_zin"), ". De consensus "
                         "is het oordeel dat uit hun afzonderlijke oordelen volgt; in een "
                         "consensusbespreking is geen oordeel bijgesteld."]
    none = ["Bij geen enkele norm ", f("samenvatting.verschil_zin"), "; er is geen oordeel "
            "bijgesteld. ", f("samenvatting.verschil_kleiner")]
    # open norms: nobody rated them, so nobody differed on them either; said as such
    none_of_rated = ["Bij geen enkele norm met een oordeel (", *of_norms, ") ",
                     f("samenvatting.verschil_zin"), "; er is geen oordeel bijgesteld. ",
                     f("samenvatting.verschil_kleiner")]
    write(doc, [H1(s("if samenvatting.bijgesteld"), heading, s("else"),
                   "Verschillen van inzicht", s("endif")),
                L("if verschillen"), L("if samenvatting.bijgesteld"),
                P(lead, keep_next=True)])
    data_table(doc, [
        Col("Norm", 15, [T(f("v.norm", bold=True))]),
        Col([by_reviewers("Oordeel van de beoordelaar", "Oordelen van de beoordelaars")],
            None, [T(f("v.oordelen"))]),
        Col("Berekend", 23, [T(f("v.berekend"))]),
        Col(consensus, 28, [T(f("v.consensus", bold=True)), L("if v.aangepast"),
                            small("aangepast", before=2), L("endif")]),
        Col("Motivering", 50, [T(f("v.motivering"))]),
    ], "for v in verschillen", total=width)
    # computed only: no Berekend next to an equal consensus, no empty Motivering
    write(doc, [L("else"), P(lead_computed, keep_next=True)])
    data_table(doc, [
        Col("Norm", 15, [T(f("v.norm", bold=True))]),
        Col("Oordelen van de beoordelaars", None, [T(f("v.oordelen"))]),
        Col(consensus, 28, [T(f("v.consensus", bold=True))]),
    ], "for v in verschillen", total=width)
    # one reviewer cannot differ from another: "no disagreement" would suggest agreement
    alone = ["De toetsing had één beoordelaar (", f("toetsing.beoordelaars_tekst"),
             "); verschillen van inzicht tussen beoordelaars zijn er dan niet."]
    write(doc, [L("endif"), L("else"),
                P([s("if toetsing.beoordelaars|length == 1"), *alone,
                   s("elif samenvatting.open"), *none_of_rated, s("else"), *none,
                   s("endif")]),
                L("endif")])

    # --- self-evaluation versus the reviewers
    write(doc, [
        H1("Zelfevaluatie naast ", consensus_rating),
        L("if toetsing.zelfevaluatie"),
        P(["De organisatie vulde vooraf een zelfevaluatie in. De grafiek zet per domein de "
           "gemiddelde eigen score naast de gemiddelde score van ", consensus_rating, ". "
           "Daaronder staan de normen waar de eigen inschatting anders is.",
           s("if samenvatting.open"), " Normen zonder ", consensus_rating.removeprefix("het "),
           " (", f("samenvatting.open"), ") zijn niet vergeleken.", s("endif")],
          keep_next=True),
        L("if grafiek_kloof"),
        P([f("grafiek_kloof")], align="center", after=4),
        L("endif"),
        H2("Normen waar de organisatie zichzelf hoger inschatte"),
        L("if kloof.hoger"),
    ])
    gap_cols = [
        Col("Norm", 15, [T(f("k.norm", bold=True))]),
        Col("Omschrijving", None, [T(f("k.tekst"))]),
        Col("Zelfevaluatie", 32, [T(f("k.zelf"))]),
        Col(consensus, 28, [T(f("k.consensus", bold=True))]),
    ]
    data_table(doc, gap_cols, "for k in kloof.hoger", total=width)
    write(doc, [L("else"), P(["Bij geen enkele norm."]), L("endif"),
                H2("Normen waar de organisatie zichzelf lager inschatte"),
                L("if kloof.lager")])
    data_table(doc, gap_cols, "for k in kloof.lager", total=width)
    write(doc, [L("else"), P(["Bij geen enkele norm."]), L("endif"),
                L("else"),
                P(["Er is geen zelfevaluatie van de organisatie meegenomen."]),
                L("endif")])

    # --- next steps
    write(doc, [H1("Vervolgstappen"),
                L("for stap in vervolgstappen"),
                P([f("stap")], style="List Bullet"),
                L("endfor")])

    # --- appendix
    write(doc, [H1("Bijlage: alle opmerkingen van ",
                   by_reviewers("de beoordelaar", "de beoordelaars"), page_break=True),
                P(["De bevindingen, sterke punten en leerpunten zoals ",
                   by_reviewers("de beoordelaar ze in de werkmap schreef",
                                "de beoordelaars ze in hun werkmap schreven"), ", per norm."],
                  keep_next=True)])
    data_table(doc, [
        Col("Norm", 15, [T(f("o.norm", bold=True))]),
        Col("Beoordelaar", 36, [T(f("o.beoordelaar"))]),
        Col("Oordeel", 23, [T(f("o.oordeel"))]),
        Col("Bevindingen, sterke punten en leerpunten", None, [
            T(f("o.bevindingen")),
            L("if o.sterke_punten"),
            T(b("Sterk: "), f("o.sterke_punten"), before=3),
            L("endif"),
            L("if o.leerpunten"),
            T(b("Leerpunt: "), f("o.leerpunten"), before=3),
            L("endif"),
        ]),
    ], "for o in opmerkingen", total=width)
    return doc


def build_feedback() -> DocxDocument:
    kind = "zelfevaluatie-feedback"
    page = Page()
    width = page.text_width
    doc = new_document(kind, title="Terugkoppeling zelfevaluatie", page=page,
                       footer_left=[f("organisatie.naam"), " · toetsing ",
                                    f("toetsing.nummer")])
    explanation(doc, kind, "Dit sjabloon maakt de terugkoppeling op een ingevulde "
                "zelfevaluatie: de basis voor het feedbackgesprek met een certificerende "
                "instelling.")
    write(doc, [P([BRAND], style="Merkregel", before=6),
                P(["Terugkoppeling zelfevaluatie"], style="Title"),
                P([f("organisatie.naam")], style="Subtitle", after=10)])
    _bottom_rule(doc.paragraphs[-1], colour=BLUE, sz=12, space=6)
    info_table(doc, [
        ("Organisatie", [P([f("organisatie.naam")])]),
        ("Toetsingsnummer", [P([f("toetsing.nummer")])]),
        ("Normenkader", [P([f("normenkader.titel"), ", versie ", f("normenkader.versie")])]),
        ("Datum", [P([f("datum")])]),
    ], widths=(50, width - 50))
    write(doc, [L("if normenkader.voorbeeld"), P(NOTE_EXAMPLE.parts, style="Notitie",
                                                   before=6), L("endif")])

    write(doc, [H1("Waar staat de organisatie?"),
                P(["Deze terugkoppeling is gemaakt op basis van de zelfevaluatie die ",
                   f("organisatie.naam"), " heeft ingevuld. Zij laat zien hoe de organisatie "
                   "zichzelf op de normen beoordeelt, welke accenten zij legt en wat er nog "
                   "nodig is voor het Kwaliteitslabel. Zij is de basis voor het feedbackgesprek "
                   "met een certificerende instelling."], keep_next=True)])
    figures_table(doc, [
        ("Normen", "samenvatting.normen"),
        ("Beoordeeld", "samenvatting.beoordeeld"),
        ("Nog open", "samenvatting.open"),
        ("Accenten", "samenvatting.accenten"),
        ("Te verbeteren", "samenvatting.te_doen"),
    ], width)
    write(doc, [L("if domeinen"),
                H2("Stand per domein"),
                P(["Per domein: hoeveel normen de organisatie heeft beoordeeld, hoeveel er nog "
                   "open staan en het deel van de beoordeelde normen die van toepassing zijn "
                   "met het hoogste oordeel (voldoet). De grafiek eronder toont per domein "
                   "hoeveel normen elk oordeel kregen."],
                  keep_next=True)])
    data_table(doc, [
        Col("Domein", None, [T(f("d.titel", bold=True))]),
        Col("Normen", 20, [T(f("d.aantal"))], align="center"),
        Col("Beoordeeld", 27, [T(f("d.beoordeeld"))], align="center"),
        Col("Open", 15, [T(f("d.open"))], align="center"),
        Col("Voldoet", 20, [T(f("d.voldoet_pct", bold=True))], align="center"),
    ], "for d in domeinen", total=width)
    write(doc, [P([f("grafiek_domeinen")], align="center", before=8, after=4),
                L("endif")])

    norm_cols = [Col("Norm", 15, [T(f("x.norm", bold=True))]),
                 Col("Omschrijving", 73, [T(f("x.tekst")), small(f("x.domein"), " · ",
                                                                 f("x.kwaliteitswaarde"),
                                                                 before=2)]),
                 Col("Eigen oordeel", 24, [T(f("x.oordeel", bold=True))])]
    write(doc, [H1("Accenten van de organisatie", page_break=True),
                L("if accenten"),
                P(["Bij deze normen heeft de organisatie een accent gelegd: zij vindt ze voor "
                   "haar werk bijzonder belangrijk. Ze verdienen extra aandacht in het "
                   "gesprek."], keep_next=True)])
    data_table(doc, [*norm_cols, Col("Onderbouwing", None, [T(f("x.onderbouwing or '–'"))])],
               "for x in accenten", total=width)
    write(doc, [L("else"), P(["De organisatie heeft geen accenten gelegd."]), L("endif")])

    write(doc, [H1("Normen die nog open staan"),
                L("if open_normen"),
                P(["Deze normen heeft de organisatie nog niet beoordeeld:"], keep_next=True)])
    data_table(doc, [Col("Norm", 15, [T(f("x.norm", bold=True))]),
                     Col("Omschrijving", None, [T(f("x.tekst")),
                                                small(f("x.kwaliteitswaarde"), before=2)]),
                     Col("Domein", 40, [T(f("x.domein"))])], "for x in open_normen",
               total=width)
    write(doc, [L("else"), P(["Alle normen hebben een oordeel."]), L("endif")])

    write(doc, [H1("Wat nog nodig is voor het Kwaliteitslabel"),
                L("if te_doen"),
                P(["Normen die de organisatie zelf nog niet met het hoogste oordeel beoordeelt, "
                   "met de verbeteracties die zij noemt."], keep_next=True)])
    data_table(doc, [*norm_cols, Col("Verbeteracties", None,
                                     [T(f("x.verbeteracties or '–'"))])], "for x in te_doen",
               total=width)
    write(doc, [L("else"), P(["De organisatie beoordeelt alle normen met het hoogste oordeel."]),
                L("endif")])

    write(doc, [H1("Vervolgstappen"),
                L("for stap in vervolgstappen"),
                P([f("stap")], style="List Bullet"),
                L("endfor"),
                H2("Aantekeningen bij het feedbackgesprek")])
    notes = box(doc, [P([], after=0)], width=width, fill="FFFFFF", bar=GRID, margin=2)
    trpr = notes.rows[0]._tr.get_or_add_trPr()
    put(trpr, el("w:trHeight", w_val=twips(45), w_hRule="atLeast"), TRPR)
    _cell_borders(notes.rows[0].cells[0], **{
        side: border(f"w:{side}", sz=4, color=GRID) for side in ("top", "bottom", "right")},
        left=border("w:left", sz=4, color=GRID))
    return doc


# --- letters ----------------------------------------------------------------------------------


@dataclass
class LetterSpec:
    kind: str
    header_title: str
    subject: Sequence[Part]
    purpose: str
    body: Callable[[DocxDocument, float], None]
    enclosure: Sequence[Part] = field(default_factory=tuple)


def _decided(verb: str) -> list[Part]:
    """"… de beheercommissie van het KSW [op 3 december 2026] heeft besloten": the day only
    when it is known (the manifest's Besluitdatum or --decision-date), never the day the
    letter happened to be made."""
    return ["de beheercommissie van het ", BRAND, s("if besluit.datum_besluit"), " op ",
            f("besluit.datum_besluit"), s("endif"), f" {verb}"]


def _decision_table(doc: DocxDocument, width: float, number_label: str, date_label: str,
                    ) -> None:
    info_table(doc, [
        (number_label, [P([f("besluit.nummer", bold=True)])]),
        (date_label, [P([f("besluit.datum")])]),
        ("Geldig tot en met", [P([f("besluit.geldig_tot")])]),
        ("Scope", [P([f("toetsing.scope")])]),
        ("Toetsing", [P([f("toetsing.nummer")])]),
        ("Toetsingsvariant", [P([f("toetsing.variant")])]),
        ("Normenkader", [P([f("normenkader.titel"), ", versie ", f("normenkader.versie")])]),
    ], widths=(48, width - 48))
    spacer(doc, 6)


def last_paragraph(*parts: Part) -> P:
    """The last paragraph of a letter's body: kept whole and with the closing after it, so
    "Met vriendelijke groet" and the signature are never alone on a page."""
    return P(parts, keep_next=True, keep_lines=True)


def _registration_body(doc: DocxDocument, width: float) -> None:
    write(doc, [
        P(["Met genoegen laten wij u weten dat ", *_decided("heeft besloten"), " ",
           f("organisatie.naam"), " in te schrijven in het Kwaliteitsregister Sociaal Werk. ",
           f("besluit.grondslag")]),
        P(["De gegevens van de inschrijving:"], keep_next=True),
    ])
    _decision_table(doc, width, "Registratienummer", "Ingeschreven op")
    write(doc, [
        P(["Uw organisatie is met dit registratienummer opgenomen in het openbare "
           "Kwaliteitsregister. Vermeld het nummer als u over de inschrijving contact met ons "
           "opneemt."]),
        last_paragraph("Wij danken ", f("toetsing.beoordelaars_tekst"), " voor ",
                       by_reviewers("haar", "hun"), " inzet als beoordelaar. Wij raden u aan "
                       "de leerpunten uit het leerrapport in uw teams te bespreken en de "
                       "volgende toetsing ruim voor het einde van de registratieperiode te "
                       "plannen."),
    ])


def _certificate_body(doc: DocxDocument, width: float) -> None:
    write(doc, [
        P(["Met genoegen laten wij u weten dat ", *_decided("heeft besloten"),
           " het certificaat ", BRAND, " toe te kennen aan ", f("organisatie.naam"), "."]),
        P([f("besluit.grondslag"), " De toetsing is uitgevoerd door ",
           f("toetsing.beoordelaars_tekst"), ". De gegevens van het certificaat:"],
          keep_next=True),
    ])
    _decision_table(doc, width, "Certificaatnummer", "Datum van toekenning")
    write(doc, [
        P(["Het certificaat ontvangt u als bijlage bij deze brief. Uw organisatie is met het "
           "certificaatnummer opgenomen in het Kwaliteitsregister."]),
        last_paragraph("Wij feliciteren u en uw medewerkers met dit resultaat en wensen u veel "
                       "succes met het verder verbeteren van de kwaliteit van uw sociaal werk."),
    ])


def _reassessment_body(doc: DocxDocument, width: float) -> None:
    write(doc, [
        P(["De beheercommissie van het ", BRAND, " heeft", s("if besluit.datum_besluit"),
           " op ", f("besluit.datum_besluit"), s("endif"), " het advies besproken dat volgde "
           "uit toetsing ", f("toetsing.nummer"), " bij ", f("organisatie.naam"), ": ",
           f("toetsing.vorm"), ", met als scope ", f("toetsing.scope"), "."]),
        # the paragraph above named the assessment and its variant: said once
        P(["Op dit moment kan ", f("besluit.soort"), " nog niet worden toegekend. ",
           f("besluit.grondslag_kort")]),
        L("if redenen"),
        P([counted("redenen|length", "De reden:", "De redenen:")], keep_next=True, after=2),
        L("for reden in redenen"),
        P([f("reden")], style="List Bullet", keep_next=True),
        L("endfor"),
        L("endif"),
        L("if blokkerend"),
        P(["Het gaat om ", counted("blokkerend|length", "deze norm", "deze normen"), ":"],
          keep_next=True),
    ])
    data_table(doc, [
        Col("Norm", 16, [T(f("blok.norm", bold=True))]),
        Col("Omschrijving", None, [T(f("blok.tekst")),
                                   small(f("blok.kwaliteitswaarde"), before=2)]),
        Col("Oordeel", 30, [T(f("blok.consensus", bold=True))]),
    ], "for blok in blokkerend", total=width)
    spacer(doc, 6)
    write(doc, [
        L("endif"),
        P([f("vervolgstap")]),
        last_paragraph("Heeft u vragen over deze brief of over de herbeoordeling? Neem dan "
                       "contact op met het secretariaat; de gegevens staan bovenaan deze "
                       "brief."),
    ])


LETTERS = [
    LetterSpec("registratiebrief", "Inschrijving Kwaliteitsregister",
               ["Inschrijving in het Kwaliteitsregister Sociaal Werk"],
               "Dit sjabloon maakt de brief over de inschrijving (registratie) in het "
               "Kwaliteitsregister.", _registration_body),
    LetterSpec("certificaatbrief", "Toekenning certificaat",
               ["Toekenning certificaat ", BRAND],
               "Dit sjabloon maakt de brief bij het toegekende certificaat.",
               _certificate_body, enclosure=["certificaat ", f("besluit.nummer")]),
    LetterSpec("herbeoordelingsbrief", "Uitkomst toetsing",
               ["Uitkomst toetsing ", f("toetsing.nummer"), ": herbeoordeling nodig"],
               "Dit sjabloon maakt de brief wanneer een certificaat of registratie nog niet "
               "kan worden toegekend: met de regels die dat tegenhouden, de blokkerende normen "
               "en de vervolgstap.", _reassessment_body),
]


def _letterhead(doc: DocxDocument, width: float) -> None:
    """Addressee on the left, the secretariat (from the round settings) on the right."""
    address = [
        P([f("organisatie.naam")], style="Adres"),
        L("if organisatie.contactpersoon"),
        P(["t.a.v. ", f("organisatie.contactpersoon")], style="Adres"),
        L("endif"),
        L("for regel in organisatie.adresregels"),
        P([f("regel")], style="Adres"),
        L("endfor"),
    ]
    sender = [
        P([f("afzender.naam", bold=True, colour=BLUE)], style="Afzender", after=2),
        L("for regel in afzender.adresregels"),
        P([f("regel")], style="Afzender"),
        L("endfor"),
        L("if afzender.telefoon"),
        P([Run("Telefoon ", colour=GREY), f("afzender.telefoon")], style="Afzender",
          before=3),
        L("endif"),
        L("if afzender.email"),
        P([f("afzender.email")], style="Afzender"),
        L("endif"),
        L("if afzender.website"),
        P([f("afzender.website")], style="Afzender"),
        L("endif"),
    ]
    plain_table(doc, [width - 70, 70], [[address, sender]])


def _signature(doc: DocxDocument) -> None:
    """The closing and the signatory, kept together and with the paragraph before them."""
    write(doc, [
        P(["Met vriendelijke groet,"], before=6, keep_next=True, keep_lines=True),
        P([], after=30, keep_next=True),
        P([f("ondertekenaar.naam", bold=True)], style="Adres", keep_next=True),
        P([f("ondertekenaar.functie")], style="Adres", keep_next=True),
        P([f("afzender.naam")], style="Adres"),
    ])


def build_letter(spec: LetterSpec) -> DocxDocument:
    page = Page(top=22, left=25, right=20)
    width = page.text_width
    doc = new_document(spec.kind, title=spec.header_title, page=page,
                       footer_left=["Kenmerk: toetsing ", f("toetsing.nummer")])
    explanation(doc, spec.kind, spec.purpose)
    _letterhead(doc, width)
    write(doc, [P([], before=20, after=0)])
    labels = [("Datum", [P([f("datum")], style="Adres")]),
              ("Kenmerk", [P(["toetsing ", f("toetsing.nummer")], style="Adres")]),
              ("Onderwerp", [P([b(p) if isinstance(p, str) else Run(p.text, bold=True,
                                                                      tag=True)
                                for p in spec.subject], style="Adres")])]
    if spec.enclosure:
        labels.append(("Bijlage", [P(list(spec.enclosure), style="Adres")]))
    plain_table(doc, [28, width - 28], [
        [[P([Run(label, colour=GREY)], style="Adres")], blocks] for label, blocks in labels])
    write(doc, [P([], before=14, after=0), P([f("aanhef")])])
    spec.body(doc, width)
    # the warning belongs to the body: kept with the closing like its last paragraph
    write(doc, [L("if onvolledig"),
                P([Run("Let op: ", bold=True, colour=WARN),
                   "dit besluit is genomen terwijl niet alle werkmappen van de toetsing binnen "
                   "of in orde waren:"], keep_next=True, before=6),
                L("for ontbreekt in onvolledig"),
                P([f("ontbreekt")], style="List Bullet", after=0, keep_next=True),
                L("endfor"),
                L("endif")])
    _signature(doc)
    return doc


# --- certificate ------------------------------------------------------------------------------


def build_certificate() -> DocxDocument:
    page = Page(landscape=True, top=16, bottom=12, left=28, right=28)
    doc = new_document("certificaat", title=None, page=page)
    page_border(doc)
    explanation(doc, "certificaat", "Dit sjabloon maakt het certificaat zelf: één pagina, "
                "liggend. Houd de inhoud op één pagina.")
    write(doc, [
        P([Run(BRAND, caps=True, colour=BLUE, size=14, bold=True)], align="center",
          before=28, after=0),
        P([Run("Certificaat", colour=BLUE, size=56, bold=True)], align="center", after=0,
          before=0),
        P([], after=0, before=0),
    ])
    rule = doc.paragraphs[-1]  # a short centred rule under the title
    rule.paragraph_format.left_indent = rule.paragraph_format.right_indent = Mm(95)
    _bottom_rule(rule, colour=BLUE, sz=12, space=1)
    write(doc, [
        P([Run("Het certificaat " + BRAND + " is toegekend aan", italic=True, size=13,
               colour=GREY)], align="center", before=14, after=2),
        # a long name in a smaller size, so the certificate stays one page (up to ~300
        # letters; 28 pt holds two lines of ~45)
        L("if organisatie.naam|length <= 80"),
        P([f("organisatie.naam", bold=True, size=28, colour=TEXT)], align="center", after=4,
          line=1.0),
        L("elif organisatie.naam|length <= 160"),
        P([f("organisatie.naam", bold=True, size=20, colour=TEXT)], align="center", after=4,
          line=1.0),
        L("else"),
        P([f("organisatie.naam", bold=True, size=14, colour=TEXT)], align="center", after=4,
          line=1.0),
        L("endif"),
        P([Run("voor ", size=14, colour=GREY), f("toetsing.scope", size=14)],
          align="center", after=10, line=1.0),
        P([Run("Toetsingsvariant: ", size=11, colour=GREY), f("toetsing.variant", size=11),
           Run(" · toetsing ", size=11, colour=GREY), f("toetsing.nummer", size=11)],
          align="center", after=2),
        P([Run("Normenkader: ", size=11, colour=GREY), f("normenkader.titel", size=11),
           Run(", versie ", size=11, colour=GREY), f("normenkader.versie", size=11)],
          align="center", after=12),
    ])
    facts = plain_table(doc, [64, 64, 64], [[
        [P([Run("Certificaatnummer", size=9, colour=GREY)], align="center", after=0),
         P([f("besluit.nummer", bold=True, size=14, colour=BLUE)], align="center", after=0)],
        [P([Run("Datum van toekenning", size=9, colour=GREY)], align="center", after=0),
         P([f("besluit.datum", bold=True, size=14, colour=BLUE)], align="center", after=0)],
        [P([Run("Geldig tot en met", size=9, colour=GREY)], align="center", after=0),
         P([f("besluit.geldig_tot", bold=True, size=14, colour=BLUE)], align="center",
           after=0)],
    ]], centre=True)
    for cell in facts.rows[0].cells:
        _cell_borders(cell, top=border("w:top", sz=4, color=GRID),
                      bottom=border("w:bottom", sz=4, color=GRID))
        _cell_props(cell, margins={"top": 1.5, "bottom": 1.5})
    write(doc, [L("if normenkader.voorbeeld"),
                P([Run("Voorbeeld: dit certificaat is gemaakt met het illustratieve "
                       "voorbeeldnormenkader van kwl en is geen officieel certificaat.",
                       italic=True, size=8, colour=GREY)], align="center", before=4, after=0),
                L("endif"),
                P([], after=0, before=36)])
    # one signature: the signatory of the round settings, by name and function
    signature = plain_table(doc, [90], [[
        [P([f("ondertekenaar.naam", size=10, bold=True)], align="center", after=0, before=2),
         P([f("ondertekenaar.functie", size=9)], align="center", after=0),
         P([Run(BRAND, size=8, colour=GREY)], align="center", after=0)],
    ]], centre=True)
    _cell_borders(signature.rows[0].cells[0], top=border("w:top", sz=6, color=TEXT))
    # Word needs a paragraph after the last table; keep it tiny so it never spills over
    write(doc, [P([Run("", size=1)], after=0, before=0, line=0.1)])
    # centre the content vertically on the page (Word and LibreOffice)
    put(doc.sections[0]._sectPr, el("w:vAlign", w_val="center"), SECTPR)
    return doc


# --- saving, deterministic --------------------------------------------------------------------


def branch_position(doc: DocxDocument, width: float, consensus: str) -> None:
    """"Positie in de branche": only when a benchmark was given (``branche.beschikbaar``); a
    benchmark of another catalogue version gives its note and no numbers."""
    write(doc, [
        L("if branche.beschikbaar"),
        H1("Positie in de branche"),
        L("if branche.opmerking"),
        P([f("branche.opmerking")]),
        L("else"),
        P(["Hoe de uitkomst zich verhoudt tot die van de getoetste organisaties in ",
           f("branche.ronde"), " (het branchebeeld; de organisatie telt daarin mee als zij in "
           "die ronde is getoetst). Het branchebeeld noemt geen organisaties en toont geen "
           "getal over een kleine groep; ", f("branche.kleinste_groep"), "."],
          keep_next=True),
        L("if branche.domeinen"),
    ])
    data_table(doc, [Col("Domein", None, [T(f("d.titel", bold=True))]),
                     Col("Voldoet organisatie", 34, [T(f("d.eigen_pct"))], align="center"),
                     Col("Voldoet branche", 30, [T(f("d.branche_pct"))], align="center"),
                     Col("Organisaties", 30, [T(f("d.organisaties"))], align="center")],
               "for d in branche.domeinen", total=width)
    write(doc, [
        P(["Voldoet: het deel van de oordelen met een score dat voldoet; in de branche over de "
           "oordelen van alle organisaties samen. Een domein waarvan het branchebeeld de "
           "verdeling niet toont (te weinig organisaties bij een oordeel), staat er niet in."],
          style="Notitie", before=4),
        L("endif"),
        H2("Normen waar de organisatie anders uitkomt dan de meeste organisaties"),
        L("if branche.normen"),
    ])
    data_table(doc, [Col("Norm", 15, [T(f("n.norm", bold=True))]),
                     Col("Omschrijving", None, [T(f("n.tekst"))]),
                     Col(consensus, 28, [T(f("n.eigen", bold=True))]),
                     Col("In de branche", 52, [T(f("n.branche"))])],
               "for n in branche.normen", total=width)
    write(doc, [
        L("else"),
        P(["Bij elke norm waarover het branchebeeld een getal toont, kreeg de organisatie het "
           "oordeel dat de meeste organisaties kregen."]),
        L("endif"),
        L("endif"),
        L("endif"),
    ])


def build_benchmark() -> DocxDocument:
    kind = "branchebeeld"
    page = Page()
    width = page.text_width
    doc = new_document(kind, title="Branchebeeld", page=page, cover=False,
                       footer_left=["Branchebeeld · ", f("datum")])
    explanation(doc, kind, "Dit sjabloon maakt het branchebeeld voor de beheercommissie "
                "(kwl benchmark): waar de branche staat, zonder organisaties te noemen.")
    write(doc, [P([BRAND], style="Merkregel", before=6),
                P(["Branchebeeld"], style="Title"),
                P(["Voor de beheercommissie · ", f("datum")], style="Subtitle", after=10)])
    _bottom_rule(doc.paragraphs[-1], colour=BLUE, sz=12, space=6)
    write(doc, [
        P(["Dit branchebeeld laat zien waar de getoetste organisaties samen staan: per domein "
           "de verdeling van de consensusoordelen, de normen waar het vaakst niet aan wordt "
           "voldaan, en de normen waarover beoordelaars het vaakst van inzicht verschillen: "
           "kandidaten voor een duidelijker formulering in de volgende versie van het "
           "normenkader."]),
        P([b("Privacy. "), "Het branchebeeld noemt geen organisaties, beoordelaars of "
           "toetsingsnummers en neemt geen tekst uit werkmappen over. Een getal over minder "
           "organisaties dan de kleinste getoonde groep staat er als <k; elke organisatie telt "
           "één keer per ronde. De tabellen per norm, kwaliteitswaarde en ronde staan in "
           "branche.xlsx."]),
        L("if meerdere_versies"),
        P([b("Versies van het normenkader. "), "De toetsingen gebruikten ", f("versies"),
           ". Normen van verschillende versies worden nooit samengeteld: elke versie heeft "
           "hieronder haar eigen hoofdstuk."]),
        L("endif"),
        L("for g in groepen"),
        H1(f("g.normenkader"), ", versie ", f("g.versie")),
    ])
    info_table(doc, [
        ("Rondes", [L("for r in g.rondes"), T(f("r.ronde"), ": ", f("r.organisaties"),
                                              " organisaties"), L("endfor")]),
        ("Dit hoofdstuk", [P(["de laatste ronde, ", f("g.ronde"), " (", f("g.organisaties"),
                              " organisaties)"])]),
        ("Kleine groepen", [P([f("g.kleinste_groep")])]),
    ], widths=(48, width - 48))
    write(doc, [
        L("if g.verlaagd"),
        P([Run("Let op: ", bold=True, colour=WARN), "de kleinste getoonde groep is bij het "
           "maken verlaagd tot onder wat het beleid vraagt. Deel dit document alleen binnen de "
           "beheercommissie."], style="Notitie", before=4),
        L("endif"),
        H2("Verdeling per domein"),
        L("if g.grafiek_domeinen"),
        P([f("g.grafiek_domeinen")], align="center", after=4, keep_next=True),
        L("endif"),
    ])
    data_table(doc, [Col("Domein", None, [T(f("d.titel", bold=True))]),
                     Col("Organisaties", 30, [T(f("d.organisaties"))], align="center"),
                     Col("Voldoet", 22, [T(f("d.voldoet_pct"))], align="center"),
                     Col("Voldoet niet", 26, [T(f("d.niet_pct"))], align="center")],
               "for d in g.domeinen", total=width)
    write(doc, [
        P(["Per domein de oordelen van alle organisaties samen; voldoet en voldoet niet zijn "
           "aandelen van de oordelen met een score. Verborgen: een oordeel telt te weinig "
           "organisaties om de verdeling te tonen."], style="Notitie", before=4),
        H2("Normen waar het vaakst niet aan wordt voldaan"),
        L("if g.niet_voldaan"),
        P([f("g.grafiek_niet_voldaan")], align="center", after=4, keep_next=True),
    ])
    data_table(doc, [Col("Norm", 15, [T(f("n.norm", bold=True))]),
                     Col("Omschrijving", None, [T(f("n.tekst"))]),
                     Col("Organisaties", 30, [T(f("n.organisaties"))], align="center"),
                     Col("Voldoet niet", 26, [T(f("n.niet_pct"))], align="center")],
               "for n in g.niet_voldaan", total=width)
    write(doc, [
        L("if g.gelijk_niet_voldaan"),
        P([f("g.gelijk_niet_voldaan")], style="Notitie", before=4),
        L("endif"),
        L("else"),
        P([f("g.leeg_niet_voldaan")]),
        L("endif"),
        H2("Verschillen van inzicht tussen beoordelaars"),
        L("if g.verschillen"),
        P(["Normen waar de beoordelaars van een organisatie het vaakst van inzicht verschilden "
           "(gemeten waar twee of meer beoordelaars een oordeel met een score gaven). Een "
           "duidelijker formulering of toelichting in de volgende versie kan helpen."],
          keep_next=True),
        P([f("g.grafiek_verschillen")], align="center", after=4, keep_next=True),
    ])
    data_table(doc, [Col("Norm", 15, [T(f("n.norm", bold=True))]),
                     Col("Omschrijving", None, [T(f("n.tekst"))]),
                     Col("Organisaties", 30, [T(f("n.organisaties"))], align="center"),
                     Col("Verschil van inzicht", 30, [T(f("n.verschil_pct"))],
                         align="center"),
                     Col("Gemiddelde spreiding", 30, [T(f("n.spreiding"))], align="center")],
               "for n in g.verschillen", total=width)
    write(doc, [
        L("if g.gelijk_verschillen"),
        P([f("g.gelijk_verschillen")], style="Notitie", before=4),
        L("endif"),
        L("else"),
        P([f("g.leeg_verschillen")]),
        L("endif"),
        L("endfor"),
    ])
    return doc


def save_deterministic(doc: DocxDocument, path: Path) -> None:
    """Save with fixed zip timestamps and order, so the same script gives the same bytes."""
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".docx.tmp")
    tmp.write_bytes(out.getvalue())
    tmp.replace(path)


BUILDERS: dict[str, Callable[[], DocxDocument]] = {
    "leerrapport": lambda: build_report(audit=False),
    "auditrapport": lambda: build_report(audit=True),
    "zelfevaluatie-feedback": build_feedback,
    **{spec.kind: (lambda spec=spec: build_letter(spec)) for spec in LETTERS},
    "certificaat": build_certificate,
    "branchebeeld": build_benchmark,
}


def build_all(out_dir: Path = OUT_DIR) -> list[Path]:
    written = []
    for name, builder in BUILDERS.items():
        path = out_dir / f"{name}.docx"
        save_deterministic(builder(), path)
        written.append(path)
    return written


_LEFTOVER = re.compile(r"\{[{%#]|[}%#]\}")


def check(out_dir: Path, templates: Path = OUT_DIR) -> list[str]:
    """Render every template with its example context; return the problems found."""
    from kwl_office.catalogue import load_example_catalogue
    from kwl_office.documents.examples import example_context
    from kwl_office.documents.registry import DocumentKind
    from kwl_office.documents.render import render_document

    catalogue = load_example_catalogue()
    problems = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for kind in DocumentKind:
        out = render_document(kind, example_context(kind, catalogue),
                              out_dir / f"{kind.value}.docx", templates=templates)
        rendered = Document(str(out))
        texts = [p.text for p in rendered.paragraphs]
        for table in rendered.tables:
            texts.extend(cell.text for row in table.rows for cell in row.cells)
        for section in rendered.sections:
            texts.extend(p.text for p in section.header.paragraphs)
            texts.extend(p.text for p in section.footer.paragraphs)
        text = "\n".join(texts)
        if _LEFTOVER.search(text):
            problems.append(f"{kind.value}: template tags left in the rendered text")
        if "TOELICHTING" in text:
            problems.append(f"{kind.value}: the explanation block was not removed")
        print(f"{out}: {len(text)} characters")
    return problems


#: the page of each example shown in the README (docs/<kind>.png) and its resolution (dpi)
SCREENSHOTS = {"leerrapport": (3, 70), "auditrapport": (2, 70),
               "zelfevaluatie-feedback": (1, 80), "registratiebrief": (1, 80),
               "certificaatbrief": (1, 80), "herbeoordelingsbrief": (1, 80),
               "certificaat": (1, 80), "branchebeeld": (1, 70)}


def screenshots(out_dir: Path = ROOT / "docs", templates: Path = OUT_DIR) -> list[Path]:
    """Render every example, convert them in one LibreOffice run and write the README's
    images: one page of each document as PNG (pdftoppm)."""
    import shutil
    import subprocess
    import tempfile

    from kwl_office.catalogue import load_example_catalogue
    from kwl_office.documents.examples import example_context
    from kwl_office.documents.pdf import convert_to_pdf
    from kwl_office.documents.registry import DocumentKind
    from kwl_office.documents.render import render_document

    catalogue = load_example_catalogue()
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise SystemExit("pdftoppm (poppler) is needed for the screenshots")
    written = []
    with tempfile.TemporaryDirectory(prefix="kwl-docs-") as work:
        docs = [render_document(kind, example_context(kind, catalogue),
                                Path(work) / f"{kind.value}.docx", templates=templates)
                for kind in DocumentKind]
        for pdf in convert_to_pdf(docs):
            page, dpi = SCREENSHOTS[pdf.stem]
            target = out_dir / pdf.stem
            subprocess.run([pdftoppm, "-png", "-r", str(dpi), "-f", str(page), "-l",
                            str(page), "-singlefile", str(pdf), str(target)], check=True)
            written.append(target.with_suffix(".png"))
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR,
                        help="folder for the templates (default: docx_templates/)")
    parser.add_argument("--check", type=Path, metavar="DIR",
                        help="also render every template with its example data into DIR")
    parser.add_argument("--screenshots", action="store_true",
                        help="also renew the README images in docs/ (needs LibreOffice)")
    args = parser.parse_args(argv)
    for path in build_all(args.out):
        print(f"geschreven: {path}")
    if args.screenshots:
        for path in screenshots(templates=args.out):
            print(f"geschreven: {path}")
    if args.check:
        problems = check(args.check, args.out)
        for problem in problems:
            print(f"probleem: {problem}", file=sys.stderr)
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
