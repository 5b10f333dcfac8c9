"""Figures, drawn headless with matplotlib's object API (no pyplot, no global backend change).

Each figure is written as PNG (for Word, HTML and Markdown) and SVG (for
journals), reproducibly: SVG ids use a fixed hash salt and no date is stored.
All text is plain: mathtext is off (a name like ``$\\macro{x}$`` is drawn as
written) and control characters are removed, so the SVG stays valid XML.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from slqual.cells import plain_text
from slqual.fileio import atomic_write_bytes
from slqual.reports.model import Figure, Level, Report

DPI = 150
LABEL_CHARS = 62
WRAP_CHARS = 44  # heatmap row labels wrap at about this many characters, onto two lines
ROW_INCHES = 0.32
HEADER_CHARS = 16
ANNOTATE_LIMIT = 25  # co-occurrence cells are numbered up to this many codes
RC = {
    "svg.hashsalt": "slqual",
    "svg.fonttype": "path",
    "font.size": 9,
    "axes.titlesize": 11,
    "figure.dpi": DPI,
    "text.parse_math": False,  # labels come from codebooks and participants.csv: never TeX
    "text.usetex": False,
}
PAD_INCHES = 0.1  # around the drawn area, as bbox_inches="tight" pads
SAVE_METADATA = {".svg": {"Date": None}, ".png": {"Software": None}}


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


def _save(fig, folder: Path, key: str) -> tuple[Path, ...]:
    """PNG and SVG, cropped to what is drawn: the tight box is measured once (a draw without
    rasterising), not once per format as ``bbox_inches="tight"`` would."""
    import io

    fig.draw_without_rendering()
    box = fig.get_tightbbox().padded(PAD_INCHES)
    paths = []
    for suffix in (".png", ".svg"):
        buffer = io.BytesIO()
        fig.savefig(buffer, format=suffix[1:], bbox_inches=box, metadata=SAVE_METADATA[suffix])
        path = folder / f"{key}{suffix}"
        atomic_write_bytes(path, buffer.getvalue())
        paths.append(path)
    return tuple(paths)


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
    values = np.array([[row[f"{g.value}_share"] * 100 for g in groups] for _, row in prev.iterrows()])
    counts = np.array([[row[f"{g.value}_participants"] for g in groups] for _, row in prev.iterrows()])
    n_rows = max(len(prev), 1)
    # Labels wrap onto two lines, so rows are tall enough for two lines of 8-point text.
    fig = MplFigure(figsize=(4.5 + 1.3 * len(groups), 1.6 + ROW_INCHES * n_rows))
    ax = fig.add_subplot()
    if prev.empty:
        _empty(ax, "no themes in the codebook")
        return fig
    heading = (prev["level"] == "theme").to_numpy() & prev["_heading"].to_numpy()
    shaded = values.copy()
    shaded[heading] = np.nan  # a theme every participant voiced: a heading row, not data
    image = ax.imshow(shaded, aspect="auto", cmap="Blues", vmin=0, vmax=100, interpolation="nearest")
    # Labels are right-aligned, so deeper codes are marked rather than indented: "– Shared vision".
    labels = [_wrap("\u2013 " * max(r.depth - 1, 0) + r.label, WRAP_CHARS) for r in prev.itertuples()]

    ax.set_yticks(range(len(prev)), labels, fontsize=8, linespacing=0.95)
    for tick, row in zip(ax.get_yticklabels(), prev.itertuples(), strict=True):
        if row.level == "theme":
            tick.set_fontweight("bold")
    # Column headers wrap to the column width (1.3 inch: about 16 characters at 9 points), up to three lines.
    headers = [_wrap(g.header, HEADER_CHARS, lines=3) for g in groups]
    ax.set_xticks(range(len(groups)), headers)
    ax.xaxis.tick_top()
    for i, row in enumerate(values):
        if heading[i]:
            continue
        for j, value in enumerate(row):
            ax.text(
                j,
                i,
                f"{counts[i, j]} ({value:.0f}%)",
                ha="center",
                va="center",
                fontsize=7,
                color="white" if value > 60 else "#1a1a1a",
            )
    starts = [i for i, level in enumerate(prev["level"]) if level == "theme"]
    for i in starts[1:]:
        ax.axhline(i - 0.5, color="#333", linewidth=1.2)
    ax.tick_params(length=0)
    colorbar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    colorbar.set_label("participants who voiced it (%)")
    lines = max(h.count("\n") + 1 for h in headers)
    ax.set_title(f"Prevalence by {label(report.by)}", pad=8 + 12 * lines)  # clear of the headers
    return fig


def cooccurrence(report: Report):
    """Segments coded with both codes; the diagonal (segments per code) is numbered, not shaded."""
    import numpy as np
    from matplotlib.figure import Figure as MplFigure

    matrix = report.cooccurrence
    k = len(matrix)
    annotated = k <= ANNOTATE_LIMIT
    # Up to ANNOTATE_LIMIT codes: numbered cells and two-line labels, so a cell is ~0.3 inch.
    size = 3.0 + (0.3 * k if annotated else 0.16 * k)
    fig = MplFigure(figsize=(size + 1.2, size))
    ax = fig.add_subplot()
    if not k:
        _empty(ax, "no coded segments")
        return fig
    names = dict(zip(report.prevalence["code"], report.prevalence["label"], strict=True))
    values = matrix.to_numpy().astype(float)
    shaded = values.copy()
    np.fill_diagonal(shaded, np.nan)
    top = np.nanmax(shaded) if k > 1 and np.isfinite(np.nanmax(shaded)) else 1.0
    image = ax.imshow(shaded, cmap="Purples", vmin=0, vmax=max(top, 1.0), interpolation="nearest")
    if annotated:
        labels = [_wrap(names.get(i, i), 34) for i in matrix.index]
        ticks = {"fontsize": 8, "linespacing": 0.95}
    else:
        labels = [_short(names.get(i, i), 40) for i in matrix.index]
        ticks = {"fontsize": 7 if k > 30 else 8}
    ax.set_xticks(range(k), labels, rotation=90, **ticks)
    ax.set_yticks(range(k), labels, **ticks)
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
    fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02).set_label("segments coded with both")
    ax.set_title("Code co-occurrence")
    return fig


def saturation(report: Report):
    """Cumulative distinct codes against interviews in order, with new codes per interview as bars."""
    import numpy as np
    from matplotlib.figure import Figure as MplFigure

    data = report.saturation
    fig = MplFigure(figsize=(7, 4))
    ax = fig.add_subplot()
    if data.empty:
        _empty(ax, "no interviews with segments")
        return fig
    x = data["interview"].to_numpy()
    unit = "themes" if report.level is Level.theme else "codes"
    # One stepped area, not a bar per interview: thousands of interviews draw as fast as ten.
    edges = np.append(x - 0.5, x[-1] + 0.5)
    ax.stairs(
        data["new_codes"].to_numpy(),
        edges,
        fill=True,
        color="#c6dbef",
        label=f"{unit} first seen in this interview",
    )
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
    ax.set_xlabel("participant, in interview order")
    ax.set_ylabel(f"{unit} seen so far")
    ax.set_ylim(0, max(int(data["distinct_codes"].max()), 1) * 1.1)
    step = max(1, len(x) // 30)
    ids = [_short(p, 12) for p in data["participant"]]  # the pseudonymous label, never the real id
    ax.set_xticks(x[::step], ids[::step], rotation=90, fontsize=7 if len(x) > 12 else 8)
    # Below the axes: inside, it would cover the curve where it levels off.
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=3, frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(f"{unit.capitalize()} first seen, by interview order")
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


def write_figures(
    report: Report, folder: Path, progress: Callable[[str], None] | None = None
) -> list[Figure]:
    """Draw every figure and write it as PNG and SVG into ``folder``."""
    import matplotlib

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with matplotlib.rc_context(RC):
        for key, title, caption, draw in FIGURES:
            if progress:
                progress(f"figure: {title}")
            fig = draw(report)
            written.append(Figure(key=key, title=title, caption=caption, paths=_save(fig, folder, key)))
    return written
