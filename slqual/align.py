"""Aligning a re-read transcript with its segments in segments.csv, so that ids keep their meaning.

The id rule: a segment id, once given, always names the same text or
nothing. A re-read document's units (turns, paragraphs or sentences) are
matched to its old segments in three passes:

1. unchanged: the longest common subsequence of fingerprints (speaker and
   normalised text), so order is kept where it can be;
2. moved: an unmatched unit whose fingerprint equals an unmatched old
   segment's keeps that segment's id wherever it moved;
3. edited: within each stretch between unchanged units, an old and a new unit
   by the same speaker whose words are at least ``threshold`` similar (0 to
   1, ``difflib`` ratio over words) keep the old id, marked for review.

Every other old id is removed (never reused); every other new unit is added
with a number above the highest ever used in the document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

DEFAULT_SIMILARITY = 0.8
_NUMBER = re.compile(r"-(\d+)$")


@dataclass
class Alignment:
    """Ids for one document's new units, and what happened to the old ones."""

    ids: list[str]  # one per new unit, in order
    kept: list[str] = field(default_factory=list)  # unchanged (same speaker and words), maybe moved
    edited: dict[str, float] = field(default_factory=dict)  # id -> similarity of old and new words
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    highest: int = 0  # the highest number ever used in the document, after this alignment


def fingerprint(speaker: str, text: str) -> tuple[str, str]:
    """What 'unchanged' compares: the speaker (case ignored) and the words exactly.

    Both come whitespace-normalised from segments.csv and from the turn builder.
    """
    return (speaker.casefold(), text)


def id_number(segment_id: str) -> int:
    """The number at the end of a segment id (``P07-0012`` -> 12); 0 when there is none."""
    tail = segment_id.rpartition("-")[2]
    if tail.isdigit():
        return int(tail)
    found = _NUMBER.search(segment_id)
    return int(found.group(1)) if found else 0


def new_id(document: str, number: int) -> str:
    return f"{document}-{number:04d}"


def similarity(old: str, new: str) -> float:
    """How alike two texts are, 0 to 1, by their words (case ignored)."""
    a, b = old.casefold().split(), new.casefold().split()
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def align(
    document: str,
    old: Sequence[tuple[str, str, str]],
    new: Sequence[tuple[str, str]],
    *,
    highest: int = 0,
    threshold: float = DEFAULT_SIMILARITY,
) -> Alignment:
    """Give each new unit ``(speaker, text)`` an id from the old segments ``(id, speaker, text)``.

    ``highest`` is the highest number ever used in the document (from the
    manifest); the old ids' own numbers count too, so existing projects keep
    theirs and new numbers never repeat one.
    """
    old_ids = [sid for sid, _, _ in old]
    highest = max(highest, max(map(id_number, old_ids), default=0))
    if [(s, t) for _, s, t in old] == list(new):  # the usual case: nothing changed, not even a letter's case
        return Alignment(ids=old_ids, kept=list(old_ids), highest=highest)
    old_fp = [(s.casefold(), t) for _, s, t in old]
    new_fp = [(s.casefold(), t) for s, t in new]
    if old_fp == new_fp:  # only speakers' case changed
        return Alignment(ids=old_ids, kept=list(old_ids), highest=highest)
    ids: list[str | None] = [None] * len(new)
    result = Alignment(ids=[])
    taken = [False] * len(old)
    matcher = SequenceMatcher(None, old_fp, new_fp, autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            ids[block.b + k] = old[block.a + k][0]
            taken[block.a + k] = True
    # Moved: the same words elsewhere in the document.
    free: dict[str, list[int]] = {}
    for i, fp in enumerate(old_fp):
        if not taken[i]:
            free.setdefault(fp, []).append(i)
    for j, fp in enumerate(new_fp):
        if ids[j] is None and free.get(fp):
            i = free[fp].pop(0)
            ids[j] = old[i][0]
            taken[i] = True
    result.kept = [sid for sid in ids if sid is not None]
    # Edited: similar words by the same speaker, within the stretch between unchanged units.
    for old_span, new_span in _gaps(ids, old, taken):
        _match_edited(old, new, old_span, new_span, ids, taken, threshold, result)
    for j, sid in enumerate(ids):
        if sid is None:
            highest += 1
            ids[j] = new_id(document, highest)
            result.added.append(ids[j])
    result.removed = [old[i][0] for i in range(len(old)) if not taken[i]]
    result.ids = [sid for sid in ids if sid is not None]
    result.highest = highest
    return result


def _gaps(
    ids: list[str | None], old: Sequence[tuple[str, str, str]], taken: list[bool]
) -> list[tuple[list[int], list[int]]]:
    """Stretches of unmatched old and new units between the same pair of matched units."""
    position = {sid: i for i, (sid, _, _) in enumerate(old)}
    gaps = []
    old_start, pending = 0, []
    for j, sid in enumerate(ids):
        if sid is None:
            pending.append(j)
            continue
        anchor = position[sid]
        if anchor < old_start:  # a moved unit is no anchor for order
            continue
        gaps.append(([i for i in range(old_start, anchor) if not taken[i]], pending))
        old_start, pending = anchor + 1, []
    gaps.append(([i for i in range(old_start, len(old)) if not taken[i]], pending))
    return [(o, n) for o, n in gaps if o and n]


def _match_edited(
    old: Sequence[tuple[str, str, str]],
    new: Sequence[tuple[str, str]],
    old_span: list[int],
    new_span: list[int],
    ids: list[str | None],
    taken: list[bool],
    threshold: float,
    result: Alignment,
) -> None:
    """Pair the most similar old and new units of one stretch, best pairs first, keeping order."""
    candidates = []
    for i in old_span:
        _, speaker, text = old[i]
        a = text.casefold().split()
        key = speaker.casefold()
        for j in new_span:
            if new[j][0].casefold() != key:
                continue
            matcher = SequenceMatcher(None, a, new[j][1].casefold().split(), autojunk=False)
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            ratio = matcher.ratio()
            if ratio >= threshold:
                candidates.append((-ratio, i, j))
    pairs: list[tuple[int, int]] = []
    for negative, i, j in sorted(candidates):
        if taken[i] or ids[j] is not None:
            continue
        if any((i < pi) != (j < pj) for pi, pj in pairs):  # would cross a pair already made
            continue
        pairs.append((i, j))
        ids[j] = old[i][0]
        taken[i] = True
        result.edited[old[i][0]] = round(-negative, 3)
