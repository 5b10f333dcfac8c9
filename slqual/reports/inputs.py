"""Read and check what a report is built from: coding, segments, participants, codebook.

Everything that could make a table wrong is caught here, with a message that
names the file and what to do: a missing consensus coding, an unknown or
single-valued attribute, codes absent from the codebook, coded segments that
are not in segments.csv. Rows that cannot be reported (interviewer turns,
participants without a group) are left out and said so in ``notes``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from slqual.errors import ReportError
from slqual.reports.model import Group, Level, ReportOptions

if TYPE_CHECKING:
    import pandas as pd

    from slqual.codebook import Codebook
    from slqual.project import Project

CONSENSUS = "consensus"
TRUE_FLAGS = {"1", "true", "yes", "y", "x"}
ROLE_COLUMN = "role"


@dataclass(frozen=True)
class ReportInputs:
    """Checked inputs, joined: one row per coded participant segment and code in ``coded``."""

    codebook: Codebook
    coder: str
    by: str
    level: Level
    filters: tuple[tuple[str, str], ...]
    groups: tuple[Group, ...]
    participants: pd.DataFrame = field(compare=False)  # included participants, file order
    segments: pd.DataFrame = field(compare=False)  # their participant segments (+ words, group)
    coded: pd.DataFrame = field(compare=False)  # segment x code rows (+ theme, unit, exemplar, group)
    attributes: tuple[str, ...] = ()  # participant columns other than participant_id
    notes: tuple[str, ...] = ()
    read_ids: frozenset[str] = frozenset()  # segments with a row in the coding (a code, or none applies)
    labels: dict[str, str] = field(default_factory=dict, compare=False)  # participant_id -> label
    attributions: dict[str, str] = field(default_factory=dict, compare=False)  # id -> "(CM3, GP)"
    redactor: Any = field(default=None, compare=False)  # slqual.redact.Redactor
    tidy: tuple[str, ...] = ()  # fillers taken out of quotes; () with --verbatim
    small_cells: tuple[str, ...] = ()  # columns, rows or attribute values under quotes.min_cell
    shown_attributes: tuple[str, ...] = ()  # --attribute
    keep_ids: bool = False

    @cached_property
    def ranked(self) -> pd.DataFrame:
        """``coded`` in quote preference order (``quotes.rank_candidates``), ranked once for every table."""
        from slqual.reports.quotes import rank_candidates

        return rank_candidates(self.coded)

    @cached_property
    def theme_ranked(self) -> pd.DataFrame:
        """``ranked`` rolled up to themes: its first row per (theme, segment); the overview and the
        thematic map share it."""
        return self.ranked.drop_duplicates(["theme", "segment_id"])

    def role_of(self) -> dict[str, str]:
        if ROLE_COLUMN not in self.participants.columns:
            return {}
        return dict(zip(self.participants["participant_id"], self.participants[ROLE_COLUMN], strict=True))

    def label_of(self, pid: str) -> str:
        return self.labels.get(pid, pid)

    @property
    def ids_shown(self) -> bool:
        """Real ids go into the long tables with --keep-ids, or when the labels are the ids."""
        return self.keep_ids or all(k == v for k, v in self.labels.items())

    def unit_of(self, code: str) -> str:
        """The row a code is reported under at this level: itself, its subtheme or its theme."""
        return unit_of(self.codebook, code, self.level)


def unit_of(codebook: Codebook, code: str, level: Level) -> str:
    """The node a code is reported under: itself (code), its ancestor one below the theme
    (subtheme; a theme coded itself stays the theme), or its theme."""
    if level is Level.code:
        return code
    chain = codebook.ancestors(code)
    return chain[0].id if level is Level.theme else chain[min(1, len(chain) - 1)].id


def group_label(value: str, labels: dict[str, str]) -> str:
    """The header text of a group: the label set in slqual.yaml, else the value in title case."""
    if value in labels:
        return labels[value]
    # Title case for lower-case values ('non-clinical' -> 'Non-Clinical'); 'GP' stays 'GP'.
    return value if any(ch.isupper() for ch in value) else value.replace("_", " ").title()


def order_groups(values: list[str], labels: dict[str, str]) -> list[str]:
    """Groups named in ``group_labels`` first, in that order, then the rest sorted."""
    first = [v for v in labels if v in values]
    return first + sorted(v for v in values if v not in first)


def _read_coder(project: Project, coder: str | None) -> tuple[str, pd.DataFrame]:
    from slqual.coding.pseudo import is_pseudo
    from slqual.codings import read_project_codings

    if coder is None:
        if not project.coder_path(CONSENSUS).is_file():
            next_step(project)
            existing = ", ".join(project.coders()) or "none yet"
            raise ReportError(
                f"{project.coder_path(CONSENSUS)}: no consensus coding yet; run 'slqual reconcile CODER1 "
                f"CODER2' or report one coder with --coder NAME (coders: {existing})"
            )
        coder = CONSENSUS
        frame = read_project_codings(project, [coder])[coder]
        if is_pseudo(frame):  # machine suggestions are reported only when asked for by name
            raise ReportError(
                f"{project.coder_path(coder)}: written by a machine (autocode or suggest apply), not "
                f"reconciled by people; report it only on purpose with --coder {coder}"
            )
        return coder, frame
    return coder, read_project_codings(project, [coder])[coder]


def next_step(project: Project) -> None:
    """ReportError naming the step that comes first when there is nothing to report yet: ingest, or code."""
    if not project.segments_path.is_file():
        raise ReportError(
            f"{project.segments_path}: nothing ingested yet; run 'slqual ingest transcripts/' first, "
            "then code the segments ('slqual code --coder NAME')"
        )
    if not project.coders():
        raise ReportError(
            f"{project.root / 'codings'}: nothing coded yet; code the segments first "
            "('slqual code --coder NAME', or 'slqual sheet export' for a spreadsheet), then report one coder "
            "with --coder NAME or reconcile two coders"
        )


def _filter_participants(
    project: Project, participants: pd.DataFrame, by: str, where: tuple[tuple[str, str], ...]
) -> tuple[pd.DataFrame, list[str]]:
    path = project.participants_path
    attributes = [c for c in participants.columns if c != "participant_id"]
    for attr in [by, *(a for a, _ in where)]:
        if attr not in participants.columns:
            raise ReportError(
                f"{path}: no participant attribute '{attr}'; attributes are {', '.join(attributes) or 'none'}"
                " (add a column to participants.csv or choose one of these)"
            )
    mask = participants["participant_id"].notna()
    wanted: dict[str, list[str]] = {}
    for attr, value in where:
        wanted.setdefault(attr, []).append(value)
    for attr, values in wanted.items():
        present = set(participants[attr])
        for value in values:
            if value not in present:
                shown = ", ".join(sorted(v for v in present if v)) or "none"
                raise ReportError(f"{path}: no participant has {attr}={value}; values of '{attr}': {shown}")
        mask &= participants[attr].isin(values)
    chosen = participants[mask]
    notes = []
    blank = chosen[chosen[by] == ""]
    if len(blank):
        ids = ", ".join(blank["participant_id"].head(5))
        notes.append(
            f"{path}: left out {len(blank)} participant(s) with no value for '{by}' ({ids}); "
            "fill in the column to include them"
        )
        chosen = chosen[chosen[by] != ""]
    if chosen.empty:
        raise ReportError(f"{path}: no participants left after the --where filters; loosen the filters")
    return chosen.reset_index(drop=True), notes


def _check_groups(project: Project, participants: pd.DataFrame, by: str, filtered: bool) -> None:
    values = sorted(set(participants[by]))
    if len(values) < 2:
        scope = " after the --where filters" if filtered else ""
        # Suggest attributes that do split these participants, fewest values first.
        counts = {
            column: participants.loc[participants[column] != "", column].nunique()
            for column in participants.columns
            if column not in ("participant_id", by)
        }
        usable = sorted((n, i, c) for i, (c, n) in enumerate(counts.items()) if n >= 2)
        if usable:
            hint = "e.g. " + " or ".join(f"--by {c}" for _, _, c in usable[:2])
        else:
            hint = "none does here: loosen the --where filters" if filtered else "add one to participants.csv"
        raise ReportError(
            f"{project.participants_path}: attribute '{by}' has a single value ({values[0]}) among the "
            f"interviewed participants{scope}; compare by an attribute with two or more values, {hint}"
        )


def _check_coding(
    project: Project, coder: str, coding: pd.DataFrame, segments: pd.DataFrame, codebook
) -> None:
    """Unknown codes and segments stop the report: the one coder-file check every command uses."""
    from slqual.codings import check_codings, problems_error

    sources = {coder: str(project.coder_path(coder))}
    problems = check_codings({coder: coding}, codebook, segments["segment_id"], sources)
    if problems:
        raise problems_error(problems, ReportError)


def load_inputs(project: Project, options: ReportOptions) -> ReportInputs:
    """Read, check and join everything a report needs (see the module docstring)."""
    from slqual.codebook import load_project_codebook
    from slqual.participants import read_project_participants
    from slqual.pseudonyms import participant_labels
    from slqual.redact import load_redactor
    from slqual.reports.safety import attributions, check_attributes, quote_spans, small_cells
    from slqual.segments import read_project_segments

    codebook = load_project_codebook(project)
    redactor = load_redactor(project)
    coder, coding = _read_coder(project, options.coder)
    by = options.by or project.settings.group_by
    all_participants = read_project_participants(project)
    check_attributes(project.participants_path, all_participants, options.attributes)
    quote_settings = project.settings.quotes
    names = participant_labels(
        all_participants,
        quote_settings.label,
        project.settings.group_by,
        project.settings.group_labels,
        source=f"{project.settings_path} quotes.label",
    )
    participants, notes = _filter_participants(project, all_participants, by, options.where)
    segments = read_project_segments(project)
    _check_coding(project, coder, coding, segments, codebook)
    interviewed = participants["participant_id"].isin(
        segments.loc[segments["speaker_role"] == "participant", "participant_id"]
    )
    if not interviewed.all():
        ids = ", ".join(participants.loc[~interviewed, "participant_id"].head(5))
        notes.append(
            f"{project.participants_path}: {int((~interviewed).sum())} participant(s) have no transcript "
            f"segments yet ({ids}); they are not counted in the group sizes"
        )
        participants = participants[interviewed].reset_index(drop=True)
    if participants.empty:
        raise ReportError(f"{project.segments_path}: no participant segments for these participants")
    _check_groups(project, participants, by, bool(options.where))

    labels = project.settings.group_labels
    values = order_groups(sorted(set(participants[by])), labels)
    sizes = participants[by].value_counts()
    groups = tuple(Group(value=v, label=group_label(v, labels), n=int(sizes[v])) for v in values)
    group_of = dict(zip(participants["participant_id"], participants[by], strict=True))

    spoken = segments[segments["speaker_role"] == "participant"]
    spoken = spoken[spoken["participant_id"].isin(group_of)].copy()
    spoken["group"] = spoken["participant_id"].map(group_of)
    spoken["words"] = [len(text.split()) for text in spoken["text"].tolist()]  # 4x faster than .str.split
    spoken = spoken[["segment_id", "document", "participant_id", "seq", "text", "words", "group"]]

    used = coding[coding["code"] != ""].copy()
    used["exemplar"] = used["exemplar"].str.strip().str.lower().isin(TRUE_FLAGS)
    by_id = segments.set_index("segment_id")
    spoken_by_participant = used["segment_id"].map(by_id["speaker_role"]) == "participant"
    owner = used["segment_id"].map(by_id["participant_id"])
    not_spoken = used[~spoken_by_participant]
    if len(not_spoken):
        notes.append(
            f"{project.coder_path(coder)}: left out {len(not_spoken)} coded interviewer or other-speaker "
            "segment(s); reports quote and count participants only"
        )
    unlisted = spoken_by_participant & ~owner.isin(all_participants["participant_id"])
    if unlisted.any():
        ids = ", ".join(sorted(set(owner[unlisted]))[:5]) or "no participant id"
        notes.append(
            f"{project.participants_path}: left out {unlisted.sum()} coded segment(s) of participants not "
            f"listed there ({ids}); add them to participants.csv to include them"
        )
    used = used.sort_values(["segment_id", "code", "exemplar"], ascending=[True, True, False], kind="stable")
    used = used.drop_duplicates(["segment_id", "code"])
    coded = used[["segment_id", "code", "coder", "exemplar"]].merge(spoken, on="segment_id", how="inner")
    coded = quote_spans(
        project.coder_path(coder), coding, coded, segments, codebook, options.max_words, options.min_words
    )
    theme_of = {code: codebook.theme_of(code) for code in coded["code"].unique()}
    coded["theme"] = coded["code"].map(theme_of)
    units = {code: unit_of(codebook, code, options.level) for code in coded["code"].unique()}
    coded["unit"] = coded["code"].map(units) if len(coded) else coded["code"]
    coded = coded.sort_values(["segment_id", "code"], kind="stable").reset_index(drop=True)
    cells = small_cells(participants, by, options.where, options.attributes, quote_settings.min_cell)
    notes.extend(cells)
    return ReportInputs(
        codebook=codebook,
        coder=coder,
        by=by,
        level=options.level,
        filters=options.where,
        groups=groups,
        participants=participants,
        segments=spoken.reset_index(drop=True),
        coded=coded,
        attributes=tuple(c for c in participants.columns if c != "participant_id"),
        notes=tuple(notes),
        read_ids=frozenset(coding["segment_id"].tolist()),
        labels=names,
        attributions=attributions(participants, names, options.attributes, redactor),
        redactor=redactor,
        tidy=() if options.verbatim else quote_settings.tidy,
        small_cells=tuple(cells),
        shown_attributes=options.attributes,
        keep_ids=options.keep_ids,
    )
