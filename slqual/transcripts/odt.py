"""LibreOffice transcripts (.odt): paragraphs and table rows in document order.

Only ``content.xml`` is read (headers and footers live in ``styles.xml``).
Line breaks, tabs and runs of spaces (``text:s``) are kept as whitespace, so
words never run together; labels are found as in .docx, bold ones included.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree.ElementTree import Element, ParseError

from slqual.errors import TranscriptError
from slqual.transcripts.archive import MAX_PACKAGE_BYTES, check_package
from slqual.transcripts.base import Transcript
from slqual.transcripts.blocks import is_header_row, paragraph_items, row_items
from slqual.transcripts.labels import SpeakerRules
from slqual.transcripts.text import BREAK, Item, assemble

_NS = {
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
}


def _q(prefix: str, local: str) -> str:
    return f"{{{_NS[prefix]}}}{local}"


P, H, SPAN, A = _q("text", "p"), _q("text", "h"), _q("text", "span"), _q("text", "a")
SPACE, TAB, LINE_BREAK = _q("text", "s"), _q("text", "tab"), _q("text", "line-break")
LIST, LIST_ITEM, LIST_HEADER, SECTION = (
    _q("text", "list"),
    _q("text", "list-item"),
    _q("text", "list-header"),
    _q("text", "section"),
)
TABLE, ROW, CELL = _q("table", "table"), _q("table", "table-row"), _q("table", "table-cell")
ROW_GROUPS = {_q("table", "table-header-rows"), _q("table", "table-rows"), _q("table", "table-row-group")}
STYLE_NAME, COUNT = _q("text", "style-name"), _q("text", "c")
# Inline elements whose content is not part of the spoken text (footnotes, comments, change marks).
_SKIP_INLINE = {_q("text", "note"), _q("office", "annotation"), _q("text", "tracked-changes")}


class OdtReader:
    """``.odt``: labels at paragraph start (bold or plain) or in a 2- or 3-column table."""

    format = "odt"
    max_bytes = MAX_PACKAGE_BYTES

    def read(self, data: bytes, name: str, rules: SpeakerRules) -> Transcript:
        root, bold_styles = _parse(data, name)
        body = root.find(f"{_q('office', 'body')}/{_q('office', 'text')}")
        if body is None:
            raise TranscriptError(f"{name}: not a text document (no office:text body); save it as .odt text")
        items = list(_blocks(body, bold_styles))
        utterances, labelled, title_words = assemble(items, rules)
        return Transcript(tuple(utterances), labelled, None, False, title_words)


def _parse(data: bytes, name: str) -> tuple[Element, frozenset[str]]:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    if not data:
        raise TranscriptError(f"{name}: the file is empty; add the transcript or remove the file")
    check_package(data, name, "OpenDocument file", "open it in LibreOffice and save it again as .odt")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            content = archive.read("content.xml")
            styles = archive.read("styles.xml") if "styles.xml" in archive.namelist() else b""
        root = fromstring(content)
        bold = _bold_styles(root)
        if styles:
            bold |= _bold_styles(fromstring(styles))
    except zipfile.BadZipFile as exc:
        raise TranscriptError(
            f"{name}: not a readable OpenDocument file (the .odt is damaged or is not an .odt); "
            "open it in LibreOffice and save it again"
        ) from exc
    except KeyError as exc:
        raise TranscriptError(
            f"{name}: not an OpenDocument text file (no content.xml); save it again as .odt"
        ) from exc
    except ParseError as exc:  # damaged XML; .position is (line, column)
        line = exc.position[0] if getattr(exc, "position", None) else None
        where = f", line {line} of its XML" if line else ""
        raise TranscriptError(
            f"{name}: not a readable OpenDocument file (the text inside it is damaged{where}); "
            "open it in LibreOffice and save it again as .odt"
        ) from exc
    except DefusedXmlException as exc:  # entities that check_package did not see
        raise TranscriptError(
            f"{name}: the document declares XML entities, which no .odt contains, so it is not read; "
            "open it in LibreOffice and save it again as .odt"
        ) from exc
    return root, frozenset(bold)


def _bold_styles(root: Element) -> set[str]:
    names = set()
    for style in root.iter(_q("style", "style")):
        props = style.find(_q("style", "text-properties"))
        if props is None:
            continue
        weight = props.get(_q("fo", "font-weight"), "")
        if weight == "bold" or (weight.isdigit() and int(weight) >= 600):
            names.add(style.get(_q("style", "name"), ""))
    return names


def _blocks(parent: Element, bold_styles: frozenset[str]):
    for child in parent:
        tag = child.tag
        if tag in (P, H):
            yield from _paragraph(child, bold_styles)
        elif tag in (LIST, LIST_ITEM, LIST_HEADER, SECTION):
            yield from _blocks(child, bold_styles)
        elif tag == TABLE:
            yield from _table(child, bold_styles)


def _paragraph(element: Element, bold_styles: frozenset[str]) -> list[Item]:
    pieces: list[tuple[str, bool]] = []
    _inline(element, element.get(STYLE_NAME) in bold_styles, bold_styles, pieces)
    text = "".join(p[0] for p in pieces)
    if not text.strip():
        return [BREAK]
    bold = []
    for piece, is_bold in pieces:
        if is_bold or (piece.isspace() and bold):
            bold.append(piece)
        elif piece:
            break
    return paragraph_items(text, "".join(bold))


def _inline(element: Element, bold: bool, bold_styles: frozenset[str], out: list[tuple[str, bool]]) -> None:
    if element.text:
        out.append((element.text, bold))
    for child in element:
        tag = child.tag
        if tag == SPACE:
            out.append((" " * int(child.get(COUNT, "1") or 1), bold))
        elif tag == TAB:
            out.append(("\t", bold))
        elif tag == LINE_BREAK:
            out.append(("\n", bold))
        elif tag not in _SKIP_INLINE:
            _inline(child, bold or child.get(STYLE_NAME) in bold_styles, bold_styles, out)
        if child.tail:
            out.append((child.tail, bold))


def _cell_text(cell: Element) -> str:
    paragraphs = []
    for element in cell.iter():
        if element.tag in (P, H):
            pieces: list[tuple[str, bool]] = []
            _inline(element, False, frozenset(), pieces)
            paragraphs.append("".join(p[0] for p in pieces))
    return "\n".join(paragraphs)


def _rows(table: Element):
    for child in table:
        if child.tag == ROW:
            yield child
        elif child.tag in ROW_GROUPS:
            yield from _rows(child)


def _table(table: Element, bold_styles: frozenset[str]) -> list[Item]:
    items: list[Item] = []
    for number, row in enumerate(_rows(table)):
        cells = [_cell_text(cell) for cell in row if cell.tag == CELL]
        if number == 0 and is_header_row(cells):
            continue
        items.extend(row_items(cells))
    return items
