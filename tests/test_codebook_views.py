"""Views and exports: goldens for Markdown and CSV, a Word table, JSON in the YAML's shape."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from slqual.codebook import load_codebook
from slqual.codebook.dump import codebook_to_dict, codebook_to_yaml
from slqual.codebook.export import WRITERS, ExportFormat, export_codebook
from slqual.codebook.load import parse_codebook
from slqual.codebook.views import RENDERERS, ViewFormat, appendix_rows, codebook_rows, render_codebook
from slqual.errors import CodebookError

DATA = Path(__file__).parent / "data" / "codebooks"
GOLDEN = DATA / "golden"


@pytest.fixture
def codebook():
    return load_codebook(DATA / "valid.yaml")


def test_markdown_export_matches_golden(codebook, tmp_path):
    out = export_codebook(codebook, "md", tmp_path / "codebook.md")
    assert out.read_text(encoding="utf-8") == (GOLDEN / "valid.md").read_text(encoding="utf-8")


def test_csv_export_matches_golden(codebook, tmp_path):
    out = export_codebook(codebook, ExportFormat.csv, tmp_path / "codebook.csv")
    assert out.read_bytes() == (GOLDEN / "valid.csv").read_bytes()


def test_csv_has_one_row_per_node_with_parent_and_depth(codebook):
    rows = list(csv.DictReader(io.StringIO(render_codebook(codebook, "csv"))))
    assert [r["id"] for r in rows] == codebook.ids()
    language = rows[codebook.ids().index("barriers.culture.language")]
    assert (language["parent"], language["depth"], language["theme"]) == ("barriers.culture", "2", "barriers")
    assert rows[1]["keywords"].splitlines() == ["no time", r"re:\bnot enough (?:time|hours)\b"]


def test_markdown_escapes_pipes(codebook):
    assert "Money \\| budgets" in render_codebook(codebook, "md")


def test_appendix_rows_show_the_path_below_the_theme(codebook):
    rows = appendix_rows(codebook)
    assert rows[0] == {
        "Theme": "Barriers",
        "Code": "",
        "Definition": "What gets in the way of working together.",
        "Inclusion": "",
        "Exclusion": "",
        "Example": "",
    }
    assert rows[4]["Code"] == "Culture > Sprache und Begriffe (Fachjargon)"
    assert rows[1]["Example"] == "There just aren't enough hours in the week."


def test_short_views_leave_out_criteria(codebook):
    assert set(codebook_rows(codebook, full=False)[0]) == {
        "id",
        "name",
        "parent",
        "depth",
        "theme",
        "definition",
    }
    assert "Inclusion" not in render_codebook(codebook, "md", full=False)
    short = json.loads(render_codebook(codebook, "json", full=False))
    assert "include" not in short["codes"][0]["children"][0]


def test_json_is_the_yaml_schema(codebook):
    data = json.loads(render_codebook(codebook, ViewFormat.json))
    assert data == codebook_to_dict(codebook)
    assert data["codes"][0]["children"][0]["examples"][1] == "Our diaries never line up."


def test_clean_yaml_dump_loads_to_the_same_codebook(codebook):
    again = parse_codebook(codebook_to_yaml(codebook, "a header"), "again.yaml")
    assert codebook_to_dict(again) == codebook_to_dict(codebook)


def test_docx_export_holds_the_appendix_table(codebook, tmp_path):
    from docx import Document

    out = export_codebook(codebook, "docx", tmp_path / "appendix.docx")
    document = Document(str(out))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "Theme",
        "Code",
        "Definition",
        "Inclusion",
        "Exclusion",
        "Example",
    ]
    assert len(table.rows) == len(codebook) + 1
    assert table.rows[5].cells[1].text == "Culture > Sprache und Begriffe (Fachjargon)"
    assert document.paragraphs[0].text == "Test study"


def test_every_format_has_a_writer_and_a_renderer():
    assert set(WRITERS) == set(ExportFormat)
    assert set(RENDERERS) == set(ViewFormat)
    from slqual.cli.codebook import ExportChoice

    assert {c.value for c in ExportChoice} == {f.value for f in ExportFormat}


def test_unknown_export_format_and_folder_output(codebook, tmp_path):
    with pytest.raises(CodebookError, match="choose one of md, csv, docx, qdc"):
        export_codebook(codebook, "pdf", tmp_path / "x.pdf")
    with pytest.raises(CodebookError, match="is a folder"):
        export_codebook(codebook, "md", tmp_path)


def test_docx_names_each_theme_once_and_repeats_the_header_on_every_page(codebook, tmp_path):
    from docx import Document

    table = Document(str(export_codebook(codebook, "docx", tmp_path / "a.docx"))).tables[0]
    assert 'w:tblHeader w:val="true"' in table.rows[0]._tr.xml
    # The Barriers cell spans the theme's row and its five codes; Enablers starts after it.
    theme_cells = [row.cells[0] for row in table.rows[1:]]
    assert len({id(c._tc) for c in theme_cells}) == 2
    assert theme_cells[0].text == "Barriers" and theme_cells[6].text == "Enablers"
    assert table.rows[2].cells[5].text == "\u201cThere just aren't enough hours in the week.\u201d"
    assert [round(c.width.inches, 1) for c in table.rows[1].cells] == [1.2, 1.5, 1.9, 1.5, 1.5, 1.4]
