"""Plain-text transcripts (.txt, .md), and the line assembler the document readers share.

A line that starts with a speaker label starts a new utterance; lines without
one continue it (wrapped lines join with a space); a blank line ends a
paragraph, and the next paragraph continues the same speaker's turn unless it
has a label. Text before the first label (a title block) is not a turn.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from slqual.transcripts.base import MAX_TEXT_BYTES, Transcript, Utterance
from slqual.transcripts.encoding import decode
from slqual.transcripts.labels import Candidate, SpeakerRules, accepted_labels, find_candidate

# One item per line: (text, candidate label) or (None, None) for a paragraph break.
Item = tuple[str | None, Candidate | None]
BREAK: Item = (None, None)


def text_items(text: str) -> list[Item]:
    """Lines of plain text as items, blank lines as paragraph breaks."""
    items: list[Item] = []
    append = items.append
    for line in text.split("\n"):
        if line and not line.isspace():
            append((line, find_candidate(line)))
        else:
            append(BREAK)
    return items


# A tuple made directly: the named tuple's own constructor, a Python function, costs three times more.
_utterance = tuple.__new__


def assemble(items: Iterable[Item], rules: SpeakerRules) -> tuple[list[Utterance], bool, int]:
    """Utterances from items; returns (utterances, labelled, words in the title block)."""
    items = list(items)
    positions = [i for i, (_, cand) in enumerate(items) if cand is not None]
    candidates = [items[i][1] for i in positions]
    labels = {positions[k]: candidates[k] for k in accepted_labels(candidates, rules)}  # type: ignore[arg-type]

    utterances: list[Utterance] = []
    lines: list[str] = []
    speaker: str | None = None
    start: int | None = None
    for index, (line, _) in enumerate(items):
        if line is None:
            if lines:
                utterances.append(_utterance(Utterance, (speaker, " ".join(lines), start, None, True)))
                lines, speaker, start = [], None, None
            continue
        label = labels.get(index)
        if label is None:
            lines.append(line)
            continue
        if lines:
            utterances.append(_utterance(Utterance, (speaker, " ".join(lines), start, None, True)))
            lines = []
        speaker, start = label.name, label.time
        if label.rest:
            lines.append(label.rest)
    if lines:
        utterances.append(_utterance(Utterance, (speaker, " ".join(lines), start, None, True)))
    return drop_title_block(utterances, bool(labels))


def drop_title_block(utterances: list[Utterance], labelled: bool) -> tuple[list[Utterance], bool, int]:
    """Remove the unlabelled paragraphs before the first label of a labelled document."""
    if not labelled:
        return utterances, False, 0
    first = next((i for i, u in enumerate(utterances) if u.speaker is not None), len(utterances))
    words = sum(len(u.text.split()) for u in utterances[:first])
    return utterances[first:], True, words


class TextReader:
    """``.txt``: speaker labels at line start in the common forms."""

    format = "text"
    max_bytes = MAX_TEXT_BYTES

    def read(self, data: bytes, name: str, rules: SpeakerRules) -> Transcript:
        decoded = decode(data, name)
        return self._transcript(decoded.text, rules, decoded.encoding, decoded.guessed)

    def _transcript(self, text: str, rules: SpeakerRules, encoding: str, guessed: bool) -> Transcript:
        utterances, labelled, title_words = assemble(text_items(text), rules)
        return Transcript(tuple(utterances), labelled, encoding, guessed, title_words)


class MarkdownReader(TextReader):
    """``.md``: as ``.txt``, plus ``**Name**`` and ``### Name`` labels; HTML entities unescaped once."""

    format = "markdown"

    def read(self, data: bytes, name: str, rules: SpeakerRules) -> Transcript:
        decoded = decode(data, name)
        text = html.unescape(decoded.text) if "&" in decoded.text else decoded.text
        return self._transcript(text, rules, decoded.encoding, decoded.guessed)
