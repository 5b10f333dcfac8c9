"""Loading a codebook YAML file into the model, after every check has passed."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from slqual.codebook.checks import ERROR, check_text, read_codebook_text, summarize
from slqual.codebook.model import Codebook, CodeNode
from slqual.errors import CodebookError


class HasCodebook(Protocol):
    """A project, as far as loading its codebook goes (no import of slqual.project: no loop)."""

    @property
    def codebook_path(self) -> Path: ...


def _text(value: Any) -> str:
    # Word's line and page breaks (\v, \f) are new lines; the check warned about them.
    return "" if value is None else str(value).replace("\v", "\n").replace("\f", "\n").strip()


def _build(raw: dict[str, Any], parent: str | None, depth: int) -> CodeNode:
    node_id = _text(raw["id"])
    children = tuple(_build(c, node_id, depth + 1) for c in raw.get("children") or ())
    return CodeNode(
        id=node_id,
        name=_text(raw["name"]),
        definition=_text(raw.get("definition")),
        include=_text(raw.get("include")),
        exclude=_text(raw.get("exclude")),
        examples=tuple(_text(e) for e in raw.get("examples") or ()),
        keywords=tuple(_text(k) for k in raw.get("keywords") or ()),
        color=_text(raw.get("color")).lower(),
        memo=_text(raw.get("memo")),
        exclusive=raw.get("exclusive") is True,
        caption=_text(raw.get("caption")),
        children=children,
        parent=parent,
        depth=depth,
        line=getattr(raw, "line", None),
    )


def build_codebook(data: dict[str, Any], source: str = "codebook") -> Codebook:
    """The model from checked data (see slqual.codebook.checks.check_data)."""
    roots = tuple(_build(r, None, 0) for r in data["codes"])
    return Codebook(
        title=_text(data.get("title")), version=_text(data.get("version")), roots=roots, source=source
    )


def parse_checked(text: str, source: str = "codebook") -> tuple[Any, Codebook]:
    """The parsed data and the Codebook of YAML text; CodebookError summarising every error found."""
    data, issues = check_text(text, source)
    errors = [i for i in issues if i.severity == ERROR]
    if errors:
        raise CodebookError(summarize(errors))
    return data, build_codebook(data, source)


def parse_codebook(text: str, source: str = "codebook") -> Codebook:
    """Build a Codebook from YAML text; CodebookError summarising every error if any check fails."""
    return parse_checked(text, source)[1]


def load_codebook(path: Path | str) -> Codebook:
    """Read and check a codebook file; CodebookError (file, line, id) when a check fails."""
    path = Path(path)
    return parse_codebook(read_codebook_text(path), str(path))


def load_project_codebook(project: HasCodebook) -> Codebook:
    """A project's codebook (the file named by ``codebook:`` in slqual.yaml), checked."""
    return load_codebook(project.codebook_path)
