"""Figure layout in inches, from the measured size of the labels.

A figure for 100 codes has hundreds of labels; asking matplotlib for the tight
box of the drawn figure (``bbox_inches="tight"``, ``tight_layout``) lays all
of them out once more before each save. Instead the margins are computed here
from the widest label, measured with the same font metrics the Agg renderer
draws with, and the axes are placed at fixed positions in inches.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

PAD = 0.1  # inches of white around what is drawn, as savefig's pad_inches
TICK_PAD = 3.5 / 72  # matplotlib's default tick label pad (points to inches)
TICK = 3.5 / 72  # default tick length
LABEL_PAD = 4 / 72  # default axis label pad
SLACK = 1.03  # hinting at another resolution may widen text a little


@cache
def metrics_renderer(dpi: float):
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(1, 1, dpi)  # only its font metrics are used: nothing is drawn


def _props(size: float, weight: str, style: str):
    from matplotlib.font_manager import FontProperties

    return FontProperties(size=size, weight=weight, style=style)


def text_size(
    texts: Iterable[str],
    size: float,
    weight: str = "normal",
    style: str = "normal",
    linespacing: float = 1.2,
    dpi: float = 150,
) -> tuple[float, float]:
    """Width and height in inches of the widest and of the tallest of ``texts`` (lines split at newlines).

    The height follows matplotlib's layout of a multi-line text: one line's
    height plus ``linespacing`` times the height above the baseline per further line.
    """
    renderer = metrics_renderer(dpi)
    props = _props(size, weight, style)
    _, lp_height, lp_descent = renderer.get_text_width_height_descent("lp", props, ismath=False)
    width, lines, distinct = 0.0, 1, {}
    for text in texts:
        parts = text.split("\n")
        lines = max(lines, len(parts))
        distinct.update(dict.fromkeys(parts))
    for part in distinct:  # each line once: labels repeat across themes
        if part:
            width = max(width, renderer.get_text_width_height_descent(part, props, ismath=False)[0])
    height = lp_height + (lines - 1) * (lp_height - lp_descent) * linespacing
    return width * SLACK / dpi, height * SLACK / dpi


def axes_at(fig, left: float, bottom: float, width: float, height: float):
    """An axes placed in inches from the figure's bottom-left corner."""
    fig_width, fig_height = fig.get_size_inches()
    return fig.add_axes((left / fig_width, bottom / fig_height, width / fig_width, height / fig_height))


def colorbar_width(ticks: Iterable[str], label: str, size: float = 9) -> float:
    """Inches a vertical colour bar's tick labels and rotated label take to the right of the bar."""
    tick_width, _ = text_size(ticks, size)
    _, label_height = text_size([label], size)
    return TICK + TICK_PAD + tick_width + LABEL_PAD + label_height


ROW_LABEL, COLUMN_LABEL = "_row label", "_column label"  # artist labels the tests look for


def matrix_labels(ax, labels: list[str], pad: float, *, columns: bool = False, **style) -> list:
    """Labels of a matrix's rows (left of row i) or columns (below column i, turned upright), drawn
    where matplotlib draws tick labels, ``pad`` inches out, but as plain texts added once: a tick for
    each of 100 codes makes three lines and two texts, and its axis measures every label again on
    each draw to place the axis label."""
    from matplotlib.text import Text

    if columns:
        transform, va, ha = ax.get_xaxis_text1_transform(pad * 72)
        style = {"rotation": 90, **style}
    else:
        transform, va, ha = ax.get_yaxis_text1_transform(pad * 72)
    texts = []
    for i, text in enumerate(labels):
        x, y = (i, 0) if columns else (0, i)
        artist = Text(x, y, text, transform=transform, va=va, ha=ha, clip_on=False, **style)
        artist.set_label(COLUMN_LABEL if columns else ROW_LABEL)
        texts.append(ax.add_artist(artist))  # drawn with the axes, as ax.text would, with less set-up
    return texts


def tick_marks(ax, count: int) -> None:
    """The tick marks of a square matrix's left and bottom edges, at rows and columns 0 to count - 1,
    as two marker lines (one SVG definition each) rather than a Line2D per tick."""
    import matplotlib as mpl
    from matplotlib.lines import Line2D
    from matplotlib.markers import TICKDOWN, TICKLEFT

    rc = mpl.rcParams
    positions, edge = range(count), [0] * count
    for xs, ys, transform, marker, axis in (
        (edge, positions, ax.get_yaxis_transform(which="tick1"), TICKLEFT, "ytick"),
        (positions, edge, ax.get_xaxis_transform(which="tick1"), TICKDOWN, "xtick"),
    ):
        line = Line2D(
            xs,
            ys,
            transform=transform,
            linestyle="none",
            marker=marker,
            markersize=rc[f"{axis}.major.size"],
            markeredgewidth=rc[f"{axis}.major.width"],
            color=rc[f"{axis}.color"],
            clip_on=False,
        )
        ax.add_artist(line)  # no data-limit update: the matrix set the limits
