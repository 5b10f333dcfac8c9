"""Quote selection rules: exemplars first, spread over participants, length limits, trimming, order."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from slqual.reports.quotes import attribution, pick_spread, select_quotes, split_sentences, trim_quote

LONG_ENOUGH = "this answer has more than twelve words in it so it can be shown in a table"


def candidates(rows):
    frame = pd.DataFrame(rows, columns=["segment_id", "participant_id", "text", "exemplar"])
    frame["words"] = frame["text"].str.split().str.len()
    return frame


def test_exemplars_come_first():
    frame = candidates(
        [
            ("P01-0002", "P01", f"first {LONG_ENOUGH}", False),
            ("P02-0002", "P02", f"second {LONG_ENOUGH}", True),
        ]
    )
    cell = select_quotes(frame, 1, 12, 80)
    assert [q.segment_id for q in cell.quotes] == ["P02-0002"]
    assert cell.quotes[0].exemplar


def test_quotes_are_spread_over_participants_before_a_second_from_anyone():
    frame = candidates(
        [
            ("P01-0002", "P01", f"a {LONG_ENOUGH}", True),
            ("P01-0004", "P01", f"b {LONG_ENOUGH}", True),
            ("P02-0002", "P02", f"c {LONG_ENOUGH}", False),
        ]
    )
    assert [q.segment_id for q in select_quotes(frame, 2, 12, 80).quotes] == ["P01-0002", "P02-0002"]
    # only once every participant has a quote does a second one from P01 follow
    assert [q.segment_id for q in select_quotes(frame, 3, 12, 80).quotes] == [
        "P01-0002",
        "P02-0002",
        "P01-0004",
    ]


def test_pick_spread_takes_new_participants_first():
    assert pick_spread(["A", "A", "B", "A", "C"], 3) == [0, 2, 4]
    assert pick_spread(["A", "A", "B"], 3) == [0, 2, 1]
    assert pick_spread([], 2) == []


def test_quotes_shorter_than_min_words_are_not_shown_and_the_cell_says_why():
    frame = candidates([("P01-0002", "P01", "Yes, that's right.", True)])
    cell = select_quotes(frame, 2, 12, 80)
    assert cell.quotes == ()
    assert cell.plain() == "no quote of 12 words or more (1 coded segment)"


def test_an_empty_cell_says_no_quotes_coded():
    assert select_quotes(candidates([]), 2, 12, 80).plain() == "no quotes coded"


def test_a_long_quote_is_trimmed_at_a_sentence_end_with_an_ellipsis():
    text = "One two three four five. Six seven eight nine ten. Eleven twelve thirteen fourteen fifteen."
    trimmed, cut = trim_quote(text, max_words=12, min_words=3)
    assert cut
    assert trimmed == "One two three four five. Six seven eight nine ten. [...]"


def test_a_quote_within_max_words_is_kept_whole():
    assert trim_quote("Short and sweet.", 80) == ("Short and sweet.", False)


def test_when_whole_sentences_are_too_short_the_quote_is_cut_at_max_words():
    text = "Yes. " + " ".join(f"w{i}" for i in range(100)) + "."
    trimmed, cut = trim_quote(text, max_words=20, min_words=12)
    assert cut
    assert trimmed.endswith(" [...]")
    assert len(trimmed.split()) == 21  # 20 words and the [...] mark


def test_selected_long_quotes_are_trimmed_and_flagged():
    long = " ".join(["This is one full sentence of eight words."] * 20)
    cell = select_quotes(candidates([("P01-0002", "P01", long, False)]), 1, 12, 80)
    quote = cell.quotes[0]
    assert quote.trimmed
    assert quote.text.endswith(". [...]")
    assert len(quote.text.split()) <= 81


def test_interviewer_words_are_never_quoted():
    frame = candidates(
        [
            ("P01-0001", "P01", f"interviewer {LONG_ENOUGH}", True),
            ("P01-0002", "P01", f"answer {LONG_ENOUGH}", False),
        ]
    )
    frame["speaker_role"] = ["interviewer", "participant"]
    cell = select_quotes(frame, 2, 12, 80)
    assert [q.segment_id for q in cell.quotes] == ["P01-0002"]


def test_selection_does_not_depend_on_row_order():
    rows = [
        (f"P0{i}-000{j}", f"P0{i}", f"{i}{j} {LONG_ENOUGH}", (i + j) % 3 == 0)
        for i in range(1, 5)
        for j in (2, 4)
    ]
    frame = candidates(rows)
    first = select_quotes(frame, 3, 12, 80)
    for seed in range(5):
        assert select_quotes(frame.sample(frac=1, random_state=seed), 3, 12, 80) == first


def test_attribution_uses_role_when_known():
    assert attribution("P03", "GP") == "(P03, GP)"
    assert attribution("P03") == "(P03)"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 30), st.sampled_from([".", "!", "?", ""])), min_size=1, max_size=12),
    st.integers(5, 60),
)
def test_trimmed_quotes_respect_max_words_and_keep_the_start(sentences, max_words):
    text = " ".join(" ".join(["word"] * n) + end for n, end in sentences)
    trimmed, cut = trim_quote(text, max_words, min_words=3)
    body = trimmed.removesuffix(" [...]")
    assert len(body.split()) <= max_words
    assert " ".join(text.split()).startswith(body)
    assert cut == trimmed.endswith("[...]")


def test_split_sentences_keeps_every_word():
    text = 'He said "stop." Then we left! Did it work? Maybe'
    assert " ".join(split_sentences(text)) == text
    assert len(split_sentences(text)) == 4
