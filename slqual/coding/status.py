"""How far each coder has got: coded segments, per-theme counts, last activity, gaps between coders."""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slqual.codings import PROVENANCE_COLUMNS, read_coding_columns

if TYPE_CHECKING:
    from slqual.project import Project


@dataclass(frozen=True)
class CoderStatus:
    """One coder's progress over the participant segments."""

    coder: str
    coded: int  # participant segments with at least one row (a code, or "no code applies")
    total: int
    percent: float
    no_code: int  # segments read where no code applies
    themes: dict[str, int]  # theme id -> segments with a code in that theme
    last_activity: str  # latest coded_at, else the file's time; ISO 8601 UTC
    unknown_segments: int  # segments in the file that are not participant segments of segments.csv
    unknown_codes: int  # assignments of codes the codebook does not have
    coding_now: bool  # a terminal session holds this coder's lock
    pseudo: bool  # written by a machine (autocode, suggest apply), not a person
    pseudo_kind: str = ""  # 'keywords' or 'model' for a pseudo-coder
    # coded segments whose words were edited by a re-ingest, until the coder confirms or re-codes them
    review: tuple[str, ...] = ()
    participants: int = 0  # participants with at least one segment coded by this coder


@dataclass(frozen=True)
class CoderGap:
    """Segments coded by one coder but not by the other."""

    coder_a: str
    coder_b: str
    only_a: tuple[str, ...]
    only_b: tuple[str, ...]


@dataclass(frozen=True)
class StatusReport:
    segments: int
    themes: dict[str, str]  # theme id -> name, in codebook order
    coders: tuple[CoderStatus, ...]
    gaps: tuple[CoderGap, ...]
    participants: int = 0  # participants who speak in the participant segments (focus groups count each)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def coding_status(project: Project) -> StatusReport:
    """Progress of every coder with a file in ``codings/``; gaps between each pair of people."""
    from slqual.codebook import load_project_codebook
    from slqual.coding.lock import lock_holder
    from slqual.coding.pseudo import pseudo_kind
    from slqual.review import all_marks
    from slqual.segments import read_project_participant_ids

    codebook = load_project_codebook(project)
    # Plain csv reading, no pandas: status is a quick look and should answer at once.
    who = read_project_participant_ids(project)
    segment_ids = [sid for sid, _ in who]
    participant_of = dict(who)
    marks = all_marks(project)
    known = set(segment_ids)
    themes = {t.id: t.name for t in codebook.themes}
    coders: list[CoderStatus] = []
    coded_sets: dict[str, set[str]] = {}
    consensus: set[str] = set()
    for coder in project.coders():
        path = project.coder_file(coder)
        coding = read_coding_columns(path, coder)
        if set(PROVENANCE_COLUMNS) <= set(coding):  # written by reconcile: not a reviewer
            consensus.add(coder)
        ids = set(coding["segment_id"])
        coded = ids & known
        coded_sets[coder] = coded
        per_theme = {t: set() for t in themes}
        with_code: set[str] = set()
        unknown_codes = 0
        for sid, code in zip(coding["segment_id"], coding["code"], strict=True):
            if sid not in known or not code:
                continue
            with_code.add(sid)
            if code in codebook:
                per_theme[codebook.theme_of(code)].add(sid)
            else:
                unknown_codes += 1
        no_code = coded - with_code
        stamps = [s for s in coding["coded_at"] if s]
        last = max(stamps) if stamps else _file_time(path)
        kind = pseudo_kind(coding) or ""
        total = len(segment_ids)
        coders.append(
            CoderStatus(
                coder=coder,
                coded=len(coded),
                total=total,
                percent=round(100.0 * len(coded) / total, 1) if total else 0.0,
                no_code=len(no_code),
                themes={t: len(s) for t, s in per_theme.items()},
                last_activity=last,
                unknown_segments=len(ids - known),
                unknown_codes=unknown_codes,
                coding_now=lock_holder(project, coder) is not None,
                pseudo=bool(kind),
                pseudo_kind=kind,
                review=tuple(sorted(sid for sid in marks.get(coder, {}) if sid in known)),
                participants=len({participant_of[sid] for sid in coded} - {""}),
            )
        )
    order = {sid: i for i, sid in enumerate(segment_ids)}
    people = [c.coder for c in coders if not c.pseudo and c.coder not in consensus]
    gaps = tuple(
        CoderGap(
            a,
            b,
            tuple(sorted(coded_sets[a] - coded_sets[b], key=order.__getitem__)),
            tuple(sorted(coded_sets[b] - coded_sets[a], key=order.__getitem__)),
        )
        for a, b in itertools.combinations(people, 2)
    )
    return StatusReport(
        segments=len(segment_ids),
        themes=themes,
        coders=tuple(coders),
        gaps=gaps,
        participants=len(set(participant_of.values()) - {""}),
    )


def _file_time(path: Path) -> str:
    stamp = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc).replace(microsecond=0)
    return stamp.isoformat().replace("+00:00", "Z")
