"""Word transcripts (.docx): body paragraphs and table rows in document order.

Headers and footers are not read (they live in other parts of the file); a
title block before the first speaker label is not a turn. python-docx is
imported only when a .docx file is read.
"""

from __future__ import annotations

import io
import zipfile

from slqual.errors import TranscriptError
from slqual.transcripts.archive import MAX_PACKAGE_BYTES, check_package
from slqual.transcripts.base import Transcript
from slqual.transcripts.blocks import is_header_row, paragraph_items, row_items
from slqual.transcripts.labels import SpeakerRules
from slqual.transcripts.text import Item, assemble


class DocxReader:
    """``.docx``: labels at paragraph start (bold or plain) or in a 2- or 3-column table."""

    format = "docx"
    max_bytes = MAX_PACKAGE_BYTES

    def read(self, data: bytes, name: str, rules: SpeakerRules) -> Transcript:
        if not data:
            raise TranscriptError(f"{name}: the file is empty; add the transcript or remove the file")
        document = _open(data, name)
        items = list(_body_items(document.element.body))
        utterances, labelled, title_words = assemble(items, rules)
        hint = "" if labelled else _colour_hint(document)
        return Transcript(tuple(utterances), labelled, None, False, title_words, hint)


_FIX = "open it in Word and save it again as .docx"


def _open(data: bytes, name: str):
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    check_package(data, name, "Word file", _FIX)
    try:
        return Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError) as exc:
        raise TranscriptError(
            f"{name}: not a readable Word file (the .docx is damaged or is not a .docx); {_FIX}"
        ) from exc
    except SyntaxError as exc:  # lxml's XMLSyntaxError: damaged XML inside the file
        where = f", line {exc.lineno} of its XML" if getattr(exc, "lineno", None) else ""
        raise TranscriptError(
            f"{name}: not a readable Word file (the text inside it is damaged{where}); {_FIX}"
        ) from exc
    except (KeyError, ValueError, OSError) as exc:
        raise TranscriptError(
            f"{name}: not a readable Word file (a part Word needs is missing or damaged); {_FIX}"
        ) from exc


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _SDT, _SDT_CONTENT, _R = W + "p", W + "tbl", W + "sdt", W + "sdtContent", W + "r"
_TR, _TC, _RPR, _B, _VAL = W + "tr", W + "tc", W + "rPr", W + "b", W + "val"
# Inside a paragraph, text that was deleted (tracked changes), field codes, text boxes (their own
# paragraphs) and the fallback copy of alternate content are not the paragraph's words.
_NOT_TEXT = {
    W + "del",
    W + "moveFrom",
    W + "pPr",
    W + "txbxContent",
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
}
# Run children that are text, and what they stand for.
_RUN_TEXT = {W + "tab": "\t", W + "ptab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}


def _body_items(parent):
    """Items of the body's paragraphs and tables in document order (content controls opened)."""
    for child in parent.iterchildren():
        if child.tag == _P:
            yield from _paragraph(child)
        elif child.tag == _TBL:
            yield from _table(child)
        elif child.tag == _SDT:  # content controls wrap ordinary paragraphs
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _body_items(content)


def _runs(element):
    """A paragraph's runs in order, those inside tracked insertions, hyperlinks, smart tags,
    simple fields and inline content controls included (python-docx's Paragraph.text skips some)."""
    for child in element:
        if child.tag == _R:
            yield child
        elif isinstance(child.tag, str) and child.tag not in _NOT_TEXT:
            yield from _runs(child)


def _run_text(run) -> str:
    parts = []
    for child in run:
        if child.tag == W + "t":
            parts.append(child.text or "")
        elif child.tag in _RUN_TEXT:
            parts.append(_RUN_TEXT[child.tag])
    return "".join(parts)


def _is_bold(run) -> bool:
    props = run.find(_RPR)
    bold = props.find(_B) if props is not None else None
    return bold is not None and bold.get(_VAL, "true").lower() not in ("0", "false", "off", "none")


def paragraph_text(paragraph) -> tuple[str, str]:
    """A ``w:p`` element's text and its leading bold text (a bold speaker label)."""
    texts, bold = [], []
    leading = True
    for run in _runs(paragraph):
        text = _run_text(run)
        if not text:
            continue
        texts.append(text)
        if leading and (_is_bold(run) or (text.isspace() and bold)):
            bold.append(text)
        else:
            leading = False
    return "".join(texts), "".join(bold)


def _paragraph(paragraph) -> list[Item]:
    text, bold = paragraph_text(paragraph)
    if not text.strip():
        return [(None, None)]
    return paragraph_items(text, bold)


def _table(table) -> list[Item]:
    items: list[Item] = []
    for number, row in enumerate(table.iterchildren(_TR)):
        cells = [
            "\n".join(paragraph_text(p)[0] for p in cell.iterchildren(_P)) for cell in row.iterchildren(_TC)
        ]
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
