"""The sentences and words of many texts at once, with numpy: what the span choice scores.

``split_texts`` gives every text's sentences exactly as
``slqual.transcripts.turns.split_sentences`` cuts them, with their character
offsets and word counts, and every word in them, as a regex
``[a-z][a-z']+`` over the lower-cased text would find it. It works on all
texts joined into one string, so a report of 40,000 segments pays for a few
array operations instead of a Python loop per sentence and per word.

Segment texts have single spaces (segments.csv); a text with any other
whitespace, control characters or no words is split by ``split_sentences``
itself, so the result is the same for every text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from slqual.transcripts.turns import split_sentences

if TYPE_CHECKING:
    import numpy as np

# split_sentences' rules (slqual.transcripts.turns): a sentence ends at a run of . ! ? …, then
# closing quotes or brackets, then whitespace, before a capital, a digit or an opening quote,
# unless a "." follows an abbreviation or a single letter. A test holds the two together.
ENDS = ".!?\u2026"
CLOSERS = "\"'\u201d\u2019)]"
OPENERS = "\"'\u201c\u2018([\u00bf\u00a1"
ABBREVIATIONS = frozenset("dr mr mrs ms prof st vs etc e.g i.e eg ie cf approx dept fig jr sr mt ca".split())
LEADING = "(\"'\u201c\u2018"
LONGEST = max(len(a) for a in ABBREVIATIONS)
WORD_LETTERS = 16  # letters of a word told apart (longer words: their first 16)
# Whole-text scans go a chunk at a time: the temporaries of one test over tens of megabytes would
# each be fresh memory (faulted in, often as huge pages); a chunk's are small and reused.
CHUNK = 1 << 18


@dataclass(frozen=True)
class SplitTexts:
    """Sentences (in text order) and the words in them.

    ``owner``, ``start``, ``end`` and ``words`` have one entry per sentence
    (offsets in the owner's text; words is the number of spaces plus one);
    ``first[i]`` is the index of text i's first sentence (len(texts) + 1
    entries). ``word_sentence`` and ``word_start`` and ``word_length`` have one
    entry per word found, in reading order; ``lowered`` is the joined lower-cased
    text the word offsets point into.
    """

    owner: np.ndarray
    start: np.ndarray
    end: np.ndarray
    words: np.ndarray
    first: np.ndarray
    word_sentence: np.ndarray
    word_start: np.ndarray
    word_length: np.ndarray
    lowered: np.ndarray


def split_texts(texts: list[str]) -> SplitTexts:
    """Sentences and words of ``texts`` (see the module docstring)."""
    import numpy as np

    joined = "\x00".join(texts)
    # One byte per character (any other than ASCII is "?"), for whole-text scans; and the code
    # points, to look up single characters: the same bytes when all is ASCII (no 4-byte copy).
    encoded = joined.encode("ascii", "replace")
    plain = np.frombuffer(encoded, dtype=np.uint8)
    ascii_only = joined.isascii()
    points = plain if ascii_only else np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    offsets = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]]).astype(np.int64)
    spaces = _where(plain, lambda part: part == 32)
    wide = _where(plain, lambda part: part == 63)
    wide = wide[points[wide] > 127]
    regular = _regular(plain, points, spaces, wide, offsets, lengths)
    starts, ends = _fast_sentences(joined, plain, points, spaces, offsets, lengths, regular)
    slow = np.flatnonzero(~regular)
    if len(slow):
        more = [_slow_sentences(texts[i], int(offsets[i])) for i in slow.tolist()]
        starts = np.concatenate([starts, *(m[0] for m in more)])
        ends = np.concatenate([ends, *(m[1] for m in more)])
        order = np.argsort(starts, kind="stable")
        starts, ends = starts[order], ends[order]
    owner = np.searchsorted(offsets, starts, side="right") - 1
    first = np.searchsorted(owner, np.arange(len(texts) + 1), side="left")
    words = np.searchsorted(spaces, ends) - np.searchsorted(spaces, starts) + 1
    lowered, word_start, word_length, low_starts = _words(joined, encoded, ascii_only, points, wide, starts)
    per_sentence = np.diff(np.searchsorted(word_start, low_starts), append=len(word_start))
    word_sentence = np.repeat(np.arange(len(starts)), per_sentence)
    return SplitTexts(
        owner=owner,
        start=starts - offsets[owner],
        end=ends - offsets[owner],
        words=words,
        first=first,
        word_sentence=word_sentence,
        word_start=word_start,
        word_length=word_length,
        lowered=lowered,
    )


def _where(values, test):
    """``np.flatnonzero(test(values))``, a chunk at a time (see ``CHUNK``)."""
    import numpy as np

    found = [np.flatnonzero(test(values[at : at + CHUNK])) + at for at in range(0, len(values), CHUNK)]
    return np.concatenate(found) if found else np.zeros(0, dtype=np.intp)


def _run_edges(lowered):
    """Where runs of letters and apostrophes start and end, alternately, a chunk at a time."""
    import numpy as np

    edges, last = [], False
    for at in range(0, len(lowered), CHUNK):
        part = lowered[at : at + CHUNK]
        flags = np.empty(len(part) + 1, dtype=bool)
        flags[0] = last  # the chunk's first character is compared with the one before it
        inside = flags[1:]
        np.greater_equal(part, 97, out=inside)
        inside &= part <= 122
        inside |= part == 39
        changed = np.flatnonzero(inside != flags[:-1])
        changed += at
        edges.append(changed)
        last = inside[-1]
    return np.concatenate(edges) if edges else np.zeros(0, dtype=np.intp)


def _text_of(positions, offsets):
    import numpy as np

    return np.searchsorted(offsets, positions, side="right") - 1


def _regular(plain, points, spaces, wide, offsets, lengths):
    """Texts with single spaces as their only whitespace (the fast path is exact for them)."""
    import numpy as np

    regular = lengths > 0
    controls = _where(plain, lambda part: part < 32)
    regular[_text_of(controls[plain[controls] != 0], offsets)] = False
    if len(wide):
        values = np.unique(points[wide])
        odd = values[[chr(v).isspace() for v in values.tolist()]]
        regular[_text_of(wide[np.isin(points[wide], odd)], offsets)] = False
    doubled = spaces[1:][np.diff(spaces) == 1]
    regular[_text_of(doubled, offsets)] = False
    full = np.flatnonzero(lengths > 0)
    edges = (plain[offsets[full]] == 32) | (plain[offsets[full] + lengths[full] - 1] == 32)
    regular[full[edges]] = False
    return regular


def _in(values, chars: str):
    import numpy as np

    return np.isin(values, np.array([ord(c) for c in chars], dtype=np.uint32))


def _fast_sentences(joined: str, plain, points, spaces, offsets, lengths, regular):
    """Sentence (start, end) offsets in ``joined`` of the regular texts."""
    import numpy as np

    size = len(plain)
    marks = _where(plain, lambda part: (part == 46) | (part == 33) | (part == 63))
    marks = marks[(plain[marks] != 63) | _in(points[marks], ENDS)]
    # Runs of marks ("?!", "..."): where each starts and the position after it.
    new = np.diff(marks, prepend=-2) != 1
    run = marks[new]
    last = np.ones(len(marks), dtype=bool)
    last[:-1] = new[1:]
    after = marks[last] + 1
    while True:  # past closing quotes or brackets
        more = (after < size) & _in(points[np.minimum(after, size - 1)], CLOSERS)
        if not more.any():
            break
        after += more
    # In a regular text the whitespace after a sentence is one space, and a text never ends in one.
    keep = (after + 1 < size) & (plain[np.minimum(after, size - 1)] == 32)
    run, space = run[keep], after[keep]
    text = _text_of(run, offsets)
    keep = regular[text]
    run, space, text = run[keep], space[keep], text[keep]
    following = points[space + 1]
    values = np.unique(following)
    starts_sentence = np.array([_opens(int(v)) for v in values], dtype=bool)
    keep = starts_sentence[np.searchsorted(values, following)] if len(values) else following > 0
    run, space, text = run[keep], space[keep], text[keep]
    # "Dr." or "e." is no sentence end: the word before a "." (after the last space) decides.
    dotted = np.flatnonzero(plain[run] == 46)
    if len(dotted):
        at = run[dotted]
        before = np.searchsorted(spaces, at) - 1
        word_from = np.where(before >= 0, spaces[np.maximum(before, 0)] + 1, 0)
        word_from = np.maximum(word_from, offsets[text[dotted]])
        # Case folding never shortens a word, so one of more than LONGEST letters is no
        # abbreviation unless it starts with a bracket or quote that is stripped.
        leading = _in(points[np.minimum(word_from, at)], LEADING) & (word_from < at)
        check = np.flatnonzero((at - word_from <= LONGEST) | leading)
        short = [
            _abbreviation(joined[a:b])
            for a, b in zip(word_from[check].tolist(), at[check].tolist(), strict=True)
        ]
        keep = np.ones(len(run), dtype=bool)
        keep[dotted[check[np.asarray(short, dtype=bool)]]] = False
        run, space = run[keep], space[keep]
    firsts = offsets[regular]
    lasts = (offsets + lengths)[regular]
    starts = np.sort(np.concatenate([firsts, space + 1]))
    ends = np.sort(np.concatenate([lasts, space]))
    return starts, ends


@lru_cache(maxsize=4096)
def _opens(point: int) -> bool:
    char = chr(point)
    return char.isupper() or char.isdigit() or char in OPENERS


def _abbreviation(word: str) -> bool:
    word = word.casefold().lstrip(LEADING)
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _slow_sentences(text: str, offset: int):
    """split_sentences' pieces of one text as (start, end) offsets in the joined string."""
    import numpy as np

    starts, ends, pos = [], [], 0
    for sentence in split_sentences(text) or [text]:
        at = text.find(sentence, pos)
        at = pos if at < 0 else at
        starts.append(offset + at)
        ends.append(offset + at + len(sentence))
        pos = at + len(sentence)
    return np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)


def _words(joined: str, encoded: bytes, ascii_only: bool, points, wide, starts):
    """Where the words ``[a-z][a-z']+`` are in the lower-cased text, and the sentence starts there.

    ``encoded`` is ``joined`` in ASCII (others "?"), ``ascii_only`` whether that lost nothing.
    """
    import numpy as np

    # One byte per character (others become "?"), and zeros after the end for 8-byte reads.
    padding = b"\x00" * 16
    low_starts = starts
    if ascii_only:  # lower-casing the bytes is the same, and copies the text once instead of thrice
        lowered = np.frombuffer(encoded.lower() + padding, dtype=np.uint8)
    else:
        lowered_text = joined.lower().replace("\u2019", "'")
        if len(lowered_text) != len(joined):  # 'İ' lower-cases to two characters
            values = np.unique(points[wide])
            grows = values[[len(chr(v).lower()) > 1 for v in values.tolist()]]
            at = wide[np.isin(points[wide], grows)]
            extra = np.cumsum([len(chr(v).lower()) - 1 for v in points[at].tolist()])
            before = np.searchsorted(at, starts, side="left")
            low_starts = starts + np.where(before > 0, extra[np.maximum(before - 1, 0)], 0)
        lowered = np.frombuffer(lowered_text.encode("ascii", "replace") + padding, dtype=np.uint8)
        del lowered_text
    changes = _run_edges(lowered)  # every run ends: the padding is no letter
    run_start, run_end = changes[0::2], changes[1::2]
    # A word starts at a letter: leading apostrophes (the only other characters of a run) are not part of it.
    while True:
        quote = (run_start < run_end) & (lowered[run_start] == 39)
        if not quote.any():
            break
        run_start += quote
    length = run_end - run_start
    keep = length >= 2
    return lowered, run_start[keep], length[keep], low_starts


def word_ids(split: SplitTexts):
    """Every word found as a number, and the words those numbers stand for (first appearance first).

    A word is read as two 8-letter halves (unaligned 8-byte reads of the text);
    words longer than ``WORD_LETTERS`` letters keep only those first letters,
    which no stop word has, so they still get their own stem and never count
    as a stop word.
    """
    import numpy as np
    import pandas as pd

    lowered = split.lowered
    eight = np.ndarray(shape=(len(lowered) - 7,), dtype="<u8", buffer=lowered, strides=(1,))
    masks = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [(1 << 64) - 1], dtype=np.uint64)
    length = split.word_length
    head = eight[split.word_start]
    head &= masks[np.minimum(length, 8)]
    heads, head_values = pd.factorize(head)
    del head
    # Only words of more than 8 letters have a second half: the others' is 0 (tail value 0).
    long = np.flatnonzero(length > 8)
    long_tails, long_values = pd.factorize(
        eight[split.word_start[long] + 8] & masks[np.clip(length[long] - 8, 0, 8)]
    )
    tail_values = np.concatenate([np.zeros(1, dtype=np.uint64), np.asarray(long_values, dtype=np.uint64)])
    # Each word as (head, tail) in one number, made in place (a report has millions of words).
    pair_of_word = heads
    pair_of_word *= max(len(tail_values), 1)
    pair_of_word[long] += long_tails + 1
    ids, pairs = pd.factorize(pair_of_word)
    halves = np.divmod(pairs, max(len(tail_values), 1))
    words = [
        (int(head_values[a]).to_bytes(8, "little") + int(tail_values[b]).to_bytes(8, "little"))
        .rstrip(b"\x00")
        .decode("ascii")
        for a, b in zip(halves[0].tolist(), halves[1].tolist(), strict=True)
    ]
    return ids, words
