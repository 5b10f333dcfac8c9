"""Renaming and merging codes in a codebook and in every coder's file, together.

Both edits work on the YAML text in place, so the researchers' comments, the
order of fields and the layout stay as they were: ``rename`` rewrites the id's
text where it stands, ``merge`` deletes the lines of the merged codes. The
result is parsed again and compared with the intended codebook; when the
layout is unusual (flow style, say) and the in-place edit would not give the
intended codebook, the whole file is written out cleanly instead (losing its
comments, which stay in the previous copy). Every file changed is kept first
in ``.slqual/history/``; if any write fails, the files already written are
restored, and the change is logged in ``.slqual/audit.log``.
"""

from __future__ import annotations

import contextlib
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from slqual.codebook.checks import ERROR, check_text, id_problem, read_codebook_text
from slqual.codebook.dump import codebook_to_dict, codebook_to_yaml
from slqual.codebook.load import build_codebook, parse_checked
from slqual.codebook.model import Codebook
from slqual.codebook.yamlload import LineDict, last_scalar_end
from slqual.errors import CodebookError, CodingsError
from slqual.fileio import atomic_write_bytes, keep_history

if TYPE_CHECKING:
    import pandas as pd

    from slqual.project import Project

IN_PLACE, REDUMPED = "in place", "re-dumped"


@dataclass(frozen=True)
class EditResult:
    """What a rename or merge changed."""

    action: str
    codebook: str
    sources: tuple[str, ...]
    target: str
    coder_rows: dict[str, int] = field(default_factory=dict)  # coder -> rows whose code changed
    collapsed: int = 0  # rows that became exact (segment, code) repeats and were combined
    rewrite: str = IN_PLACE
    kept: tuple[str, ...] = ()  # copies of the previous files in .slqual/history/
    mentions: tuple[str, ...] = ()  # where the old ids still appear in the codebook's text

    @property
    def rewritten(self) -> bool:
        """True when the codebook was written out cleanly instead of edited in place (comments lost)."""
        return self.rewrite != IN_PLACE

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "codebook": self.codebook,
            "sources": list(self.sources),
            "target": self.target,
            "coder_rows": dict(self.coder_rows),
            "collapsed": self.collapsed,
            "rewrite": self.rewrite,
            "kept": list(self.kept),
            "mentions": list(self.mentions),
        }


# ----- reading ------------------------------------------------------------------------------------


def _load(path: Path) -> tuple[str, LineDict, Codebook]:
    text = read_codebook_text(path)
    try:
        data, codebook = parse_checked(text, str(path))
    except CodebookError as exc:
        raise CodebookError(f"fix the codebook before changing it: {exc}") from exc
    return text, data, codebook


def _raw_nodes(data: LineDict) -> dict[str, tuple[LineDict, LineDict | None]]:
    """Each id's raw mapping and its parent's (None for a theme)."""
    found: dict[str, tuple[LineDict, LineDict | None]] = {}

    def walk(items: list, owner: LineDict | None) -> None:
        for item in items:
            found[str(item["id"]).strip()] = (item, owner)
            walk(item.get("children") or [], item)

    walk(data["codes"], None)
    return found


def _unknown(codebook: Codebook, code_id: str) -> CodebookError:
    close = difflib.get_close_matches(code_id, codebook.ids(), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else "; see 'slqual codebook show'"
    return CodebookError(f"{codebook.source}: no code '{code_id}' in the codebook{hint}")


# ----- the YAML text ------------------------------------------------------------------------------


def _id_text(new_id: str, style: str | None) -> str:
    if style in ("'", '"'):
        return f"{style}{new_id}{style}"
    try:
        plain_ok = yaml.safe_load(new_id) == new_id
    except yaml.YAMLError:
        plain_ok = False
    return new_id if plain_ok else f'"{new_id}"'


def _delete_lines(text: str, ranges: list[tuple[int, int]]) -> str:
    """Delete whole lines first..last (1-based, inclusive) for each range."""
    lines = text.splitlines(keepends=True)
    drop: set[int] = set()
    for first, last in ranges:
        drop.update(range(first - 1, last))
    return "".join(line for i, line in enumerate(lines) if i not in drop)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, max(offset, 0)) + 1


def _verify(text: str, expected: dict[str, Any], path: Path) -> bool:
    data, issues = check_text(text, str(path))
    if data is None or any(i.severity == ERROR for i in issues):
        return False
    return codebook_to_dict(build_codebook(data, str(path))) == expected


def _mentions(text: str, ids: tuple[str, ...], path: Path) -> tuple[str, ...]:
    out = []
    for code_id in ids:
        pattern = re.compile(rf"(?<![\w.-]){re.escape(code_id)}(?![\w-]|\.\w)")
        lines = sorted({_line_of(text, m.start()) for m in pattern.finditer(text)})
        if lines:
            where = ", ".join(str(n) for n in lines)
            out.append(
                f"'{code_id}' is still mentioned in {path.name} on line(s) {where}; update that text by hand"
            )
    return tuple(out)


def _renamed_dict(codebook: Codebook, old: str, new: str) -> dict[str, Any]:
    data = codebook_to_dict(codebook)

    def walk(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            if node["id"] == old:
                node["id"] = new
            walk(node.get("children", []))

    walk(data["codes"])
    return data


def _merged_dict(codebook: Codebook, sources: set[str]) -> dict[str, Any]:
    data = codebook_to_dict(codebook)

    def walk(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        kept = []
        for node in nodes:
            if node["id"] in sources:
                continue
            if "children" in node:
                node["children"] = walk(node["children"])
                if not node["children"]:
                    del node["children"]
            kept.append(node)
        return kept

    data["codes"] = walk(data["codes"])
    return data


def _finish_text(edited: str, expected: dict[str, Any], path: Path) -> tuple[str, str]:
    if _verify(edited, expected, path):
        return edited, IN_PLACE
    clean = build_codebook(expected, str(path))
    header = (
        f"Rewritten by slqual; the previous version, with its comments, is in .slqual/history/ ({path.name})"
    )
    return codebook_to_yaml(clean, header), REDUMPED


# ----- coder files --------------------------------------------------------------------------------


def _recode(frame: pd.DataFrame, mapping: dict[str, str]) -> tuple[pd.DataFrame, int, int]:
    """Apply old->new codes and combine rows that became (segment, code) repeats.

    Works on the file's own columns (extra ones a coder added are kept as they are).
    Returns the new frame, the number of rows whose code changed and the number combined.
    """
    import pandas as pd

    codes = frame["code"].str.strip()
    changed = int(codes.isin(list(mapping)).sum())
    if not changed:
        return frame, 0, 0
    frame = frame.copy()
    frame["code"] = codes.map(lambda c: mapping.get(c, c))
    rows: list[dict[str, str]] = []
    index: dict[tuple[str, str], int] = {}
    combined = 0
    for record in frame.to_dict("records"):
        key = (record["segment_id"].strip(), record["code"])
        if record["code"] and key in index:
            first = rows[index[key]]
            if "memo" in first:
                memos = [m for m in (first["memo"], record["memo"]) if m]
                first["memo"] = " | ".join(dict.fromkeys(memos))
            if record.get("exemplar", "").strip() == "1":
                first["exemplar"] = "1"
            combined += 1
            continue
        index[key] = len(rows)
        rows.append(record)
    return pd.DataFrame(rows, columns=frame.columns), changed, combined


def _coder_changes(
    project: Project, mapping: dict[str, str]
) -> tuple[list[tuple[Path, bytes]], dict[str, int], int]:
    from slqual.codings import read_coding
    from slqual.csvfiles import read_text_table
    from slqual.errors import CodingsError

    writes: list[tuple[Path, bytes]] = []
    counts: dict[str, int] = {}
    collapsed = 0
    for coder in project.coders():
        path = project.coder_file(coder)
        if read_coding(path, coder).empty:  # read_coding also checks the file is usable
            continue
        raw = read_text_table(path, CodingsError)  # as typed: the extra columns a coder added stay
        new, changed, combined = _recode(raw, mapping)
        if changed:
            counts[coder] = changed
            collapsed += combined
            writes.append((path, new.to_csv(index=False, lineterminator="\n").encode("utf-8")))
    return writes, counts, collapsed


@contextlib.contextmanager
def _coders_idle(project: Project) -> Iterator[None]:
    """Hold every coder's lock, so no terminal session rewrites a coder file under the edit.

    A coding session keeps its answers in memory and would write the old ids
    back; answers a killed session left in its journal are folded in first.
    """
    from slqual.coding.lock import coder_lock
    from slqual.coding.store import CodingStore, journal_path
    from slqual.project import CODER_NAME

    with contextlib.ExitStack() as stack:
        # A file whose name is no coder name ('reviewer1 - Copy.csv') can have no session to wait for.
        for coder in filter(CODER_NAME.match, project.coders()):
            try:
                stack.enter_context(coder_lock(project, coder))
            except CodingsError as exc:
                raise CodingsError(f"codes cannot be renamed or merged now: {exc}") from exc
            if journal_path(project, coder).exists():
                CodingStore(project, coder).close()
        yield


def _write_all(project: Project, writes: list[tuple[Path, bytes]]) -> tuple[str, ...]:
    """Keep every file in history, then replace each; on failure restore those already replaced."""
    kept: dict[Path, Path | None] = {}
    written: list[Path] = []
    try:
        for path, _ in writes:
            kept[path] = keep_history(project.root, path)
        for path, data in writes:
            atomic_write_bytes(path, data)
            written.append(path)
    except OSError as exc:
        for path in written:
            copy = kept.get(path)
            if copy is not None:
                atomic_write_bytes(path, copy.read_bytes())
        raise CodebookError(
            f"{exc.filename or project.root}: could not be written ({exc.strerror or exc}); "
            "nothing was changed"
        ) from exc
    return tuple(str(p) for p in kept.values() if p is not None)


def _commit(
    project: Project,
    action: str,
    new_text: str,
    how: str,
    mapping: dict[str, str],
    **details: Any,
) -> EditResult:
    """Write the edited codebook and recode every coder file together; log it; say what changed."""
    path = project.codebook_path
    with _coders_idle(project):
        coder_writes, counts, collapsed = _coder_changes(project, mapping)
        kept = _write_all(project, [(path, new_text.encode("utf-8")), *coder_writes])
    project.audit(
        f"codebook {action}",
        **details,
        codebook=str(path),
        coder_rows=counts,
        combined_rows=collapsed,
        rewrite=how,
        kept=list(kept),
    )
    sources = tuple(mapping)
    return EditResult(
        action=action,
        codebook=str(path),
        sources=sources,
        target=next(iter(mapping.values())),
        coder_rows=counts,
        collapsed=collapsed,
        rewrite=how,
        kept=kept,
        mentions=_mentions(new_text, sources, path),
    )


# ----- the edits ----------------------------------------------------------------------------------


def rename_code(project: Project, old: str, new: str) -> EditResult:
    """Give code ``old`` the id ``new`` in the codebook and in every coder's file."""
    path = project.codebook_path
    text, data, codebook = _load(path)
    old, new = old.strip(), new.strip()
    if old not in codebook:
        raise _unknown(codebook, old)
    problem = id_problem(new) if new else "the new id is empty"
    if problem:
        raise CodebookError(f"{path}: cannot rename '{old}': {problem}")
    if new in codebook:
        raise CodebookError(
            f"{path}: '{new}' is already a code; "
            f"to fold '{old}' into it use 'slqual codebook merge {old} {new}'"
        )
    raw, _ = _raw_nodes(data)[old]
    span = raw.value_spans["id"]
    edited = text[: span.start] + _id_text(new, span.style) + text[span.end :]
    new_text, how = _finish_text(edited, _renamed_dict(codebook, old, new), path)
    return _commit(project, "rename", new_text, how, {old: new}, old=old, new=new)


def merge_codes(project: Project, sources: list[str] | tuple[str, ...], target: str) -> EditResult:
    """Fold codes ``sources`` into ``target``: their codings become ``target`` and they leave the codebook."""
    path = project.codebook_path
    text, data, codebook = _load(path)
    target = target.strip()
    names = tuple(dict.fromkeys(s.strip() for s in sources))
    if not names:
        raise CodebookError(
            "name at least one code to merge, e.g. 'slqual codebook merge old_code into_code'"
        )
    for code_id in (*names, target):
        if code_id not in codebook:
            raise _unknown(codebook, code_id)
    if target in names:
        raise CodebookError(
            f"{path}: cannot merge '{target}' into itself; leave it out of the codes to merge"
        )
    for code_id in names:
        children = codebook.node(code_id).children
        if children:
            listed = ", ".join(c.id for c in children)
            raise CodebookError(
                f"{path}:{codebook.node(code_id).line} ({code_id}): has child codes ({listed}); "
                "merge or move them first, then merge this code"
            )
    raw_nodes = _raw_nodes(data)
    ranges: list[tuple[int, int]] = []
    for code_id in names:
        raw, _ = raw_nodes[code_id]
        ranges.append((raw.line, _line_of(text, last_scalar_end(raw) - 1)))
    gone = set(names)
    owners = {id(owner): owner for cid in names if (owner := raw_nodes[cid][1]) is not None}
    for owner in owners.values():
        if all(str(c["id"]).strip() in gone for c in owner["children"]):
            key_line = owner.key_lines["children"]
            if text.splitlines()[key_line - 1].strip() == "children:":
                ranges.append((key_line, key_line))
    edited = _delete_lines(text, ranges)
    new_text, how = _finish_text(edited, _merged_dict(codebook, gone), path)
    return _commit(
        project, "merge", new_text, how, dict.fromkeys(names, target), sources=list(names), into=target
    )
