"""Charts for the documents, drawn with matplotlib (Agg, no display).

Deterministic: the same data gives the same PNG bytes (no timestamps or software tags in the
file, fixed size and resolution), so documents are reproducible and a re-run of a batch
produces identical files.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from kwl_office.catalogue import RatingLevel  # noqa: E402

FONT = "DejaVu Sans"
DPI = 120
TEXT_COLOUR = "#404040"


@dataclass(frozen=True)
class Chart:
    """A drawn chart, ready to place in a document (``width_mm`` wide)."""

    png: bytes
    width_mm: float


def _save(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    # light PNG compression: a round draws thousands of charts, encoding dominated
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None},
                pil_kwargs={"compress_level": 2})
    plt.close(fig)
    return buffer.getvalue()


def _style(ax: Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#BFBFBF")
    ax.tick_params(colors=TEXT_COLOUR, labelsize=8)


def counts_chart(
    groups: Sequence[tuple[str, dict[str, int]]], scale: Sequence[RatingLevel], *,
    title: str = "", width_mm: float = 160,
) -> Chart:
    """Horizontal stacked bars: per group (domain) the number of norms per consensus level."""
    with plt.rc_context({"font.family": FONT, "svg.hashsalt": "kwl"}):
        height = 0.55 * len(groups) + 1.1
        fig, ax = plt.subplots(figsize=(width_mm / 25.4, height))
        labels = [g[0] for g in groups][::-1]
        left = [0] * len(groups)
        for level in scale:
            values = [g[1].get(level.code, 0) for g in groups][::-1]
            bars = ax.barh(labels, values, left=left, color=f"#{level.colour}",
                           edgecolor="white", linewidth=0.8, label=level.label, height=0.6)
            for bar, value in zip(bars, values, strict=True):
                if value:
                    ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2,
                            str(value), ha="center", va="center", fontsize=7, color="#202020")
            left = [a + b for a, b in zip(left, values, strict=True)]
        ax.set_xlabel("aantal normen", fontsize=8, color=TEXT_COLOUR)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        _style(ax)
        if title:
            ax.set_title(title, fontsize=10, color=TEXT_COLOUR, loc="left")
        # the legend belongs to the figure, centred under it: long category labels shift the
        # axes to the right, and an axes legend would then be cut off at the right edge
        fig.legend(*ax.get_legend_handles_labels(), ncols=len(scale), fontsize=7,
                   frameon=False, loc="lower center")
        # margins computed from the label lengths: tight_layout measures every text and
        # costs a third of the chart's time
        width_in = width_mm / 25.4
        longest = max((len(label) for label in labels), default=4)
        fig.subplots_adjust(left=min(0.6, (0.075 * longest + 0.25) / width_in), right=0.97,
                            top=1 - (0.35 if title else 0.12) / height,
                            bottom=(0.75 if len(groups) > 1 else 0.85) / height)
        return Chart(_save(fig), width_mm)


def gap_chart(
    groups: Sequence[tuple[str, float | None, float | None]], *, self_label: str,
    peer_label: str, max_score: float, width_mm: float = 160,
) -> Chart:
    """Grouped bars per domain: the host's mean own score beside the mean consensus score."""
    with plt.rc_context({"font.family": FONT}):
        fig, ax = plt.subplots(figsize=(width_mm / 25.4, 2.6))
        names = [g[0] for g in groups]
        xs = range(len(groups))
        own = [g[1] or 0 for g in groups]
        peer = [g[2] or 0 for g in groups]
        ax.bar([x - 0.18 for x in xs], own, width=0.36, color="#9DC3E6", label=self_label)
        ax.bar([x + 0.18 for x in xs], peer, width=0.36, color="#1F4E79", label=peer_label)
        for x, a, b in zip(xs, own, peer, strict=True):
            ax.text(x - 0.18, a + 0.03, f"{a:.2f}".replace(".", ","), ha="center", fontsize=7)
            ax.text(x + 0.18, b + 0.03, f"{b:.2f}".replace(".", ","), ha="center", fontsize=7)
        ax.set_xticks(list(xs), names)
        ax.set_ylim(0, max_score * 1.15)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.1f}".replace(".", ",")))
        ax.set_ylabel("gemiddelde score", fontsize=8, color=TEXT_COLOUR)
        _style(ax)
        ax.legend(fontsize=7, frameon=False, ncols=2, loc="upper center",
                  bbox_to_anchor=(0.5, -0.15))
        fig.subplots_adjust(left=0.09, right=0.98, top=0.95, bottom=0.24)
        return Chart(_save(fig), width_mm)
