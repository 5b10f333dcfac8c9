"""Words that may be names or places and are not yet in redact.csv (``slqual redact check``).

A candidate is a capitalised word, or a run of capitalised words ("Millbeck
Surgery"), in a participant's turn after redact.csv has been applied, that is

- not at the start of a sentence (the first word of a run there is skipped),
- not an acronym in capitals (GP, NHS) and not "I",
- not a common English word and not a word of the codebook.

It is a list to read, not a verdict: a team completes redact.csv from it
before reporting. The transcripts and segments.csv are never changed.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from slqual.project import Project

_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][\w'\u2019\-]*")
MONTHS_AND_DAYS = (
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday christmas easter"
).split()
COMMON = frozenset(
    "i i'm i've i'd i'll ok okay yeah yes no oh um uh er erm right well so and but or because then "
    "mr mrs ms dr doctor sir english british covid internet email zoom teams".split()
)


@dataclass(frozen=True)
class Candidate:
    text: str
    count: int
    segment_id: str  # the first segment it occurs in


@dataclass(frozen=True)
class RedactCheck:
    candidates: tuple[Candidate, ...]
    segments: int  # participant segments read
    entries: int  # entries in redact.csv

    def to_dict(self) -> dict[str, Any]:
        return {
            "candidates": [asdict(c) for c in self.candidates],
            "segments": self.segments,
            "entries": self.entries,
        }


def _common_words() -> frozenset[str]:
    from slqual.quotes.spans import STOP_WORDS

    return frozenset(COMMON | set(MONTHS_AND_DAYS) | STOP_WORDS)


def _codebook_words(project: Project) -> set[str]:
    from slqual.codebook import load_project_codebook

    book = load_project_codebook(project)
    words: set[str] = set()
    for node in book:
        text = " ".join([node.name, node.definition, node.include, *node.examples, *node.keywords])
        words.update(w.lower() for w in _WORD.findall(text))
    return words


def _plain(word: str) -> str:
    return re.sub(r"'s$", "", word.replace("\u2019", "'")).strip("-'")


def _is_known(word: str, known: frozenset[str] | set[str]) -> bool:
    """A common or codebook word, "I'm", an acronym (GP, CCGs) or a plural of a known word."""
    lower = word.lower()
    if lower in known or (len(word) > 1 and word.isupper()) or lower.split("'")[0] == "i":
        return True
    single = word[:-1] if word.endswith("s") else word
    return len(single) > 1 and (single.isupper() or single.lower() in known)


def candidates_in(text: str, known: frozenset[str] | set[str]) -> list[str]:
    """The candidate names in one (already redacted) text."""
    from slqual.transcripts.turns import split_sentences

    found = []
    for sentence in split_sentences(text):
        tokens = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(sentence)]
        run: list[str] = []
        last_end = -1
        for index, (word, start, end) in enumerate(tokens):
            word = _plain(word)
            capital = len(word) > 1 and word[:1].isupper()
            joined = run and sentence[last_end:start] == " "
            if capital and index > 0 and not _is_known(word, known):
                if not joined:
                    if run:
                        found.append(" ".join(run))
                    run = []
                run.append(word)
            else:
                if run:
                    found.append(" ".join(run))
                run = []
            last_end = end
        if run:
            found.append(" ".join(run))
    return found


def find_candidates(project: Project) -> RedactCheck:
    """Capitalised words in participant turns that may be names or places, not yet redacted."""
    from slqual.redact import load_redactor
    from slqual.segments import read_project_segments

    if not project.segments_path.is_file():
        return RedactCheck((), 0, 0)
    redactor = load_redactor(project)
    segments = read_project_segments(project)
    spoken = segments[segments["speaker_role"] == "participant"]
    known = _common_words() | _codebook_words(project)
    counts: dict[str, int] = {}
    first: dict[str, str] = {}
    for sid, text in zip(spoken["segment_id"], spoken["text"], strict=True):
        for name in candidates_in(redactor.apply(text), known):
            counts[name] = counts.get(name, 0) + 1
            first.setdefault(name, sid)
    ranked = sorted(counts, key=lambda n: (-counts[n], n))
    return RedactCheck(
        tuple(Candidate(n, counts[n], first[n]) for n in ranked), len(spoken), len(redactor.entries)
    )
