"""Import a codebook made by another program into slqual's YAML.

Ids are derived from the names: lower case, letters and digits of any script
kept, everything else turned into '_', dotted by the parent's id
(``barriers.time_pressure``) and made unique with ``_2``, ``_3``; or, given
a slqual codebook to take them from, restored from the GUIDs slqual's own
export derived from them. Nothing is
written when anything fails, and an existing file is only replaced with
``force``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slqual.codebook.checks import ERROR, check_data, slugify, summarize
from slqual.codebook.dump import codebook_to_yaml, filled_fields
from slqual.codebook.load import build_codebook, load_codebook, parse_codebook
from slqual.errors import CodebookError, SlqualError
from slqual.fileio import atomic_write_text, keep_history
from slqual.interop.qdc import RawCode, RawCodebook, guid_for, read_qdc
from slqual.interop.taguette import read_taguette_csv

if TYPE_CHECKING:
    from slqual.codebook.model import Codebook
    from slqual.project import Project

READERS = {".qdc": read_qdc, ".qde": read_qdc, ".xml": read_qdc, ".csv": read_taguette_csv}


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote."""

    source: str
    output: str
    origin: str
    codes: int
    themes: int
    notes: tuple[str, ...] = ()
    kept: str | None = None  # the replaced file's copy in .slqual/history/, when it was in a project

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "output": self.output,
            "origin": self.origin,
            "codes": self.codes,
            "themes": self.themes,
            "notes": list(self.notes),
            "kept": self.kept,
        }


class _Ids:
    def __init__(self, known_ids: Iterable[str] = ()) -> None:
        self.taken: set[str] = set()
        self.by_guid = {guid_for(i): i for i in known_ids}

    def make(self, name: str, parent: str | None, guid: str = "") -> str:
        known = self.by_guid.get(guid)
        if known and known not in self.taken:
            self.taken.add(known)
            return known
        base = slugify(name) or "code"
        full = f"{parent}.{base}" if parent else base
        candidate, n = full, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{full}_{n}"
        self.taken.add(candidate)
        return candidate


def _node(code: RawCode, parent: str | None, ids: _Ids) -> dict[str, Any]:
    node_id = ids.make(code.name, parent, code.guid)
    data: dict[str, Any] = {"id": node_id, "name": code.name, **filled_fields(code)}
    if code.children:
        data["children"] = [_node(c, node_id, ids) for c in code.children]
    return data


def raw_to_data(raw: RawCodebook, title: str, known_ids: Iterable[str] = ()) -> dict[str, Any]:
    """The YAML-schema data of an imported codebook, with ids derived from names.

    A code whose GUID is the one slqual exports for an id in ``known_ids`` gets that id back.
    """
    ids = _Ids(known_ids)
    return {"title": title, "version": 1, "codes": [_node(c, None, ids) for c in raw.codes]}


def read_foreign_codebook(source: Path | str) -> RawCodebook:
    """Read a .qdc (or REFI-QDA project .qde) or a Taguette codebook .csv."""
    source = Path(source)
    reader = READERS.get(source.suffix.lower())
    if source.suffix.lower() == ".qdpx":
        raise CodebookError(
            f"{source}: a .qdpx holds a whole project; export the codebook alone as .qdc from your QDA "
            "program, or unzip the .qdpx and import the project.qde inside it"
        )
    if reader is None:
        raise CodebookError(
            f"{source}: cannot import '{source.suffix or 'no extension'}' files; "
            "give a REFI-QDA codebook (.qdc) or a Taguette codebook (.csv)"
        )
    return reader(source)


def import_codebook(
    source: Path | str,
    output: Path | str,
    force: bool = False,
    title: str | None = None,
    ids_from: Path | str | None = None,
) -> ImportResult:
    """Read another program's codebook and write it as slqual YAML to ``output``.

    With ``ids_from`` (a slqual codebook), codes that went out in slqual's own
    .qdc export and kept their GUIDs in the other program get their old ids back
    (and the title is taken from it unless ``title`` is given; a .qdc has none).
    """
    source, output = Path(source), Path(output)
    if output.exists() and not force:
        raise CodebookError(f"{output}: already exists; choose another name or add --force to replace it")
    if output.suffix.lower() not in (".yaml", ".yml"):
        raise CodebookError(f"{output}: the codebook file must end in .yaml")
    reference = load_codebook(ids_from) if ids_from is not None else None
    raw = read_foreign_codebook(source)
    title = title or (reference.title if reference else "") or source.stem
    data = raw_to_data(raw, title, reference.ids() if reference else [])
    errors = [i for i in check_data(data, str(source)) if i.severity == ERROR]
    if errors:
        raise CodebookError(summarize(errors, f"slqual codebook import {source}"))
    codebook = build_codebook(data, str(output))
    made_by = f" (made by {raw.origin})" if raw.origin else ""
    ids_note = (
        f"Ids of codes exported from {Path(ids_from).name} were taken back from it; other ids\n"
        "were made from the names: check them before coding starts, then add\n"
        if reference
        else "Ids were made from the names: check them before coding starts, then add\n"
    )
    header = (
        f"Imported by slqual from {source.name}{made_by}.\n"
        f"{ids_note}include, exclude, examples and keywords where they help the coders."
    )
    text = codebook_to_yaml(codebook, header)
    parse_codebook(text, str(output))  # what we write must load again
    project = _project_of(output)
    try:
        kept = keep_history(project.root, output) if project is not None else None
        atomic_write_text(output, text)
    except OSError as exc:
        raise CodebookError(
            f"{exc.filename or output}: could not be written ({exc.strerror or exc}); nothing was changed"
        ) from exc
    notes = list(raw.notes)
    if project is not None and output.resolve() == project.codebook_path.resolve():
        notes.extend(_codings_note(project, codebook))
    return ImportResult(
        source=str(source),
        output=str(output),
        origin=raw.origin,
        codes=len(codebook),
        themes=len(codebook.themes),
        notes=tuple(notes),
        kept=str(kept) if kept else None,
    )


def _project_of(path: Path) -> Project | None:
    """The slqual project a file lies in, or None."""
    from slqual.project import find_project

    try:
        return find_project(start=Path(path).resolve().parent)
    except SlqualError:
        return None


def _codings_note(project: Project, codebook: Codebook) -> list[str]:
    """A warning when coder files use codes the newly imported project codebook lacks."""
    from slqual.codebook.usage import unknown_code_issues

    try:
        issues = unknown_code_issues(project, codebook)
    except SlqualError:
        return []
    if not issues:
        return []
    return [
        f"{len(issues)} coded row(s) in coder files use codes this codebook lacks; "
        "list them with 'slqual codebook check --codings' and rename or merge them"
    ]
