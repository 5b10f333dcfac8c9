"""Quote selection rules: exemplars first, spread over participants, length limits, trimming, order."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from slqual.reports.quotes import (
    attribution,
    pick_spread,
    select_quotes,
    spans_longer_than,
    split_sentences,
    trim_quote,
)

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


def test_spans_longer_than_counts_the_words_of_each_span():
    texts = ["one two three four", "one\ttwo  three\nfour five", "  lead and trail  ", "one two"]
    spans = [(0, 18), (4, 23), (0, 8), (0, 7)]
    frame = pd.DataFrame(
        {
            "words": [len(t.split()) for t in texts],
            "text": texts,
            "quote_start": [a for a, _ in spans],
            "quote_end": [b for _, b in spans],
        }
    )
    for limit in range(6):
        expected = [len(t[a:b].split()) > limit for t, (a, b) in zip(texts, spans, strict=True)]
        assert spans_longer_than(frame, limit) == expected


# --- Marked quotes -------------------------------------------------------------------------------

from slqual.codebook import parse_codebook  # noqa: E402
from slqual.quotes.marked import MarkedSpan, QuoteMismatch, check_marked_quotes, match_quote  # noqa: E402
from slqual.quotes.spans import choose_spans  # noqa: E402
from slqual.quotes.tidy import tidy  # noqa: E402
from slqual.reports.quotes import QuoteStyle, fill_cells, quote_words  # noqa: E402

SEGMENT = "Um, yes. So I\u2019d ring a GP friend, just to check my sanity. It helps, \u201cfrankly\u201d."


def test_a_marked_quote_matches_across_whitespace_and_curly_quotes():
    span = match_quote(SEGMENT, "I'd  ring a GP\nfriend")
    assert isinstance(span, MarkedSpan)
    assert SEGMENT[span.start : span.end] == "I\u2019d ring a GP friend"
    assert isinstance(match_quote(SEGMENT, 'It helps, "frankly".'), MarkedSpan)


def test_a_marked_quote_in_parts_is_matched_in_order():
    for joiner in ("...", "\u2026", " [...] "):
        span = match_quote(SEGMENT, f"ring a GP friend{joiner}check my sanity")
        assert isinstance(span, MarkedSpan) and len(span.parts) == 2
        assert span.offsets() == "16-32;42-57"
    # parts out of order do not match: the second part is looked for after the first
    assert match_quote(SEGMENT, "It helps ... ring a GP") == QuoteMismatch("ring", 2)


def test_a_marked_quote_that_does_not_match_names_the_first_word_that_fails():
    assert match_quote(SEGMENT, "ring a GP pal to check") == QuoteMismatch("pal", 1)
    assert "at 'pal'" in QuoteMismatch("pal", 1).message()
    assert match_quote(SEGMENT, "   ") is None


def test_check_marked_quotes_names_the_row_of_every_quote_that_does_not_match():
    coding = pd.DataFrame(
        {
            "segment_id": ["S1", "S1", "S2"],
            "code": ["a", "b", "a"],
            "quote": ["ring a GP friend", "ring a GP pal", "anything"],
        }
    )
    segments = pd.DataFrame({"segment_id": ["S1"], "text": [SEGMENT]})
    problems = check_marked_quotes(coding, segments)
    assert [(p.row, p.segment_id) for p in problems] == [(3, "S1")]  # S2 unknown: left to other checks
    assert "'pal'" in problems[0].message


# --- Automatic choice --------------------------------------------------------------------------

BOOK = parse_codebook(
    """title: t
version: 1
codes:
  - id: barriers
    name: Barriers
    children:
      - id: barriers.isolation
        name: Clinicians' isolation
        definition: Feeling alone in a leadership role, with no peers to ask for advice.
        keywords: [isolated, lonely, nobody to ask]
      - id: barriers.time
        name: Time pressure
        definition: Too little time for leadership work alongside clinical sessions.
        keywords: [time, sessions, evenings]
"""
)
SMALL_TALK = (
    "Oh hello, yes, come in, the traffic on the ring road was dreadful this morning. "
    "I had to park right over by the old station and walk. "
    "Anyway, coffee helps, and the new machine downstairs is actually decent. "
    "Right, where were we, sorry about all that. "
)
POINT = (
    "The hardest part is feeling isolated in that room, because there is nobody to ask for advice "
    "and nobody who knows what a surgery is like."
)
TAIL = " So I ring a friend who is a GP elsewhere, just to check my sanity, and that is lonely in its way."


def test_a_long_turn_is_quoted_from_the_sentence_that_makes_the_coded_point():
    text = SMALL_TALK + POINT + TAIL
    pairs = pd.DataFrame({"segment_id": ["S1"], "code": ["barriers.isolation"]})
    chosen = choose_spans(pairs, {"S1": text}, BOOK, max_words=40, min_words=12).iloc[0]
    quote = text[int(chosen["start"]) : int(chosen["end"])]
    assert quote.startswith("The hardest part is feeling isolated")
    assert len(quote.split()) <= 40


def test_a_segment_coded_with_two_codes_may_give_each_code_its_own_span():
    text = (
        "There is never enough time, my two sessions a week run into every evening. "
        "And in the meetings I feel isolated, there is nobody to ask for advice when it goes wrong."
    )
    pairs = pd.DataFrame({"segment_id": ["S1", "S1"], "code": ["barriers.time", "barriers.isolation"]})
    chosen = choose_spans(pairs, {"S1": text}, BOOK, max_words=20, min_words=5)
    spans = [text[int(a) : int(b)] for a, b in zip(chosen["start"], chosen["end"], strict=True)]
    assert spans[0].startswith("There is never enough time")
    assert spans[1].startswith("And in the meetings I feel isolated")


def test_automatic_choice_is_deterministic_and_falls_back_to_the_start():
    text = "Nothing here shares a word. Another plain sentence follows it."
    pairs = pd.DataFrame({"segment_id": ["S1"], "code": ["barriers.time"]})
    first = choose_spans(pairs, {"S1": text}, BOOK, 40, 3)
    assert first.equals(choose_spans(pairs, {"S1": text}, BOOK, 40, 3))
    assert (int(first.iloc[0]["start"]), int(first.iloc[0]["end"])) == (0, len(text))


# --- Clean verbatim ------------------------------------------------------------------------------

FILLERS = (
    "um",
    "uh",
    "er",
    "erm",
    "you know",
    "I mean",
    "repeated words",
    "[laughs]",
    "(laughs)",
    "[inaudible ...]",
)


def test_fillers_are_dropped_at_the_edges_and_marked_inside():
    assert tidy("Um, yes, it was, um, five practices.", FILLERS) == "yes, it was, [...] five practices."
    assert tidy("It was fine. Um.", FILLERS) == "It was fine."


def test_notes_and_repeats_go_without_a_mark_and_phrases_only_when_set_off():
    assert tidy("I I think so [laughs] and (laughs) yes", FILLERS) == "I think so and yes"
    assert tidy("It was [inaudible 00:12:03] hard.", FILLERS) == "It was hard."
    assert tidy("It was, you know, hard.", FILLERS) == "It was, [...] hard."
    assert tidy("Do you know why? I mean it.", FILLERS) == "Do you know why? I mean it."


def test_nothing_but_the_listed_fillers_is_changed():
    text = "Er, the errand runner, umbrella and Erm-ine; the the end."
    assert tidy(text, ("er",)) == "the errand runner, umbrella and Erm-ine; the the end."
    assert tidy(text, ()) == text


def test_verbatim_quotes_keep_every_word_and_tidy_quotes_lose_fillers():
    row = {
        "text": "Um, I, um, never planned it.",
        "quote_start": 0,
        "quote_end": 28,
        "quote_method": "selected",
    }
    assert quote_words(row, QuoteStyle(min_words=1))[0] == "Um, I, um, never planned it."
    assert quote_words(row, QuoteStyle(min_words=1, tidy=FILLERS))[0] == "I, [...] never planned it."


# --- Fair spread -------------------------------------------------------------------------------


def test_nobody_is_quoted_twice_in_a_table_while_another_participant_with_a_fitting_segment_is_not():
    # P01 has the best quotes in both rows; P02 fits only row 1, P03 only row 2.
    row1 = candidates(
        [("P01-0002", "P01", f"a {LONG_ENOUGH}", True), ("P02-0002", "P02", f"b {LONG_ENOUGH}", False)]
    )
    row2 = candidates(
        [("P01-0004", "P01", f"c {LONG_ENOUGH}", True), ("P03-0002", "P03", f"d {LONG_ENOUGH}", False)]
    )
    cells = fill_cells([("r1", row1), ("r2", row2)], 1, QuoteStyle())
    quoted = [cells[k].quotes[0].participant_id for k in ("r1", "r2")]
    assert quoted == ["P01", "P03"]


def test_the_spread_repairs_a_second_quote_when_an_unquoted_participant_fits_that_cell():
    row1 = candidates(
        [("P01-0002", "P01", f"a {LONG_ENOUGH}", True), ("P02-0002", "P02", f"b {LONG_ENOUGH}", True)]
    )
    row2 = candidates(
        [("P01-0004", "P01", f"c {LONG_ENOUGH}", False), ("P02-0004", "P02", f"c {LONG_ENOUGH}", False)]
    )
    row3 = candidates(
        [("P01-0006", "P01", f"e {LONG_ENOUGH}", True), ("P03-0004", "P03", f"f {LONG_ENOUGH}", False)]
    )
    cells = fill_cells([("r1", row1), ("r2", row2), ("r3", row3)], 2, QuoteStyle())
    people = [q.participant_id for k in ("r1", "r2", "r3") for q in cells[k].quotes]
    assert "P03" in people


def test_no_segment_is_quoted_twice_in_a_table():
    row1 = candidates([("P01-0002", "P01", f"a {LONG_ENOUGH}", True)])
    row2 = candidates([("P01-0002", "P01", f"a {LONG_ENOUGH}", True)])
    cells = fill_cells([("r1", row1), ("r2", row2)], 2, QuoteStyle())
    assert len(cells["r1"].quotes) == 1 and cells["r2"].quotes == ()


def test_ties_are_not_broken_by_file_order():
    rows = [(f"P{i:02d}-0002", f"P{i:02d}", f"{i} {LONG_ENOUGH}", False) for i in range(1, 30)]
    picked = select_quotes(candidates(rows), 3, 12, 80)
    assert [q.segment_id for q in picked.quotes] != ["P01-0002", "P02-0002", "P03-0002"]
    assert select_quotes(candidates(rows[::-1]), 3, 12, 80) == picked
