"""Word-processor paragraphs and table rows as line items (shared by the .docx and .odt readers).

A paragraph's speaker is a label at its start, in bold or plain (``Interviewer:``,
``P07 (00:03:12):``), or a bold name with no colon; a paragraph holding only a
bold name introduces the paragraphs below it. A table row is speaker | text or
time | speaker | text, as transcription services deliver them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from slqual.transcripts.labels import (
    LEADING_TIME,
    MAX_LABEL,
    TS,
    Candidate,
    clean_label,
    find_candidate,
    parse_time,
    speaker_key,
)
from slqual.transcripts.text import BREAK, Item

_TRAILING_TIME = re.compile(rf"\s*[\[(]?(?P<ts>{TS})[\])]?\s*:?\s*$")
_HEADER_WORDS = frozenset(
    "speaker name who role text transcript transcription time timestamp start end utterance content words "
    "speech dialogue dialog timecode said comment comments person participant".split()
)


def paragraph_items(text: str, bold_prefix: str = "") -> list[Item]:
    """Items for one paragraph (its lines, then a break); ``bold_prefix`` is its leading bold text."""
    lines = text.split("\n")
    items: list[Item] = []
    for number, line in enumerate(lines):
        if not line.strip():
            items.append(BREAK)
            continue
        cand = find_candidate(line)
        if number == 0 and bold_prefix.strip() and (cand is None or cand.form != "colon"):
            cand = _bold_candidate(line, bold_prefix) or cand
        items.append((line, cand))
    items.append(BREAK)
    return items


def _bold_candidate(line: str, bold: str) -> Candidate | None:
    label = bold.strip()
    if not line.lstrip().startswith(label):
        return None
    rest = line.lstrip()[len(label) :]
    stamp = None
    match = _TRAILING_TIME.search(label)
    if match and match.start() > 0:
        stamp, label = match.group("ts"), label[: match.start()]
    name = clean_label(label)
    if not name or len(name) > MAX_LABEL:
        return None
    rest = rest.strip()
    colon = bold.rstrip().endswith(":") or rest.startswith(":")
    rest = rest.lstrip(":").strip()
    lead = LEADING_TIME.match(rest)
    if stamp is None and lead:
        stamp, rest = lead.group(1), rest[lead.end() :]
    form = "bold" if colon else "boldline"
    return Candidate(name, speaker_key(name), form, rest, parse_time(stamp) if stamp else None)


def is_header_row(cells: Sequence[str]) -> bool:
    """A table's first row naming its columns (Speaker | Text, Time | Speaker | Transcript)."""
    words = [" ".join(c.casefold().split()).rstrip(":") for c in cells]
    return bool(words) and all(w in _HEADER_WORDS or not w for w in words) and any(words)


def row_items(cells: Sequence[str]) -> list[Item]:
    """Items for one table row: speaker | text, or with a time column anywhere before the text."""
    cells = [c.strip() for c in cells]
    if not any(cells):
        return []
    if len(cells) == 1:
        return paragraph_items(cells[0])
    stamp = None
    rest = []
    for cell in cells[:-1]:
        if stamp is None and parse_time(cell) is not None:
            stamp = parse_time(cell)
        else:
            rest.append(cell)
    speaker = " ".join(" ".join(rest).split())
    text_lines = cells[-1].split("\n")
    items: list[Item] = []
    first = text_lines[0] if text_lines else ""
    name = clean_label(speaker)
    if name and len(name) <= MAX_LABEL:
        cand = Candidate(name, speaker_key(name), "cell", first.strip(), stamp)
        items.append((f"{speaker} {first}".strip(), cand))
    elif speaker or first.strip():
        items.append((f"{speaker} {first}".strip(), None))
    items.extend((line, None) if line.strip() else BREAK for line in text_lines[1:])
    items.append(BREAK)
    return items
