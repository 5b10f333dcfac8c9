"""``slqual agree`` as one library call: find the coders' files, build the ratings, compute, report.

This is the only module of the agreement package that touches files; the
statistics themselves are pure functions over arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from slqual.errors import AgreementError, ProjectError

if TYPE_CHECKING:
    import pandas as pd

    from slqual.agreement.compute import AgreementResult


@dataclass(frozen=True)
class AgreeOptions:
    """What ``slqual agree`` was asked for."""

    coders: tuple[str, ...]
    project: Path | None = None
    level: str = "code"
    replicates: int = 0
    seed: int | None = None
    min_alpha: float | None = None
    disagreements: Path | None = None
    force: bool = False  # replace an existing disagreements file (kept in history in a project)
    weight: str = "segments"  # "segments": each segment counts once; "words": by its length in words
    redact: bool = False  # replace redact.csv's names and places in the disagreements file


@dataclass(frozen=True)
class AgreeOutcome:
    """The report (``data``, the documented JSON), the disagreements and the methods paragraph."""

    data: dict
    result: AgreementResult
    disagreements_path: Path | None
    methods: str
    notes: tuple[str, ...] = field(default=())
    # The table as written to the disagreements file; without a file it is built when first asked
    # for (``disagreements``), from the ratings and the segments' context: JSON output never needs it.
    written_table: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    context: pd.DataFrame | None = field(default=None, repr=False, compare=False)

    @cached_property
    def disagreements(self) -> pd.DataFrame:
        """One row per segment and code where the coders differ (as written, when a file was)."""
        if self.written_table is not None:
            return self.written_table
        from slqual.agreement.disagreements import disagreements_table

        return disagreements_table(self.result.ratings, self.context)

    def to_dict(self) -> dict:
        """What ``slqual agree --format json`` prints."""
        return self.data

    @property
    def below_min_alpha(self) -> list[str]:
        from slqual.agreement.report import below_min_alpha

        return below_min_alpha(self.data)


def _looks_like_path(arg: str) -> bool:
    return arg.lower().endswith(".csv") or "/" in arg or "\\" in arg or Path(arg).is_file()


def _coder_name(frame: pd.DataFrame, path: Path) -> str:
    """The coder column when it names one coder, else the file stem."""
    names = sorted(set(frame["coder"]) - {""})
    return names[0] if len(names) == 1 else path.stem


def load_codings(options: AgreeOptions):
    """(project or None, {coder: frame}, {coder: source}) for the coder arguments."""
    from slqual.codings import read_coding, read_project_codings
    from slqual.project import find_project

    if len(options.coders) < 2:
        raise AgreementError("agreement needs at least two coders, e.g. 'slqual agree reviewer1 reviewer2'")
    as_paths = [_looks_like_path(arg) for arg in options.coders]
    try:
        project = find_project(options.project)
    except ProjectError:
        if options.project is not None or not all(as_paths):
            raise
        project = None
    codings: dict[str, pd.DataFrame] = {}
    sources: dict[str, str] = {}
    for arg, is_path in zip(options.coders, as_paths, strict=True):
        if is_path:
            path = Path(arg)
            frame = read_coding(path)
            name = _coder_name(frame, path)
        else:
            frame = read_project_codings(project, [arg])[arg]
            path, name = project.coder_path(arg), arg
        if name in codings:
            also = "" if sources[name] == str(path) else f" (also in {sources[name]})"
            raise AgreementError(f"{path}: coder '{name}' is named twice{also}; give each coder once")
        if frame.empty:
            raise AgreementError(
                f"{path}: the file holds no codings (it is empty or has only a header row); "
                "check that it is the coder's file and that it was saved"
            )
        codings[name] = frame
        sources[name] = str(path)
    return project, codings, sources


def _check_disagreements_target(options: AgreeOptions) -> None:
    """A filled-in disagreements file holds the team's decisions: never replace it unasked."""
    target = options.disagreements
    if target is not None and Path(target).exists() and not options.force:
        raise AgreementError(
            f"{target}: already exists and may hold your team's decisions; choose another name, "
            "or add --force to replace it (in a project the old file is kept in .slqual/history/)"
        )


def reconciled_into_consensus(root: Path) -> bool:
    """Whether ``codings/consensus.csv`` exists and the audit log records a reconcile into it."""
    import json

    if not (root / "codings" / "consensus.csv").is_file():
        return False
    log = root / ".slqual" / "audit.log"
    try:
        lines = log.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return False
    for line in lines:
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if (
            isinstance(event, dict)
            and event.get("action") == "reconcile"
            and event.get("into") == "consensus"
        ):
            return True
    return False


def run_agree(options: AgreeOptions) -> AgreeOutcome:
    """Read, compute and report; writes only the disagreements file when one is asked for."""
    from slqual.agreement.build import build_ratings, word_counts
    from slqual.agreement.compute import compute_agreement
    from slqual.agreement.methods import methods_paragraph
    from slqual.agreement.report import to_dict
    from slqual.codebook import load_project_codebook
    from slqual.segments import read_project_segments

    project, codings, sources = load_codings(options)
    _check_disagreements_target(options)
    context = None
    if project is not None:
        from slqual.coding.frame import coding_frame

        all_segments = read_project_segments(project)
        # The participant segments with the context a coder saw (document, group, question, text).
        context = coding_frame(project, all_segments).set_index("segment_id")
        ratings = build_ratings(
            codings,
            level=options.level,
            codebook=load_project_codebook(project),
            units=context.index.tolist(),  # tolist: far quicker than iterating a pandas string array
            known_segments=set(all_segments["segment_id"].tolist()),
            sources=sources,
        )
    else:
        ratings = build_ratings(codings, level=options.level, sources=sources)
    if not ratings.units:
        raise AgreementError("the coder files hold no segments; code some segments first")
    weights = None
    if options.weight == "words":
        if context is None:
            raise AgreementError(
                "--weight words needs each segment's text, which only a project's segments.csv holds; "
                "run inside the project (or add --project DIR), or leave out --weight"
            )
        weights = word_counts(context.loc[list(ratings.units), "text"])
    result = compute_agreement(ratings, options.replicates, options.seed, options.min_alpha, weights)
    data = to_dict(result)
    data["segment_unit"] = project.settings.unit if project is not None else None
    data["consensus_from_reconcile"] = project is not None and reconciled_into_consensus(project.root)
    written, table, carried = None, None, ()
    if options.disagreements is not None:
        from slqual.agreement.disagreements import disagreements_table, write_disagreements_file

        table = disagreements_table(ratings, context)
        root = project.root if project is not None else None
        if options.redact and project is not None:
            from slqual.redact import load_redactor, redact_columns

            table = redact_columns(table, ("question", "text"), load_redactor(project))
        written, table, carried = write_disagreements_file(table, options.disagreements, ratings.coders, root)
    if project is not None:
        project.audit(
            "agree",
            coders=list(ratings.coders),
            level=options.level,
            bootstrap=options.replicates,
            seed=options.seed,
            weight=options.weight,
            disagreements=str(written) if written else None,
        )
    return AgreeOutcome(
        data=data,
        result=result,
        disagreements_path=written,
        methods=methods_paragraph(data),
        notes=(*ratings.notes, *carried),
        written_table=table,
        context=context,
    )
