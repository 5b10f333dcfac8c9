"""Speaker labels at line start: every form in the issue, and lines that must stay text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slqual.transcripts.labels import (
    SpeakerRules,
    accepted_labels,
    find_candidate,
    format_time,
    parse_time,
    speaker_key,
)

RULES = SpeakerRules()


@pytest.mark.parametrize(
    ("line", "name", "rest", "time"),
    [
        ("Interviewer: How are you?", "Interviewer", "How are you?", None),
        ("I: How are you?", "I", "How are you?", None),
        ("Q: How are you?", "Q", "How are you?", None),
        ("A: Fine.", "A", "Fine.", None),
        ("R: Fine.", "R", "Fine.", None),
        ("P07: Fine.", "P07", "Fine.", None),
        ("Participant 7: Fine.", "Participant 7", "Fine.", None),
        ("Dr Patel: Fine.", "Dr Patel", "Fine.", None),
        ("INTERVIEWER: How are you?", "INTERVIEWER", "How are you?", None),
        ("Interviewer1 : French spacing.", "Interviewer1", "French spacing.", None),
        ("Interviewer\u00a0: non-breaking space.", "Interviewer", "non-breaking space.", None),
        ("  Interviewee: leading spaces.", "Interviewee", "leading spaces.", None),
        ("Max Bigman:         padded.", "Max Bigman", "padded.", None),
        ("[00:03:12] P07: Fine.", "P07", "Fine.", 192_000),
        ("P07 (00:03:12): Fine.", "P07", "Fine.", 192_000),
        ("00:03:12 P07: Fine.", "P07", "Fine.", 192_000),
        ("P07: [00:03:12] Fine.", "P07", "Fine.", 192_000),
        ("[P07] Fine.", "P07", "Fine.", None),
        ("[G3P1] 19:04:05", "G3P1", "", 68_645_000),
        ("**P07** Fine.", "P07", "Fine.", None),
        ("**P07:** Fine.", "P07", "Fine.", None),
        ("**Ali** [00:00:30] Welcome.", "Ali", "Welcome.", 30_000),
        ("### Interviewer", "Interviewer", "", None),
        ("Emma  0:22  ", "Emma", "", 22_000),
        ("Sam Okafor  1:02:03", "Sam Okafor", "", 3_723_000),
        ("Helen Ward  [00:00:12]", "Helen Ward", "", 12_000),
        ("Speaker 1 (00:00):", "Speaker 1", "", 0),
        ("Speaker 1: (00:03) Hello.", "Speaker 1", "Hello.", 3_000),
        ("Interviewer:", "Interviewer", "", None),
    ],
)
def test_every_label_form_is_found(line, name, rest, time):
    cand = find_candidate(line)
    assert cand is not None
    assert (cand.name, cand.rest, cand.time) == (name, rest, time)
    assert accepted_labels([cand], RULES) == {0}


@pytest.mark.parametrize(
    "line",
    [
        "The point is: we never had time.",
        "Okay, so: we tried again.",
        "So: we tried again.",
        "Date: 14 March 2025",
        "Note: the recorder stopped here.",
        "See https://example.org for details",
        "We met at 10:30 and talked.",
        "xsd:element name is a code",
        "[inaudible 00:05:15] and then we left",
        "[crosstalk] everyone at once",
        "An extremely long label that is certainly far more than forty characters: text",
        "Data use comment - Clear in",
        "Monday: clinics all day.",
        "Background: the trust merged in 2023.",
    ],
)
def test_lines_that_are_text_are_not_labels(line):
    cand = find_candidate(line)
    assert cand is None or accepted_labels([cand], RULES) == set()


def test_a_weak_form_needs_the_name_seen_twice():
    once = [find_candidate("[Company X] is a placeholder")]
    assert accepted_labels(once, RULES) == set()
    twice = [find_candidate("[Sarah] hello"), find_candidate("[Sarah] again")]
    assert accepted_labels(twice, RULES) == {0, 1}


def test_configured_speakers_are_always_labels():
    rules = SpeakerRules(interviewer=("helen ward",), speakers={"the doc": "Dr Patel"})
    cands = [find_candidate("[Helen Ward] Hi."), find_candidate("[the doc] Hello.")]
    assert accepted_labels(cands, rules) == {0, 1}


def test_aliases_and_interviewer_matching_ignore_case_and_spacing():
    rules = SpeakerRules(interviewer=("Interviewer 1",), speakers={"Mr. Dauber": "Mr. Dabor"})
    assert rules.is_interviewer("interviewer1")
    assert rules.is_interviewer("INTERVIEWER  1")
    assert not rules.is_interviewer("Interviewer 2")
    assert rules.canonical("mr.  dauber") == "Mr. Dabor"
    assert rules.canonical("Somebody  Else:") == "Somebody Else"
    assert speaker_key("Interviewer 1") == speaker_key("interviewer1")


def test_numbered_or_annotated_interviewer_labels_are_interviewers():
    assert all(
        RULES.is_interviewer(x)
        for x in ("Interviewer 2", "interviewer1", "Interviewer (Helen)", "INTERVIEWER-1", "Q1", "Int 2")
    )
    assert not any(RULES.is_interviewer(x) for x in ("Interviewee", "P1", "Interviewer Smith", "(Helen)"))
    rules = SpeakerRules(interviewer=("Helen Ward",))
    assert rules.is_interviewer("Helen Ward (Researcher)")


def test_default_interviewer_labels():
    assert all(RULES.is_interviewer(x) for x in ("Interviewer", "int", "I", "q"))
    assert not RULES.is_interviewer("P07")


@pytest.mark.parametrize(
    ("text", "millis"),
    [
        ("00:00:10.087", 10_087),
        ("00:00:01,5", 1_500),
        ("1:02:03", 3_723_000),
        ("0:34", 34_000),
        ("12:05.250", 725_250),
        ("[00:03:12]", 192_000),
        ("99:99", None),
        ("soon", None),
    ],
)
def test_times_parse_to_milliseconds(text, millis):
    assert parse_time(text) == millis


def test_times_format_as_hh_mm_ss_mmm():
    assert format_time(3_723_045) == "01:02:03.045"
    assert format_time(0) == "00:00:00.000"
    assert format_time(None) == ""


_PIECES = st.sampled_from(
    [
        "Anna",
        "P07",
        "Interviewer",
        "Dr Smith",
        "x",
        "é",
        "²",
        ":",
        ": ",
        "::",
        " ",
        "\t",
        "\n",
        "[",
        "]",
        "(",
        ")",
        "-",
        "–",
        "12",
        "00:03:12",
        "3:4",
        "1:23.5",
        ",",
        "http://a",
        "**",
        "#",
        "word",
        "_",
        "\u00a0",
    ]
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=8).map("".join))
def test_the_usual_colon_label_is_found_as_the_expression_finds_it(line):
    """The shortcut for 'Name: words' lines never decides otherwise than the regular expression."""
    from slqual.transcripts import labels

    fast = labels.find_candidate(line)
    shortcut = labels._usual_colon_label
    labels._usual_colon_label = lambda stripped: None
    try:
        assert labels.find_candidate(line) == fast
    finally:
        labels._usual_colon_label = shortcut
