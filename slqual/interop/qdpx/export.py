"""Export a slqual project as a REFI-QDA project (``.qdpx``) for NVivo, ATLAS.ti, MAXQDA and QualCoder.

Each transcript becomes a plain-text source: its segments in order, one
paragraph each, ``Speaker: words``, separated by a blank line (no labels in a
file ingested without any). Each coder is a User; each segment a coder coded
is a PlainTextSelection covering exactly the segment's words, holding one
Coding per code (a coder's marked quote goes into the selection's description
as ``Quote: ...``, never into a second coding; a memo into a note on the
coding). Participants are Cases whose attributes are Variables, linked to
their sources (and in focus groups to their own speakers' selections).

Every GUID is derived from slqual ids and nothing depends on the clock, so
exporting the same project twice gives byte-identical files.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slqual import __version__
from slqual.cells import xml_safe
from slqual.errors import ProjectError
from slqual.fileio import atomic_write_bytes
from slqual.interop.qdc import description_for, guid_for
from slqual.interop.qdpx.model import NS, PROJECT_FILE, SCHEMA_PATH, SOURCES_DIR, QdpxError, guid
from slqual.interop.qdpx.selections import Made, Place, build_selections, sources_xml

if TYPE_CHECKING:
    import pandas as pd

    from slqual.codebook.model import CodeNode
    from slqual.project import Project

UNKNOWN_SPEAKER = "unknown"  # the speaker of every segment of a file ingested without labels
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the archive's bytes do not depend on the clock
Redact = Callable[[str], str]


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote; ``to_dict`` is what ``--format json`` prints."""

    output: str
    documents: int
    segments: int
    coders: tuple[str, ...]
    selections: int
    codings: int
    codes: int
    cases: int
    memos: int
    redacted: bool
    not_exported: tuple[str, ...] = ()  # what had no place in the file, one line per kind
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def export_qdpx(
    project: Project, output: Path | str, coders: list[str] | None = None, redact: bool = False
) -> ExportResult:
    """Write the project as a ``.qdpx`` file; ``redact`` applies the project's redact.csv to all text."""
    output = Path(output)
    if output.suffix.lower() != ".qdpx":
        raise QdpxError(f"{output}: a REFI-QDA project file must end in .qdpx; choose another name")
    qde, sources, result = build_qdpx(project, coders, redact)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _add(archive, PROJECT_FILE, qde)
        for name, data in sources:
            _add(archive, f"{SOURCES_DIR}/{name}", data)
    atomic_write_bytes(output, buffer.getvalue())
    return ExportResult(**{**asdict(result), "output": str(output)})


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data, compresslevel=1)  # most of level 6's saving at a third of the time


def build_qdpx(
    project: Project, coders: list[str] | None = None, redact: bool = False
) -> tuple[bytes, list[tuple[str, bytes]], ExportResult]:
    """The bytes of ``project.qde``, the source files (name, bytes) and a summary, without writing."""
    from slqual.codebook import load_project_codebook
    from slqual.coding.pseudo import human_coders
    from slqual.codings import read_project_codings
    from slqual.participants import read_project_participants
    from slqual.segments import read_project_segments

    warnings = []
    apply = _unchanged
    if redact:
        redactor = _redactor(project)
        apply = redactor.apply
        if redactor.empty:
            warnings.append("redact.csv lists nothing to replace, so the text went out unchanged")
    segments = read_project_segments(project)
    codebook = load_project_codebook(project)
    # By default the people's codings: keyword pre-coding and model suggestions are not codings to share.
    coders = list(coders) if coders else human_coders(project)
    codings = read_project_codings(project, coders)
    participants = read_project_participants(project) if project.participants_path.is_file() else None

    texts, places = _source_texts(segments, apply)
    root = ET.Element("Project", {"xmlns": NS, "name": xml_safe(project.root.name), "origin": _origin()})
    if coders:
        users = ET.SubElement(root, "Users")
        for coder in coders:
            ET.SubElement(users, "User", {"guid": guid("user", coder), "name": coder})
    book = ET.SubElement(ET.SubElement(root, "CodeBook"), "Codes")
    for theme in codebook.roots:
        _code(book, theme, apply)

    selections, memo_notes, stats = build_selections(codings, places, codebook, apply)
    case_count = _cases(root, participants, places, selections, apply)
    ET.indent(root, space="  ")
    head = ET.tostring(root, encoding="unicode")
    sources, files = sources_xml(texts, selections) if texts else ("", [])
    notes = "  <Notes>\n" + "".join(memo_notes) + "  </Notes>\n" if memo_notes else ""
    # Sources and Notes come last in a project (see the schema); the bulk is written as text.
    body = head.removesuffix("</Project>") + sources + notes + "</Project>"
    qde = ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")
    result = ExportResult(
        output="",
        documents=len(texts),
        segments=len(places),
        coders=tuple(coders),
        selections=stats["selections"],
        codings=stats["codings"],
        codes=len(codebook),
        cases=case_count,
        memos=len(memo_notes),
        redacted=redact,
        not_exported=tuple(stats["lost"] + _times_lost(segments)),
        warnings=tuple(warnings),
    )
    return qde, files, result


def _times_lost(segments: pd.DataFrame) -> list[str]:
    timed = int(((segments["start"] != "") | (segments["end"] != "")).sum())
    return [f"the times of {timed} segment(s) (a text source has no place for them)"] if timed else []


def _origin() -> str:
    return f"slqual {__version__}"


def _unchanged(text: str) -> str:
    return text


def _redactor(project: Project) -> Any:
    """The project's redactor (slqual.redact, loaded only when asked for): ``.apply(text)``, ``.empty``."""
    try:
        from slqual.redact import load_redactor
    except ImportError as exc:
        raise ProjectError(
            "redaction is unavailable in this version of slqual (no slqual.redact module); "
            "export without --redact, or update slqual"
        ) from exc
    return load_redactor(project)


def _code(parent: ET.Element, node: CodeNode, apply: Redact) -> None:
    attrib = {"guid": guid_for(node.id), "name": xml_safe(node.name), "isCodable": "true"}
    if node.color:
        attrib["color"] = node.color.upper()
    element = ET.SubElement(parent, "Code", attrib)
    description = description_for(node)
    if description:
        ET.SubElement(element, "Description").text = xml_safe(apply(description))
    for child in node.children:
        _code(element, child, apply)


def _source_texts(segments: pd.DataFrame, apply: Redact) -> tuple[dict[str, str], dict[str, Place]]:
    """Each document's exported text, and each segment's character offsets in it.

    Offsets count characters (code points) of the exported, possibly redacted, text.
    """
    texts: dict[str, str] = {}
    places: dict[str, Place] = {}
    ordered = segments.sort_values(["document", "seq"], kind="stable", key=_document_order(segments))
    columns = ["segment_id", "document", "participant_id", "speaker", "text"]
    rows_by_doc: dict[str, list[tuple]] = {}
    for row in zip(*(ordered[c].tolist() for c in columns), strict=True):
        rows_by_doc.setdefault(row[1], []).append(row)
    for document, rows in rows_by_doc.items():
        labelled = any(r[3] and r[3] != UNKNOWN_SPEAKER for r in rows)
        parts: list[str] = []
        position = 0
        for segment_id, _, participant, speaker, text in rows:
            if parts:
                parts.append("\n\n")
                position += 2
            label = xml_safe(apply(speaker)) if labelled and speaker else ""
            if label:
                parts.append(label + ": ")
                position += len(label) + 2
            words = xml_safe(apply(text))
            parts.append(words)
            places[segment_id] = Place(document, position, position + len(words), participant)
            position += len(words)
        texts[document] = "".join(parts) + "\n"
    return texts, places


def _document_order(segments: pd.DataFrame):
    """Documents in the order segments.csv lists them (ingest writes them in natural order)."""
    first = {doc: i for i, doc in enumerate(dict.fromkeys(segments["document"]))}

    def key(column):
        return column.map(first) if column.name == "document" else column

    return key


def _cases(
    root: ET.Element,
    participants: pd.DataFrame | None,
    places: dict[str, Place],
    selections: dict[str, list[Made]],
    apply: Redact,
) -> int:
    """Variables and Cases from participants.csv; returns the number of cases."""
    if participants is None or participants.empty:
        return 0
    attributes = [c for c in participants.columns if c != "participant_id"]
    if attributes:
        variables = ET.SubElement(root, "Variables")
        for name in attributes:
            ET.SubElement(
                variables,
                "Variable",
                {"guid": guid("variable", name), "name": xml_safe(name), "typeOfVariable": "Text"},
            )
    documents: dict[str, list[str]] = {}  # participant -> documents, in order
    speakers: dict[str, set[str]] = {}  # document -> its participants
    for place in places.values():
        if place.participant:
            docs = documents.setdefault(place.participant, [])
            if place.document not in docs:
                docs.append(place.document)
            speakers.setdefault(place.document, set()).add(place.participant)
    cases = ET.SubElement(root, "Cases")
    for record in participants.to_dict("records"):
        pid = record["participant_id"]
        case = ET.SubElement(cases, "Case", {"guid": guid("case", pid), "name": xml_safe(pid)})
        for name in attributes:
            value = record.get(name, "")
            if value:
                value_element = ET.SubElement(case, "VariableValue")
                ET.SubElement(value_element, "VariableRef", {"targetGUID": guid("variable", name)})
                ET.SubElement(value_element, "TextValue").text = xml_safe(apply(value))
        for document in documents.get(pid, []):
            ET.SubElement(case, "SourceRef", {"targetGUID": guid("source", document)})
        for document in documents.get(pid, []):
            if len(speakers.get(document, ())) < 2:
                continue  # one participant in the file: the source link says it all
            for made in selections.get(document, ()):
                if places[made.segment_id].participant == pid:
                    ET.SubElement(case, "SelectionRef", {"targetGUID": made.guid})
    return len(participants)


def validate_qde(data: bytes, source: str = PROJECT_FILE) -> None:
    """Check project.qde bytes against the REFI-QDA project schema (needs the xmlschema package)."""
    from slqual.interop.validate import validate_xml

    validate_xml(data, SCHEMA_PATH, source, "project", QdpxError)
