"""Keyword pre-coding: apply the codebook's ``keywords`` to participant segments.

A keyword is a word or phrase, matched case-insensitively as whole words
(``fell into`` matches "I Fell  into it" but not "befell into"), or a regular
expression written ``re:<pattern>`` (case-insensitive; add ``\\b`` yourself
where word boundaries matter). Matches are written as a pseudo-coder (``auto``
by default) whose every row says in its memo that it is keyword pre-coding and
which keyword matched. It never writes into a human coder's file.
"""

from __future__ import annotations

import contextlib
import re
import signal
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from slqual.codebook.checks import REGEX_PREFIX
from slqual.coding.pseudo import KEYWORD_MARKER
from slqual.codings import CODING_COLUMNS, check_coder_name, read_coding, write_coding
from slqual.errors import CodebookError, CodingsError
from slqual.fileio import utc_now_iso

if TYPE_CHECKING:
    import pandas as pd

    from slqual.codebook import Codebook
    from slqual.project import Project

AUTO_CODER = "auto"
MEMO_PREFIX = KEYWORD_MARKER  # the pseudo-coder marker (slqual.coding.pseudo)
REGEX_SECONDS = 2.0  # the longest one regular-expression keyword may take on one segment


@dataclass(frozen=True)
class KeywordRule:
    """One compiled keyword of one code."""

    code: str
    keyword: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class CodeMatches:
    code: str
    name: str
    keywords: int
    segments: int


@dataclass(frozen=True)
class AutocodeResult:
    """What ``autocode`` wrote: per code, how many segments its keywords matched."""

    coder: str
    path: str
    segments: int
    matched_segments: int
    assignments: int
    codes: tuple[CodeMatches, ...]
    history_path: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def compile_keyword(code: str, keyword: str, source: str = "codebook") -> re.Pattern[str]:
    """A case-insensitive pattern for a word, phrase or ``re:`` regular expression."""
    if keyword.startswith(REGEX_PREFIX):
        try:
            return re.compile(keyword[len(REGEX_PREFIX) :], re.IGNORECASE)
        except re.error as exc:
            raise CodebookError(
                f"{source}: keyword '{keyword}' of code '{code}' is not a valid regular expression "
                f"({exc}); fix it"
            ) from exc
    words = keyword.split()
    if not words:
        raise CodebookError(f"{source}: code '{code}' has an empty keyword; remove it")
    body = r"\s+".join(re.escape(w) for w in words)
    # Whole words only: no letter or digit right before or after the phrase.
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def keyword_rules(codebook: Codebook) -> list[KeywordRule]:
    """Every keyword of every code, compiled, in codebook order."""
    return [
        KeywordRule(node.id, keyword, compile_keyword(node.id, keyword, codebook.source))
        for node in codebook
        for keyword in node.keywords
        if keyword
    ]


class _TooSlow(Exception):
    pass


@contextlib.contextmanager
def _time_budget(seconds: float) -> Iterator[Callable[[re.Pattern[str], str], bool]]:
    """Yield a ``search(pattern, text)`` that raises _TooSlow after ``seconds``.

    A pattern with nested repetition, e.g. ``(\\w+\\s?)+$``, can take hours
    on one long segment. Python's matching can be interrupted by a signal, so a
    timer stops it. Without timers (Windows, or not the main thread) searches
    run unguarded.
    """
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield lambda pattern, text: pattern.search(text) is not None
        return

    def expire(signum: int, frame: object) -> None:
        raise _TooSlow

    def search(pattern: re.Pattern[str], text: str) -> bool:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            return pattern.search(text) is not None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    previous = signal.signal(signal.SIGALRM, expire)
    try:
        yield search
    finally:
        signal.signal(signal.SIGALRM, previous)


def match_segments(
    segments: pd.DataFrame, codebook: Codebook, budget: float = REGEX_SECONDS
) -> dict[str, list[tuple[str, str]]]:
    """For each segment id, the (code, first matching keyword) pairs, in codebook order.

    A ``re:`` keyword that runs longer than ``budget`` seconds on one segment stops the
    run with a CodebookError naming it (plain words and phrases are always fast).
    """
    rules = keyword_rules(codebook)
    found: dict[str, list[tuple[str, str]]] = {}
    with _time_budget(budget) as guarded:
        for sid, text in zip(segments["segment_id"], segments["text"], strict=True):
            hits: dict[str, str] = {}
            for rule in rules:
                if rule.code in hits:
                    continue
                if not rule.keyword.startswith(REGEX_PREFIX):
                    matched = rule.pattern.search(text) is not None
                else:
                    try:
                        matched = guarded(rule.pattern, text)
                    except _TooSlow:
                        raise CodebookError(
                            f"{codebook.source}: keyword '{rule.keyword}' of code '{rule.code}' took more "
                            f"than {budget:g} seconds on segment {sid}; a pattern that repeats a repetition, "
                            "such as (\\w+\\s?)+, can run for hours: simplify it, e.g. [\\w\\s]+"
                        ) from None
                if matched:
                    hits[rule.code] = rule.keyword
            found[sid] = list(hits.items())
    return found


def only_precoding(coding: pd.DataFrame) -> bool:
    """True when every row of a coder's codings was written by keyword pre-coding (or there are none)."""
    return bool(coding["memo"].str.startswith(MEMO_PREFIX).all())


def _is_auto_file(project: Project, coder: str) -> bool:
    """True when the coder's file does not exist yet or holds only keyword pre-coding rows."""
    path = project.coder_path(coder)
    return not path.exists() or only_precoding(read_coding(path, coder))


def autocode(project: Project, coder: str = AUTO_CODER) -> AutocodeResult:
    """Pre-code every participant segment by keywords into the pseudo-coder's file."""
    from slqual.codebook import load_project_codebook
    from slqual.coding.frame import participant_frame
    from slqual.coding.lock import coder_lock

    check_coder_name(coder)
    if not _is_auto_file(project, coder):
        raise CodingsError(
            f"{project.coder_path(coder)}: holds codings that are not keyword pre-coding; autocode never "
            f"writes into a person's file, so choose another name, e.g. --coder {AUTO_CODER}"
        )
    codebook = load_project_codebook(project)
    frame = participant_frame(project)
    matches = match_segments(frame, codebook)
    now = utc_now_iso()
    rows = []
    for sid in frame["segment_id"]:
        hits = matches[sid]
        if not hits:
            rows.append([sid, "", coder, now, f"{MEMO_PREFIX}: no keyword matched", "", ""])
        rows.extend(
            [sid, code, coder, now, f"{MEMO_PREFIX}: matched '{keyword}'", "", ""] for code, keyword in hits
        )
    import pandas as pd

    with coder_lock(project, coder):
        kept = write_coding(project, coder, pd.DataFrame(rows, columns=CODING_COLUMNS))
    counts = Counter(code for hits in matches.values() for code, _ in hits)
    per_code = tuple(
        CodeMatches(node.id, node.name, len(node.keywords), counts[node.id])
        for node in codebook
        if node.keywords
    )
    assignments = sum(counts.values())
    project.audit("autocode", coder=coder, assignments=assignments)
    return AutocodeResult(
        coder=coder,
        path=str(project.coder_path(coder)),
        segments=len(frame),
        matched_segments=sum(1 for hits in matches.values() if hits),
        assignments=assignments,
        codes=per_code,
        history_path=str(kept) if kept else None,
    )
