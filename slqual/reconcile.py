"""Reconcile: turn two or more coders' files into one consensus coding.

Codes every coder applied to a segment are kept. Each disagreement (a code
some coders applied to a segment and others did not) is settled by a decision
the team recorded in the disagreements file that ``slqual agree
--disagreements`` writes (its ``decision`` and ``reason`` columns), or, where
the team chose so, by a stated policy for the undecided ones. Every decision
is recorded: in a decisions log beside the audit log, and in the consensus
row's memo.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from slqual.codings import check_coder_name, csv_separator, read_project_codings, write_coding
from slqual.errors import CodingsError
from slqual.fileio import atomic_write_csv, timestamp, utc_now_iso

if TYPE_CHECKING:
    import pandas as pd

    from slqual.project import Project

KEEP_WORDS = {"keep", "include", "yes", "y", "1", "apply", "applied", "true", "agree"}
DROP_WORDS = {"drop", "exclude", "no", "n", "0", "remove", "false", "reject"}
LOG_COLUMNS = ["segment_id", "code", "applied_by", "not_applied_by", "decision", "reason", "source"]


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
        }


def read_decisions(path: Path | str) -> dict[tuple[str, str], tuple[bool, str]]:
    """Read the filled disagreements file: (segment_id, code) -> (keep?, reason).

    Blank decisions are left out (undecided). Every unreadable decision is
    reported at once with its row number.
    """
    import zipfile

    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise CodingsError(
            f"{path}: decisions file not found; make it with 'slqual agree ... --disagreements FILE'"
        )
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, dtype=str, keep_default_na=False)
        else:  # a CSV the team may have saved from a spreadsheet, with ';' between cells
            frame = pd.read_csv(
                path, dtype=str, keep_default_na=False, encoding="utf-8-sig", sep=csv_separator(path)
            )
    # A damaged file: pandas' parser and decoding errors are ValueErrors; a damaged .xlsx raises
    # BadZipFile, KeyError (a part missing) or SyntaxError (its XML cut short).
    except (OSError, ValueError, KeyError, SyntaxError, zipfile.BadZipFile) as exc:
        raise CodingsError(f"{path}: cannot be read as a CSV or Excel file ({exc})") from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in ("segment_id", "code", "decision") if c not in frame.columns]
    if missing:
        raise CodingsError(
            f"{path}: missing column(s) {', '.join(missing)}; "
            "use the file that 'slqual agree --disagreements' wrote"
        )
    reasons = frame["reason"] if "reason" in frame.columns else pd.Series("", index=frame.index)
    decisions: dict[tuple[str, str], tuple[bool, str]] = {}
    problems = []
    for row, (segment, code, decision, reason) in enumerate(
        zip(frame["segment_id"], frame["code"], frame["decision"], reasons, strict=True), start=2
    ):
        word = decision.strip().lower()
        if not word:
            continue
        if word not in KEEP_WORDS | DROP_WORDS:
            problems.append(f"row {row}: decision '{decision}' (use keep or drop)")
            continue
        decisions[(segment.strip(), code.strip())] = (word in KEEP_WORDS, reason.strip())
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise CodingsError(f"{path}: {shown}")
    return decisions


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
    if len(coders) < 2:
        raise CodingsError("reconcile needs at least two coders, e.g. 'slqual reconcile reviewer1 reviewer2'")
    check_coder_name(into)
    if into in coders:
        raise CodingsError(f"'{into}' is one of the coders being reconciled; choose another name with --into")
    codings = read_project_codings(project, coders)
    codebook = project.load_codebook()
    code_rank = {code: rank for rank, code in enumerate(codebook.ids())}  # codebook order
    for coder, frame in codings.items():
        unknown = sorted(set(frame["code"]) - code_rank.keys() - {""})
        if unknown:
            raise CodingsError(
                f"{project.coder_path(coder)}: code(s) {', '.join(unknown[:5])} not in the codebook; "
                "fix them or run 'slqual codebook check --codings'"
            )
    decisions = read_decisions(decisions_file) if decisions_file else {}

    code_sets = {coder: _code_sets(frame) for coder, frame in codings.items()}
    common = set.intersection(*(set(s) for s in code_sets.values()))
    all_coded = set.union(*(set(s) for s in code_sets.values()))
    segment_order = _segment_order(project, all_coded)

    consensus: dict[str, set[str]] = {}
    log_rows = []
    pending = []
    agreed_segments = decided = by_policy = 0
    used_decisions = set()
    for segment in (s for s in segment_order if s in common):
        sets = [code_sets[c][segment] for c in coders]
        agreed = set.intersection(*sets)
        disputed = set.union(*sets) - agreed
        agreed_segments += not disputed
        final = set(agreed)
        for code in sorted(disputed, key=code_rank.__getitem__):
            applied = [c for c in coders if code in code_sets[c][segment]]
            others = [c for c in coders if c not in applied]
            key = (segment, code)
            if key in decisions:
                keep, reason = decisions[key]
                used_decisions.add(key)
                decided += 1
                source = "decision"
            elif undecided is Undecided.stop:
                pending.append(key)
                continue
            else:
                keep, reason = undecided is Undecided.keep, f"undecided: policy '{undecided.value}'"
                by_policy += 1
                source = "policy"
            if keep:
                final.add(code)
            log_rows.append(
                {
                    "segment_id": segment,
                    "code": code,
                    "applied_by": ";".join(applied),
                    "not_applied_by": ";".join(others),
                    "decision": "keep" if keep else "drop",
                    "reason": reason,
                    "source": source,
                }
            )
        consensus[segment] = final

    stray = sorted(set(decisions) - used_decisions)
    if stray:
        segment, code = stray[0]
        raise CodingsError(
            f"{decisions_file}: segment {segment}, code {code} is not a disagreement between "
            f"{', '.join(coders)} (the codings may have changed); make the file again with 'slqual agree'"
        )
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

    import pandas as pd

    # The decisions log first: a consensus file is never there without the record of how it was made.
    log_path = project.internal_dir / "reconcile" / f"{into}-decisions-{timestamp()}.csv"
    atomic_write_csv(log_path, pd.DataFrame(log_rows, columns=LOG_COLUMNS))
    kept = write_coding(project, into, _consensus_frame(consensus, codings, code_rank, log_rows, into))
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
    return replace(result, written=project.coder_path(into), log_path=log_path, kept_previous=kept)


def _code_sets(frame: pd.DataFrame) -> dict[str, set[str]]:
    sets: dict[str, set[str]] = {}
    for segment, code in zip(frame["segment_id"], frame["code"], strict=True):
        codes = sets.setdefault(segment, set())
        if code:
            codes.add(code)
    return sets


def _segment_order(project: Project, segment_ids: set[str]) -> list[str]:
    """Segments in segments.csv order when the project has one, else sorted."""
    if project.segments_path.exists():
        ordered = [s for s in project.read_segments()["segment_id"] if s in segment_ids]
        return ordered + sorted(segment_ids - set(ordered))
    return sorted(segment_ids)


def _consensus_frame(
    consensus: dict[str, set[str]],
    codings: dict[str, pd.DataFrame],
    code_rank: dict[str, int],
    log_rows: list[dict],
    into: str,
) -> pd.DataFrame:
    import pandas as pd

    exemplar = set()
    for frame in codings.values():
        exemplar |= set(frame.loc[frame["exemplar"].str.strip() == "1", "segment_id"])
    reasons = {(r["segment_id"], r["code"]): r["reason"] for r in log_rows if r["decision"] == "keep"}
    now = utc_now_iso()
    rows = [
        {
            "segment_id": segment,
            "code": code,
            "coder": into,
            "coded_at": now,
            "memo": reasons.get((segment, code), ""),
            "exemplar": "1" if segment in exemplar else "",
        }
        for segment, codes in consensus.items()
        for code in sorted(codes, key=code_rank.__getitem__) or [""]
    ]
    return pd.DataFrame(rows)
