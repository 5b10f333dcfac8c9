"""Report figures: labels readable in full, legends clear of the data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from slqual.project import open_project
from slqual.reports import ReportOptions, build_report
from slqual.reports import figures as figs
from slqual.reports.figures_layout import COLUMN_LABEL, ROW_LABEL

DATA = Path(__file__).parent / "data" / "report"
LONG = "Tensions from different values, expertise, work ethic and problem-solving styles"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    root = tmp_path_factory.mktemp("figures") / "study"
    shutil.copytree(DATA / "project", root)
    return build_report(open_project(root), ReportOptions(figures=False))


def _labels(ax, kind):
    """The row or column labels of a matrix figure, in order."""
    return [t for t in ax.texts if t.get_label() == kind]


def _draw(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig).draw()
    return fig


def test_long_labels_wrap_onto_two_lines_instead_of_being_cut():
    label = figs._wrap(LONG, 44)
    assert label.count("\n") == 1
    assert label.replace("\n", " ") == LONG  # nothing cut off
    assert all(len(line) <= 44 for line in label.splitlines())


def test_only_labels_longer_than_two_lines_are_shortened():
    label = figs._wrap(LONG, 30)
    lines = label.splitlines()
    assert len(lines) == 2 and lines[1].endswith("\u2026") and len(lines[1]) <= 30
    assert figs._wrap("Bureaucracy", 30) == "Bureaucracy"


def test_the_heatmap_shows_every_label_in_full(report):
    fig = _draw(figs.heatmap(report))
    ax = fig.axes[0]
    rows = _labels(ax, ROW_LABEL)
    shown = [t.get_text().replace("\n", " ") for t in rows]
    expected = [
        "\u2013 " * max(depth - 1, 0) + label
        for depth, label in zip(report.prevalence["depth"], report.prevalence["label"], strict=True)
    ]
    assert shown == expected
    assert [t.get_fontweight() == "bold" for t in rows] == list(report.prevalence["level"] == "theme")
    assert fig.axes[1].get_ylabel() == "participants who voiced it (%)"  # the colour scale legend


def test_the_saturation_legend_sits_below_the_axes_not_on_the_curve(report):
    fig = _draw(figs.saturation(report))
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    assert legend.y1 < ax.get_window_extent(renderer).y0
    assert "codes first seen in this interview" in [t.get_text() for t in ax.get_legend().get_texts()]


@pytest.mark.parametrize("draw", [figs.heatmap, figs.cooccurrence])
def test_matrix_labels_sit_beside_their_rows_and_columns_without_overlapping(report, draw):
    """Every row (and co-occurrence column) has its label, centred on it and clear of its neighbours."""
    fig = _draw(draw(report))
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    matrix = ax.get_window_extent(renderer)
    kinds = [(ROW_LABEL, 1)] + ([(COLUMN_LABEL, 0)] if draw is figs.cooccurrence else [])
    for kind, axis in kinds:  # axis: 1 for rows (along y), 0 for columns (along x)
        texts = _labels(ax, kind)
        assert len(texts) == len(ax.images[0].get_array()) and all(t.get_text() for t in texts)
        boxes = [t.get_window_extent(renderer) for t in texts]
        centres = ax.transData.transform([(i, i) for i in range(len(texts))])[:, axis]
        for box, centre in zip(boxes, centres, strict=True):
            low, high = (box.y0, box.y1) if axis else (box.x0, box.x1)
            assert low < centre < high  # on its row or column
            assert box.x1 <= matrix.x0 if axis else box.y1 <= matrix.y0  # outside the matrix
        spans = sorted((b.y0, b.y1) if axis else (b.x0, b.x1) for b in boxes)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False)), kind


def test_cooccurrence_marks_theme_blocks(report):
    fig = _draw(figs.cooccurrence(report))
    ax = fig.axes[0]
    themes = dict(zip(report.prevalence["code"], report.prevalence["theme"], strict=True))
    blocks = [themes[c] for c in report.cooccurrence.index]
    boundaries = sum(1 for a, b in zip(blocks[:-1], blocks[1:], strict=True) if a != b)
    assert boundaries >= 1
    rules = [line for line in ax.lines if line.get_linestyle() != "None"]  # not the tick marks
    assert len(rules) == 2 * boundaries  # one horizontal and one vertical line per boundary


def test_heatmap_group_headers_wrap_to_their_column_and_clear_the_title(report):
    fig = _draw(figs.heatmap(report))
    ax = fig.axes[0]
    headers = [t.get_text() for t in ax.get_xticklabels()]
    assert [h.replace("\n", " ") for h in headers] == [g.header for g in report.groups]
    assert all(len(line) <= figs.HEADER_CHARS for h in headers for line in h.splitlines())
    renderer = fig.canvas.get_renderer()
    title = ax.title.get_window_extent(renderer)
    assert all(t.get_window_extent(renderer).y1 <= title.y0 for t in ax.get_xticklabels())


def test_labels_break_between_words_not_at_hyphens():
    assert figs._wrap("Single-patient view versus whole-system view", 34) == (
        "Single-patient view versus\nwhole-system view"
    )


def _long_title(report):
    from dataclasses import replace

    return replace(report, by="a grouping column with a very long name " * 3)


def _wide_theme_names(report):
    from dataclasses import replace

    themes = tuple(replace(t, name="WIDE CAPITALS " * 4) for t in report.thematic_map)
    return replace(report, thematic_map=themes)


@pytest.mark.parametrize(
    "draw",
    [
        figs.heatmap,
        figs.cooccurrence,
        figs.saturation,
        figs.draw_thematic_map,
        lambda report: figs.heatmap(_long_title(report)),
        lambda report: figs.draw_thematic_map(_wide_theme_names(report)),
    ],
)
def test_every_label_lies_inside_the_figure(report, draw):
    """The margins are computed from the measured labels (no tight-box crop): nothing may be cut."""
    import matplotlib
    from matplotlib.text import Text

    with matplotlib.rc_context(figs.RC):
        fig = _draw(draw(report))
        renderer = fig.canvas.get_renderer()
        inside = fig.bbox.padded(1)  # a pixel of rounding
        texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
        assert texts
        for text in texts:
            extent = text.get_window_extent(renderer)
            assert inside.contains(extent.x0, extent.y0) and inside.contains(extent.x1, extent.y1), text


def test_svg_labels_are_text_a_viewer_can_search_and_the_file_is_reproducible(report, tmp_path):
    """Text, not glyph outlines (authors edit and search labels); the same input gives the same bytes."""
    import re
    from xml.etree import ElementTree

    first = figs.write_figures(report, tmp_path / "one")
    second = figs.write_figures(report, tmp_path / "two")
    family = re.compile(r"font-family: 'DejaVu Sans', [^;]*, sans-serif(;|$)")
    shown = {}
    for a, b in zip(first, second, strict=True):
        svg = a.path(".svg").read_bytes()
        assert svg == b.path(".svg").read_bytes(), a.key
        assert b"<dc:date>" not in svg and b'id="DejaVuSans' not in svg  # no date, no glyph outlines
        texts = list(ElementTree.fromstring(svg).iter("{http://www.w3.org/2000/svg}text"))
        assert texts and all(family.search(t.get("style", "")) for t in texts), a.key
        shown[a.key] = {t.text for t in texts}
    rows = zip(report.prevalence["depth"], report.prevalence["label"], strict=True)
    for depth, name in rows:  # every row label of the heatmap, line by line, as searchable text
        assert (
            set(figs._wrap("\u2013 " * max(depth - 1, 0) + name, figs.WRAP_CHARS).split("\n"))
            <= shown["heatmap"]
        )


def test_figures_drawn_in_workers_are_those_drawn_here(report, tmp_path, monkeypatch):
    """Two at a time in forked workers or one after another here: the same files, in the same order,
    and one progress step per figure."""
    from slqual.reports import figures_workers

    steps = {"workers": [], "here": []}
    apart = figs.write_figures(report, tmp_path / "workers", steps["workers"].append)
    monkeypatch.setattr(figures_workers, "worker_count", lambda jobs: 1)
    here = figs.write_figures(report, tmp_path / "here", steps["here"].append)
    assert [f.key for f in apart] == [f.key for f in here] == [key for key, *_ in figs.FIGURES]
    for a, b in zip(apart, here, strict=True):
        assert [p.name for p in a.paths] == [p.name for p in b.paths]
        for path, other in zip(a.paths, b.paths, strict=True):
            assert path.read_bytes() == other.read_bytes(), path.name
    assert sorted(steps["workers"]) == sorted(steps["here"]) == sorted(f"figure: {f.title}" for f in here)


def test_every_figure_has_its_place_in_the_drawing_order():
    assert sorted(figs.DRAWING_ORDER) == sorted(key for key, *_ in figs.FIGURES)
