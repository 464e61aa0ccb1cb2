"""Draw a chart spec as a PNG with matplotlib.

The object API (``Figure`` + the Agg canvas) is used, never ``pyplot``: pyplot keeps every figure
in a global registry until it is closed, which is how chart-heavy workers leak memory. A ``Figure``
made here is referenced by nothing once the function returns; it is still cleared after saving so
its artists go at once rather than at the next garbage collection.
"""

from __future__ import annotations

import io
import textwrap

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

    figure = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure


def save_png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    figure.clear()
    return buffer.getvalue()


def chart_height(spec: ChartSpec) -> float:
    return max(2.2, 0.9 + 0.32 * len(spec.labels))


def render_chart(spec: ChartSpec) -> bytes:
    figure = new_figure(chart_height(spec))
    axes = figure.add_axes((0.42, 0.12, 0.52, 0.84) if spec.labels else (0.1, 0.1, 0.8, 0.8))
    if not spec.labels:
        axes.set_axis_off()
        axes.text(0.5, 0.5, "No data", ha="center", va="center")
        return save_png(figure)
    positions = range(len(spec.labels))
    axes.barh(positions, spec.values, color=BLUE, height=0.6)
    axes.set_yticks(list(positions), ["\n".join(textwrap.wrap(label, LABEL_WIDTH)[:2]) for label in spec.labels], fontsize=7.5)
    axes.invert_yaxis()
    if spec.unit == "%":
        axes.set_xlim(0, 100)
        axes.set_xlabel("% Sufficient", fontsize=8)
    else:
        axes.set_xlim(0, max(spec.values) * 1.15 + 0.5)
        axes.set_xlabel("Cases", fontsize=8)
    axes.tick_params(axis="x", labelsize=7.5)
    for position, value in zip(positions, spec.values):
        axes.text(value, position, f" {value:g}{'%' if spec.unit == '%' else ''}", va="center", fontsize=7)
    axes.spines[["top", "right"]].set_visible(False)
    return save_png(figure)


def render_minimal() -> bytes:
    """The benchmark's baseline: the smallest figure, saved the same way."""
    figure = new_figure(2.2)
    axes = figure.add_axes((0.42, 0.12, 0.52, 0.84))
    axes.barh([0], [1.0], color=BLUE)
    return save_png(figure)
