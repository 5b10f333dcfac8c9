"""Turns from utterances, the paragraph and sentence units, and the words-in-order invariant."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slqual.transcripts.base import Utterance
from slqual.transcripts.labels import SpeakerRules
from slqual.transcripts.text import TextReader
from slqual.transcripts.turns import build_turns, normalise, split_sentences, split_units, turn_units

RULES = SpeakerRules()


def test_consecutive_utterances_by_one_speaker_make_one_turn():
    utts = [
        Utterance("Interviewer", "Hello."),
        Utterance("P01", "Hi.", 1000, 2000, paragraph=False),
        Utterance(None, "And more.", 2000, 3000, paragraph=False),
        Utterance("p01", "Same speaker, other case.", 3000, 4000, paragraph=False),
        Utterance("Interviewer", "Bye."),
    ]
    turns = build_turns(utts, RULES)
    assert [t.speaker for t in turns] == ["Interviewer", "P01", "Interviewer"]
    assert turns[1].text == "Hi. And more. Same speaker, other case."
    assert (turns[1].start, turns[1].end) == (1000, 4000)


def test_a_leading_unlabelled_cue_is_unknown():
    turns = build_turns([Utterance(None, "Hm."), Utterance("P01", "Yes.")], RULES)
    assert [t.speaker for t in turns] == ["unknown", "P01"]


def test_paragraph_and_sentence_units():
    text = "Interviewer: Tell me.\nP01: First para. Dr. Patel agreed.\n\nSecond para! Really? Yes.\n"
    transcript = TextReader().read(text.encode(), "x.txt", RULES)
    turns = build_turns(transcript.utterances, RULES)
    assert [u.text for u in split_units(turns, "turn")] == [
        "Tell me.",
        "First para. Dr. Patel agreed. Second para! Really? Yes.",
    ]
    assert [u.text for u in split_units(turns, "paragraph")] == [
        "Tell me.",
        "First para. Dr. Patel agreed.",
        "Second para! Really? Yes.",
    ]
    units = split_units(turns, "sentence")
    assert [u.text for u in units] == [
        "Tell me.",
        "First para.",
        "Dr. Patel agreed.",
        "Second para!",
        "Really?",
        "Yes.",
    ]
    assert [u.turn for u in units] == [0, 1, 1, 1, 1, 1]


def test_sentences_keep_quotes_and_ellipses():
    assert split_sentences("He said “no.” Then… we left. e.g. this one") == [
        "He said “no.”",
        "Then… we left. e.g. this one",
    ]


def test_an_unknown_unit_is_rejected():
    with pytest.raises(ValueError):
        split_units([], "word")


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz’'“”.,?!…-", min_size=1, max_size=12)
_LINE = st.tuples(
    st.sampled_from(["Interviewer", "P07", "Dr Patel", "Participant 3", "I", "Q", None]),
    st.lists(_WORD, min_size=1, max_size=12),
    st.sampled_from(["\n", "\n\n", "\r\n"]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=25), st.sampled_from(["turn", "paragraph", "sentence"]))
def test_turn_texts_joined_give_the_original_words_in_order(lines, unit):
    # the first line always has a label, so nothing is a title block
    lines[0] = ("Interviewer", *lines[0][1:])
    source = "".join(f"{label + ': ' if label else ''}{' '.join(words)}{end}" for label, words, end in lines)
    transcript = TextReader().read(source.encode(), "gen.txt", RULES)
    units = split_units(build_turns(transcript.utterances, RULES), unit)
    original = [word for _, words, _ in lines for word in words]
    assert " ".join(u.text for u in units).split() == original


_UTTERANCE = st.builds(
    Utterance,
    st.sampled_from([None, "Interviewer", "interviewer", "P01", "p 01", "Unknown", "Q"]),
    st.text(alphabet="ab .\n\t", max_size=12),
    st.one_of(st.none(), st.integers(0, 9999)),
    st.one_of(st.none(), st.integers(0, 9999)),
    st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_UTTERANCE, max_size=12), st.booleans())
def test_turn_units_are_the_turns_split_into_turn_units(utterances, labelled):
    """Ingest's one-pass path gives exactly the units of the two-step one."""
    rules = SpeakerRules(speakers={"Q": "Interviewer"})
    expected = split_units(build_turns(utterances, rules, labelled), "turn")
    assert turn_units(utterances, rules, labelled) == expected


def test_no_whitespace_but_the_space_is_printable():
    """normalise's shortcut rests on this: every other whitespace character is unprintable."""
    import sys

    assert not [
        c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() and c != " " and c.isprintable()
    ]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab é…\t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2028\u3000\x00"), max_size=12))
def test_normalise_is_split_and_join(text):
    assert normalise(text) == " ".join(text.split())
