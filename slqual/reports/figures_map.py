"""The thematic map: a card per theme with its subthemes (or codes) and one short quote per group.

Laid out in inches on one axis without ticks: cards in two columns (one for a
single theme), each as tall as its wrapped text. Text is plain (mathtext off
in ``figures.RC``; labels passed through ``label``).
"""

from __future__ import annotations

from collections.abc import Callable

from slqual.reports.figures_layout import PAD, text_size
from slqual.reports.model import MapTheme, Report

CARD_WIDTH = 4.0  # inches
GAP = 0.25
LINE = 0.17  # inches per line of 8-point text
TITLE_LINE = 0.24
WRAP = 62  # characters of 8-point text in a card
MAX_ROWS = 8
THEME_COLOURS = ["#08519c", "#d94801", "#238b45", "#6a51a3", "#a50f15", "#525252"]


def card_lines(theme: MapTheme, label: Callable[[object], str], wrap: Callable) -> list[tuple[str, str]]:
    """(kind, text) lines of one card: 'row' lines, then per group a 'group' line and 'quote' lines."""
    lines: list[tuple[str, str]] = [
        ("row", wrap(f"\u2022 {label(row.name)} ({row.participants})", WRAP, 2))
        for row in theme.rows[:MAX_ROWS]
    ]
    if len(theme.rows) > MAX_ROWS:
        lines.append(("row", f"\u2022 and {len(theme.rows) - MAX_ROWS} more"))
    for group, quote in theme.quotes:
        lines.append(("group", wrap(label(group), WRAP, 1)))
        if quote is None:
            lines.append(("quote", "no quote coded"))
        else:
            text = f"\u201c{label(quote.text)}\u201d {label(quote.attribution)}"
            lines.append(("quote", wrap(text, WRAP, 4)))
    return lines


def _height(lines: list[tuple[str, str]]) -> float:
    return (
        TITLE_LINE * 1.6
        + sum(LINE * (text.count("\n") + 1) + (0.06 if k == "group" else 0) for k, text in lines)
        + 0.15
    )


def thematic_map_figure(report: Report, label: Callable[[object], str], wrap: Callable):
    from matplotlib.figure import Figure as MplFigure
    from matplotlib.patches import FancyBboxPatch

    themes = report.thematic_map
    if not themes:
        fig = MplFigure(figsize=(6, 2))
        ax = fig.add_subplot()
        ax.text(0.5, 0.5, "no coded themes", ha="center", va="center", color="#666", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    columns = 1 if len(themes) == 1 else 2
    cards = [(t, card_lines(t, label, wrap)) for t in themes]
    heights = [_height(lines) for _, lines in cards]
    # Cards fill the columns row by row; a row is as tall as its tallest card.
    row_heights = [max(heights[i : i + columns]) for i in range(0, len(cards), columns)]
    width = columns * CARD_WIDTH + (columns + 1) * GAP
    # The figure is not cropped to what is drawn: a line wider than its card in the last column
    # (a name of wide capitals) widens the figure instead of being cut at its edge.
    last = [cards[i] for i in range(columns - 1, len(cards), columns)]
    widest = max(
        text_size([wrap(label(t.name), 48, 1) for t, _ in last], 10, "bold")[0],
        *(
            text_size([text for _, lines in last for k, text in lines if k == kind], 8, weight, style)[0]
            for kind, weight, style in (
                ("row", "normal", "normal"),
                ("group", "bold", "normal"),
                ("quote", "normal", "italic"),
            )
        ),
    )
    width = max(width, width - GAP - CARD_WIDTH + 0.12 + widest + PAD)
    height = sum(row_heights) + (len(row_heights) + 1) * GAP + 0.35
    fig = MplFigure(figsize=(width, height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.set_axis_off()
    ax.text(GAP, 0.25, "Thematic map", fontsize=11, fontweight="bold", va="center")
    top = 0.35 + GAP
    for r, row_height in enumerate(row_heights):
        for c in range(columns):
            index = r * columns + c
            if index >= len(cards):
                break
            theme, lines = cards[index]
            colour = THEME_COLOURS[index % len(THEME_COLOURS)]
            x = GAP + c * (CARD_WIDTH + GAP)
            ax.add_artist(  # the limits are set: no data-limit update
                FancyBboxPatch(
                    (x, top),
                    CARD_WIDTH,
                    row_height,
                    boxstyle="round,pad=0,rounding_size=0.08",
                    facecolor="#fafafa",
                    edgecolor=colour,
                    linewidth=1.2,
                )
            )
            y = top + 0.12
            ax.text(
                x + 0.12,
                y,
                wrap(label(theme.name), 48, 1),
                fontsize=10,
                fontweight="bold",
                color=colour,
                va="top",
            )
            y += TITLE_LINE * 1.4
            for kind, text in lines:
                if kind == "group":
                    y += 0.06
                style = {
                    "row": {"fontsize": 8},
                    "group": {"fontsize": 8, "fontweight": "bold", "color": "#333"},
                    "quote": {"fontsize": 8, "fontstyle": "italic", "color": "#1a1a1a"},
                }[kind]
                ax.text(x + 0.12, y, text, va="top", linespacing=1.15, **style)
                y += LINE * (text.count("\n") + 1)
        top += row_height + GAP
    return fig
