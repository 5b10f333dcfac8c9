"""REFI-QDA codebooks (``.qdc``): the codebook exchange format of NVivo, ATLAS.ti, MAXQDA and QualCoder.

Export writes QDA-XML 1.0 that validates against ``schemas/Codebook-mrt2019.xsd``:
one ``<Code>`` per node, nested as in the YAML, with a GUID derived from the id
(uuid5 in a fixed namespace, so exporting again gives the same bytes), the
name, the colour, and a description holding the definition followed by
``Include:``, ``Exclude:``, ``Example:`` and ``Memo:`` paragraphs.

Import reads any QDA-XML codebook (or the codebook inside a project file),
refusing entities and external references (defusedxml), keyed on the XML
namespace rather than ``schemaLocation`` (ATLAS.ti writes a wrong one).
Descriptions written in the export's layout are split back into definition,
criteria, examples and memo.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from slqual import __version__
from slqual.cells import xml_safe
from slqual.codebook.checks import read_codebook_bytes
from slqual.codebook.model import Codebook, CodeNode
from slqual.errors import CodebookError

NS = "urn:QDA-XML:codebook:1.0"
CODEBOOK_NS_PREFIX = "urn:QDA-XML:codebook:"
PROJECT_NS_PREFIX = "urn:QDA-XML:project:"
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "Codebook-mrt2019.xsd"
# Fixed for ever: changing it would change every exported GUID.
GUID_NAMESPACE = uuid.UUID("7afc8acd-d6ff-56b3-9124-6be0afc87441")
MAX_QDC_BYTES = 50_000_000
MAX_QDC_DEPTH = 40
LABELS = {"include": "Include: ", "exclude": "Exclude: ", "examples": "Example: ", "memo": "Memo: "}
_SHORT_COLOR = re.compile(r"#([0-9a-fA-F])([0-9a-fA-F])([0-9a-fA-F])")
_LONG_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class RawCode:
    """A code as another program gave it: before slqual ids are assigned."""

    name: str
    definition: str = ""
    include: str = ""
    exclude: str = ""
    examples: tuple[str, ...] = ()
    memo: str = ""
    color: str = ""
    children: tuple[RawCode, ...] = ()
    guid: str = ""  # lower case, without braces


@dataclass(frozen=True)
class RawCodebook:
    """What a reader found in a file from another program."""

    codes: tuple[RawCode, ...]
    origin: str = ""
    notes: tuple[str, ...] = field(default=())


# ----- export --------------------------------------------------------------------------------------


def guid_for(code_id: str) -> str:
    """The stable GUID of a codebook id (the same id always gives the same GUID)."""
    return str(uuid.uuid5(GUID_NAMESPACE, code_id))


def description_for(node: CodeNode) -> str:
    """The definition, then one paragraph per criterion, example and memo."""
    paragraphs = [node.definition] if node.definition else []
    if node.include:
        paragraphs.append(LABELS["include"] + node.include)
    if node.exclude:
        paragraphs.append(LABELS["exclude"] + node.exclude)
    paragraphs += [LABELS["examples"] + e for e in node.examples]
    if node.memo:
        paragraphs.append(LABELS["memo"] + node.memo)
    return xml_safe("\n\n".join(paragraphs))


def _code_element(parent: ET.Element, node: CodeNode) -> None:
    attrib = {"guid": guid_for(node.id), "name": xml_safe(node.name), "isCodable": "true"}
    if node.color:
        attrib["color"] = node.color.upper()
    element = ET.SubElement(parent, "Code", attrib)
    description = description_for(node)
    if description:
        ET.SubElement(element, "Description").text = description
    for child in node.children:
        _code_element(element, child)


def codebook_to_qdc(codebook: Codebook) -> bytes:
    """The codebook as REFI-QDA XML bytes (UTF-8); identical bytes for an identical codebook."""
    # Plain tags under an explicit default namespace give the tidy form other programs write.
    root = ET.Element("CodeBook", {"xmlns": NS, "origin": f"slqual {__version__}"})
    codes = ET.SubElement(root, "Codes")
    for theme in codebook.roots:
        _code_element(codes, theme)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def validate_qdc(data: bytes, source: str = "codebook.qdc") -> None:
    """Check XML bytes against the REFI-QDA codebook schema (needs the xmlschema package)."""
    from slqual.interop.validate import validate_xml

    validate_xml(data, SCHEMA_PATH, source, "codebook", CodebookError)


# ----- import --------------------------------------------------------------------------------------


def read_foreign_bytes(path: Path) -> bytes:
    """The bytes of another program's codebook file, or a CodebookError naming the file."""
    return read_codebook_bytes(
        path, MAX_QDC_BYTES, missing="file not found; check the path", kind="the codebook file"
    )


@dataclass(frozen=True)
class Description:
    """A code's description split into the fields of slqual's schema."""

    definition: str = ""
    include: str = ""
    exclude: str = ""
    examples: tuple[str, ...] = ()
    memo: str = ""


def parse_description(text: str) -> Description:
    """Split a description back into definition, include, exclude, examples and memo.

    Paragraphs starting ``Include:``, ``Exclude:``, ``Example:`` or ``Memo:`` (the
    export's layout) go to those fields; every other paragraph is the definition.
    """
    parts: dict[str, list[str]] = {"definition": [], "include": [], "exclude": [], "examples": [], "memo": []}
    for paragraph in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        for key, label in LABELS.items():
            if paragraph.startswith(label):
                parts[key].append(paragraph[len(label) :].strip())
                break
        else:
            parts["definition"].append(paragraph)
    return Description(
        definition="\n\n".join(parts["definition"]),
        include="\n\n".join(parts["include"]),
        exclude="\n\n".join(parts["exclude"]),
        examples=tuple(parts["examples"]),
        memo="\n\n".join(parts["memo"]),
    )


def raw_code(name: str, description: str, **extra: Any) -> RawCode:
    """A RawCode whose fields come from its description (see ``parse_description``)."""
    return RawCode(name=name, **asdict(parse_description(description)), **extra)


def normalize_color(value: str) -> str | None:
    """'#rrggbb' in lower case from '#rgb' or '#rrggbb'; None when it is neither."""
    value = value.strip()
    short = _SHORT_COLOR.fullmatch(value)
    if short:
        return "#" + "".join(c * 2 for c in short.groups()).lower()
    return value.lower() if _LONG_COLOR.fullmatch(value) else None


def _split_tag(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _parse_xml(data: bytes, source: str) -> ET.Element:
    from slqual.transcripts.archive import parse_untrusted_xml

    if not data.strip():
        raise CodebookError(f"{source}: the file is empty; export the codebook again from your QDA program")
    if not data.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").startswith(b"<"):
        raise CodebookError(
            f"{source}: not an XML file (a .qdc codebook starts with '<'); "
            "export the codebook from your QDA program as REFI-QDA (.qdc)"
        )
    return parse_untrusted_xml(
        data,
        refused=lambda: CodebookError(
            f"{source}: refused: the file declares XML entities or external references, "
            "which a codebook never needs; export it again from your QDA program"
        ),
        malformed=lambda line, column: CodebookError(
            f"{source}:{line}: not well-formed XML (column {column}); "
            "export the codebook again or open it in an XML editor to repair it"
        ),
    )


def _codes_element(root: ET.Element, source: str) -> ET.Element:
    ns, local = _split_tag(root.tag)
    if ns.startswith(CODEBOOK_NS_PREFIX) and local == "CodeBook":
        codebook = root
    elif ns.startswith(PROJECT_NS_PREFIX) and local == "Project":
        found = root.find(f"{{{ns}}}CodeBook")
        if found is None:
            raise CodebookError(f"{source}: the REFI-QDA project holds no codebook (<CodeBook>)")
        codebook = found
    else:
        got = f"<{local}>" + (f" in namespace '{ns}'" if ns else " without a namespace")
        raise CodebookError(
            f"{source}: not a REFI-QDA codebook: found {got}, expected <CodeBook> in namespace '{NS}'; "
            "export the codebook from your QDA program as a .qdc file"
        )
    codes = codebook.find(f"{{{_split_tag(codebook.tag)[0]}}}Codes")
    if codes is None:
        raise CodebookError(f"{source}: the codebook has no <Codes> list; nothing to import")
    return codes


class _Reader:
    def __init__(self, source: str, ns: str) -> None:
        self.source = source
        self.ns = ns
        self.notes: list[str] = []

    def code(self, element: ET.Element, depth: int) -> RawCode:
        guid = element.get("guid", "")
        if depth >= MAX_QDC_DEPTH:
            raise CodebookError(
                f"{self.source}: codes nested more than {MAX_QDC_DEPTH} levels deep; cannot import"
            )
        name = (element.get("name") or "").strip()
        if not name:
            raise CodebookError(
                f"{self.source}: a code without a name (guid {guid or 'none'}); name it in your QDA program"
            )
        description = element.find(f"{{{self.ns}}}Description")
        text = (description.text or "") if description is not None else ""
        color = ""
        if element.get("color"):
            normal = normalize_color(element.get("color", ""))
            if normal is None:
                self.notes.append(f"code '{name}': colour {element.get('color')!r} is not #rrggbb; left out")
            color = normal or ""
        children = tuple(self.code(c, depth + 1) for c in element.findall(f"{{{self.ns}}}Code"))
        return raw_code(name, text, color=color, children=children, guid=guid.strip("{}").lower())


def read_qdc(path: Path | str) -> RawCodebook:
    """The codes of a REFI-QDA codebook file, nested as in the file."""
    path = Path(path)
    data = read_foreign_bytes(path)
    root = _parse_xml(data, str(path))
    codes = _codes_element(root, str(path))
    reader = _Reader(str(path), _split_tag(codes.tag)[0])
    top = tuple(reader.code(c, 0) for c in codes.findall(f"{{{reader.ns}}}Code"))
    if not top:
        raise CodebookError(f"{path}: the codebook has no codes; nothing to import")
    root_ns, _ = _split_tag(root.tag)
    if root_ns not in (NS, f"{PROJECT_NS_PREFIX}1.0"):
        reader.notes.append(f"namespace '{root_ns}' is not QDA-XML 1.0; read it as 1.0")
    return RawCodebook(codes=top, origin=root.get("origin", ""), notes=tuple(reader.notes))
