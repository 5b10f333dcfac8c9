"""Report formats: golden md and csv, reproducible output, xlsx and docx read back, self-contained HTML."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from slqual.project import open_project
from slqual.reports import ReportFormat, ReportOptions, TableKind, build_report, make_report, write_report
from slqual.reports.writers import WRITERS
from slqual.reports.writers.latex import escape_tex
from slqual.reports.writers.markdown import escape_md

DATA = Path(__file__).parent / "data" / "report"
GOLDEN = DATA / "golden"
UPDATE = os.environ.get("SLQUAL_UPDATE_GOLDEN") == "1"  # refresh golden files on purpose only
ALL = ",".join(f.value for f in ReportFormat)


def fixture_project(root: Path):
    shutil.copytree(DATA / "project", root)
    return open_project(root)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The fixture project reported once in every format, with figures and Fisher's test."""
    project = fixture_project(tmp_path_factory.mktemp("report") / "study")
    return make_report(project, ReportOptions(test="fisher", attributes=("role",)), formats=ALL)


def test_every_format_has_a_writer():
    assert set(WRITERS) == set(ReportFormat)
    for fmt, writer in WRITERS.items():
        assert writer.format is fmt


def _golden_files(out_dir: Path) -> list[Path]:
    return [out_dir / "report.md", *sorted((out_dir / "csv").glob("*.csv"))]


def test_markdown_and_csv_match_the_golden_files(written):
    for path in _golden_files(written.out_dir):
        name = path.relative_to(written.out_dir)
        golden = GOLDEN / name
        if UPDATE:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_bytes(path.read_bytes())
        assert golden.is_file(), f"no golden file {golden}; refresh with SLQUAL_UPDATE_GOLDEN=1"
        assert path.read_text(encoding="utf-8") == golden.read_text(encoding="utf-8"), name
    expected = {p.relative_to(GOLDEN) for p in GOLDEN.rglob("*") if p.is_file()}
    assert expected == {p.relative_to(written.out_dir) for p in _golden_files(written.out_dir)}


def test_a_second_run_gives_byte_identical_md_csv_tex_and_svg(written, tmp_path):
    project = fixture_project(tmp_path / "again")
    again = make_report(
        project,
        ReportOptions(test="fisher", attributes=("role",)),
        out_dir=tmp_path / "out",
        formats="md,csv,tex",
    )
    names = [
        "report.md",
        "report.tex",
        *(f"figures/{k}.svg" for k in ("heatmap", "cooccurrence", "saturation")),
    ]
    names += [p.relative_to(written.out_dir).as_posix() for p in (written.out_dir / "csv").glob("*.csv")]
    for name in names:
        assert (again.out_dir / name).read_bytes() == (written.out_dir / name).read_bytes(), name


def test_markdown_quotes_are_italic_with_attribution(written):
    text = (written.out_dir / "report.md").read_text(encoding="utf-8")
    assert "## Table 2. Quotes addressing the theme \u2018Motivation\u2019" in text
    assert "| Code | Clinical managers \\(n=3\\) | Non-clinical managers \\(n=3\\) |" in text
    assert "*\u201cNobody else put their hand up in the room," in text
    assert "\u201d* \\(P02, Nurse\\)" in text
    assert "Question 1:" not in text  # never the interviewer's words


def test_csv_files_cover_every_table(written):
    names = {p.stem for p in (written.out_dir / "csv").glob("*.csv")}
    assert names == {t.key for t in written.report.tables}


def test_xlsx_has_a_sheet_per_table_with_frozen_headers_and_the_right_cells(written):
    from openpyxl import load_workbook

    book = load_workbook(written.out_dir / "report.xlsx")
    assert book.sheetnames == [t.key for t in written.report.tables]
    sheet = book["theme_motivation"]
    assert sheet["A1"].value.startswith("Table 2. Quotes addressing the theme")
    assert [c.value for c in sheet[2]] == ["Code", "Clinical managers (n=3)", "Non-clinical managers (n=3)"]
    assert sheet.freeze_panes == "B3"
    assert sheet["A3"].value == "Not a career goal"
    assert sheet["B3"].value.startswith("\u201cNobody else put their hand up")
    assert sheet["B3"].value.endswith("(P01, GP)")
    assert sheet["B3"].alignment.wrap_text
    assert sheet["C3"].value == "no quotes coded"
    long = book["quotes_long"]
    assert long.freeze_panes == "A2"
    assert long["A1"].value == "segment_id"
    assert long.max_row == 1 + len(written.report.table("quotes_long").frame)
    prevalence = book["prevalence_counts"]
    header = [c.value for c in prevalence[1]]
    assert prevalence.cell(row=3, column=header.index("clinical_participants") + 1).value == 3
    shown = book["prevalence"]
    header = [c.value for c in shown[2]]
    segments = shown.cell(row=3, column=header.index("Clinical managers (n=3): segments") + 1).value
    assert isinstance(segments, int)  # a number, not text that Excel flags
    people = shown.cell(row=3, column=header.index("Clinical managers (n=3): participants") + 1)
    share = shown.cell(row=3, column=header.index("Clinical managers (n=3): share") + 1)
    assert people.value == 3 and people.number_format == "0"  # counts and shares are numbers
    assert share.value == 1 and share.number_format == "0%"


def test_xlsx_never_writes_a_formula(tmp_path):
    from openpyxl import load_workbook

    project = fixture_project(tmp_path / "study")
    segments = project.segments_path.read_text(encoding="utf-8")
    project.segments_path.write_text(
        segments.replace("Honestly the paperwork", "=HYPERLINK(1) honestly the paperwork").replace(
            "Time is the problem.",
            "Time is the \x0bproblem.",  # a control character XML cannot hold
        ),
        encoding="utf-8",
    )
    result = make_report(project, ReportOptions(figures=False), formats="xlsx")
    book = load_workbook(result.out_dir / "report.xlsx")
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in cells if c.value.startswith("=")]
    assert risky, "the fixture should put a formula-like text in a cell"
    assert all(c.data_type == "s" for c in risky)
    assert any(c.value.startswith("Time is the \nproblem.") for c in cells)  # Word's line break


def docx_text(paragraph) -> str:
    """A paragraph's text including the results of its fields (python-docx's .text leaves them out)."""
    from docx.oxml.ns import qn

    return "".join(t.text or "" for t in paragraph._p.iter(qn("w:t")))


def test_docx_holds_captioned_tables_with_italic_quotes(written):
    import docx

    document = docx.Document(written.out_dir / "report.docx")
    captions = [docx_text(p) for p in document.paragraphs if p.style.name == "Caption"]
    assert captions[:3] == [
        "Table 1. Overview: one short quote per theme and group",
        "Table 2. Quotes addressing the theme \u2018Motivation\u2019",
        "Table 3. Quotes addressing the theme \u2018Skills\u2019",
    ]
    assert len(document.tables) == 5  # overview, three themes, prevalence
    table = document.tables[1]
    assert [c.text for c in table.rows[0].cells] == [
        "Code",
        "Clinical managers (n=3)",
        "Non-clinical managers (n=3)",
    ]
    assert all(run.bold for c in table.rows[0].cells for run in c.paragraphs[0].runs)
    quote = table.rows[1].cells[1].paragraphs[0].runs
    assert quote[0].italic and quote[0].text.startswith("\u201cNobody else")
    assert quote[1].text == " (P02, Nurse)" and not quote[1].italic
    assert table.rows[1].cells[2].text == "no quotes coded"
    assert len(document.inline_shapes) == 4  # the figures


def test_docx_tables_give_quotes_the_width_and_fit_the_page(written):
    import docx
    from docx.shared import Inches

    document = docx.Document(written.out_dir / "report.docx")
    quotes, counts = document.tables[1], document.tables[-1]
    widths = [c.width for c in quotes.rows[1].cells]
    assert widths[0] < widths[1] == widths[2]  # a narrow code column, the quotes share the rest
    section = document.sections[0]
    assert sum(widths) <= section.page_width - section.left_margin - section.right_margin + Inches(0.01)
    # The prevalence table's nine columns need a landscape page; the figures go back to portrait.
    landscape = [s.page_width > s.page_height for s in document.sections]
    assert landscape == [False, True, False]
    wide = document.sections[1]
    room = wide.page_width - wide.left_margin - wide.right_margin
    assert room - Inches(0.01) <= sum(c.width for c in counts.rows[2].cells) <= room + Inches(0.01)
    assert document.sections[2].left_margin == document.sections[0].left_margin
    assert all(r.font.size.pt == 9 for c in counts.rows[2].cells for p in c.paragraphs for r in p.runs)


def test_docx_prevalence_table_has_the_group_over_its_measures(written):
    import docx

    counts = docx.Document(written.out_dir / "report.docx").tables[-1]
    top = [c.text for c in counts.rows[0].cells]
    below = [c.text for c in counts.rows[1].cells]
    assert top[:4] == ["Theme", "Code", "Clinical managers (n=3)", "Clinical managers (n=3)"]  # merged
    assert below[:4] == ["Theme", "Code", "Participants", "Segments"]  # Theme and Code span both rows
    assert top[6:8] == ["All (n=6)", "All (n=6)"] and below[6:8] == ["Participants", "Segments"]
    assert top[-1] == below[-1] == "Fisher's exact p (descriptive)"
    assert [c.text for c in counts.rows[2].cells][:3] == ["Motivation", "Any code", "3 (100%)"]
    assert all("tblHeader" in row._tr.xml for row in counts.rows[:2])  # both repeat on each page


def test_html_is_one_self_contained_file(written):
    html = (written.out_dir / "report.html").read_text(encoding="utf-8")
    for pattern in (r"https?:", r"(src|href)\s*=\s*[\"']?//", r"@import", r"url\("):
        assert not re.search(pattern, html, re.IGNORECASE), pattern
    for src in re.findall(r'src="([^"]*)"', html):
        assert src.startswith("data:image/png;base64,")
    for href in re.findall(r'href="([^"]*)"', html):
        assert href.startswith("#")
    assert "<nav><strong>Contents</strong>" in html
    assert "@media print" in html
    assert html.count("<table class=") == 5
    assert html.count('<div class="scroll"><table') == 5  # wide tables scroll in their own box
    assert html.count("<img ") == 4


def test_latex_uses_booktabs_and_escapes_text(written):
    tex = (written.out_dir / "report.tex").read_text(encoding="utf-8")
    assert "\\usepackage{booktabs}" in tex and "\\toprule" in tex and "\\midrule" in tex
    assert "\\textit{``Nobody else put their hand up" in tex
    assert escape_tex("50% of R&D_costs {x} $ # ~ ^ \\") == (
        "50\\% of R\\&D\\_costs \\{x\\} \\$ \\# \\textasciitilde{} \\textasciicircum{} \\textbackslash{}"
    )


def test_markdown_escapes_table_breaking_characters():
    assert escape_md("a | b *c*\nd") == "a \\| b \\*c\\* d"
    # links, images and HTML stay text (issue 11, item 4)
    assert escape_md("![p](http://e.x/p.png) <b>") == "\\!\\[p\\]\\(http://e.x/p.png\\) \\<b\\>"


def test_figures_are_written_and_not_empty(written):
    keys = [f.key for f in written.figures]
    assert keys == ["thematic_map", "heatmap", "cooccurrence", "saturation"]
    for figure in written.figures:
        png, svg = figure.path(".png"), figure.path(".svg")
        assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 5000
        assert b"<svg" in svg.read_bytes() and svg.stat().st_size > 5000


def test_no_figures_writes_none(tmp_path):
    project = fixture_project(tmp_path / "study")
    report = build_report(project, ReportOptions(figures=False))
    paths, figures = write_report(report, tmp_path / "out", "md,html")
    assert figures == []
    assert not (tmp_path / "out" / "figures").exists()
    assert [p.name for p in paths] == ["report.md", "report.html"]


def test_data_tables_go_only_to_csv_and_xlsx(written):
    data = {t.key for t in written.report.tables if t.kind is TableKind.data}
    assert data == {"prevalence_counts", "quotes_long", "participant_codes", "cooccurrence", "saturation"}
    for fmt, writer in WRITERS.items():
        keys = {t.key for t in writer().tables(written.report)}
        assert bool(keys & data) == (fmt in (ReportFormat.csv, ReportFormat.xlsx)), fmt
    md = (written.out_dir / "report.md").read_text(encoding="utf-8")
    assert "| segment_id |" not in md


def test_control_characters_in_transcripts_do_not_break_docx_or_html(tmp_path):
    import docx

    project = fixture_project(tmp_path / "study")
    segments = project.segments_path.read_text(encoding="utf-8")
    project.segments_path.write_text(segments.replace("Time is the problem.", "Time is the \x01problem."))
    result = make_report(project, ReportOptions(figures=False), formats="docx,html,xlsx")
    document = docx.Document(result.out_dir / "report.docx")
    assert "Time is the problem." in "\n".join(
        c.text for t in document.tables for r in t.rows for c in r.cells
    )
    assert "\x01" not in (result.out_dir / "report.html").read_text(encoding="utf-8")


def test_latex_columns_fit_the_text_width(written, tmp_path):
    import shutil as sh
    import subprocess

    from slqual.reports.writers.latex import column_spec

    for table in written.report.tables:
        if table.kind is TableKind.data:
            continue
        spec = column_spec(table)
        shares = [float(s) for s in re.findall(r"\\dimexpr ([0-9.]+)\\linewidth-2\\tabcolsep", spec)]
        assert len(shares) == len(table.frame.columns), table.key
        assert sum(shares) <= 1.0, table.key  # padding is taken off each column, so no overfull box
    if sh.which("pdflatex") is None:
        return
    sh.copytree(written.out_dir, tmp_path / "tex")
    run = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "report.tex"],
        cwd=tmp_path / "tex",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-2000:]
    log = (tmp_path / "tex" / "report.log").read_text(errors="replace")
    assert "in alignment" not in log  # no table wider than the page (a long word may still stick out)


def test_xlsx_long_data_sheets_hold_every_value_of_their_table(written):
    from openpyxl import load_workbook

    book = load_workbook(written.out_dir / "report.xlsx")
    for table in written.report.tables:
        if table.kind is not TableKind.data:
            continue
        rows = list(book[table.key].iter_rows(values_only=True))
        assert list(rows[0]) == [str(c) for c in table.frame.columns], table.key
        expected = [[None if v == "" else v for v in row] for row in table.frame.to_numpy().tolist()]
        assert [list(r) for r in rows[1:]] == expected, table.key


def test_xlsx_data_sheets_escape_markup_and_keep_numbers(tmp_path):
    import pandas as pd
    from openpyxl import load_workbook

    from slqual.reports import Report, Table
    from slqual.reports.writers.xlsx import XlsxWriter

    frame = pd.DataFrame({"text": ["a < b & c > d", "  padded ", "", None], "n": [1, 2, 3, 4]})
    empty = pd.DataFrame()
    tables = (Table("data", "", "", TableKind.data, frame),)
    report = Report("t", "c", "group", ReportOptions().level, (), (), tables, empty, empty, empty)
    (path,) = XlsxWriter().write(report, tmp_path, [])
    rows = list(load_workbook(path)["data"].iter_rows(values_only=True))
    assert rows == [("text", "n"), ("a < b & c > d", 1), ("  padded ", 2), (None, 3), (None, 4)]


def test_xlsx_data_sheets_take_empty_frames_missing_values_booleans_and_odd_or_long_text(tmp_path):
    import math

    import pandas as pd
    from openpyxl import load_workbook

    from slqual.reports import Report, Table
    from slqual.reports.writers.xlsx import XlsxWriter

    odd = pd.DataFrame(
        {
            "flag": pd.array([True, None, False], dtype="boolean"),
            "count": pd.array([1, None, 2**53], dtype="Int64"),
            "share": [0.25, math.nan, math.inf],
            "text": ["=SUM(A1)", "bad \ufffe\x01 chars", None],
            "long": ["", None, "x" * 40_000],
        }
    )
    tables = (
        Table("no_columns", "", "", TableKind.data, pd.DataFrame()),
        Table("no_rows", "", "", TableKind.data, pd.DataFrame({"a": [], "b": []})),
        Table("odd", "", "", TableKind.data, odd),
    )
    empty = pd.DataFrame()
    report = Report("t", "c", "group", ReportOptions().level, (), (), tables, empty, empty, empty)
    (path,) = XlsxWriter().write(report, tmp_path, [])
    book = load_workbook(path)
    assert list(book["no_columns"].iter_rows(values_only=True)) in ([], [()])
    assert list(book["no_rows"].iter_rows(values_only=True)) == [("a", "b")]
    rows = list(book["odd"].iter_rows(values_only=True))
    assert [row[:4] for row in rows[1:]] == [
        (True, 1, 0.25, "=SUM(A1)"),
        (None, None, None, "bad  chars"),
        (False, 2**53, "inf", None),
    ]
    assert book["odd"]["D2"].data_type == "s"  # text, not a formula
    long = rows[3][4]
    assert (
        len(long) == 32_767 and long.startswith("xxx") and long.endswith("the full text is in segments.csv]")
    )
