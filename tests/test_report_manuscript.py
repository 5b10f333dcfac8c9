"""Reports ready for the manuscript (issue 16): structure, captions, coverage, each format's layout."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slqual.cli.main import app
from slqual.errors import ReportError
from slqual.project import open_project
from slqual.reports import ReportFormat, ReportOptions, build_report, make_report

FIXTURE = Path(__file__).parent / "data" / "report" / "project"
ALL = ",".join(f.value for f in ReportFormat)


def fixture_project(root: Path):
    shutil.copytree(FIXTURE, root)
    return open_project(root)


@pytest.fixture
def project(tmp_path):
    return fixture_project(tmp_path / "study")


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    project = fixture_project(tmp_path_factory.mktemp("manuscript") / "study")
    return make_report(project, ReportOptions(first_table=2, test="fisher"), formats=ALL)


def quote_tables(report):
    return [t for t in report.tables if t.kind.value == "quotes"]


def test_subtheme_level_rolls_codes_up_to_the_themes_children(project):
    report = build_report(project, ReportOptions(level="subtheme"))
    skills = report.table("theme_skills")
    # Shared vision and Inductions roll up into Understanding; the theme's children are the rows.
    assert list(skills.frame["Subtheme"]) == ["Understanding", "Empathy"]
    assert "Understanding > Shared vision" not in set(report.prevalence["name"])
    assert set(report.prevalence["depth"]) == {0, 1}


def test_theme_filter_first_table_and_no_overview_number_the_tables(project):
    report = build_report(
        project, ReportOptions(themes=("skills", "motivation"), first_table=1, overview=False)
    )
    tables = quote_tables(report)
    assert [t.key for t in tables] == ["theme_motivation", "theme_skills"]  # codebook order
    assert [t.number for t in tables] == [1, 2]
    assert report.table("prevalence").caption.startswith("Table 3. ")
    with pytest.raises(ReportError, match="--theme skills.empathy: not a theme .* below the theme 'skills'"):
        build_report(project, ReportOptions(themes=("skills.empathy",)))


def test_caption_comes_from_the_codebook_node_or_the_default(project):
    path = project.codebook_path
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "    name: Skills\n", "    name: Skills\n    caption: Skills that shared leadership needs\n"
        ),
        encoding="utf-8",
    )
    report = build_report(project)
    assert report.table("theme_skills").caption == "Table 3. Skills that shared leadership needs"
    assert (
        report.table("theme_motivation").caption
        == "Table 2. Quotes addressing the theme \u2018Motivation\u2019"
    )


def test_themes_and_codes_nobody_coded_get_no_table_and_one_note(project):
    path = project.codebook_path
    path.write_text(
        path.read_text(encoding="utf-8")
        + "  - id: unused\n    name: Never coded\n    children:\n"
        + "      - id: unused.a\n        name: Nor this\n",
        encoding="utf-8",
    )
    report = build_report(project)
    assert "theme_unused" not in {t.key for t in report.tables}
    note = report.table("theme_barriers").note
    assert "theme \u2018Never coded\u2019" in note
    assert any("Never coded" in n for n in report.notes)
    assert "Never coded" not in set(report.table("overview").frame["Theme"])


def test_coverage_is_stated_and_a_partial_coding_warned(project):
    report = build_report(project, ReportOptions(coder="reviewer1"))
    cover = report.coverage
    assert cover.coder == "reviewer1" and cover.coded < cover.segments and not cover.complete
    assert [g.label for g in cover.groups] == ["Clinical managers", "Non-clinical managers"]
    assert "The coding is incomplete" in report.table("prevalence").note
    assert any("covers" in n for n in report.notes)
    full = build_report(project)
    assert full.coverage.complete and "Coverage: 18 of 18 (100%)" in full.table("prevalence").note


def test_report_before_coding_names_the_next_step(tmp_path):
    runner = CliRunner()
    root = tmp_path / "study"
    root.mkdir()
    for name in ("slqual.yaml", "codebook.yaml", "participants.csv"):
        shutil.copy(FIXTURE / name, root / name)
    result = runner.invoke(app, ["report", "-p", str(root)])
    assert result.exit_code == 2 and "slqual ingest" in result.output and "reconcile" not in result.output
    shutil.copy(FIXTURE / "segments.csv", root / "segments.csv")
    result = runner.invoke(app, ["report", "-p", str(root)])
    output = " ".join(result.output.split())
    assert result.exit_code == 2 and "nothing coded yet" in output and "slqual code --coder NAME" in output


def test_an_edited_report_is_kept_in_history(project, tmp_path):
    first = make_report(project, ReportOptions(figures=False), formats="md,csv")
    assert first.kept == ()
    again = make_report(project, ReportOptions(figures=False), formats="md,csv")
    assert again.kept == ()  # unchanged files are replaced without a copy
    md = project.reports_dir / "report.md"
    md.write_text(md.read_text(encoding="utf-8") + "\nMy edits.\n", encoding="utf-8")
    third = make_report(project, ReportOptions(figures=False), formats="md,csv")
    assert len(third.kept) == 1 and third.kept[0].read_text(encoding="utf-8").endswith("My edits.\n")
    assert third.kept[0].parent == project.root / ".slqual" / "history"


def _docx_xml(path: Path) -> str:
    from zipfile import ZipFile

    with ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def test_docx_is_a4_with_page_numbers_seq_captions_and_unsplit_rows(written):
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Mm

    path = written.out_dir / "report.docx"
    document = docx.Document(path)
    first = document.sections[0]
    assert abs(first.page_width - Mm(210)) < Mm(1) and abs(first.page_height - Mm(297)) < Mm(1)
    footer = first.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "fldSimple" in footer
    xml = _docx_xml(path)
    assert "SEQ Table \\* ARABIC \\r 2" in xml  # --first-table 2 restarts Word's numbering at 2
    assert xml.count("SEQ Table") == 5 and xml.count("SEQ Figure") == 4
    for table in document.tables:
        for row in table.rows:
            props = row._tr.trPr
            assert props is not None and props.find(qn("w:cantSplit")) is not None
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        assert borders.find(qn("w:insideV")).get(qn("w:val")) == "nil"  # no vertical rules
    quotes = document.tables[1].rows[1].cells[1].paragraphs  # Motivation, 'Not a career goal'
    assert len(quotes) == 2 and quotes[0].paragraph_format.space_after.pt == 6


def test_docx_letter_paper(project):
    import docx
    from docx.shared import Inches

    result = make_report(project, ReportOptions(figures=False, paper="letter"), formats="docx")
    section = docx.Document(result.out_dir / "report.docx").sections[0]
    assert abs(section.page_width - Inches(8.5)) < Inches(0.01)


def test_xlsx_row_heights_print_setup_filters_and_number_formats(written):
    from openpyxl import load_workbook

    book = load_workbook(written.out_dir / "report.xlsx")
    theme = book["theme_motivation"]
    heights = [theme.row_dimensions[r].height for r in range(3, theme.max_row + 1)]
    assert all(h and h > 15 for h in heights[:2])  # two wrapped quotes need more than one line
    assert theme.page_setup.orientation == "landscape"
    assert theme.sheet_properties.pageSetUpPr.fitToPage and theme.page_setup.fitToHeight == 0
    assert theme.print_title_rows == "$2:$2" and theme.freeze_panes == "B3"
    long = book["quotes_long"]
    assert long.auto_filter.ref and long.auto_filter.ref.startswith("A1:")
    assert long.freeze_panes == "A2" and long.print_title_rows == "$1:$1"
    counts = book["prevalence_counts"]
    header = [c.value for c in counts[1]]
    assert counts.cell(row=2, column=header.index("clinical_share") + 1).number_format == "0.0%"


def test_xlsx_row_height_grows_with_text_length():
    from slqual.reports.writers.xlsx import row_height

    assert row_height(["short"], [60]) < row_height(["word " * 60], [60]) < row_height(["word " * 120], [60])
    assert row_height(["a\nb\nc"], [60]) > row_height(["abc"], [60])


def test_html_tables_scroll_in_their_own_box_at_phone_width(written):
    from slqual.reports.writers.html import STYLE

    html = (written.out_dir / "report.html").read_text(encoding="utf-8")
    assert "div.scroll { overflow-x: auto;" in STYLE and "@media (max-width: 40em)" in STYLE
    assert "figure img { max-width: 100%; height: auto; }" in STYLE
    assert html.count('<div class="scroll">') == 5  # overview, three themes, prevalence: each in a box
    assert 'name="viewport" content="width=device-width' in html


def test_latex_uses_longtable_ragged_right_and_right_aligned_numbers(written):
    tex = (written.out_dir / "report.tex").read_text(encoding="utf-8")
    assert "\\usepackage{longtable}" in tex and "\\usepackage{booktabs}" in tex
    assert "\\newcolumntype{R}[1]{>{\\raggedleft\\arraybackslash}" in tex
    assert "\\hyphenpenalty=10000" in tex  # headers are not hyphenated
    prevalence = tex[tex.index("\\begin{landscape}") :]
    assert prevalence.index("Participants and coded segments") < prevalence.index("\\end{landscape}")
    assert "R{\\dimexpr" in prevalence


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_latex_compiles_without_overfull_boxes(written, tmp_path):
    import subprocess

    shutil.copytree(written.out_dir, tmp_path / "out")
    done = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "report.tex"],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert "Overfull \\hbox" not in done.stdout


def test_thematic_map_has_each_coded_theme_with_rows_and_a_quote_per_group(written):
    themes = written.report.thematic_map
    assert [t.name for t in themes] == ["Motivation", "Skills", "Barriers"]
    skills = themes[1]
    assert [r.name for r in skills.rows] == ["Understanding", "Empathy"]
    assert [label for label, _ in skills.quotes] == ["Clinical managers", "Non-clinical managers"]
    assert all(q is not None and len(q.text.split()) <= 26 for _, q in skills.quotes)
    html = (written.out_dir / "report.html").read_text(encoding="utf-8")
    assert html.index("Thematic map") < html.index("Prevalence heatmap")


def test_heatmap_drops_uninformative_theme_rows_to_headings(written):
    from slqual.reports.figures import informative_rows

    rows = informative_rows(written.report.prevalence, written.report.groups)
    motivation = rows[rows["code"] == "motivation"].iloc[0]
    barriers = rows[rows["code"] == "barriers"].iloc[0]
    assert bool(motivation["_heading"])  # every participant voiced it: a heading, not data
    assert not bool(barriers["_heading"])  # below 100% somewhere: shown


def test_cli_passes_the_manuscript_options(project, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            "report",
            "-p",
            str(project.root),
            "-o",
            str(out),
            "-f",
            "md",
            "--no-figures",
            "--level",
            "subtheme",
            "--first-table",
            "1",
            "--no-overview",
            "--theme",
            "barriers",
            "--paper",
            "letter",
        ],
    )
    assert result.exit_code == 0, result.output
    text = (out / "report.md").read_text(encoding="utf-8")
    assert "## Table 1. Quotes addressing the theme \u2018Barriers\u2019" in text
    assert "Overview" not in text and "Coverage:" in " ".join(result.output.split())


def test_xlsx_row_height_fits_a_long_quote_as_libreoffice_wraps_it():
    """A 457-character cell of the example report needed 8 lines (120 pt) in LibreOffice; 93 pt cut it."""
    from slqual.reports.writers.xlsx import row_height

    cell = (
        "\u201cAnd then at my practice I'm conscious that my patients get a locum on a Wednesday because "
        "I'm at the federation, and there's a real guilt in that.\u201d (P05)\n\u201cOne of them said to me "
        "at a meeting, \"you're one of them now\", and it wasn't a joke. When the ICB makes a decision that "
        "practices hate, I'm the face of it. I tell myself I'm a GP working in the ICB, not an ICB manager "
        "who does a bit of general practice on the side. Some days I even believe it.\u201d (P07)"
    )
    assert (
        row_height(["Clinicians' discomfort and identity conflict in the dual role", cell], [30, 60]) >= 120
    )


def test_docx_table_notes_stay_on_the_page_of_their_last_row(written):
    """A table's note never opens a page alone: the table's last row keeps with it."""
    import docx

    document = docx.Document(written.out_dir / "report.docx")
    checked = 0
    for table in document.tables:
        after = table._tbl.getnext()
        note = after is not None and after.tag.endswith("}p") and "".join(after.itertext()).strip()
        last = [p.paragraph_format.keep_with_next for c in table.rows[-1].cells for p in c.paragraphs]
        if note:
            checked += 1
            assert all(last), "the last row does not keep with its note"
    assert checked  # the prevalence table has its coverage note
