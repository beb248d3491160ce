"""Charts for the documents, drawn straight onto a Pillow raster (no plotting library).

Deterministic: the same data gives the same PNG bytes (no timestamps or software tags in the
file, fixed size and resolution), so documents are reproducible and a re-run of a batch
produces identical files.

Why Pillow and not matplotlib: a round draws five charts per assessment, thousands in all,
and each is a handful of rectangles, lines and short texts. matplotlib spent 25–35 ms per
chart on its artist and text machinery; drawing the same primitives with Pillow's FreeType
text and ``ImageDraw`` takes 1–2 ms, most of it PNG encoding (see ``encode_png``), below raw
Pillow drawing the same (``benchmarks/bench_documents.py``). The look is matplotlib's: the
same font (DejaVu Sans, shipped with matplotlib), sizes in points at the same resolution, the
same colours and the same layout in inches.

Why no axes with ticks: every bar carries its own number, so tick labels would repeat what is
written on the bars. Each chart is a canvas in *inch* coordinates from the top left; labels,
bars and the legend are placed by measuring the texts with the font the chart is drawn in.
"""

from __future__ import annotations

import importlib.util
import math
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from kwl_office.catalogue import RatingLevel

FONT = "DejaVu Sans"
DPI = 120
TEXT_COLOUR = "#404040"
QUIET_COLOUR = "#7F7F7F"
LINE_COLOUR = "#BFBFBF"
OWN_COLOUR = "#9DC3E6"
PEER_COLOUR = "#1F4E79"
_LINE_WIDTH = 0.8  # points, of the axis lines and the bar segments' white edges
_FONT_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}


@dataclass(frozen=True)
class Chart:
    """A drawn chart, ready to place in a document (``width_mm`` wide)."""

    png: bytes
    width_mm: float


@lru_cache(maxsize=2)
def _font_file(bold: bool) -> str:
    """The DejaVu Sans file that matplotlib ships, so the charts look as they did when
    matplotlib drew them, on every machine.

    Found without importing matplotlib (that would load numpy and its whole setup just for
    a folder name): ``matplotlib.get_data_path()`` is the package's own ``mpl-data``."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("matplotlib (for its DejaVu Sans font) is not installed")
    package = Path(next(iter(spec.submodule_search_locations)))
    return str(package / "mpl-data" / "fonts" / "ttf" / _FONT_FILES[bold])


@lru_cache(maxsize=16)
def _font(size: float, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The chart font at ``size`` points at the chart resolution (loaded once per size).

    The basic layout (no HarfBuzz shaping) is enough for Dutch text and faster; it also keeps
    the bytes independent of the optional raqm library."""
    return ImageFont.truetype(_font_file(bold), size * DPI / 72,
                              layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=16)
def _centre_offset(size: float, bold: bool) -> float:
    """Pixels from a text's vertical centre down to its baseline, as matplotlib centres text
    (the middle of the box from the top of "l" to the bottom of "p")."""
    _, top, _, bottom = _font(size, bold).getbbox("lp", anchor="ls")
    return -(top + bottom) / 2


@lru_cache(maxsize=512)
def text_width(text: str, size: float) -> float:
    """Width in inches of ``text`` in the chart font at ``size`` points."""
    return _font(size).getlength(text) / DPI


def fit(text: str, size: float, width: float) -> str:
    """``text``, shortened with an ellipsis when it is wider than ``width`` inches."""
    if text_width(text, size) <= width:
        return text
    while len(text) > 1 and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


@lru_cache(maxsize=1024)
def _text_mask(text: str, size: float, bold: bool, anchor: str) -> tuple[Image.Image, int, int]:
    """``text`` rendered once as a coverage mask, with the offset of its top left corner
    from the anchor point in pixels.

    Why cached: a round draws the same labels (domain and norm titles, level names, small
    numbers) in every assessment's charts, and rendering the glyphs is most of the time a
    text costs; pasting a colour through a ready mask is a few microseconds. Texts land on
    whole pixels (matplotlib placed them to a fraction of a pixel: no visible difference).
    """
    font = _font(size, bold)
    box = font.getbbox(text, anchor=anchor)
    left, top, right, bottom = (math.floor(box[0]), math.floor(box[1]), math.ceil(box[2]),
                                math.ceil(box[3]))
    mask = Image.new("L", (max(1, right - left), max(1, bottom - top)), 0)
    ImageDraw.Draw(mask).text((-left, -top), text, fill=255, font=font, anchor=anchor)
    return mask, left, top


def _px(inches: float) -> int:
    return round(inches * DPI)


class _Canvas:
    """A white image of ``width`` × ``height`` inches, drawn on in inches from the top left."""

    _ANCHORS = {"left": "ls", "center": "ms", "right": "rs"}

    def __init__(self, width: float, height: float) -> None:
        # the pixel size matplotlib gave a figure of these inches (truncated, not rounded)
        self.image = Image.new("RGB", (int(width * DPI), int(height * DPI)), "white")
        self._draw = ImageDraw.Draw(self.image)
        self._line = max(1, round(_LINE_WIDTH * DPI / 72))

    def text(self, x: float, y: float, text: str, *, size: float = 8,
             colour: str = TEXT_COLOUR, ha: str = "left", bold: bool = False) -> None:
        """``text`` vertically centred on ``y``; ``ha`` says where ``x`` is on it."""
        mask, left, top = _text_mask(text, size, bold, self._ANCHORS[ha])
        baseline = y * DPI + _centre_offset(size, bold)
        self.image.paste(colour, (round(x * DPI) + left, round(baseline) + top), mask)

    def box(self, x: float, y: float, width: float, height: float, colour: str, *,
            edge: str | None = None) -> None:
        """A rectangle with its top left corner at (x, y), optionally with an edge line."""
        if width <= 0 or height <= 0:
            return
        left, top, right, bottom = _px(x), _px(y), _px(x + width), _px(y + height)
        # a bar thinner than a pixel still shows as one pixel: it is not zero
        right, bottom = max(right, left + 1), max(bottom, top + 1)
        self._draw.rectangle((left, top, right - 1, bottom - 1), fill=colour,
                             outline=edge, width=self._line if edge else 0)

    def line(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self._draw.line((_px(x0), _px(y0), _px(x1), _px(y1)), fill=LINE_COLOUR,
                        width=self._line)

    def legend(self, entries: Sequence[tuple[str, str]], *, centre: float, y: float) -> None:
        """One centred row of colour swatches with their labels."""
        swatch, gap, size = 0.16, 0.25, 7
        widths = [swatch + 0.06 + text_width(label, size) for label, _ in entries]
        x = centre - (sum(widths) + gap * (len(widths) - 1)) / 2
        for (label, colour), width in zip(entries, widths, strict=True):
            self.box(x, y - 0.045, swatch, 0.09, colour)
            self.text(x + swatch + 0.06, y, label, size=size)
            x += width + gap

    def png(self) -> bytes:
        return encode_png(self.image)


def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def encode_png(image: Image.Image) -> bytes:
    """``image`` (RGB) as PNG bytes: the chunks IHDR, pHYs (the chart resolution), IDAT and
    IEND, nothing that changes between runs.

    Why not ``Image.save``: Pillow tries all five PNG row filters on every row of an RGB
    image, which is two thirds of its encoding time, and for a chart's flat colours the
    unfiltered rows compress as small. So every row gets filter 0 (None) and zlib's fast level
    does the rest: 2.5 times faster than Pillow's encoder, about the same size.
    """
    if image.mode != "RGB":
        image = image.convert("RGB")
    width, height = image.size
    raw, stride = image.tobytes(), width * 3
    rows = b"".join(b"\0" + raw[start:start + stride] for start in range(0, len(raw), stride))
    per_metre = round(DPI / 0.0254)
    return b"".join((
        b"\x89PNG\r\n\x1a\n",
        _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),  # 8-bit RGB
        _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),  # 1: per metre
        _chunk(b"IDAT", zlib.compress(rows, 2)),
        _chunk(b"IEND", b""),
    ))


def _number(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def counts_chart(
    groups: Sequence[tuple[str, dict[str, int]]], scale: Sequence[RatingLevel], *,
    title: str = "", width_mm: float = 160,
) -> Chart:
    """Horizontal stacked bars: per group (domain) the number of norms per consensus level.

    The number of norms is written in each segment and the total after each bar.
    """
    width = width_mm / 25.4
    row, top = 0.42, (0.38 if title else 0.12)
    height = top + row * len(groups) + 0.42
    label_size, value_size = 8, 7
    label_width = min(0.55 * width, max((text_width(name, label_size) for name, _ in groups),
                                        default=0.5))
    x0 = label_width + 0.2  # bars start here
    x1 = width - 0.4  # the longest bar ends here; its total is written after it
    totals = [sum(counts.get(level.code, 0) for level in scale) for _, counts in groups]
    unit = (x1 - x0) / max(max(totals, default=0), 1)
    canvas = _Canvas(width, height)
    if title:
        canvas.text(0.1, 0.2, title, size=10, bold=True)
    for index, (name, counts) in enumerate(groups):
        y = top + row * (index + 0.5)
        canvas.text(x0 - 0.1, y, fit(name, label_size, label_width), size=label_size,
                    ha="right")
        x = x0
        for level in scale:
            value = counts.get(level.code, 0)
            if not value:
                continue
            canvas.box(x, y - 0.13, value * unit, 0.26, f"#{level.colour}", edge="white")
            canvas.text(x + value * unit / 2, y, str(value), size=value_size, colour="#202020",
                        ha="center")
            x += value * unit
        canvas.text(x + 0.06, y, str(totals[index]), size=value_size, colour=QUIET_COLOUR)
    canvas.line(x0, top, x0, top + row * len(groups))
    canvas.legend([(level.label, f"#{level.colour}") for level in scale],
                  centre=width / 2, y=height - 0.2)
    return Chart(canvas.png(), width_mm)


def gap_chart(
    groups: Sequence[tuple[str, float | None, float | None]], *, self_label: str,
    peer_label: str, max_score: float, width_mm: float = 160,
) -> Chart:
    """Grouped bars per domain: the host's mean own score beside the mean consensus score.

    A mean that does not exist (nothing rated) gets no bar and a dash.
    """
    width, height = width_mm / 25.4, 2.5
    top, base = 0.3, 1.85  # the tallest possible bar reaches ``top``; bars stand on ``base``
    slot = (width - 0.4) / max(len(groups), 1)
    bar = min(0.5, slot * 0.3)
    canvas = _Canvas(width, height)
    canvas.text(0.2, 0.12, "gemiddelde score (0 tot " + f"{max_score:g})".replace(".", ","), size=7,
          colour=QUIET_COLOUR)
    for index, (name, own, peer) in enumerate(groups):
        centre = 0.2 + slot * (index + 0.5)
        for offset, value, colour in ((-bar / 2, own, OWN_COLOUR), (bar / 2, peer, PEER_COLOUR)):
            x = centre + offset
            if value is None:
                canvas.text(x, base - 0.1, "–", size=7, ha="center")
                continue
            tall = (base - top) * min(value, max_score) / max_score
            canvas.box(x - bar / 2, base - tall, bar, tall, colour)
            canvas.text(x, base - tall - 0.09, _number(value), size=7, ha="center")
        canvas.text(centre, base + 0.14, fit(name, 8, slot - 0.1), size=8, ha="center")
    canvas.line(0.2, base, width - 0.2, base)
    canvas.legend([(self_label, OWN_COLOUR), (peer_label, PEER_COLOUR)], centre=width / 2,
                  y=height - 0.2)
    return Chart(canvas.png(), width_mm)


def share_chart(
    items: Sequence[tuple[str, float]], *, colour: str, caption: str, width_mm: float = 160,
) -> Chart:
    """Horizontal bars of shares (0 to 1), one per item, the percentage after each bar and a
    quiet caption above (what the share is of)."""
    width = width_mm / 25.4
    row, top = 0.3, 0.32
    height = top + row * max(len(items), 1) + 0.12
    label_size = 8
    label_width = min(0.5 * width, max((text_width(name, label_size) for name, _ in items),
                                       default=0.5))
    x0 = label_width + 0.2
    x1 = width - 0.5
    canvas = _Canvas(width, height)
    canvas.text(0.1, 0.14, caption, size=7, colour=QUIET_COLOUR)
    for index, (name, share) in enumerate(items):
        y = top + row * (index + 0.5)
        canvas.text(x0 - 0.1, y, fit(name, label_size, label_width), size=label_size,
                    ha="right")
        length = (x1 - x0) * max(0.0, min(share, 1.0))
        if length:
            canvas.box(x0, y - 0.1, length, 0.2, colour)
        canvas.text(x0 + length + 0.06, y, f"{share * 100:.0f}%", size=7, colour=QUIET_COLOUR)
    canvas.line(x0, top, x0, top + row * len(items))
    return Chart(canvas.png(), width_mm)
