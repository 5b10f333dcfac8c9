"""Word transcripts (.docx): body paragraphs and table rows in document order.

Headers and footers are not read (they live in other parts of the file); a
title block before the first speaker label is not a turn. python-docx is
imported only when a .docx file is read.
"""

from __future__ import annotations

import io
import zipfile

from slqual.errors import TranscriptError
from slqual.transcripts.base import Transcript
from slqual.transcripts.blocks import is_header_row, paragraph_items, row_items
from slqual.transcripts.labels import SpeakerRules
from slqual.transcripts.text import Item, assemble


class DocxReader:
    """``.docx``: labels at paragraph start (bold or plain) or in a 2- or 3-column table."""

    format = "docx"

    def read(self, data: bytes, name: str, rules: SpeakerRules) -> Transcript:
        if not data:
            raise TranscriptError(f"{name}: the file is empty; add the transcript or remove the file")
        document = _open(data, name)
        items = list(_body_items(document, document.element.body))
        utterances, labelled, title_words = assemble(items, rules)
        hint = "" if labelled else _colour_hint(document)
        return Transcript(tuple(utterances), labelled, None, False, title_words, hint)


def _open(data: bytes, name: str):
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError) as exc:
        raise TranscriptError(
            f"{name}: not a readable Word file (the .docx is damaged or is not a .docx); "
            "open it in Word and save it again as .docx"
        ) from exc
    except (KeyError, ValueError, OSError, SyntaxError) as exc:  # lxml's XMLSyntaxError is a SyntaxError
        raise TranscriptError(
            f"{name}: not a readable Word file ({type(exc).__name__}: {exc}); "
            "open it in Word and save it again"
        ) from exc


def _body_items(document, parent):
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    p_tag, tbl_tag, sdt_tag = qn("w:p"), qn("w:tbl"), qn("w:sdt")
    for child in parent.iterchildren():
        if child.tag == p_tag:
            yield from _paragraph(Paragraph(child, document))
        elif child.tag == tbl_tag:
            yield from _table(Table(child, document))
        elif child.tag == sdt_tag:  # content controls wrap ordinary paragraphs
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _body_items(document, content)


def _paragraph(paragraph) -> list[Item]:
    text = paragraph.text
    if not text.strip():
        return [(None, None)]
    bold = []
    for run in paragraph.runs:
        if not run.text:
            continue
        if run.bold or (run.text.isspace() and bold):
            bold.append(run.text)
        else:
            break
    return paragraph_items(text, "".join(bold))


def _table(table) -> list[Item]:
    items: list[Item] = []
    for number, row in enumerate(table.rows):
        cells, seen = [], None
        for cell in row.cells:
            if cell._tc is seen:  # a merged cell repeats
                continue
            seen = cell._tc
            cells.append("\n".join(p.text for p in cell.paragraphs))
        if number == 0 and is_header_row(cells):
            continue
        items.extend(row_items(cells))
    return items


def _colour_hint(document) -> str:
    """Say so when paragraphs alternate font colours: speakers marked only by colour are lost as text."""
    colours = []
    for paragraph in document.paragraphs:
        runs = [run for run in paragraph.runs if run.text.strip()]
        if runs:
            colour = runs[0].font.color.rgb if runs[0].font.color.type is not None else None
            colours.append(str(colour))
    changes = sum(a != b for a, b in zip(colours, colours[1:], strict=False))
    if len(set(colours)) >= 2 and changes >= 2:
        return "its paragraphs alternate font colours: if the colour marks the speaker, add labels as text"
    return ""
