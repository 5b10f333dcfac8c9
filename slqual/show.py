"""Read back everything coded with a code or theme: the segments, who coded them, memos and quotes.

The read-back researchers do while writing up (NVivo's "open node"): every
participant segment that the chosen coders coded with the code, or with any
code under it, grouped by a participant attribute.
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from slqual.errors import CodebookError, CodingsError, ProjectError

if TYPE_CHECKING:
    from slqual.codebook import Codebook
    from slqual.project import Project

NO_VALUE = "(none)"
QUOTE_JOINER = "..."


@dataclass(frozen=True)
class ShownSegment:
    segment_id: str
    document: str
    participant_id: str
    speaker: str
    group: str  # the participant's value of the --by attribute
    codes: tuple[str, ...]  # the codes (under the target) that were applied
    coders: tuple[str, ...]  # who applied them
    memos: tuple[str, ...]  # "coder: memo" for every non-empty memo
    quote: str  # the marked quote (parts joined with '...'), empty if none
    text: str


@dataclass(frozen=True)
class ShowGroup:
    value: str
    segments: tuple[ShownSegment, ...]


@dataclass(frozen=True)
class ShowResult:
    target: str
    name: str
    kind: str  # 'theme' or 'code'
    codes: tuple[str, ...]  # the target and every code under it
    coders: tuple[str, ...]
    by: str
    where: tuple[tuple[str, str], ...]
    total: int
    groups: tuple[ShowGroup, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def rows(self) -> list[dict[str, str]]:
        """One flat row per segment, for CSV."""
        return [
            {
                self.by: group.value,
                "segment_id": s.segment_id,
                "participant_id": s.participant_id,
                "speaker": s.speaker,
                "codes": "; ".join(s.codes),
                "coders": "; ".join(s.coders),
                "memo": " | ".join(s.memos),
                "quote": s.quote,
                "text": s.text,
            }
            for group in self.groups
            for s in group.segments
        ]


def resolve_code(codebook: Codebook, name: str, source: str) -> str:
    """The codebook id meant by ``name`` (an id, or the unique id ending in it); else 'did you mean'."""
    if name in codebook:
        return name
    endings = [i for i in codebook.ids() if i.rsplit(".", 1)[-1] == name]
    if len(endings) == 1:
        return endings[0]
    close = difflib.get_close_matches(name, codebook.ids(), n=3, cutoff=0.5)
    by_ending: dict[str, list[str]] = {}
    for code in codebook.ids():
        by_ending.setdefault(code.rsplit(".", 1)[-1], []).append(code)
    for ending in difflib.get_close_matches(name, list(by_ending), n=3, cutoff=0.7):
        close += [i for i in by_ending[ending] if i not in close]
    close += [i for i in endings if i not in close]
    hint = f"did you mean {' or '.join(close)}?" if close else "see 'slqual codebook show' for the codes"
    raise CodebookError(f"{source}: no code or theme '{name}'; {hint}")


def parse_where(items: list[str] | tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """ATTR=VALUE filters as pairs; a malformed one is an error naming it."""
    pairs = []
    for item in items:
        attr, sep, value = item.partition("=")
        if not sep or not attr.strip():
            raise ProjectError(f"--where '{item}': write it as ATTRIBUTE=VALUE, e.g. --where group=clinical")
        pairs.append((attr.strip(), value.strip()))
    return tuple(pairs)


def show(
    project: Project,
    target: str,
    *,
    coders: list[str] | None = None,
    by: str | None = None,
    where: tuple[tuple[str, str], ...] = (),
) -> ShowResult:
    """Every segment the coders coded with ``target`` or a code under it, grouped by ``by``."""
    from slqual.suggest import data

    codebook = data.load_codebook(project)
    code = resolve_code(codebook, target, str(project.codebook_path))
    node = codebook.node(code)
    wanted = tuple(n.id for n in codebook.descendants(code))
    chosen = list(dict.fromkeys(coders)) if coders else data.human_coders(project)
    if not chosen:
        raise CodingsError(
            f"{project.codings_dir}: no coder files written by people yet; code with "
            "'slqual code --coder NAME' or name a coder with --coder"
        )
    by = by or project.settings.group_by
    participants = data.participants(project)
    attributes = [c for c in participants.columns if c != "participant_id"]
    for attr in [by, *(a for a, _ in where)]:
        if attr not in participants.columns:
            raise ProjectError(
                f"{project.participants_path}: no participant attribute '{attr}'; attributes are "
                f"{', '.join(attributes) or 'none'}"
            )
    allowed = set(participants["participant_id"])
    for attr, value in where:
        if value not in set(participants[attr]):
            shown = ", ".join(sorted(v for v in set(participants[attr]) if v)) or "none"
            raise ProjectError(
                f"{project.participants_path}: no participant has {attr}={value}; values of '{attr}': {shown}"
            )
        allowed &= set(participants.loc[participants[attr] == value, "participant_id"])
    value_of = dict(zip(participants["participant_id"], participants[by], strict=True))
    segments = data.participant_segments(project)
    order = {sid: i for i, sid in enumerate(segments["segment_id"])}
    by_id = segments.set_index("segment_id")
    applied: dict[str, dict[str, Any]] = {}
    for coder in chosen:
        coding = data.read_coder(project, coder)
        hits = coding[coding["code"].isin(wanted) & coding["segment_id"].isin(order)]
        for row in hits.itertuples(index=False):
            entry = applied.setdefault(row.segment_id, {"codes": [], "coders": [], "memos": [], "quote": ""})
            for key, value in (("codes", row.code), ("coders", coder)):
                if value not in entry[key]:
                    entry[key].append(value)
            memo = f"{coder}: {row.memo}"
            if row.memo and memo not in entry["memos"]:
                entry["memos"].append(memo)
            entry["quote"] = entry["quote"] or row.quote
    groups: dict[str, list[ShownSegment]] = {}
    for sid in sorted(applied, key=order.__getitem__):
        segment = by_id.loc[sid]
        pid = segment["participant_id"]
        if where and pid not in allowed:
            continue
        entry = applied[sid]
        value = value_of.get(pid, "") or NO_VALUE
        groups.setdefault(value, []).append(
            ShownSegment(
                segment_id=sid,
                document=segment["document"],
                participant_id=pid,
                speaker=segment["speaker"],
                group=value,
                codes=tuple(entry["codes"]),
                coders=tuple(entry["coders"]),
                memos=tuple(entry["memos"]),
                quote=entry["quote"],
                text=segment["text"],
            )
        )
    ordered = sorted(groups, key=lambda v: (v == NO_VALUE, v))
    return ShowResult(
        target=code,
        name=node.name,
        kind="theme" if node.parent is None else "code",
        codes=wanted,
        coders=tuple(chosen),
        by=by,
        where=tuple(where),
        total=sum(len(v) for v in groups.values()),
        groups=tuple(ShowGroup(v, tuple(groups[v])) for v in ordered),
    )


def quote_spans(text: str, quote: str) -> list[tuple[int, int]]:
    """Where the parts of a marked quote (joined with '...') stand in the text, for highlighting."""
    spans = []
    start = 0
    for part in (p.strip() for p in quote.split(QUOTE_JOINER)):
        if not part:
            continue
        at = text.find(part, start)
        if at == -1:
            at = text.lower().find(part.lower())
        if at != -1:
            spans.append((at, at + len(part)))
            start = at + len(part)
    return spans


def to_markdown(result: ShowResult) -> str:
    """The read-back as Markdown, the quote in bold, for writing up."""
    lines = [f"# {result.target}: {result.name}", ""]
    lines.append(
        f"{result.total} segment(s) coded by {', '.join(result.coders)}, grouped by {result.by}"
        + (f"; only {', '.join(f'{a}={v}' for a, v in result.where)}" if result.where else "")
        + "."
    )
    for group in result.groups:
        lines += ["", f"## {result.by}: {group.value} ({len(group.segments)})"]
        for s in group.segments:
            text = s.text
            for start, end in reversed(quote_spans(s.text, s.quote)):
                text = f"{text[:start]}**{text[start:end]}**{text[end:]}"
            lines += [
                "",
                f"### {s.segment_id} · {s.participant_id} ({s.speaker})",
                "",
                f"> {text}",
                "",
                f"Codes: {', '.join(s.codes)} · coded by {', '.join(s.coders)}",
            ]
            lines += [f"Memo: {memo}" for memo in s.memos]
    return "\n".join(lines) + "\n"
