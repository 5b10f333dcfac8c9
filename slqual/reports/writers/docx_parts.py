"""Word XML that python-docx has no API for: fields, captions, row and table properties, page setup.

Captions are real Word captions: the "Caption" style and a SEQ field ("Table 2"),
so Word numbers them, lists them and cross-references them; ``--first-table N``
starts the sequence at N with the field's \\r switch. Tables use a three-rule
layout that journals accept: rules above and below the header and below the
table, thin grey lines between rows, no vertical lines.
"""

from __future__ import annotations

from slqual.cells import plain_text

PAPER_SIZES_MM = {"a4": (210, 297), "letter": (215.9, 279.4)}
MARGIN_MM = 25.4


def _element(tag: str, **attrs: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    return element


def add_field(paragraph, instruction: str, result: str) -> None:
    """A simple field (``SEQ Table``, ``PAGE``) showing ``result`` until Word updates it."""
    field = _element("w:fldSimple", instr=f" {instruction} ")
    run = _element("w:r")
    text = _element("w:t")
    text.text = result
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def caption(
    document, kind: str, number: int, text: str, restart: bool = False, style: str | None = "Caption"
):
    """A Word caption 'Table 2. text' numbered by a SEQ field; ``restart`` starts the sequence at number."""
    names = {s.name for s in document.styles}
    paragraph = document.add_paragraph(style=style if style in names else None)
    paragraph.add_run(f"{kind} ")
    switch = f" \\r {number}" if restart else ""
    add_field(paragraph, f"SEQ {kind} \\* ARABIC{switch}", str(number))
    paragraph.add_run(f". {plain_text(text)}")
    paragraph.paragraph_format.keep_with_next = kind == "Table"
    return paragraph


def journal_styles(document) -> None:
    """Plain black captions and headings (the template's are blue), as journals print them."""
    from docx.shared import Pt, RGBColor

    names = {s.name for s in document.styles}
    for name in ("Caption", "Heading 1"):
        if name in names:
            style = document.styles[name]
            style.font.color.rgb = RGBColor(0, 0, 0)
            style.font.italic = False
    if "Caption" in names:
        document.styles["Caption"].font.size = Pt(10)


def page_setup(section, paper: str) -> None:
    """Portrait page of the given paper size with 25.4 mm margins."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    width, height = PAPER_SIZES_MM[paper]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(width), Mm(height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))


def page_numbers(section) -> None:
    """A centred page number in the footer (later sections inherit it)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_field(paragraph, "PAGE", "1")


def row_flags(row, header: bool) -> None:
    """Keep a row on one page; a header row repeats on each page the table runs over."""
    props = row._tr.get_or_add_trPr()
    props.append(_element("w:cantSplit", val="true"))
    if header:
        props.append(_element("w:tblHeader", val="true"))


def _border(tag: str, size: int, colour: str = "000000"):
    return _element(tag, val="single", sz=str(size), space="0", color=colour)


def three_rules(grid, header_rows: int) -> None:
    """Rules above and below the header and below the table; thin grey lines between rows."""
    from docx.oxml.ns import qn

    props = grid._tbl.tblPr
    for old in props.findall(qn("w:tblBorders")):
        props.remove(old)
    borders = _element("w:tblBorders")
    borders.append(_border("w:top", 12))
    borders.append(_element("w:left", val="nil"))
    borders.append(_border("w:bottom", 12))
    borders.append(_element("w:right", val="nil"))
    borders.append(_border("w:insideH", 4, "BFBFBF"))
    borders.append(_element("w:insideV", val="nil"))
    props.append(borders)
    for cell in grid.rows[header_rows - 1].cells:
        cell_props = cell._tc.get_or_add_tcPr()
        edges = _element("w:tcBorders")
        edges.append(_border("w:bottom", 8))
        cell_props.append(edges)
