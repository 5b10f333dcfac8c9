"""How much of the ingested material a report's coding covers, per group.

A participant segment counts as coded when the coding has a row for it: a
code, or an empty code ("read, and no code applies"). A report over a partial
coding states so under its prevalence table and as a warning in the terminal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slqual.reports.model import Coverage, GroupCoverage

if TYPE_CHECKING:
    from slqual.reports.inputs import ReportInputs


def coverage(inputs: ReportInputs) -> Coverage:
    """Participant segments ingested and coded, per group, for the report's participants."""
    segments = inputs.segments
    read = segments["segment_id"].isin(inputs.read_ids)
    totals = segments.groupby("group").size()
    coded = segments[read].groupby("group").size()
    return Coverage(
        coder=inputs.coder,
        groups=tuple(
            GroupCoverage(
                value=g.value,
                label=g.label,
                segments=int(totals.get(g.value, 0)),
                coded=int(coded.get(g.value, 0)),
            )
            for g in inputs.groups
        ),
    )


def coverage_note(cover: Coverage) -> str:
    """The sentence under the prevalence table; a warning when the coding is partial."""
    text = cover.statement()
    if cover.complete:
        return text
    return (
        f"{text} The coding is incomplete: counts and shares describe the coded segments only, "
        "and may rise when the rest is coded."
    )
