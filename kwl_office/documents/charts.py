"""Charts for the documents, drawn with matplotlib (Agg, no display).

Deterministic: the same data gives the same PNG bytes (no timestamps or software tags in the
file, fixed size and resolution), so documents are reproducible and a re-run of a batch
produces identical files.

Why no axes with ticks: every bar carries its own number, so tick labels would repeat what is
written on the bars — and in matplotlib ticks, tick labels and legends are most of a chart's
drawing time (a round draws five charts per assessment, thousands in all). Each chart is one
axes in *inch* coordinates covering the whole figure; labels, bars and the legend are placed
by measuring the texts with the font the chart is drawn in.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402  (the backend must be chosen first)
from matplotlib.font_manager import FontProperties, findfont, get_font  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from kwl_office.catalogue import RatingLevel  # noqa: E402

FONT = "DejaVu Sans"
DPI = 120
TEXT_COLOUR = "#404040"
QUIET_COLOUR = "#7F7F7F"
LINE_COLOUR = "#BFBFBF"
OWN_COLOUR = "#9DC3E6"
PEER_COLOUR = "#1F4E79"


@dataclass(frozen=True)
class Chart:
    """A drawn chart, ready to place in a document (``width_mm`` wide)."""

    png: bytes
    width_mm: float


@lru_cache(maxsize=512)
def text_width(text: str, size: float) -> float:
    """Width in inches of ``text`` in the chart font at ``size`` points."""
    font = get_font(findfont(FontProperties(family=FONT)))
    font.set_size(size, 72)
    font.set_text(text, 0.0)
    width, _ = font.get_width_height()  # in 1/64 points
    return float(width) / 64 / 72


def fit(text: str, size: float, width: float) -> str:
    """``text``, shortened with an ellipsis when it is wider than ``width`` inches."""
    if text_width(text, size) <= width:
        return text
    while len(text) > 1 and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


class _Canvas:
    """A figure of ``width`` × ``height`` inches drawn in inches from the top left.

    Artists go straight onto the figure (no axes: an axes builds ticks even when hidden,
    which cost more than everything drawn here).
    """

    def __init__(self, width: float, height: float) -> None:
        self.figure = Figure(figsize=(width, height), dpi=DPI)
        self._height = height
        self._inches = self.figure.dpi_scale_trans

    def text(self, x: float, y: float, text: str, *, size: float = 8,
             colour: str = TEXT_COLOUR, ha: str = "left", bold: bool = False) -> None:
        self.figure.text(x, self._height - y, text, fontsize=size, color=colour, ha=ha,
                         va="center", family=FONT, transform=self._inches,
                         fontweight="bold" if bold else "normal")

    def box(self, x: float, y: float, width: float, height: float, colour: str, *,
            edge: str = "none") -> None:
        """A rectangle with its top left corner at (x, y)."""
        self.figure.add_artist(Rectangle((x, self._height - y - height), width, height,
                                         facecolor=colour, edgecolor=edge, linewidth=0.8,
                                         transform=self._inches))

    def line(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.figure.add_artist(Line2D([x0, x1], [self._height - y0, self._height - y1],
                                      color=LINE_COLOUR, linewidth=0.8,
                                      transform=self._inches))

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
        buffer = io.BytesIO()
        # light PNG compression: a round draws thousands of charts, encoding dominated
        self.figure.savefig(buffer, format="png", metadata={"Software": None},
                            pil_kwargs={"compress_level": 2})
        return buffer.getvalue()


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
