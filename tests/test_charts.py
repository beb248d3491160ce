"""Charts drawn with Pillow: deterministic PNG bytes, proportional bars, texts where they
belong, and no plotting library on the way."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from PIL import Image, ImageDraw

from kwl_office.catalogue import Catalogue
from kwl_office.documents.charts import (
    DPI,
    counts_chart,
    encode_png,
    gap_chart,
    share_chart,
)

ROOT = Path(__file__).resolve().parent.parent
GROUPS = [("Vakmanschap", {"V": 6, "D": 3, "N": 1}), ("Dienstverlening", {"V": 8, "NVT": 2})]
MEANS = [("Vakmanschap", 1.69, 1.56), ("Dienstverlening", None, 1.5)]
SHARES = [("D2.1", 1.0), ("D3.1", 0.5), ("O2.1", 0.25), ("V1.4", 0.0)]
WHITE = (255, 255, 255)

Pixel = tuple[int, int, int]


def _image(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def _rgb(colour: str) -> Pixel:
    colour = colour.lstrip("#")
    return (int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16))


def _runs(image: Image.Image, y: int) -> list[tuple[Pixel, int, int]]:
    """The row ``y`` as runs of one colour: (colour, first x, length)."""
    runs: list[tuple[Pixel, int, int]] = []
    for x in range(image.width):
        pixel = image.getpixel((x, y))
        assert isinstance(pixel, tuple)
        colour = (pixel[0], pixel[1], pixel[2])
        if runs and runs[-1][0] == colour:
            runs[-1] = (colour, runs[-1][1], runs[-1][2] + 1)
        else:
            runs.append((colour, x, 1))
    return runs


def _row_with_most(image: Image.Image, colour: Pixel) -> int:
    """The row where ``colour`` runs longest (the middle of a bar, not a legend swatch)."""
    def longest(y: int) -> int:
        return max((length for c, _, length in _runs(image, y) if c == colour), default=0)
    return max(range(image.height), key=longest)


def _all_kinds(catalogue: Catalogue) -> dict[str, bytes]:
    return {
        "counts": counts_chart(GROUPS, catalogue.scale, title="Per domein").png,
        "gap": gap_chart(MEANS, self_label="Eigen oordeel", peer_label="Consensus",
                         max_score=2).png,
        "share": share_chart(SHARES, colour="#C00000", caption="aandeel organisaties").png,
    }


def test_every_kind_gives_the_same_bytes_in_a_fresh_process_without_matplotlib(
        catalogue: Catalogue) -> None:
    """Same input, same bytes: a new process (cold font and text caches) draws what this
    one draws with warm caches; and drawing loads no plotting machinery."""
    here = _all_kinds(catalogue)
    assert here == _all_kinds(catalogue)
    code = (
        "import json, sys\n"
        "from kwl_office.catalogue import load_example_catalogue\n"
        "from tests.test_charts import _all_kinds\n"
        "charts = _all_kinds(load_example_catalogue())\n"
        "plotting = sorted(m for m in sys.modules if m.startswith(('matplotlib.', 'numpy')))\n"
        "print(json.dumps({'png': {k: v.hex() for k, v in charts.items()},\n"
        "                  'plotting': plotting}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    fresh = json.loads(out)
    assert {kind: bytes.fromhex(png) for kind, png in fresh["png"].items()} == here
    assert fresh["plotting"] == []


def test_the_png_holds_exactly_the_drawn_pixels_at_the_chart_resolution() -> None:
    image = Image.new("RGB", (301, 57), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 5, 120, 40), fill="#63BE7B", outline="white")
    draw.text((130, 20), "Voldoet deels 12,5%", fill="#404040")  # antialiased: many colours
    png = encode_png(image)
    back = _image(png)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert back.mode == "RGB" and back.size == image.size
    assert back.tobytes() == image.tobytes()
    assert round(back.info["dpi"][0]) == round(back.info["dpi"][1]) == DPI


def test_a_chart_is_as_wide_in_pixels_as_in_the_document(catalogue: Catalogue) -> None:
    for width_mm in (150, 160):
        chart = counts_chart(GROUPS, catalogue.scale, width_mm=width_mm)
        assert chart.width_mm == width_mm
        assert _image(chart.png).width == int(width_mm / 25.4 * DPI)


def test_stacked_segments_are_as_long_as_their_counts(catalogue: Catalogue) -> None:
    image = _image(counts_chart(GROUPS[:1], catalogue.scale).png)
    colours = {level.code: _rgb(level.colour) for level in catalogue.scale}
    y = _row_with_most(image, colours["V"])
    lengths = {code: max((length for c, _, length in _runs(image, y) if c == colour),
                         default=0) for code, colour in colours.items()}
    unit = lengths["V"] / 6
    assert abs(lengths["D"] - 3 * unit) <= 3
    assert abs(lengths["N"] - 1 * unit) <= 3
    assert lengths["NVT"] == 0  # a level nobody got has no segment on the bar


def _bar_lengths(image: Image.Image, colour: Pixel) -> set[int]:
    """The lengths of the bars of ``colour``: per row its longest run of the colour."""
    lengths = set()
    for y in range(image.height):
        runs = [length for c, _, length in _runs(image, y) if c == colour]
        if runs:
            lengths.add(max(runs))
    return lengths


def test_share_bars_are_as_long_as_their_share() -> None:
    colour = _rgb("#C00000")
    image = _image(share_chart(SHARES, colour="#C00000", caption="aandeel").png)
    lengths = sorted(_bar_lengths(image, colour), reverse=True)
    assert len(lengths) == 3  # the bars of 1, ½ and ¼; a share of 0 draws nothing
    full = lengths[0]
    assert abs(lengths[1] - full / 2) <= 2 and abs(lengths[2] - full / 4) <= 2  # rounding
    over = _image(share_chart([("D2.1", 1.0), ("D3.1", 1.7)], colour="#C00000",
                              caption="aandeel").png)
    assert _bar_lengths(over, colour) == {full}  # more than all is drawn as all


def test_a_count_is_written_in_the_middle_of_its_segment(catalogue: Catalogue) -> None:
    """The numbers sit centred on their segment, horizontally and vertically, as before."""
    image = _image(counts_chart([("Vakmanschap", {"V": 6})], catalogue.scale).png)
    green = _rgb(next(level.colour for level in catalogue.scale if level.code == "V"))
    y = _row_with_most(image, green)
    segment = next((x, length) for c, x, length in _runs(image, y) if c == green
                   and length > 50)
    rows = [row for row in range(image.height)
            if any(c == green and length > 50 for c, _, length in _runs(image, row))]
    ink = [(x, row) for row in rows for x in range(segment[0], segment[0] + segment[1])
           if sum(image.getpixel((x, row))[:3]) < 300]  # type: ignore[index]
    assert ink, "the count is drawn on the bar"
    ink_x = [x for x, _ in ink]
    ink_y = [row for _, row in ink]
    assert abs((min(ink_x) + max(ink_x)) / 2 - (segment[0] + segment[1] / 2)) <= 2
    assert abs((min(ink_y) + max(ink_y)) / 2 - (rows[0] + rows[-1]) / 2) <= 2


def test_long_labels_stay_inside_the_chart(catalogue: Catalogue) -> None:
    long = "Een heel erg lange naam van een domein die nooit naast de balk past, ook niet klein"
    for png in (counts_chart([(long, {"V": 3})], catalogue.scale).png,
                share_chart([(long, 0.4)], colour="#C00000", caption="aandeel").png):
        image = _image(png)
        left_column = {image.getpixel((0, y)) for y in range(image.height)}
        assert left_column == {WHITE}
