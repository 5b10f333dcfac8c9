"""From coder files to the ratings array the statistics take.

The unit of analysis is the segment. For each code, a coder's rating of a
segment is 1 when they applied the code, 0 when they coded the segment but
not with this code (including an empty-code "no code applies" row), and
missing when they never coded the segment. In a project the units are the
participant segments and every codebook code is listed, used or not; outside
a project the units are the union of the segment ids in the files and the
codes those the files use. At theme level a segment is rated 1 for a theme
when any code under the theme (the theme itself included) was applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from slqual.codings import check_codings, factorize_text, problems_error
from slqual.errors import AgreementError

if TYPE_CHECKING:
    import pandas as pd

    from slqual.codebook import Codebook

LEVELS = ("code", "theme")
MAX_LISTED = 5
# Every statistic with coder pairs (Light's kappa, pairwise tables, MASI) grows with the square of the
# number of coders; past this many the pairwise work would not finish in reasonable time.
MAX_CODERS = 40


@dataclass(frozen=True)
class Ratings:
    """The ratings and what their axes mean.

    present: bool (U, C, K), the codes each coder applied; rated: bool (U, C), the segments each
    coder coded. ``ratings`` (float, 1 / 0 / NaN) and ``labels`` (int8, 1 / 0 / -1) are the same
    ratings in other forms, made from these when first asked for (the float array is eight times
    the size, and the statistics need only the labels).
    codes: ids of the K codes (or themes), names, theme ids and parent ids alongside
    (parents: the parent code in the codebook, "" for a theme or outside a project).
    exclusive: every coder gave every segment they coded exactly one code.
    notes: things the researcher should know (rows left out and why).
    """

    coders: tuple[str, ...]
    level: str
    units: tuple[str, ...]
    codes: tuple[str, ...]
    names: tuple[str, ...]
    themes: tuple[str, ...]
    theme_names: tuple[str, ...]
    present: np.ndarray
    rated: np.ndarray
    exclusive: bool
    in_project: bool
    notes: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()
    domains: tuple = ()  # cu_alpha.Domain per codebook node marked exclusive: true (code level)

    @cached_property
    def ratings(self) -> np.ndarray:
        """float (U, C, K): 1 applied, 0 coded without the code, NaN not coded by that coder."""
        ratings = self.present.astype(float)
        ratings[~self.rated] = np.nan
        return ratings

    @cached_property
    def labels(self) -> np.ndarray:
        """int8 (U, C, K): 1 applied, 0 coded without the code, -1 not coded by that coder."""
        rated = np.asarray(self.rated, dtype=bool)
        applied = np.asarray(self.present, dtype=bool) & rated[:, :, None]
        # A bool array read as int8 is 0 or 1 without a copy.
        return applied.view(np.int8) - (~rated).view(np.int8)[:, :, None]


def _listing(items: list[str]) -> str:
    shown = ", ".join(items[:MAX_LISTED])
    more = len(items) - MAX_LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def build_ratings(
    codings: dict[str, pd.DataFrame],
    level: str = "code",
    codebook: Codebook | None = None,
    units: list[str] | None = None,
    known_segments: set[str] | None = None,
    sources: dict[str, str] | None = None,
) -> Ratings:
    """Turn coder DataFrames (``slqual.codings.read_coding``) into a ``Ratings``.

    ``units`` (the participant segments) and ``codebook`` are given in a
    project; without them the units and codes come from the files.
    ``known_segments`` (all segment ids) tells a segment outside the units
    (an interviewer turn: left out, with a note) from an unknown id (an error).
    """
    import pandas as pd

    if level not in LEVELS:
        raise AgreementError(f"level '{level}' is not one of {', '.join(LEVELS)}")
    if len(codings) < 2:
        raise AgreementError("agreement needs at least two coders; name two or more coder files")
    if len(codings) > MAX_CODERS:
        raise AgreementError(
            f"{len(codings)} coders were named; agreement compares every pair of coders, which is "
            f"bounded at {MAX_CODERS} coders ({MAX_CODERS * (MAX_CODERS - 1) // 2} pairs); compare "
            "smaller groups of coders"
        )
    if level == "theme" and codebook is None:
        raise AgreementError(
            "--level theme needs a project's codebook; run inside a project or use --project"
        )
    sources = sources or {}
    coders = tuple(codings)
    notes: list[str] = []
    # Hash tables built once; each distinct id of a file is looked up once (a file repeats a segment
    # id for each code applied to it).
    unit_lookup = None if units is None else pd.Index(units)
    if unit_lookup is not None and not unit_lookup.is_unique:
        raise AgreementError("the segment list has repeated segment ids; run 'slqual ingest' again")
    # Each file's distinct segment ids and codes, looked up once each by the check and below.
    segment_ids = {coder: factorize_text(frame["segment_id"]) for coder, frame in codings.items()}
    code_ids = {coder: factorize_text(frame["code"]) for coder, frame in codings.items()}
    factorized = {coder: {"segment_id": segment_ids[coder], "code": code_ids[coder]} for coder in codings}
    sources_named = {c: sources.get(c, c) for c in codings}
    # Unknown codes and segment ids stop agreement: the one check every command uses.
    problems = check_codings(codings, codebook, known_segments, sources_named, factorized)
    if problems:
        raise problems_error(problems, AgreementError)
    if units is None:
        units = sorted(set().union(*(set(distinct) for _, distinct in segment_ids.values())))
    if codebook is not None:
        if level == "code":
            codes = list(codebook.nodes)
            names = [codebook.nodes[c].name for c in codes]
            themes = [codebook.theme_of(c) for c in codes]
            parents = [codebook.nodes[c].parent or "" for c in codes]
        else:
            codes = [t.id for t in codebook.themes]
            names = [t.name for t in codebook.themes]
            themes = list(codes)
            parents = ["" for _ in codes]
    else:
        codes = sorted(set().union(*(set(distinct) for _, distinct in code_ids.values())) - {""})
        names, themes, parents = list(codes), ["" for _ in codes], ["" for _ in codes]
    # Given units were checked above; units from the files are a sorted set, so unique.
    unit_index = pd.Index(units) if unit_lookup is None else unit_lookup
    column_of = {c: i for i, c in enumerate(codes)}
    if level == "theme":
        column_of = {node: column_of[codebook.theme_of(node)] for node in codebook.nodes}
    known_codes = pd.Index(list(column_of))
    column_array = np.array(list(column_of.values()), dtype=np.int64)
    n_units, n_coders, n_codes = len(units), len(coders), len(codes)
    present = np.zeros((n_units, n_coders, n_codes), dtype=bool)
    rated = np.zeros((n_units, n_coders), dtype=bool)
    for c, coder in enumerate(coders):
        which, distinct = segment_ids[coder]
        rows = unit_index.get_indexer(distinct)[which]
        outside = rows < 0
        if unit_lookup is not None and outside.any():
            left_out = sorted(set(distinct[np.unique(which[outside])]))
            notes.append(
                f"{coder}: {len(left_out)} segment(s) that are not participant "
                f"segments were left out ({_listing(left_out)})"
            )
        rated[rows[~outside], c] = True
        which, distinct = code_ids[coder]
        found = known_codes.get_indexer(distinct)[which]
        ok = (distinct != "")[which] & (found >= 0) & ~outside
        present[rows[ok], c, column_array[found[ok]]] = True
    per_unit = present.sum(axis=2)
    exclusive = bool(rated.any() and (per_unit[rated] == 1).all())
    return Ratings(
        coders=coders,
        level=level,
        units=tuple(units),
        codes=tuple(codes),
        names=tuple(names),
        themes=tuple(themes),
        theme_names=tuple(codebook.nodes[t].name if codebook is not None and t else "" for t in themes),
        present=present,
        rated=rated,
        exclusive=exclusive,
        in_project=codebook is not None,
        notes=tuple(notes),
        parents=tuple(parents),
        domains=exclusive_domains(codebook, codes) if codebook is not None and level == "code" else (),
    )


def exclusive_domains(codebook: Codebook, codes: list[str]) -> tuple:
    """Every node marked ``exclusive: true`` with children, as a ``cu_alpha.Domain`` over ``codes``."""
    from slqual.agreement.cu_alpha import Domain

    column = {c: i for i, c in enumerate(codes)}
    out = []
    for node in codebook.nodes.values():
        if not (getattr(node, "exclusive", False) and node.children):
            continue
        child_of = np.full(len(codes), -1, dtype=np.int64)
        for index, child in enumerate(node.children):
            stack = [child]
            while stack:
                current = stack.pop()
                if current.id in column:
                    child_of[column[current.id]] = index
                stack.extend(current.children)
        out.append(Domain(node.id, node.name, tuple(c.id for c in node.children), child_of))
    return tuple(out)


def word_counts(texts: pd.Series) -> np.ndarray:
    """Each segment's length in words (runs of non-space characters), the weights of --weight words."""
    return texts.fillna("").astype(str).str.split().str.len().to_numpy(dtype=float)


def exclusive_labels(ratings: Ratings) -> np.ndarray:
    """For mutually exclusive codes: (U, C) labels, the index of the one code, -1 when not rated."""
    labels = np.where(ratings.rated, ratings.present.argmax(axis=2), -1)
    return labels.astype(np.int32)
