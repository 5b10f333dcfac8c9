"""Hostile content comes out inert in every output (issue 11, items 3 to 6, the writer side).

Formula-like text, Markdown images and links, HTML, control characters,
mathtext and a leading '[' are put into a transcript's words, a file name (the
document column), the codebook's names and participants.csv; every format and
figure is then written and checked.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from typer.testing import CliRunner

from slqual.cells import csv_text, looks_like_formula, markdown_text, plain_text
from slqual.cli.main import app
from slqual.project import open_project
from slqual.reports import ReportFormat, ReportOptions, make_report
from slqual.reports.writers.latex import escape_tex

FIXTURE = Path(__file__).parent / "data" / "report" / "project"
ALL = ",".join(f.value for f in ReportFormat)
PIXEL = "![pixel](http://evil.example/p.png)"
FORMULA = '=HYPERLINK("http://evil.example")+1'
QUOTED = FORMULA.replace('"', '""')  # as written inside a quoted CSV field
MATH = r"$\undefinedmacro{x}$"


def hostile_project(root: Path):
    shutil.copytree(FIXTURE, root)
    segments = root / "segments.csv"
    text = segments.read_text(encoding="utf-8")
    text = text.replace(
        "Time is the problem.",
        f"{QUOTED} Time is the \x1b[31m problem {PIXEL} <script>alert(1)</script> and \x0b {MATH}.",
    )
    text = text.replace("I never set out to be a leader", " -2+3 I never set out to be a leader")
    text = text.replace(",P01,P01,", f',"{QUOTED}",P01,')  # a hostile file name as the document
    segments.write_text(text, encoding="utf-8")
    codebook = root / "codebook.yaml"
    text = codebook.read_text(encoding="utf-8")
    text = text.replace("name: Motivation", f"name: '{MATH} <img src=x onerror=alert(1)>'")
    text = text.replace("name: Not a career goal", "name: '[not] a career goal @SUM(1)'")
    # (An escape sequence in a codebook is refused by the codebook check: tests/test_reliability.py.)
    text = text.replace("name: Barriers", 'name: "Barriers \\v [x](http://evil.example)"')
    codebook.write_text(text, encoding="utf-8")
    participants = root / "participants.csv"
    text = participants.read_text(encoding="utf-8")
    text = text.replace("P01,clinical,GP", f'P01,clinical,"+GP {MATH}"').replace(
        ",Manager,", ",@Manager <b>,"
    )
    participants.write_text(text, encoding="utf-8")
    return open_project(root)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    project = hostile_project(tmp_path_factory.mktemp("hostile") / "study")
    return make_report(project, ReportOptions(test="fisher"), formats=ALL)


def test_every_report_csv_guards_formulas_and_starts_with_a_bom(hostile):
    files = sorted((hostile.out_dir / "csv").glob("*.csv"))
    assert files
    seen_guarded = False
    for path in files:
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), path.name
        for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
            for cell in row:
                assert not looks_like_formula(cell), (path.name, cell)
                seen_guarded |= cell.startswith("'=") or cell.startswith("' -")
    assert seen_guarded


def test_csv_plain_keeps_the_raw_text(tmp_path):
    project = hostile_project(tmp_path / "study")
    result = make_report(project, ReportOptions(figures=False, csv_plain=True), formats="csv")
    data = (result.out_dir / "csv" / "quotes_long.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert FORMULA.encode() in data.replace(b'""', b'"')


def test_markdown_has_no_live_image_link_or_html(hostile):
    text = (hostile.out_dir / "report.md").read_text(encoding="utf-8")
    assert "evil.example" in text  # the words are there ...
    for figure in ("Thematic map", "Prevalence heatmap", "Code co-occurrence", "Codes first seen"):
        text = re.sub(rf"!\[{figure}[^\]]*\]\(figures/[a-z_]+\.png\)", "", text)
    assert not re.search(r"(?<!\\)[\[\]()!]", text.replace("<br>", "")), "unescaped link syntax"
    assert not re.search(r"(?<!\\)<(?!br>)", text), "live HTML"
    assert "\x1b" not in text and "\x0b" not in text


def test_html_is_inert(hostile):
    html = (hostile.out_dir / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<img src=x" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html
    assert "\x1b" not in html


def test_xlsx_holds_no_formula(hostile):
    from openpyxl import load_workbook

    book = load_workbook(hostile.out_dir / "report.xlsx")
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]
    assert any(isinstance(c.value, str) and c.value.startswith("=HYPERLINK") for c in cells)


def test_docx_opens_and_holds_the_text(hostile):
    import docx

    document = docx.Document(hostile.out_dir / "report.docx")
    text = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "[not] a career goal" in text


def test_svg_figures_are_valid_xml_and_drawn_despite_mathtext(hostile):
    keys = {f.key for f in hostile.figures}
    assert keys == {"thematic_map", "heatmap", "cooccurrence", "saturation"}
    for figure in hostile.figures:
        ElementTree.fromstring(figure.path(".svg").read_bytes())  # raises on invalid XML


def test_latex_guards_a_row_starting_with_a_bracket(hostile):
    tex = (hostile.out_dir / "report.tex").read_text(encoding="utf-8")
    assert "{[}not{]} a career goal" in tex
    assert not re.search(r"\\\\\s*\n\s*\[", tex)
    assert escape_tex("[x]") == "{[}x{]}"


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_latex_with_hostile_content_compiles(hostile, tmp_path):
    shutil.copytree(hostile.out_dir, tmp_path / "out")
    done = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "report.tex"],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout[-2000:]


def test_cells_guard_formulas_after_whitespace_and_escape_markdown():
    for text in ("  =1+1", "\t=1", " @x", "\n-2"):
        assert looks_like_formula(text) and csv_text(text) == "'" + text
    assert not looks_like_formula("a = b")
    assert markdown_text(PIXEL) == r"\!\[pixel\]\(http://evil.example/p.png\)"
    assert markdown_text("<script>") == r"\<script\>"
    assert plain_text("a\x0bb\x1bc") == "a\nbc"


def test_codebook_exports_are_inert(tmp_path):
    project = hostile_project(tmp_path / "study")
    path = project.codebook_path
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "definition: Never planned to lead.", 'definition: "=1+1 never planned\\vto lead <script>"'
        ),
        encoding="utf-8",
    )
    runner = CliRunner()
    for fmt in ("docx", "csv", "md"):
        out = tmp_path / f"codebook.{fmt}"
        result = runner.invoke(
            app, ["codebook", "export", "-p", str(project.root), "-f", fmt, "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO((tmp_path / "codebook.csv").read_bytes().decode("utf-8-sig"))))
    assert all(not looks_like_formula(cell) for row in rows for cell in row)
    md = (tmp_path / "codebook.md").read_text(encoding="utf-8")
    assert "\\<script\\>" in md and not re.search(r"(?<!\\)<(?!br>)", md)
    assert not re.search(r"(?<!\\)[\[\]()!]", md), "unescaped link syntax"
    shown = runner.invoke(app, ["codebook", "show", "-p", str(project.root), "-f", "csv"])
    assert "'=1+1 never" in shown.output  # guarded, in a quoted field since Word's break became a new line
    plain = runner.invoke(app, ["codebook", "show", "-p", str(project.root), "-f", "csv", "--csv-plain"])
    assert ",=1+1 never" in plain.output or '"=1+1 never' in plain.output
