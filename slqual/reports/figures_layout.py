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
