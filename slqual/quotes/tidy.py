"""Clean verbatim: fillers and false starts taken out of a quote, nothing else changed.

The fillers are listed in slqual.yaml (``quotes.tidy``); the default list is
``um, uh, er, erm, you know, I mean, repeated words, [laughs], (laughs),
[inaudible ...]``. An entry is one of:

- a word or phrase (``um``, ``you know``): matched as whole words, any case,
  with the comma after it. A phrase of two or more words counts as a filler
  only where it is set off by a comma ("it was, you know, hard"; "I mean, ..."),
  so "I mean it" and "do you know why" are kept;
- a note in brackets (``[laughs]``, ``(laughs)``); ``...`` inside the
  brackets stands for any words (``[inaudible ...]`` takes ``[inaudible 00:12]``);
- ``repeated words``: a word said twice or more in a row ("I I think") is kept once.

A filler word or phrase inside a quote is replaced by ``[...]`` (words left
out of a quotation are marked); at the quote's start or end it is dropped.
Bracketed notes and repeats are dropped without a mark: no word of the
speaker's is missing. ``--verbatim`` keeps the words exactly as transcribed.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from functools import lru_cache

MARK = "[...]"
REPEATS = "repeated words"
# A repeated word is a whole run of word characters (a shorter start is followed by a letter, not a
# space): from Python 3.11 the pattern says so (possessive) and stops trying each shorter start.
_WHOLE_WORD = r"\w++" if sys.version_info >= (3, 11) else r"\w+"
_REPEAT = re.compile(rf"(?<![\w'\u2019])({_WHOLE_WORD})((?:\s+\1)+)(?![\w'\u2019])", re.IGNORECASE)


def _bracket_pattern(entry: str) -> str:
    body = re.escape(entry)
    return re.sub(r"(\\ )*\\\.\\\.\\\.(\\ )*", r"(?:\\s[^\\]\\)]*)?", body).replace(r"\ ", r"\s+")


@lru_cache(maxsize=32)
def _patterns(fillers: tuple[str, ...]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None, bool]:
    words, notes, firsts = [], [], set()
    for entry in sorted(set(fillers), key=lambda e: (-len(e), e)):
        if entry.lower() == REPEATS:
            continue
        if entry[:1] in "[(":
            notes.append(_bracket_pattern(entry))
            continue
        parts = entry.split()
        firsts.add(parts[0][0] if parts else "")
        body = r"\s+".join(re.escape(p) for p in parts)
        edge = r"(?<![\w'\u2019])"
        if len(parts) == 1:
            words.append(f"{edge}{body}(?![\\w'\u2019]),?")
        else:
            # Set off by commas: after a comma or at a sentence start, and followed by a comma.
            words.append(f"(?:(?<=,\\s)|(?<=^)|(?<=[.!?]\\s)){body}(?:,|(?=[.!?]))")
    # Looked for only where a filler's first letter is: most places fail at once, not once per filler.
    ahead = "" if "" in firsts else f"(?=[{''.join(re.escape(c) for c in sorted(firsts))}])"
    # Every filler starts where no word character is before it (a phrase after a space or at the
    # start): checked once, so a letter inside a word fails before any filler is tried.
    edge = r"(?<![\w'\u2019])"
    word_re = re.compile(f"{ahead}{edge}(?:{'|'.join(words)})", re.IGNORECASE) if words else None
    note_re = re.compile("|".join(notes), re.IGNORECASE) if notes else None
    return word_re, note_re, any(e.lower() == REPEATS for e in fillers)


_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,.;:!?])")
_COMMA_BEFORE_PUNCTUATION = re.compile(r",(?=[.!?;:])")
_COMMAS = re.compile(r",{2,}")
_MARKS = re.compile(rf"(?:{re.escape(MARK)}\s*)+{re.escape(MARK)}")


# What each pattern needs in the text to match (after the join, the only whitespace is one space):
# a substring test is far cheaper than a regex scan, and most quotes need none of them.
_SPACED_PUNCTUATION = tuple(f" {p}" for p in ",.;:!?")
_COMMA_PUNCTUATION = tuple(f",{p}" for p in ".!?;:")


def _clean(text: str) -> str:
    text = " ".join(text.split())
    if any(pair in text for pair in _SPACED_PUNCTUATION):
        text = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)
    if any(pair in text for pair in _COMMA_PUNCTUATION):
        text = _COMMA_BEFORE_PUNCTUATION.sub("", text)
    if ",," in text:
        text = _COMMAS.sub(",", text)
    if MARK in text:
        text = _MARKS.sub(MARK, text)
    return text.strip(" ,;:")


def tidy(text: str, fillers: Sequence[str]) -> str:
    """The text with the listed fillers taken out (see the module docstring)."""
    if not fillers or not text:
        return text
    word_re, note_re, repeats = _patterns(tuple(fillers))
    if note_re is not None:
        text = note_re.sub(" ", text)
    if repeats:
        text = _REPEAT.sub(lambda m: m.group(1), text)
    if word_re is not None:
        text = _clean(text)
        pieces, pos = [], 0
        for match in word_re.finditer(text):
            pieces.append(text[pos : match.start()])
            before = text[: match.start()].strip(" ,;:")
            after = text[match.end() :].strip(" ,;:.!?")
            pieces.append(f" {MARK} " if before and after else " ")
            pos = match.end()
            if not after and before.endswith((".", "!", "?")):
                pos = len(text)  # "fine. Um." ends at "fine."
                break
        pieces.append(text[pos:])
        text = "".join(pieces)
    return _clean(text)
