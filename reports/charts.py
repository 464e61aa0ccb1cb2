"""Draw a chart spec as a PNG with matplotlib.

The object API (``Figure`` + the Agg canvas) is used, never ``pyplot``: pyplot keeps every figure
in a global registry until it is closed, which is how chart-heavy workers leak memory. A ``Figure``
made here is referenced by nothing once the function returns; it is still cleared after saving so
its artists go at once rather than at the next garbage collection.

A chart is drawn in its spec's language (``ChartSpec.language``, set by ``chart_specs(...,
language=...)``): the labels come translated in the spec, and the axis's own words are translated
here under the same language, so a Welsh chart is Welsh throughout whatever the worker's language.
"""

from __future__ import annotations

import io
import textwrap

from django.utils import translation
from django.utils.translation import gettext as _
from matplotlib.transforms import blended_transform_factory

from reports.domain.chartdata import ChartSpec

WIDTH_IN = 7.2
DPI = 110
BLUE = "#1d70b8"  # GOV.UK blue: strong contrast with white
LABEL_WIDTH = 44


def new_figure(height_in: float):
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)
    return figure


def save_png(figure) -> bytes:
    """The figure as an 8-bit RGB PNG. No alpha channel: ``render_pdf`` then embeds the PNG's own
    compressed data as it is (``reports.pdf.png_pixel_data``), where an RGBA PNG would be decoded and
    both planes compressed again. A fast zlib level: charts are flat colours, so the file is barely
    larger and saving much quicker."""
    from PIL import Image

    canvas = figure.canvas
    canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).convert("RGB")
    figure.clear()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def chart_height(spec: ChartSpec) -> float:
    return max(2.2, 0.9 + 0.32 * len(spec.labels))


def axis_label(spec: ChartSpec) -> str:
    """The words under the x axis, in the spec's language."""
    with translation.override(spec.language):
        return _("% Sufficient") if spec.unit == "%" else _("Cases")


def empty_text(spec: ChartSpec) -> str:
    with translation.override(spec.language):
        return _("No data.")


def render_chart(spec: ChartSpec) -> bytes:
    """A horizontal bar chart, in the spec's language. Drawn with few artists (one LineCollection
    for the bars, plain texts for the labels, no y ticks): matplotlib's cost is per artist, and tick
    objects are the dearest."""
    height = chart_height(spec)
    figure = new_figure(height)
    # Fixed margins in inches, so the axis label fits whatever the number of bars.
    bottom, top = 0.5 / height, 0.15 / height
    axes = figure.add_axes((0.42, bottom, 0.52, 1 - bottom - top) if spec.labels else (0.1, 0.1, 0.8, 0.8))
    if not spec.labels:
        axes.set_axis_off()
        axes.text(0.5, 0.5, empty_text(spec), ha="center", va="center")
        return save_png(figure)
    count = len(spec.labels)
    upper = 100.0 if spec.unit == "%" else max(spec.values) * 1.15 + 0.5
    axes.set_xlim(0, upper)
    axes.set_ylim(count - 0.5, -0.5)
    axes.set_xticks([upper * i / 5 for i in range(6)] if spec.unit != "%" else [0, 20, 40, 60, 80, 100])
    axes.set_yticks([])
    axes.set_xlabel(axis_label(spec), fontsize=8)
    axes.tick_params(axis="x", labelsize=7.5)
    slot_points = (1 - bottom - top) * height * 72 / count
    axes.hlines(range(count), 0, spec.values, colors=BLUE, linewidth=slot_points * 0.6)
    label_x = blended_transform_factory(axes.transAxes, axes.transData)
    suffix = "%" if spec.unit == "%" else ""
    for position, (label, value) in enumerate(zip(spec.labels, spec.values, strict=True)):
        wrapped = "\n".join(textwrap.wrap(label, LABEL_WIDTH)[:2])
        axes.text(-0.02, position, wrapped, transform=label_x, ha="right", va="center", fontsize=7.5)
        axes.text(value, position, f" {value:g}{suffix}", va="center", fontsize=7)
    axes.spines[["top", "right"]].set_visible(False)
    return save_png(figure)


def render_minimal() -> bytes:
    """The benchmark's baseline: the smallest figure, saved the same way."""
    figure = new_figure(2.2)
    axes = figure.add_axes((0.42, 0.12, 0.52, 0.84))
    axes.barh([0], [1.0], color=BLUE)
    return save_png(figure)
