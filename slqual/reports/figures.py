"""Figures, drawn headless with matplotlib's object API (no pyplot, no global backend change).

Each figure is written as PNG (for Word, HTML and Markdown) and SVG (for
journals, its text kept as text), reproducibly: SVG ids use a fixed hash salt and
no date is stored.
All text is plain: mathtext is off (a name like ``$\\macro{x}$`` is drawn as
written) and control characters are removed, so the SVG stays valid XML.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from slqual.cells import plain_text
from slqual.fileio import atomic_write_bytes
from slqual.reports.figures_layout import (
    LABEL_PAD,
    PAD,
    TICK,
    TICK_PAD,
    axes_at,
    colorbar_width,
    matrix_labels,
    metrics_renderer,
    text_size,
    tick_marks,
)
from slqual.reports.model import Figure, Level, Report

DPI = 150
LABEL_CHARS = 62
WRAP_CHARS = 44  # heatmap row labels wrap at about this many characters, onto two lines
ROW_INCHES = 0.32
HEADER_CHARS = 16
ANNOTATE_LIMIT = 25  # co-occurrence cells are numbered up to this many codes
RC = {
    "svg.hashsalt": "slqual",
    # SVG text as text, not glyph outlines: authors can edit and search a figure's labels, and the
    # file is smaller and faster to write. The PNG is drawn with DejaVu Sans (bundled with
    # matplotlib), which the layout measures; a viewer without it takes the next family: Verdana has
    # nearly the same widths, Arial and Helvetica are narrower, so a label still fits its margin.
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Bitstream Vera Sans", "Verdana", "Arial", "Helvetica"],
    "font.size": 9,
    "axes.titlesize": 11,
    "figure.dpi": DPI,
    "text.parse_math": False,  # labels come from codebooks and participants.csv: never TeX
    "text.usetex": False,
    # Glyphs drawn as designed, as the SVG's paths are: at 150 dpi they look the same as hinted
    # ones, and the PNG's text, most of a 100-code figure's drawing time, takes a third less.
    "text.hinting": "no_hinting",
}
PNG_ONLY, SVG_ONLY = "_png only", "_svg only"  # artist labels; a leading "_" keeps them out of legends


def label(text: object) -> str:
    """Figure text from the user's files: control characters gone, whitespace collapsed."""
    return " ".join(plain_text(text).split())


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    text = label(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _wrap(text: str, width: int, lines: int = 2) -> str:
    """A label broken at spaces into at most ``lines`` lines of about ``width`` characters.

    Long code names stay readable without widening the figure; only a name
    longer than ``lines`` full lines is shortened, with an ellipsis.
    """
    import textwrap

    parts = textwrap.wrap(label(text), width, break_on_hyphens=False) or [""]
    if len(parts) > lines:
        parts = [*parts[: lines - 1], _short(" ".join(parts[lines - 1 :]), width)]
    return "\n".join(parts)


def _show(fig, suffix: str) -> None:
    """Show the artists drawn for this format only (see ``_matrix``)."""
    wanted = PNG_ONLY if suffix == ".png" else SVG_ONLY
    for ax in fig.axes:  # the image and the mesh, not every tick of every axis
        for artist in (*ax.images, *ax.collections):
            if artist.get_label() in (PNG_ONLY, SVG_ONLY):
                artist.set_visible(artist.get_label() == wanted)


def _png(fig) -> bytes:
    """The figure drawn by Agg, as an RGB PNG (see ``figures_png``)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from slqual.reports.figures_png import png_bytes

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    width, height = canvas.get_width_height(physical=True)
    return png_bytes(canvas.buffer_rgba(), width, height, fig.dpi)


def _svg(fig) -> bytes:
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})  # no date: the same input, the same file
    return buffer.getvalue()


def _save(fig, folder: Path, key: str) -> tuple[Path, ...]:
    """PNG and SVG of one figure, drawn once per format: the layout is fixed in inches, so there is no
    tight-box pass (``bbox_inches="tight"`` would lay every label out again before each save)."""
    paths = []
    for suffix, render in ((".png", _png), (".svg", _svg)):
        _show(fig, suffix)
        path = folder / f"{key}{suffix}"
        atomic_write_bytes(path, render(fig))
        paths.append(path)
    return tuple(paths)


def _matrix(ax, values, cmap: str, vmax: float, aspect: str):
    """A shaded matrix, drawn twice and shown once per format: for SVG an image of one pixel per
    cell (small, crisp when scaled); for PNG a mesh of cells, which Agg fills many times faster than
    it colours and resamples an image to millions of pixels. ``_save`` picks by the label."""
    import numpy as np

    image = ax.imshow(values, aspect=aspect, cmap=cmap, vmin=0, vmax=vmax, interpolation="none")
    image.set_label(SVG_ONLY)
    rows, columns = values.shape
    mesh = ax.pcolormesh(
        np.arange(columns + 1) - 0.5,
        np.arange(rows + 1) - 0.5,
        np.ma.masked_invalid(values),
        cmap=cmap,
        vmin=0,
        vmax=vmax,
    )
    mesh.set_label(PNG_ONLY)
    return image


def _no_axis_labels(ax) -> None:
    """Axes whose ticks are the labels: without axis labels, matplotlib need not place them against
    every tick label's box on each draw."""
    ax.xaxis.set_label_coords(0.5, 0.0)
    ax.yaxis.set_label_coords(0.0, 0.5)


def _empty(ax, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#666")
    ax.set_axis_off()


def informative_rows(prev, groups):
    """The prevalence rows the heatmap shows, with ``_heading`` True for theme rows shown as headings.

    A theme row says how many participants voiced any of its codes; where that is
    100% in every group it carries no information, so it is drawn as an unshaded
    heading over its codes. At --level theme every row is data.
    """
    full = prev["level"].eq("theme")
    for g in groups:
        full &= prev[f"{g.value}_share"].ge(1.0)
    has_codes = prev["level"].eq("code").any()
    return prev.assign(_heading=full & has_codes)


def heatmap(report: Report):
    """Share of participants per group who voiced each theme and code; themes as row blocks."""
    import numpy as np
    from matplotlib.figure import Figure as MplFigure

    prev = informative_rows(report.prevalence, report.groups)
    groups = report.groups
    n_rows = max(len(prev), 1)
    # Sizes as the earlier tight-cropped layout gave: a 0.25-inch row for two lines of 8-point text.
    ax_width = 0.73 * (4.5 + 1.3 * len(groups))
    ax_height = 0.77 * (1.6 + ROW_INCHES * n_rows)
    if prev.empty:
        fig = MplFigure(figsize=(ax_width + 2 * PAD, ax_height + 2 * PAD))
        _empty(axes_at(fig, PAD, PAD, ax_width, ax_height), "no themes in the codebook")
        return fig
    values = prev[[f"{g.value}_share" for g in groups]].to_numpy(dtype=float) * 100
    counts = prev[[f"{g.value}_participants" for g in groups]].to_numpy()
    theme = (prev["level"] == "theme").to_numpy()
    heading = theme & prev["_heading"].to_numpy()
    # Labels are right-aligned, so deeper codes are marked rather than indented: "– Shared vision".
    labels = [_wrap("\u2013 " * max(r.depth - 1, 0) + r.label, WRAP_CHARS) for r in prev.itertuples()]
    # Column headers wrap to the column width (1.3 inch: about 16 characters at 9 points), up to three lines.
    headers = [_wrap(g.header, HEADER_CHARS, lines=3) for g in groups]
    lines = max(h.count("\n") + 1 for h in headers)
    title = f"Prevalence by {label(report.by)}"
    title_pad = 8 + 12 * lines  # points: the title clears the headers

    label_width = max(
        text_size([t for t, bold in zip(labels, theme, strict=True) if not bold], 8, linespacing=0.95)[0],
        text_size([t for t, bold in zip(labels, theme, strict=True) if bold], 8, "bold", linespacing=0.95)[0],
    )
    bar_label = "participants who voiced it (%)"
    bar_width, bar_gap = 0.22, 0.11
    bar_height = min(ax_height, 20 * bar_width)
    bar_label_length = text_size([bar_label], 9)[0]
    title_width, title_height = text_size([title], 11)
    overhang = max(0.0, (title_width - ax_width) / 2)  # a long grouping name: the title is centred
    left = max(PAD + TICK_PAD + label_width, PAD + overhang)
    top = PAD + title_pad / 72 + title_height
    # The colour bar's label runs along the bar; a short figure grows to hold it.
    bottom = PAD + max(0.0, (bar_label_length - ax_height) / 2)
    right = max(bar_gap + bar_width + colorbar_width(["100"], bar_label), overhang) + PAD
    fig = MplFigure(figsize=(left + ax_width + right, bottom + ax_height + top))
    ax = axes_at(fig, left, bottom, ax_width, ax_height)
    shaded = values.copy()
    shaded[heading] = np.nan  # a theme every participant voiced: a heading row, not data
    image = _matrix(ax, shaded, cmap="Blues", vmax=100, aspect="auto")
    ax.set_yticks([])
    for text, bold in zip(
        matrix_labels(ax, labels, TICK_PAD, fontsize=8, linespacing=0.95), theme, strict=True
    ):
        if bold:
            text.set_fontweight("bold")
    ax.set_xticks(range(len(groups)), headers)
    ax.xaxis.tick_top()
    for (i, j), value in np.ndenumerate(values):
        if not heading[i]:
            ax.text(
                j,
                i,
                f"{counts[i, j]} ({value:.0f}%)",
                ha="center",
                va="center",
                fontsize=7,
                color="white" if value > 60 else "#1a1a1a",
            )
    starts = np.flatnonzero(theme)
    for i in starts[1:]:
        ax.axhline(i - 0.5, color="#333", linewidth=1.2)
    ax.tick_params(length=0)
    _no_axis_labels(ax)
    bar_axes = axes_at(
        fig, left + ax_width + bar_gap, bottom + (ax_height - bar_height) / 2, bar_width, bar_height
    )
    fig.colorbar(image, cax=bar_axes).set_label(bar_label)
    ax.set_title(title, y=1.0, pad=title_pad)  # a fixed position: no search for overlapping labels
    return fig


def cooccurrence(report: Report):
    """Segments coded with both codes; the diagonal (segments per code) is numbered, not shaded."""
    import numpy as np
    from matplotlib.figure import Figure as MplFigure

    matrix = report.cooccurrence
    k = len(matrix)
    annotated = k <= ANNOTATE_LIMIT
    # Up to ANNOTATE_LIMIT codes: numbered cells and two-line labels, so a cell is ~0.25 inch.
    side = 0.77 * (3.0 + (0.3 * k if annotated else 0.16 * k))
    if not k:
        fig = MplFigure(figsize=(side + 2 * PAD, side + 2 * PAD))
        _empty(axes_at(fig, PAD, PAD, side, side), "no coded segments")
        return fig
    names = dict(zip(report.prevalence["code"], report.prevalence["label"], strict=True))
    values = matrix.to_numpy().astype(float)
    shaded = values.copy()
    np.fill_diagonal(shaded, np.nan)
    top = np.nanmax(shaded) if k > 1 and np.isfinite(np.nanmax(shaded)) else 1.0
    if annotated:
        labels = [_wrap(names.get(i, i), 34) for i in matrix.index]
        ticks = {"fontsize": 8, "linespacing": 0.95}
    else:
        labels = [_short(names.get(i, i), 40) for i in matrix.index]
        ticks = {"fontsize": 7 if k > 30 else 8}
    title, bar_label = "Code co-occurrence", "segments coded with both"
    label_width = text_size(labels, ticks["fontsize"], linespacing=ticks.get("linespacing", 1.2))[0]
    margin = TICK + TICK_PAD + label_width  # tick labels left of and (turned) below the matrix
    bar_width, bar_gap = 0.25, 0.15
    bar_ticks = [f"{max(top, 1.0):.1f}"]  # at least as wide as the widest tick label
    left, bottom = PAD + margin, PAD + margin
    right = bar_gap + bar_width + colorbar_width(bar_ticks, bar_label) + PAD
    upper = PAD + 6 / 72 + text_size([title], 11)[1]
    fig = MplFigure(figsize=(left + side + right, bottom + side + upper))
    ax = axes_at(fig, left, bottom, side, side)
    image = _matrix(ax, shaded, cmap="Purples", vmax=max(top, 1.0), aspect="equal")
    ax.set_xticks([])
    ax.set_yticks([])
    tick_marks(ax, k)
    matrix_labels(ax, labels, TICK + TICK_PAD, **ticks)
    matrix_labels(ax, labels, TICK + TICK_PAD, columns=True, **ticks)
    themes = dict(zip(report.prevalence["code"], report.prevalence["theme"], strict=True))
    blocks = [themes.get(i, i) for i in matrix.index]
    for i in range(1, k):
        if blocks[i] != blocks[i - 1]:  # a line between themes
            ax.axhline(i - 0.5, color="#888", linewidth=0.8)
            ax.axvline(i - 0.5, color="#888", linewidth=0.8)
    if annotated:
        for i in range(k):
            for j in range(k):
                if values[i, j] or i == j:
                    ax.text(
                        j,
                        i,
                        f"{int(values[i, j])}",
                        ha="center",
                        va="center",
                        fontsize=7,
                        fontstyle="italic" if i == j else "normal",
                        color="white" if i != j and values[i, j] > 0.6 * top else "#1a1a1a",
                    )
    bar_axes = axes_at(fig, left + side + bar_gap, bottom, bar_width, side)
    fig.colorbar(image, cax=bar_axes).set_label(bar_label)
    ax.set_title(title, y=1.0)
    return fig


def saturation(report: Report):
    """Cumulative distinct codes against interviews in order, with new codes per interview as bars."""
    import numpy as np
    from matplotlib.figure import Figure as MplFigure
    from matplotlib.patches import StepPatch

    data = report.saturation
    ax_width, ax_height = 5.4, 3.1
    fig = MplFigure(figsize=(ax_width + 2 * PAD, ax_height + 2 * PAD))
    if data.empty:
        _empty(axes_at(fig, PAD, PAD, ax_width, ax_height), "no interviews with segments")
        return fig
    ax = axes_at(fig, PAD, PAD, ax_width, ax_height)  # placed once the labels are measured
    x = data["interview"].to_numpy()
    unit = "themes" if report.level is Level.theme else "codes"
    # One stepped area, not a bar per interview: thousands of interviews draw as fast as ten.
    edges = np.append(x - 0.5, x[-1] + 0.5)
    steps = StepPatch(
        data["new_codes"].to_numpy(),
        edges,
        fill=True,
        color="#c6dbef",
        label=f"{unit} first seen in this interview",
    )
    # Added without the data-limit update of ax.stairs, which walks the outline segment by segment;
    # the x range is the one autoscaling gave: the steps and a 5% margin.
    ax.add_artist(steps)
    ax.set_xlim(edges[0] - 0.05 * (edges[-1] - edges[0]), edges[-1] + 0.05 * (edges[-1] - edges[0]))
    ax.plot(x, data["distinct_codes"], color="#08519c", linewidth=1.5, zorder=2)
    palette = ["#08519c", "#d94801", "#238b45", "#6a51a3", "#a50f15", "#525252"]
    for i, group in enumerate(report.groups):
        mask = data[report.by] == group.value
        ax.scatter(
            x[mask.to_numpy()],
            data["distinct_codes"][mask],
            color=palette[i % len(palette)],
            zorder=3,
            s=22,
            label=label(group.label),
        )
    title, x_label, y_label = (
        f"{unit.capitalize()} first seen, by interview order",
        "participant, in interview order",
        f"{unit} seen so far",
    )
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    top = max(int(data["distinct_codes"].max()), 1) * 1.1
    ax.set_ylim(0, top)
    step = max(1, len(x) // 30)
    ids = [_short(p, 12) for p in data["participant"]]  # the pseudonymous label, never the real id
    id_size = 7 if len(x) > 12 else 8
    ax.set_xticks(x[::step], ids[::step], rotation=90, fontsize=id_size)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title, y=1.0)
    # Below the axes, under the participant labels: inside, it would cover the curve where it levels off.
    below = (
        TICK + TICK_PAD + text_size(ids[::step], id_size)[0] + LABEL_PAD + text_size([x_label], 9)[1] + 0.1
    )
    legend = ax.legend(
        loc="upper center", bbox_to_anchor=(0.5, -below / ax_height), ncol=3, frameon=False, fontsize=8
    )
    box = legend.get_window_extent(metrics_renderer(fig.dpi))
    legend_width, legend_height = box.width / fig.dpi, box.height / fig.dpi
    left = PAD + text_size([y_label], 9)[1] + LABEL_PAD + text_size([f"{top:.1f}"], 9)[0] + TICK + TICK_PAD
    left = max(left, PAD + (legend_width - ax_width) / 2)
    bottom = PAD + below + legend_height
    width = left + max(ax_width, (ax_width + legend_width) / 2) + PAD
    height = bottom + ax_height + 6 / 72 + text_size([title], 11)[1] + PAD
    fig.set_size_inches(width, height)
    ax.set_position((left / width, bottom / height, ax_width / width, ax_height / height))
    return fig


def draw_thematic_map(report: Report):
    from slqual.reports.figures_map import thematic_map_figure

    return thematic_map_figure(report, label, _wrap)


FIGURES: list[tuple[str, str, str, Callable]] = [
    (
        "thematic_map",
        "Thematic map",
        "Themes with their subthemes or codes (participants who voiced each) and one short quote per group.",
        draw_thematic_map,
    ),
    (
        "heatmap",
        "Prevalence heatmap",
        "Share of participants in each group with at least one segment coded with the theme or code.",
        heatmap,
    ),
    (
        "cooccurrence",
        "Code co-occurrence",
        "Participant segments coded with both codes; the diagonal gives the segments coded with each code.",
        cooccurrence,
    ),
    (
        "saturation",
        "Codes first seen, by interview order",
        "Cumulative number of distinct codes seen, by participant in interview order; bars: codes first "
        "seen in that interview. With a codebook fixed before coding, the curve flattens early by design: "
        "it shows when the codes were first used, not that no new ideas came up.",
        saturation,
    ),
]


# Heaviest first, so that two workers finish together: the text of 100 codes dominates.
DRAWING_ORDER = ("heatmap", "cooccurrence", "thematic_map", "saturation")


def write_figures(
    report: Report, folder: Path, progress: Callable[[str], None] | None = None
) -> list[Figure]:
    """Draw every figure and write it as PNG and SVG into ``folder``, two at a time where there are
    two cores (see ``figures_workers``)."""
    import matplotlib

    # Imported before any worker is forked, so that each does not import them again.
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.backends.backend_svg  # noqa: F401
    import matplotlib.figure  # noqa: F401
    import PIL.PngImagePlugin  # noqa: F401

    from slqual.reports.figures_workers import run_each

    folder.mkdir(parents=True, exist_ok=True)
    keys = [key for key, *_ in FIGURES]

    def draw_and_save(index: int) -> tuple[Path, ...]:
        return _save(FIGURES[index][3](report), folder, FIGURES[index][0])

    def starting(index: int) -> None:
        if progress:
            progress(f"figure: {FIGURES[index][1]}")

    with matplotlib.rc_context(RC):  # a forked worker inherits the settings
        paths = run_each(draw_and_save, [keys.index(key) for key in DRAWING_ORDER], starting)
    return [
        Figure(key=key, title=title, caption=caption, paths=paths[i])
        for i, (key, title, caption, _) in enumerate(FIGURES)
    ]
