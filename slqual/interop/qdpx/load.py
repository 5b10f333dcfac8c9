"""Read a ``.qdpx`` made by NVivo, ATLAS.ti, MAXQDA, QualCoder or slqual into plain values.

The file is recognised by the namespace of its root element
(``urn:QDA-XML:project:...``), never by ``xsi:schemaLocation``, which some
programs write wrongly or leave out. Text sources are read from the text in
project.qde, from the archive (``internal://``), or from a file beside the
.qdpx (``relative://``). Whatever slqual cannot use (audio, video, pictures,
PDF, codings of whole documents) is counted in ``skipped``, never dropped
silently.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

from slqual.interop.qdc import RawCode, normalize_color, raw_code
from slqual.interop.qdpx import archive as safety
from slqual.interop.qdpx.archive import QdpxArchive, parse_qde
from slqual.interop.qdpx.model import (
    NS_PREFIX,
    Case,
    Coding,
    QdpxError,
    QdpxProject,
    Selection,
    Skipped,
    TextSource,
    clean_guid,
)

MAX_DEPTH = 40
MEDIA = {
    "AudioSource": ("audio", ("AudioSelection", "TranscriptSelection")),
    "VideoSource": ("video", ("VideoSelection", "TranscriptSelection")),
    "PictureSource": ("picture", ("PictureSelection",)),
    "PDFSource": ("PDF", ("PDFSelection",)),
}
VALUE_TAGS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue")


def load_qdpx(path: Path | str) -> QdpxProject:
    """Everything slqual can use from a ``.qdpx`` file, and a count of what it cannot."""
    path = Path(path)
    with QdpxArchive(path) as archive:
        entry = archive.project_entry()
        root = parse_qde(archive.read(entry, safety.MAX_QDE_BYTES), str(path))
        return _Loader(path, archive, root).project()


class _Loader:
    def __init__(self, path: Path, archive: QdpxArchive, root: ET.Element) -> None:
        self.path = path
        self.archive = archive
        self.root = root
        self.notes: list[str] = []
        self.skipped: list[Skipped] = []
        ns, local = _split(root.tag)
        if local != "Project" or not (ns.startswith(NS_PREFIX) or ns == ""):
            got = f"<{local}>" + (f" in namespace '{ns}'" if ns else "")
            raise QdpxError(
                f"{path}: project.qde is not a REFI-QDA project (found {got}, expected <Project> in "
                f"namespace '{NS_PREFIX}1.0'); export the project from your QDA program as .qdpx"
            )
        if ns == "":
            self.notes.append("project.qde has no XML namespace; read it as REFI-QDA 1.0")
        elif ns != f"{NS_PREFIX}1.0":
            self.notes.append(f"namespace '{ns}' is not REFI-QDA 1.0; read it as 1.0")
        self.ns = ns
        self.note_texts: dict[str, str] = {}
        self.notes_used: set[str] = set()
        self.tag_coding, self.tag_description = self.q("Coding"), self.q("Description")
        self.tag_note_ref, self.tag_code_ref = self.q("NoteRef"), self.q("CodeRef")

    def q(self, tag: str) -> str:
        return f"{{{self.ns}}}{tag}" if self.ns else tag

    def children(self, element: ET.Element | None, tag: str) -> list[ET.Element]:
        return [] if element is None else element.findall(self.q(tag))

    def text_of(self, element: ET.Element, tag: str) -> str:
        found = element.find(self.q(tag))
        return (found.text or "") if found is not None else ""

    def project(self) -> QdpxProject:
        root = self.root
        self.note_texts = {
            clean_guid(n.get("guid")): self.text_of(n, "PlainTextContent")
            for n in self.children(root.find(self.q("Notes")), "Note")
        }
        users = {}
        for number, user in enumerate(self.children(root.find(self.q("Users")), "User"), start=1):
            users[clean_guid(user.get("guid"))] = (
                user.get("name") or user.get("id") or f"user{number}"
            ).strip()
        codebook = root.find(self.q("CodeBook"))
        codes_element = codebook.find(self.q("Codes")) if codebook is not None else None
        codes = tuple(self.code(c, 0) for c in self.children(codes_element, "Code"))
        variables = {
            clean_guid(v.get("guid")): (v.get("name") or "").strip()
            for v in self.children(root.find(self.q("Variables")), "Variable")
        }
        cases = tuple(self.case(c, variables) for c in self.children(root.find(self.q("Cases")), "Case"))
        sources = self.sources(root.find(self.q("Sources")), variables)
        unused = len(set(self.note_texts) - self.notes_used)
        if unused:
            self.skipped.append(Skipped("notes (memos) not attached to a coded text selection", unused))
        for part, tag, what in (
            ("Sets", "Set", "sets"),
            ("Links", "Link", "links"),
            ("Graphs", "Graph", "graphs"),
        ):
            count = len(self.children(root.find(self.q(part)), tag))
            if count:
                self.skipped.append(Skipped(f"{what} (slqual has no place for them)", count))
        return QdpxProject(
            name=root.get("name", ""),
            origin=root.get("origin", ""),
            users=users,
            codes=codes,
            sources=sources,
            variables=tuple(v for v in variables.values() if v),
            cases=cases,
            skipped=tuple(self.skipped),
            notes=tuple(self.notes),
            default_user=clean_guid(root.get("creatingUserGUID")),
        )

    # ----- codebook, cases ------------------------------------------------------------------------

    def code(self, element: ET.Element, depth: int) -> RawCode:
        code_guid = clean_guid(element.get("guid"))
        if depth >= MAX_DEPTH:
            raise QdpxError(f"{self.path}: codes nested more than {MAX_DEPTH} levels deep; cannot import")
        name = (element.get("name") or "").strip()
        if not name:
            name = f"code {code_guid[:8] or 'without name'}"
            self.notes.append(f"a code without a name was called '{name}'; rename it in codebook.yaml")
        color = ""
        if element.get("color"):
            color = normalize_color(element.get("color", "")) or ""
            if not color:
                self.notes.append(f"code '{name}': colour {element.get('color')!r} is not #rrggbb; left out")
        children = tuple(self.code(c, depth + 1) for c in self.children(element, "Code"))
        return raw_code(
            name, self.text_of(element, "Description"), color=color, children=children, guid=code_guid
        )

    def values(self, element: ET.Element, variables: dict[str, str]) -> tuple[tuple[str, str], ...]:
        found = []
        for value in self.children(element, "VariableValue"):
            ref = value.find(self.q("VariableRef"))
            name = variables.get(clean_guid(ref.get("targetGUID")) if ref is not None else "", "")
            if not name:
                continue
            text = next((self.text_of(value, t) for t in VALUE_TAGS if value.find(self.q(t)) is not None), "")
            found.append((name, text.strip()))
        return tuple(found)

    def case(self, element: ET.Element, variables: dict[str, str]) -> Case:
        return Case(
            guid=clean_guid(element.get("guid")),
            name=(element.get("name") or "").strip(),
            values=self.values(element, variables),
            sources=tuple(clean_guid(r.get("targetGUID")) for r in self.children(element, "SourceRef")),
            selections=tuple(clean_guid(r.get("targetGUID")) for r in self.children(element, "SelectionRef")),
        )

    # ----- sources ------------------------------------------------------------------------------

    def sources(self, element: ET.Element | None, variables: dict[str, str]) -> tuple[TextSource, ...]:
        if element is None:
            return ()
        texts = []
        media_sources: Counter[str] = Counter()
        media_selections: Counter[str] = Counter()
        media_names: dict[str, list[str]] = {}
        whole = 0
        for source in element:
            _, local = _split(source.tag)
            if local == "TextSource":
                texts.append(self.text_source(source, variables))
                whole += len(self.children(source, "Coding"))
            elif local in MEDIA:
                kind, selection_tags = MEDIA[local]
                media_sources[kind] += 1
                media_names.setdefault(kind, []).append(source.get("name") or source.get("guid") or "?")
                count = sum(1 for tag in selection_tags for _ in source.iter(self.q(tag)))
                media_selections[kind] += count
                whole += len(self.children(source, "Coding"))
        for kind, count in media_sources.items():
            names = ", ".join(media_names[kind][:5]) + (" ..." if count > 5 else "")
            self.skipped.append(Skipped(f"{kind} sources (slqual reads text only)", count, names))
            if media_selections[kind]:
                self.skipped.append(Skipped(f"selections in {kind} sources", media_selections[kind]))
        if whole:
            self.skipped.append(Skipped("codings of a whole document (not of a selection)", whole))
        return tuple(texts)

    def text_source(self, element: ET.Element, variables: dict[str, str]) -> TextSource:
        name = (element.get("name") or "").strip() or clean_guid(element.get("guid"))
        text, problem = self.source_text(element, name)
        selections = []
        unreadable = 0
        tag_coding, tag_description, tag_note_ref = self.tag_coding, self.tag_description, self.tag_note_ref
        coding = self.coding
        for selection in self.children(element, "PlainTextSelection"):
            get = selection.get
            try:
                start, end = int(get("startPosition", "")), int(get("endPosition", ""))
            except ValueError:
                unreadable += 1
                continue
            codings, description, notes = [], "", []
            for child in selection:  # one pass over the children: projects hold 100,000s of them
                tag = child.tag
                if tag == tag_coding:
                    codings.append(coding(child))
                elif tag == tag_description:
                    description = (child.text or "").strip()
                elif tag == tag_note_ref:
                    notes.append(self.note(child.get("targetGUID")))
            if start > end:
                start, end = end, start
            # Positional, in Selection's field order: a call by keywords costs twice as much.
            selections.append(
                Selection(
                    get("guid", ""),  # as written: only kept for messages
                    start,
                    end,
                    clean_guid(get("creatingUser")),
                    tuple(codings),
                    description,
                    _stripped(notes),
                )
            )
        if unreadable:
            self.skipped.append(Skipped("text selections without readable positions", unreadable, name))
        return TextSource(
            guid=clean_guid(element.get("guid")),
            name=name,
            text=text,
            selections=tuple(selections),
            problem=problem,
            values=self.values(element, variables),
        )

    def coding(self, element: ET.Element) -> Coding:
        code, notes = "", []
        for child in element:
            tag = child.tag
            if tag == self.tag_code_ref:
                code = clean_guid(child.get("targetGUID"))
            elif tag == self.tag_note_ref:
                notes.append(self.note(child.get("targetGUID")))
        get = element.get
        return Coding(code, clean_guid(get("creatingUser")), get("creationDateTime", ""), _stripped(notes))

    def note(self, target: str | None) -> str:
        """A note's text by its GUID, remembering that it was used."""
        key = clean_guid(target)
        self.notes_used.add(key)
        return self.note_texts.get(key, "")

    def source_text(self, element: ET.Element, name: str) -> tuple[str | None, str]:
        """The source's text, or None and why it could not be read."""
        content = element.find(self.q("PlainTextContent"))
        if content is not None and content.text:
            return content.text, ""
        reference = (element.get("plainTextPath") or "").strip()
        if not reference:
            if element.get("richTextPath"):
                return None, "only a rich-text file is given (no plain text); export it with plain text"
            return None, "no text and no file given"
        scheme, _, rest = reference.partition("://")
        scheme = scheme.lower()
        if scheme not in ("internal", "relative") or not rest:
            return None, f"its text is referenced as '{reference}', which slqual does not read"
        entry = self.archive.find(f"sources/{rest}") or (
            self.archive.find(rest) if scheme == "internal" else None
        )
        if entry is not None:
            data = self.archive.read(entry, safety.MAX_TEXT_BYTES)
        elif scheme == "relative":
            data_or_problem = self.beside(rest)
            if isinstance(data_or_problem, str):
                return None, data_or_problem
            data = data_or_problem
        else:
            return None, f"'{reference}' is not in the archive"
        try:
            return data.decode("utf-8-sig"), ""
        except UnicodeDecodeError:
            return None, f"'{reference}' is not UTF-8 text"

    def beside(self, relative: str) -> bytes | str:
        """A relative:// file beside the .qdpx (never outside its folder), or why it cannot be read.

        The file's own ``basePath`` is not followed: it comes from an untrusted
        file and could point anywhere on this computer.
        """
        folder = self.path.resolve().parent
        candidate = (folder / unquote(relative)).resolve()
        if not candidate.is_relative_to(folder):
            return f"'relative://{relative}' points outside the folder of {self.path.name}; not read"
        if not candidate.is_file():
            return f"'relative://{relative}' was not found beside {self.path.name}; put the file there"
        if candidate.stat().st_size > safety.MAX_TEXT_BYTES:
            return f"'relative://{relative}' is too large for a transcript; not read"
        return candidate.read_bytes()


def _stripped(notes: list[str]) -> tuple[str, ...]:
    """The notes' texts trimmed, empty ones left out."""
    return tuple(n.strip() for n in notes if n.strip()) if notes else ()


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag
