"""Writing a codebook for others: Markdown and Word appendix tables, a flat CSV, and REFI-QDA .qdc.

One writer per format; ``export_codebook`` picks it and writes atomically.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from enum import Enum
from pathlib import Path

from slqual.cells import plain_text
from slqual.codebook.model import Codebook
from slqual.codebook.views import APPENDIX_COLUMNS, appendix_rows, quoted, render_csv, render_md
from slqual.errors import CodebookError
from slqual.fileio import atomic_write_bytes


class ExportFormat(str, Enum):
    """Files a codebook can be exported to."""

    md = "md"
    csv = "csv"
    docx = "docx"
    qdc = "qdc"


def md_bytes(codebook: Codebook) -> bytes:
    return render_md(codebook, full=True).encode("utf-8")


def csv_bytes(codebook: Codebook, plain: bool = False) -> bytes:
    """UTF-8 with a byte-order mark (Excel reads the characters right), formulas guarded unless ``plain``."""
    text = render_csv(codebook, full=True, plain=plain)
    return (text if plain else "\ufeff" + text).encode("utf-8")


DOCX_WIDTHS = {  # inches; together the 9 inches between the margins of a landscape page
    "Theme": 1.2,
    "Code": 1.5,
    "Definition": 1.9,
    "Inclusion": 1.5,
    "Exclusion": 1.5,
    "Example": 1.4,
}


def docx_bytes(codebook: Codebook) -> bytes:
    """A Word document holding the appendix table.

    Landscape; the header row repeats on every page; each theme's name is
    written once, in bold, in a cell that spans the rows of its codes.
    """
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Inches, Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    title = plain_text(codebook.title) or "Codebook"
    document.core_properties.title = " ".join(title.split())
    document.add_heading(title, level=1)
    if codebook.version:
        document.add_paragraph(plain_text(f"Version {codebook.version}"))
    table = document.add_table(rows=1, cols=len(APPENDIX_COLUMNS))
    table.style = "Table Grid"
    table.autofit = False
    header = table.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for cell, title in zip(header.cells, APPENDIX_COLUMNS, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(plain_text(title))
        run.bold = True
        run.font.size = Pt(9)
    nodes = list(codebook)
    theme_start = 1
    for index, (node, row) in enumerate(zip(nodes, appendix_rows(codebook, full=True), strict=True), 1):
        cells = table.add_row().cells
        for cell, column in zip(cells, APPENDIX_COLUMNS, strict=True):
            if column == "Theme" and node.depth > 0:
                continue
            text = quoted(row[column]) if column == "Example" else row[column]
            run = cell.paragraphs[0].add_run(plain_text(text))
            run.font.size = Pt(9)
            run.bold = node.depth == 0 and column in ("Theme", "Definition")
        if node.depth == 0:
            theme_start = index
        last_of_theme = index == len(nodes) or nodes[index].depth == 0
        if last_of_theme and index > theme_start:
            table.cell(theme_start, 0).merge(table.cell(index, 0))
    for column, title in enumerate(APPENDIX_COLUMNS):
        for cell in table.columns[column].cells:
            cell.width = Inches(DOCX_WIDTHS[title])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def qdc_bytes(codebook: Codebook) -> bytes:
    from slqual.interop.qdc import codebook_to_qdc

    return codebook_to_qdc(codebook)


WRITERS: dict[ExportFormat, Callable[[Codebook], bytes]] = {
    ExportFormat.md: md_bytes,
    ExportFormat.csv: csv_bytes,
    ExportFormat.docx: docx_bytes,
    ExportFormat.qdc: qdc_bytes,
}


def export_codebook(
    codebook: Codebook, fmt: ExportFormat | str, output: Path | str, csv_plain: bool = False
) -> Path:
    """Write the codebook to ``output`` in ``fmt`` (replacing an earlier export); returns the path.

    ``csv_plain``: the CSV without the formula guard and byte-order mark, for R and pandas.
    """
    output = Path(output)
    try:
        fmt = ExportFormat(fmt)
    except ValueError:
        choices = ", ".join(f.value for f in ExportFormat)
        raise CodebookError(f"cannot export as '{fmt}'; choose one of {choices}") from None
    if output.is_dir():
        raise CodebookError(
            f"{output}: is a folder; give a file name, e.g. {output / ('codebook.' + fmt.value)}"
        )
    data = (
        csv_bytes(codebook, plain=True) if fmt is ExportFormat.csv and csv_plain else WRITERS[fmt](codebook)
    )
    try:
        atomic_write_bytes(output, data)
    except OSError as exc:
        raise CodebookError(f"{output}: could not be written ({exc.strerror or exc})") from exc
    return output
