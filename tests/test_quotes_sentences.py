"""The span choice's array code gives what the plain per-text rules give.

``split_texts`` must cut sentences as ``split_sentences`` does and find the
words a regex finds; ``best_runs`` must grow each run as the rule in
``slqual.quotes.spans`` says, written here once more as a plain loop.
"""

from __future__ import annotations

import random
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slqual.quotes import sentences
from slqual.quotes.sentences import split_texts, word_ids
from slqual.quotes.spans import KEEP_SHARE, best_runs
from slqual.transcripts.turns import split_sentences

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WORD = re.compile(r"[a-z][a-z']+")
PIECES = [
    *"abcxyz .!?\u2026'\"\u201d\u2019\u201c\u2018)]([ABCXYZ0123",
    *"\u00c9\u00e9\u0130\u212a\n\t\u00a0\u00bf\u00a1",
    "Dr. ",
    "e.g. ",
    "U.K. ",
    "(dr. Z",
    "x. Y",
    '? "',
    "... ",
    "It's ",
    "''ab",
    "\u2019tis ",
    "\u0130stanbul ",
    "something ",
    "extraordinarily-long-words ",
]
TEXT = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
TEXTS = st.lists(st.one_of(TEXT, TEXT.map(lambda t: " ".join(t.split()))), min_size=1, max_size=8)


def per_text(texts: list[str]) -> list[tuple[int, int, int, list[str]]]:
    """(start, end, words, words found) of every sentence, one text at a time."""
    out = []
    for text in texts:
        pos = 0
        for sentence in split_sentences(text) or [text]:
            at = text.find(sentence, pos)
            words = WORD.findall(sentence.lower().replace("\u2019", "'"))
            out.append((at, at + len(sentence), sentence.count(" ") + 1, words))
            pos = at + len(sentence)
    return out


def at_once(texts: list[str]) -> list[tuple[int, int, int, list[str]]]:
    split = split_texts(texts)
    lowered = split.lowered.tobytes().decode("ascii")
    found: list[list[str]] = [[] for _ in split.start]
    for sentence, start, length in zip(split.word_sentence, split.word_start, split.word_length, strict=True):
        found[sentence].append(lowered[start : start + length])
    rows = zip(split.start.tolist(), split.end.tolist(), split.words.tolist(), found, strict=True)
    return [(a, b, w, f) for a, b, w, f in rows]


@SETTINGS
@given(TEXTS)
def test_split_texts_cuts_sentences_and_finds_words_as_the_per_text_rules_do(texts):
    assert at_once(texts) == per_text(texts)


@pytest.mark.parametrize("chunk", [1, 2, 7, 64])
def test_scanning_the_text_in_chunks_changes_nothing(monkeypatch, chunk):
    pick = random.Random(chunk).choice
    texts = ["".join(pick(PIECES) for _ in range(40)) for _ in range(30)]
    texts += [" ".join(t.split()) for t in texts]
    expected = per_text(texts)
    monkeypatch.setattr(sentences, "CHUNK", chunk)
    assert at_once(texts) == expected


def test_split_texts_on_an_interview_turn():
    text = "Um, yes. So I'd ring Dr. Patel, e.g. on Fridays... \u201cFrankly\u201d it helps! 3 times."
    split = split_texts([text, ""])
    assert [text[a:b] for a, b in zip(split.start, split.end, strict=True)][:4] == split_sentences(text)
    assert split.first.tolist() == [0, 4, 5]


def test_word_ids_tell_words_apart_by_their_first_sixteen_letters():
    split = split_texts(["sanity sanity sanitary it's extraordinarily-long extraordinarily-longer"])
    ids, words = word_ids(split)
    assert words == ["sanity", "sanitary", "it's", "extraordinarily", "long", "longer"]
    assert ids.tolist() == [0, 0, 1, 2, 3, 4, 3, 5]


def one_run(scores: list[float], words: list[int], max_words: int, min_words: int) -> tuple[int, int, float]:
    """The rule of slqual.quotes.spans, one pair at a time."""
    top = max(scores)
    if top <= 0:
        last, count = 0, words[0]
        while last + 1 < len(scores) and count + words[last + 1] <= max_words:
            last += 1
            count += words[last]
        return 0, last, 0.0
    lo = hi = scores.index(top)
    count = words[lo]
    while True:
        options = []
        if hi + 1 < len(scores) and count + words[hi + 1] <= max_words:
            options.append((scores[hi + 1], 1, hi + 1))
        if lo > 0 and count + words[lo - 1] <= max_words:
            options.append((scores[lo - 1], 0, lo - 1))
        if not options:
            break
        score, _, index = max(options)
        if score < top * KEEP_SHARE:
            if count >= min_words:
                break
            _, _, index = max(options, key=lambda o: o[1])
        hi, lo = max(hi, index), min(lo, index)
        count += words[index]
    return lo, hi, top


RUN = st.lists(
    st.tuples(st.sampled_from([0.0, 0.0, 0.1, 0.2, 0.5, 0.9, 1.0]), st.integers(1, 30)),
    min_size=1,
    max_size=9,
)


@SETTINGS
@given(st.lists(RUN, min_size=1, max_size=6), st.integers(1, 60), st.integers(1, 30))
def test_best_runs_grows_every_run_as_the_rule_says(runs, max_words, min_words):
    scores = np.array([s for run in runs for s, _ in run])
    words = np.array([w for run in runs for _, w in run])
    bounds = np.cumsum([0, *(len(run) for run in runs)])
    lo, hi, score = best_runs(scores, words, bounds, max_words, min_words)
    for p, run in enumerate(runs):
        expected = one_run([s for s, _ in run], [w for _, w in run], max_words, min_words)
        assert (lo[p] - bounds[p], hi[p] - bounds[p], score[p]) == expected
