"""Reconcile: turn two or more coders' files into one consensus coding.

Codes every coder applied to a segment are kept. Each disagreement (a code
some coders applied to a segment and others did not) is settled by a decision
the team recorded in the disagreements file that ``slqual agree
--disagreements`` writes (its ``decision`` and ``reason`` columns), or, where
the team chose so, by a stated policy for the undecided ones. Every decision
is recorded: in a decisions log beside the audit log, and in the consensus
file itself, whose ``source``, ``decided_by`` and ``reason`` columns say how
each row came to be. The coders' memos travel into the consensus memo.

The consensus coder's file is written under that coder's lock, so a terminal
session coding it cannot overwrite the consensus (nor the consensus the session).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from slqual.codings import (
    CODING_COLUMNS,
    PROVENANCE_COLUMNS,
    check_coder_name,
    check_codings,
    problems_error,
    read_project_codings,
    write_coding,
)
from slqual.decisions import DROP_WORDS, KEEP_WORDS, Decision, read_decisions
from slqual.errors import CodingsError
from slqual.fileio import atomic_write_csv, timestamp, utc_now_iso

__all__ = [
    "DROP_WORDS",
    "KEEP_WORDS",
    "Decision",
    "ReconcileResult",
    "Undecided",
    "read_decisions",
    "reconcile",
]

if TYPE_CHECKING:
    import pandas as pd

    from slqual.project import Project

LOG_COLUMNS = ["segment_id", "code", "applied_by", "not_applied_by", "decision", "reason", "source"]
NO_DECISION = "no decision recorded"


class Undecided(str, Enum):
    """What to do with disagreements the decisions file leaves open."""

    stop = "stop"  # write nothing and list them
    keep = "keep"  # keep the code (the union of the coders' codes)
    drop = "drop"  # drop the code (only what all coders applied)


@dataclass(frozen=True)
class ReconcileResult:
    coders: tuple[str, ...]
    into: str
    segments: int  # segments every coder has coded
    agreed_segments: int  # of those, segments where all coders gave the same codes
    disagreements: int  # (segment, code) pairs the coders differ on
    decided: int  # settled by the decisions file
    by_policy: int  # settled by --undecided keep/drop
    pending: tuple[tuple[str, str], ...]  # still open (with --undecided stop)
    not_coded_by_all: int  # segments some coder has not coded yet: left out
    written: Path | None
    log_path: Path | None
    kept_previous: Path | None
    notes: tuple[str, ...] = ()  # e.g. a killed session's answers folded in before the write

    def to_dict(self) -> dict:
        return {
            "coders": list(self.coders),
            "into": self.into,
            "segments": self.segments,
            "agreed_segments": self.agreed_segments,
            "disagreements": self.disagreements,
            "decided": self.decided,
            "by_policy": self.by_policy,
            "pending": [{"segment_id": s, "code": c} for s, c in self.pending],
            "not_coded_by_all": self.not_coded_by_all,
            "written": str(self.written) if self.written else None,
            "log": str(self.log_path) if self.log_path else None,
            "kept_previous": str(self.kept_previous) if self.kept_previous else None,
            "notes": list(self.notes),
        }


def reconcile(
    project: Project,
    coders: list[str],
    *,
    decisions_file: Path | str | None = None,
    undecided: Undecided = Undecided.stop,
    into: str = "consensus",
    dry_run: bool = False,
) -> ReconcileResult:
    """Build the consensus coding of ``coders`` and write it to ``codings/<into>.csv``."""
    from slqual.codebook import load_project_codebook

    if len(coders) < 2:
        raise CodingsError("reconcile needs at least two coders, e.g. 'slqual reconcile reviewer1 reviewer2'")
    check_coder_name(into)
    if into in coders:
        raise CodingsError(f"'{into}' is one of the coders being reconciled; choose another name with --into")
    codings = read_project_codings(project, coders)
    codebook = load_project_codebook(project)
    code_rank = {code: rank for rank, code in enumerate(codebook.ids())}  # codebook order
    sources = {coder: str(project.coder_path(coder)) for coder in coders}
    problems = check_codings(codings, codebook, sources=sources)
    if problems:
        raise problems_error(problems)
    decisions = read_decisions(decisions_file) if decisions_file else {}

    code_sets = {coder: _code_sets(frame) for coder, frame in codings.items()}
    common = set.intersection(*(set(s) for s in code_sets.values()))
    all_coded = set.union(*(set(s) for s in code_sets.values()))
    segment_order = _segment_order(project, all_coded)
    everyone = ", ".join(coders)

    consensus: dict[str, list[Row]] = {}
    log_rows = []
    pending = []
    agreed_segments = decided = by_policy = 0
    used_decisions = set()
    for segment in (s for s in segment_order if s in common):
        sets = [code_sets[c][segment] for c in coders]
        agreed = set.intersection(*sets)
        disputed = set.union(*sets) - agreed
        agreed_segments += not disputed
        rows = [Row(code, "agreed", everyone, "") for code in agreed]
        dropped: list[Row] = []
        for code in sorted(disputed, key=code_rank.__getitem__):
            applied = [c for c in coders if code in code_sets[c][segment]]
            others = [c for c in coders if c not in applied]
            key = (segment, code)
            if key in decisions:
                decision = decisions[key]
                keep, row = decision.keep, Row(code, "decided", decision.decided_by, decision.reason)
                used_decisions.add(key)
                decided += 1
            elif undecided is Undecided.stop:
                pending.append(key)
                continue
            else:
                keep = undecided is Undecided.keep
                row = Row(code, "policy", f"--undecided {undecided.value}", NO_DECISION)
                by_policy += 1
            (rows if keep else dropped).append(row)
            log_rows.append(
                {
                    "segment_id": segment,
                    "code": code,
                    "applied_by": ";".join(applied),
                    "not_applied_by": ";".join(others),
                    "decision": "keep" if keep else "drop",
                    "reason": row.reason,
                    "source": "decision" if row.source == "decided" else "policy",
                }
            )
        consensus[segment] = sorted(rows, key=lambda r: code_rank[r.code]) or [_none_row(dropped, everyone)]

    if decisions:
        _check_stray(decisions, used_decisions, decisions_file, coders)
    disagreements = decided + by_policy + len(pending)
    result = ReconcileResult(
        coders=tuple(coders),
        into=into,
        segments=len(consensus),
        agreed_segments=agreed_segments,
        disagreements=disagreements,
        decided=decided,
        by_policy=by_policy,
        pending=tuple(pending),
        not_coded_by_all=len(all_coded - common),
        written=None,
        log_path=None,
        kept_previous=None,
    )
    if pending or dry_run:
        return result
    frame = _consensus_frame(consensus, codings, into, decisions)
    with _consensus_lock(project, into) as notes:
        import pandas as pd

        # The decisions log first: a consensus file is never there without the record of how it was made.
        log_path = project.internal_dir / "reconcile" / f"{into}-decisions-{timestamp()}.csv"
        atomic_write_csv(log_path, pd.DataFrame(log_rows, columns=LOG_COLUMNS))
        kept = write_coding(project, into, frame)
    project.audit(
        "reconcile",
        coders=list(coders),
        into=into,
        decided=decided,
        by_policy=by_policy,
        policy=undecided.value,
        decisions_file=str(decisions_file) if decisions_file else None,
        log=str(log_path.relative_to(project.root)),
    )
    return replace(
        result,
        written=project.coder_path(into),
        log_path=log_path,
        kept_previous=kept,
        notes=tuple(notes),
    )


@dataclass(frozen=True)
class Row:
    """One consensus row in the making: the code ('' = no code applies) and how it came to be."""

    code: str
    source: str  # agreed | decided | policy
    decided_by: str
    reason: str


def _none_row(dropped: list[Row], everyone: str) -> Row:
    """The "no code applies" row of a segment left without codes, and why it has none.

    Agreed when no coder applied a code; otherwise decided when the team dropped at
    least one of the codes (policy when the --undecided rule dropped them all), with
    each dropped code and its reason.
    """
    if not dropped:
        return Row("", "agreed", everyone, "")
    source = "decided" if any(r.source == "decided" for r in dropped) else "policy"
    deciders = "; ".join(dict.fromkeys(r.decided_by for r in dropped))
    reason = "; ".join(f"dropped {r.code}" + (f" ({r.reason})" if r.reason else "") for r in dropped)
    return Row("", source, deciders, reason)


def _check_stray(
    decisions: dict[tuple[str, str], Decision],
    used: set[tuple[str, str]],
    path: Path | str | None,
    coders: list[str],
) -> None:
    """Every decision for a segment and code that is not (or no longer) a disagreement, in one message."""
    stray = sorted((d.row, key) for key, d in decisions.items() if key not in used)
    if not stray:
        return
    listed = ", ".join(f"row {row} ({segment}, {code})" for row, (segment, code) in stray)
    raise CodingsError(
        f"{path}: {len(stray)} decision(s) name a segment and code that is not a disagreement "
        f"between {', '.join(coders)} (the codings changed since the file was made, "
        "or a segment is not coded by every coder): "
        f"{listed}. Nothing was written. Make the file again with 'slqual agree {' '.join(coders)} "
        f"--disagreements {Path(str(path)).name} --force': it carries the decisions that still apply "
        "and lists the others"
    )


@contextlib.contextmanager
def _consensus_lock(project: Project, into: str) -> Iterator[list[str]]:
    """Hold the consensus coder's lock, after folding in what a killed session left in its journal.

    Yields the notes to show (a stale lock taken over, answers folded in). Refuses, naming the
    session, while a terminal session codes as ``into``: its next answer would overwrite the
    consensus from memory.
    """
    from slqual.coding.lock import acquire_lock
    from slqual.coding.store import CodingStore

    path = project.coder_path(into)
    try:
        lock = acquire_lock(project, into)
    except CodingsError as exc:
        raise CodingsError(f"{path}: not written, nothing changed: {exc}") from exc
    try:
        notes = [lock.note] if lock.note else []
        store = CodingStore(project, into)  # replays a killed session's journal into the file
        store.close()
        if store.recovered:
            notes.append(
                f"{path}: {store.recovered} answer(s) a session for '{into}' had saved in its journal "
                "(it ended without closing) were folded into the file first; "
                "that file is kept in .slqual/history/"
            )
        yield notes
    finally:
        lock.release()


def _code_sets(frame: pd.DataFrame) -> dict[str, set[str]]:
    sets: dict[str, set[str]] = {}
    for segment, code in zip(frame["segment_id"], frame["code"], strict=True):
        codes = sets.setdefault(segment, set())
        if code:
            codes.add(code)
    return sets


def _segment_order(project: Project, segment_ids: set[str]) -> list[str]:
    """Segments in segments.csv order when the project has one, else sorted."""
    from slqual.segments import read_project_segments

    if project.segments_path.exists():
        ordered = [s for s in read_project_segments(project)["segment_id"] if s in segment_ids]
        return ordered + sorted(segment_ids - set(ordered))
    return sorted(segment_ids)


def _memos(codings: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Each segment's coders' memos as one: once when every coder wrote the same, else each prefixed.

    E.g. ``reviewer1: forms, forms | reviewer2: red tape``; coders with the same memo share
    a prefix (``r1, r2: ...``); a coder's different memos on one segment are joined with '; '.
    """
    by_segment: dict[str, dict[str, list[str]]] = {}
    for coder, frame in codings.items():
        for segment, memo in zip(frame["segment_id"], frame["memo"], strict=True):
            memos = by_segment.setdefault(segment, {}).setdefault(coder, [])
            memo = memo.strip()
            if memo and memo not in memos:
                memos.append(memo)
    joined = {}
    for segment, per_coder in by_segment.items():
        groups: dict[str, list[str]] = {}
        for coder, memos in per_coder.items():
            if memos:
                groups.setdefault("; ".join(memos), []).append(coder)
        if len(groups) == 1 and len(next(iter(groups.values()))) == len(codings):
            joined[segment] = next(iter(groups))
        elif groups:
            joined[segment] = " | ".join(f"{', '.join(who)}: {memo}" for memo, who in groups.items())
    return joined


def _quotes(codings: dict[str, pd.DataFrame], decisions: dict[tuple[str, str], Decision]) -> dict:
    """(segment, code) -> the quote to keep: the team's, else the one quote every marking coder agreed on.

    Coders who left the quote empty let the report choose, so one coder's mark stands; two different
    marks stay undecided (empty) unless the decisions file gives one.
    """
    marked: dict[tuple[str, str], set[str]] = {}
    for frame in codings.values():
        for segment, code, quote in zip(frame["segment_id"], frame["code"], frame["quote"], strict=True):
            if quote.strip():
                marked.setdefault((segment, code), set()).add(quote.strip())
    agreed = {key: next(iter(quotes)) for key, quotes in marked.items() if len(quotes) == 1}
    agreed.update({key: d.quote for key, d in decisions.items() if d.quote})
    return agreed


def _consensus_frame(
    consensus: dict[str, list[Row]],
    codings: dict[str, pd.DataFrame],
    into: str,
    decisions: dict[tuple[str, str], Decision],
) -> pd.DataFrame:
    import pandas as pd

    quotes = _quotes(codings, decisions)
    exemplar = set()
    for frame in codings.values():
        exemplar |= set(frame.loc[frame["exemplar"].str.strip() == "1", "segment_id"])
    memos = _memos(codings)
    now = utc_now_iso()
    rows = [
        {
            "segment_id": segment,
            "code": row.code,
            "coder": into,
            "coded_at": now,
            "memo": memos.get(segment, ""),
            "exemplar": "1" if segment in exemplar else "",
            "quote": quotes.get((segment, row.code), ""),
            "source": row.source,
            "decided_by": row.decided_by,
            "reason": row.reason,
        }
        for segment, segment_rows in consensus.items()
        for row in segment_rows
    ]
    return pd.DataFrame(rows, columns=[*CODING_COLUMNS, *PROVENANCE_COLUMNS])
