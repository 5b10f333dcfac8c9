"""Import a ``.qdpx`` into a new slqual project.

Text sources become ``transcripts/<name>.txt`` and are ingested; the codebook
becomes ``codebook.yaml``; cases and their variables become
``participants.csv``; each user's coded selections become that coder's file,
mapped onto the segments (see ``mapping``). Whatever cannot be mapped is
counted in the result. The project is built in a temporary folder beside the
target and renamed into place only when everything worked, so a failed import
leaves nothing behind.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slqual.fileio import atomic_write_text
from slqual.interop.qdpx.model import Case, QdpxError, QdpxProject, Skipped, TextSource, clean_guid

if TYPE_CHECKING:
    from slqual.project import Project

UNITS = ("turn", "paragraph", "sentence")
_TEXT_SUFFIX = re.compile(r"\.(txt|text|docx?|rtf|odt|pdf|md|html?|vtt|srt)$", re.IGNORECASE)
_LABEL = re.compile(r"\s*([^:\n]{1,40}?)\s*:")  # a speaker label at the start of a line
_NOT_IN_NAME = re.compile(r"[\x00-\x1f/\\:*?\"<>|]+")
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ImportQdpxResult:
    """What an import made; ``to_dict`` is what ``--format json`` prints."""

    source: str
    project: str
    origin: str
    unit: str
    documents: int
    segments: int
    codes: int
    themes: int
    participants: int
    coders: dict[str, int]  # coder -> rows written
    skipped: tuple[Skipped, ...] = ()
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["skipped"] = [s.to_dict() for s in self.skipped]
        return data


def import_qdpx(
    source: Path | str,
    target: Path | str,
    unit: str = "turn",
    min_overlap: float = 0.5,
    ids_from: Path | str | None = None,
) -> ImportQdpxResult:
    """Make a new slqual project at ``target`` from a ``.qdpx`` file; refuses an existing project folder."""
    from slqual.ingest import collector_paused
    from slqual.interop.qdpx.load import load_qdpx

    source, target = Path(source), Path(target).expanduser().absolute()
    if unit not in UNITS:
        raise QdpxError(f"unit '{unit}' is not one of {', '.join(UNITS)}")
    if not 0 < min_overlap <= 1:
        raise QdpxError(f"--min-overlap {min_overlap} must be above 0 and at most 1 (0.5 is half a segment)")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise QdpxError(f"{target}: already exists and is not empty; import into a new folder")
    with collector_paused():  # the XML tree and the selections: no cycles among them
        loaded = load_qdpx(source)  # everything is read and checked before anything is made
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".importing", dir=target.parent))
        try:
            result = _Builder(loaded, source, work, unit, min_overlap, ids_from).build()
            if target.exists():
                target.rmdir()  # an empty folder made for the import
            work.rename(target)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
    return ImportQdpxResult(**{**asdict(result), "project": str(target), "skipped": result.skipped})


class _Builder:
    def __init__(
        self,
        loaded: QdpxProject,
        source: Path,
        root: Path,
        unit: str,
        min_overlap: float,
        ids_from: Path | str | None,
    ) -> None:
        self.loaded = loaded
        self.source = source
        self.root = root
        self.unit = unit
        self.min_overlap = min_overlap
        self.ids_from = ids_from
        self.skipped: list[Skipped] = list(loaded.skipped)
        self.notes: list[str] = list(loaded.notes)

    def build(self) -> ImportQdpxResult:
        from slqual.interop.qdpx.coders import coder_rows, write_codings

        project, codebook, code_ids = self.codebook_and_project()
        documents = self.documents(project)
        participants = self.participants(project, documents)
        segments = self.ingest(project, documents) if documents else None
        rows = coder_rows(
            self.loaded, documents, segments, code_ids, self.min_overlap, self.skipped, self.notes
        )
        written = write_codings(project, rows)
        if not self.loaded.sources:
            self.notes.append(
                "the file holds no sources (as ATLAS.ti writes a codebook-and-users set-up): "
                "made a project with the codebook and no transcripts"
            )
        project.audit("import qdpx", source=str(self.source.resolve()), origin=self.loaded.origin)
        return ImportQdpxResult(
            source=str(self.source),
            project="",
            origin=self.loaded.origin,
            unit=self.unit,
            documents=len(documents),
            segments=0 if segments is None else len(segments),
            codes=len(codebook),
            themes=len(codebook.themes),
            participants=participants,
            coders=written,
            skipped=tuple(self.skipped),
            notes=tuple(self.notes),
        )

    # ----- codebook and settings -------------------------------------------------------------------

    def codebook_and_project(self):
        from slqual.codebook import load_project_codebook
        from slqual.codebook.checks import ERROR, check_data, summarize
        from slqual.codebook.dump import codebook_to_yaml
        from slqual.codebook.load import build_codebook, load_codebook
        from slqual.interop.importer import raw_to_data
        from slqual.interop.qdc import RawCodebook
        from slqual.project import Settings, init_project, open_project, resolve_codebook_source

        path = self.root / "codebook.yaml"
        code_ids: dict[str, str] = {}
        if self.loaded.codes:
            reference = load_codebook(self.ids_from) if self.ids_from is not None else None
            title = (reference.title if reference else "") or self.loaded.name or self.source.stem
            data = raw_to_data(RawCodebook(self.loaded.codes), title, reference.ids() if reference else [])
            errors = [i for i in check_data(data, str(self.source)) if i.severity == ERROR]
            if errors:
                raise QdpxError(summarize(errors, f"slqual codebook import {self.source}"))
            _pair_ids(self.loaded.codes, data["codes"], code_ids)
            codebook = build_codebook(data, str(path))
            made_by = f" (made by {self.loaded.origin})" if self.loaded.origin else ""
            header = (
                f"Imported by slqual from {self.source.name}{made_by}.\n"
                "Ids were made from the names: check them before coding starts."
            )
            atomic_write_text(path, codebook_to_yaml(codebook, header))
            init_project(self.root, codebook=str(path))
        else:
            init_project(self.root, codebook=str(resolve_codebook_source("template")))
            self.notes.append("the file holds no codes: codebook.yaml is slqual's template; replace it")
        atomic_write_text(self.root / "slqual.yaml", Settings(unit=self.unit).to_yaml())
        project = open_project(self.root)
        return project, codebook if self.loaded.codes else load_project_codebook(project), code_ids

    # ----- transcripts and participants ---------------------------------------------------------------

    def documents(self, project: Project) -> dict[str, TextSource]:
        """Each readable text source by its document name, written to transcripts/<name>.txt."""
        documents: dict[str, TextSource] = {}
        taken: set[str] = set()
        unreadable = []
        lost_selections = 0
        for source in self.loaded.sources:
            if source.text is None:
                unreadable.append(f"{source.name} ({source.problem})")
                lost_selections += len(source.selections)
                continue
            name = _unique(_document_name(source.name), taken)
            (project.transcripts_dir / f"{name}.txt").write_text(source.text, encoding="utf-8", newline="")
            documents[name] = source
        if unreadable:
            self.skipped.append(
                Skipped("text sources whose text could not be read", len(unreadable), "; ".join(unreadable))
            )
        if lost_selections:
            self.skipped.append(Skipped("selections in text sources that could not be read", lost_selections))
        return documents

    def participants(self, project: Project, documents: dict[str, TextSource]) -> int:
        """Write participants.csv from the cases (or one row per document when there are none)."""
        import pandas as pd

        from slqual.fileio import atomic_write_csv

        doc_by_guid = {source.guid: name for name, source in documents.items()}
        selections = {
            clean_guid(sel.guid): (name, sel.start)
            for name, source in documents.items()
            for sel in source.selections
        }
        records: list[dict[str, str]] = []
        columns = ["participant_id", *dict.fromkeys(self.loaded.variables)]
        taken: set[str] = set()
        if self.loaded.cases:
            for number, case in enumerate(self.loaded.cases, start=1):
                record = {"participant_id": _unique(_document_name(case.name) or f"case{number}", taken)}
                record.update(case.values)
                linked = [doc_by_guid[g] for g in case.sources if g in doc_by_guid]
                spoken = _speaker_of(case, documents, selections)
                if spoken and "file" not in record and "speaker" not in record:
                    record["file"], record["speaker"] = f"{spoken[0]}.txt", spoken[1]
                elif linked and "file" not in record and linked != [record["participant_id"]]:
                    record["file"] = f"{linked[0]}.txt"
                    if len(linked) > 1:
                        self.notes.append(
                            f"case '{case.name}' is linked to {len(linked)} documents; participants.csv "
                            f"names only {linked[0]}.txt in its file column"
                        )
                records.append(record)
        else:
            for name, source in documents.items():
                records.append({"participant_id": name, **dict(source.values)})
                columns.extend(v for v, _ in source.values if v not in columns)
        columns.extend(c for c in ("file", "speaker") if any(c in r for r in records) and c not in columns)
        frame = pd.DataFrame(records, columns=columns).fillna("")
        atomic_write_csv(project.participants_path, frame)
        return len(frame)

    def ingest(self, project: Project, documents: dict[str, TextSource]):
        from slqual.ingest import ingest
        from slqual.segments import read_project_segments

        result = ingest(project, keep_going=True)
        self.notes.extend(result.warnings)
        if result.failures:
            self.skipped.append(
                Skipped(
                    "text sources that ingest could not read",
                    len(result.failures),
                    "; ".join(f.message for f in result.failures),
                )
            )
        return read_project_segments(project) if project.segments_path.is_file() else None


def _speaker_of(
    case: Case, documents: dict[str, TextSource], selections: dict[str, tuple[str, int]]
) -> tuple[str, str] | None:
    """(document, speaker label) of a focus-group case: the label opening the lines of its selections.

    Only for a case whose selections (SelectionRef) all lie in one document; the
    label is the most common text before ':' at the start of their lines.
    """
    places = [selections[g] for g in case.selections if g in selections]
    if not places or len({doc for doc, _ in places}) != 1:
        return None
    document = places[0][0]
    text = documents[document].text or ""
    labels = Counter()
    for _, start in places:
        line_start = text.rfind("\n", 0, start) + 1
        line = text[line_start : line_start + 60]
        found = _LABEL.match(line)
        if found:
            labels[found.group(1).strip()] += 1
    return (document, labels.most_common(1)[0][0]) if labels else None


def _pair_ids(codes, nodes, found: dict[str, str]) -> None:
    """GUID -> slqual id, walking the imported codes and the codebook data made from them together."""
    for code, node in zip(codes, nodes, strict=True):
        if code.guid:
            found[code.guid] = node["id"]
        _pair_ids(code.children, node.get("children", []), found)


def _document_name(name: str) -> str:
    """A source's name as a document (file stem): no extension, nothing a file name cannot hold."""
    name = _TEXT_SUFFIX.sub("", unicodedata.normalize("NFC", name.strip()))
    return _NOT_IN_NAME.sub("_", name).strip(" ._")


def _unique(name: str, taken: set[str]) -> str:
    name = name or "document"
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{name}_{n}"
    taken.add(candidate.casefold())
    return candidate
