"""The participant segments a coder works through, with the context a coder needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from slqual.project import Project

CODING_FRAME_COLUMNS = ["segment_id", "document", "participant_id", "speaker", "group", "question", "text"]


def coding_frame(project: Project, segments: pd.DataFrame | None = None) -> pd.DataFrame:
    """Participant segments in document order with ``question`` and ``group`` columns.

    ``question`` is the interviewer turn before the segment; ``group`` is the
    participant's value of the project's ``group_by`` attribute (empty when the
    participants file does not list the participant or has no such column).
    ``segments``: the project's segments.csv when the caller has read it already.
    """
    from slqual.segments import participant_segments, read_project_segments, with_questions

    if segments is None:
        segments = read_project_segments(project)
    frame = participant_segments(with_questions(segments))
    groups = _groups(project)
    frame["group"] = frame["participant_id"].map(groups).fillna("")
    return frame[CODING_FRAME_COLUMNS].reset_index(drop=True)


def participant_frame(project: Project) -> pd.DataFrame:
    """The participant segments of segments.csv in document order, without the context columns.

    Cheaper than ``coding_frame`` where only ids and texts are needed.
    """
    from slqual.segments import participant_segments, read_project_segments

    return participant_segments(read_project_segments(project))


def _groups(project: Project) -> dict[str, str]:
    from slqual.participants import read_project_participants

    if not project.participants_path.is_file():
        return {}
    participants = read_project_participants(project)
    column = project.settings.group_by
    if column not in participants.columns:
        return {}
    return dict(zip(participants["participant_id"], participants[column], strict=True))


@dataclass(frozen=True)
class SegmentView:
    """What the coder reads: the segment and its context."""

    segment_id: str
    document: str
    participant_id: str
    group: str
    question: str
    text: str
    speaker: str = ""  # the label as written (several participants speak in a focus group)


def segment_views(frame: pd.DataFrame, document: str | None = None) -> list[SegmentView]:
    """Segments from ``slqual.coding.frame.coding_frame``, optionally one document's only."""
    if document is not None:
        frame = frame[frame["document"] == document]
    return [
        SegmentView(r.segment_id, r.document, r.participant_id, r.group, r.question, r.text, r.speaker)
        for r in frame.itertuples(index=False)
    ]
