"""Segments marked for review: coded turns whose words were edited in a corrected transcript.

When a re-ingest finds a coded turn edited (its words similar enough to keep
its id), the coder's codes stay and the segment is marked for review for that
coder, in ``.slqual/review/<coder>.json`` (one file per coder, so coders'
sessions never write the same file). A mark goes when the coder confirms the
codes (``slqual code --review``, or ``ok`` in the sheet's ``review`` column) or
codes the segment again. Each entry keeps the words the codes were given to.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from slqual.errors import ProjectError
from slqual.fileio import atomic_write_text, utc_now_iso

if TYPE_CHECKING:
    from slqual.project import Project

REVIEW_DIR = "review"


@dataclass(frozen=True)
class ReviewMark:
    """One coded segment whose words changed after it was coded."""

    segment_id: str
    old_text: str  # the words the codes were given to
    text: str  # the words now
    similarity: float
    marked_at: str


def review_path(project: Project, coder: str) -> Path:
    return project.internal_dir / REVIEW_DIR / f"{coder}.json"


def read_marks(project: Project, coder: str) -> dict[str, ReviewMark]:
    """The coder's segments awaiting review, by segment id; empty when there are none."""
    path = review_path(project, coder)
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {sid: ReviewMark(segment_id=sid, **entry) for sid, entry in data["segments"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ProjectError(
            f"{path}: the review list is damaged ({exc}); it is written by slqual, not by hand: "
            "delete it to clear every review mark of this coder"
        ) from exc


def _write(project: Project, coder: str, marks: dict[str, ReviewMark]) -> None:
    path = review_path(project, coder)
    if not marks:
        if path.exists():
            path.unlink()
        return
    data = {
        "version": 1,
        "segments": {
            sid: {k: v for k, v in asdict(mark).items() if k != "segment_id"}
            for sid, mark in sorted(marks.items())
        },
    }
    atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def all_marks(project: Project) -> dict[str, dict[str, ReviewMark]]:
    """Every coder's pending marks (coders with none left out)."""
    folder = project.internal_dir / REVIEW_DIR
    if not folder.is_dir():
        return {}
    result = {}
    for path in sorted(folder.glob("*.json")):
        marks = read_marks(project, path.stem)
        if marks:
            result[path.stem] = marks
    return result


def mark(project: Project, coder: str, edits: dict[str, tuple[str, str, float]]) -> None:
    """Mark segments ``{id: (old words, new words, similarity)}`` for the coder's review.

    A segment already marked keeps the words its codes were given to.
    """
    marks = read_marks(project, coder)
    now = utc_now_iso()
    for sid, (old_text, text, ratio) in edits.items():
        before = marks.get(sid)
        marks[sid] = ReviewMark(sid, before.old_text if before else old_text, text, ratio, now)
    _write(project, coder, marks)


def confirm(project: Project, coder: str, segment_ids: set[str] | list[str]) -> list[str]:
    """Clear the coder's marks on these segments (confirmed or coded again); returns those cleared."""
    marks = read_marks(project, coder)
    cleared = [sid for sid in segment_ids if sid in marks]
    if cleared:
        for sid in cleared:
            del marks[sid]
        _write(project, coder, marks)
        project.audit("review", coder=coder, confirmed=cleared)
    return cleared


CONFIRM_WORDS = ("ok", "yes", "y", "1", "confirmed", "keep")


def sheet_review_cell(mark_: ReviewMark | None) -> str:
    """What a coding sheet's ``review`` column says for a segment (empty when not marked)."""
    if mark_ is None:
        return ""
    return f"words edited since you coded; type ok to keep the codes. It read: {mark_.old_text}"
