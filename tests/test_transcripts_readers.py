"""Each reader on small files in every format: speakers, turn counts, times and text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slqual.errors import TranscriptError
from slqual.transcripts.base import reader_for, supported_suffixes
from slqual.transcripts.labels import SpeakerRules, format_time
from slqual.transcripts.turns import build_turns

DATA = Path(__file__).parent / "data" / "transcripts"
RULES = SpeakerRules()


def turns_of(name: str, rules: SpeakerRules = RULES):
    path = DATA / name
    transcript = reader_for(path).read(path.read_bytes(), name, rules)
    return transcript, build_turns(transcript.utterances, rules, transcript.labelled)


def speakers(turns) -> list[str]:
    return [t.speaker for t in turns]


def test_registry_covers_every_format_and_ignores_others():
    assert set(supported_suffixes()) == {".txt", ".md", ".docx", ".odt", ".vtt", ".srt"}
    assert reader_for("P01.TXT").format == "text"
    assert reader_for("notes.pdf") is None


def test_plain_text_labels_continuations_and_title_block():
    transcript, turns = turns_of("P07.txt")
    assert speakers(turns) == ["Interviewer", "P07", "Interviewer", "P07", "Interviewer", "P07"]
    assert transcript.title_words == 12  # the title and date lines are not a turn
    assert turns[1].text.endswith(
        "The point is: we never had time to think about leadership. "
        "And honestly, I still feel more like a nurse than a “leader”."
    )
    assert len(turns[1].paragraphs) == 2
    assert turns[3].text == "Mostly informally… We have a huddle on Tuesdays."


def test_every_label_style_in_one_file():
    _, turns = turns_of("label_styles.txt")
    assert speakers(turns) == [
        "INTERVIEWER",
        "R",
        "I",
        "A",
        "Q",
        "Participant 7",
        "Interviewer1",
        "Dr Patel",
        "Int",
        "Dr Patel",
    ]
    assert turns[-1].text == "Okay, so: this stays text."


def test_timestamps_before_and_after_labels():
    _, turns = turns_of("timestamps.txt")
    assert speakers(turns) == ["Interviewer", "P07", "Interviewer", "P07"]
    assert [format_time(t.start) for t in turns] == [
        "00:03:12.000",
        "00:03:20.000",
        "00:04:01.000",
        "00:04:05.000",
    ]
    assert turns[-1].text == "The merger with the trust. It took months."


def test_bracket_labels_keep_annotations_as_text():
    _, turns = turns_of("brackets.txt")
    assert speakers(turns) == ["Interviewer", "P03", "Interviewer"]
    assert "[inaudible 00:05:15]" in turns[1].text
    assert "[crosstalk] We all talk" in turns[1].text


def test_markdown_bold_labels_and_entities_unescaped_once():
    transcript, turns = turns_of("bold.md")
    assert speakers(turns) == ["Interviewer", "P11", "Interviewer"]
    assert turns[0].text == "Today we're talking about the board & its work."
    assert turns[1].text == "I'm glad to. The board meets monthly. And the sub-groups meet more often."
    assert turns[2].text == "Thanks &lt;that&gt; helps."
    assert format_time(turns[1].start) == "00:00:12.000"
    assert transcript.title_words == 3


def test_markdown_heading_labels():
    _, turns = turns_of("headings.md")
    assert speakers(turns) == ["Interviewer", "P12", "Interviewer"]
    assert turns[1].text == "At the beginning, with the patients. Then the staff."


def test_otter_header_lines_and_a_split_sentence_merge_into_one_turn():
    _, turns = turns_of("otter.txt")
    assert speakers(turns) == ["Interviewer", "Sam Okafor", "Interviewer", "Sam Okafor"]
    assert turns[1].text == "Thanks for having me. I work in primary care."
    assert format_time(turns[2].start) == "01:02:03.000"


def test_focus_group_with_four_participants():
    _, turns = turns_of("focus_group.txt")
    assert speakers(turns) == ["Moderator", "Ana", "Ben", "Chloe", "Dev", "Ana", "Moderator"]


def test_rev_style_padded_and_wrapped():
    _, turns = turns_of("rev_style.txt")
    assert speakers(turns) == ["Automation", "Max Bigman", "admin-1", "Max Bigman", "admin-1"]
    assert "for using it for transcription?" in turns[1].text
    assert "  " not in turns[1].text


def test_aliases_merge_spellings_of_one_speaker():
    rules = SpeakerRules(speakers={"Mr. Dauber": "Mr. Dabor"})
    _, turns = turns_of("aliases.txt", rules)
    assert speakers(turns) == ["Interviewer 1", "Mr. Dabor", "Interviewer 1"]
    assert turns[0].text == "First question. Second part of the question."


def test_a_file_without_labels_is_paragraphs_by_unknown():
    transcript, turns = turns_of("no_labels.txt")
    assert not transcript.labelled
    assert speakers(turns) == ["unknown"] * 3


@pytest.mark.parametrize("name", ["utf16.txt", "utf16be.txt", "cp1252.txt", "bom_crlf.txt", "cr_only.txt"])
def test_every_encoding_gives_the_same_turns(name):
    transcript, turns = turns_of(name)
    assert speakers(turns) == ["Interviewer", "P08", "Interviewer"]
    assert turns[1].text == "In Manchester – it’s where I met my “mentor”… She changed everything."
    assert transcript.encoding_guessed is (name == "cp1252.txt")


def test_zoom_vtt_names_times_and_an_unlabelled_cue():
    _, turns = turns_of("zoom.vtt")
    assert speakers(turns) == ["Interviewer", "Priya Shah (SL)", "Interviewer"]
    # the cue without a name continues the previous speaker's turn
    assert turns[1].text == "Yes, loud and clear. and I have my camera on. Shall I start?"
    assert (format_time(turns[1].start), format_time(turns[1].end)) == ("00:00:05.000", "00:00:15.000")
    assert format_time(turns[2].start) == "00:07:20.000"


def test_teams_vtt_voice_tags_guid_ids_and_note_blocks():
    _, turns = turns_of("teams.vtt")
    assert speakers(turns) == ["Interviewer", "Jane Doe", "Interviewer"]
    assert turns[1].text == (
        "Nice. I am the person being interviewed, and I have many things to say & more. "
        "Like this — a second cue."
    )
    assert all("91b3f3c3" not in t.text and "NOTE" not in t.text for t in turns)
    assert (format_time(turns[0].start), format_time(turns[0].end)) == ("00:00:10.087", "00:00:13.130")


def test_srt_with_labels_and_tags():
    _, turns = turns_of("labelled.srt")
    assert speakers(turns) == ["Interviewer", "P05", "Interviewer"]
    assert turns[1].text == "I lead the pharmacy team. For now, anyway."
    assert format_time(turns[1].end) == "00:00:10.000"


def test_srt_without_labels_is_cues_by_unknown():
    transcript, turns = turns_of("unlabelled.srt")
    assert not transcript.labelled
    assert speakers(turns) == ["unknown", "unknown"]


def test_docx_bold_labels_skip_title_header_and_footer():
    transcript, turns = turns_of("bold_labels.docx")
    assert speakers(turns) == ["Interviewer", "P09", "Interviewer", "P09"]
    assert (
        turns[1].text
        == "Busy. Meetings on Monday, clinics the rest of the week. Fridays are for catching up."
    )
    assert turns[3].text == "The chair, mostly. We do push back."
    assert transcript.title_words == 9
    assert not any("Transcribed" in t.text or "Page 1" in t.text for t in turns)


def test_docx_two_column_table_and_paragraph_after_it():
    _, turns = turns_of("table2.docx")
    assert speakers(turns) == ["Interviewer", "P10", "Interviewer", "P10"]
    assert turns[1].text == "Two years. Nearly three, actually. Before that I was a ward sister."
    assert turns[3].text == "A last remark after the table."


def test_docx_three_column_table_with_times():
    _, turns = turns_of("table3.docx")
    assert speakers(turns) == ["Interviewer", "P11", "Interviewer"]
    assert [format_time(t.start) for t in turns] == ["00:00:05.000", "00:00:09.000", "00:02:00.000"]


def test_docx_names_alone_in_their_paragraphs():
    transcript, turns = turns_of("name_alone.docx")
    assert speakers(turns) == ["Interviewer", "Jane Smith", "Interviewer", "Jane Smith"]
    assert turns[3].text == "Absolutely Every day of it."
    assert transcript.title_words == 2


def test_a_short_line_of_speech_is_not_a_name_alone():
    text = "Interviewer: Did it work?\nP01: It did.\nAbsolutely\nPrimary Care\n"
    transcript = reader_for("x.txt").read(text.encode(), "x.txt", RULES)
    assert [u.speaker for u in transcript.utterances] == ["Interviewer", "P01"]
    assert transcript.utterances[1].text == "It did. Absolutely Primary Care"


def test_docx_speakers_marked_only_by_colour_get_a_hint():
    transcript, turns = turns_of("colours.docx")
    assert not transcript.labelled
    assert speakers(turns) == ["unknown"] * 4
    assert "font colours" in transcript.hint
    assert turns_of("bold_labels.docx")[0].hint == ""


def test_odt_spacing_elements_bold_labels_lists_and_tables():
    transcript, turns = turns_of("focus_group.odt")
    assert speakers(turns) == ["MODERATOR", "P04", "P05", "MODERATOR", "P05"]
    assert turns[0].text == "Welcome. Let's start."
    assert turns[1].text == "I work in community care, mostly nights. It is hard work."  # no footnote
    assert transcript.title_words == 5  # the heading is a title, not a turn
    assert not any("Confidential" in t.text for t in turns)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty"),
        ("binary.txt", "binary data"),
        ("corrupt.docx", "not a readable Word file"),
        ("latin.txt", "cannot be read"),
        ("cues.vtt", "no subtitle cues"),
    ],
)
def test_unreadable_files_raise_one_clear_error(name, reason):
    path = DATA / "bad" / name
    with pytest.raises(TranscriptError) as caught:
        reader_for(path).read(path.read_bytes(), f"transcripts/{name}", RULES)
    assert str(caught.value).startswith((f"transcripts/{name}: ", f"transcripts/{name}, line "))
    assert reason in str(caught.value)


def test_corrupt_odt_is_one_clear_error():
    with pytest.raises(TranscriptError, match="not a readable OpenDocument file"):
        reader_for("x.odt").read(b"PK\x03\x04 nonsense", "x.odt", RULES)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400), st.sampled_from([".txt", ".md", ".vtt", ".srt"]))
def test_any_bytes_give_utterances_or_one_transcript_error(data, suffix):
    try:
        transcript = reader_for(f"x{suffix}").read(data, f"x{suffix}", RULES)
    except TranscriptError as exc:
        assert str(exc).startswith((f"x{suffix}: ", f"x{suffix}, line "))
    else:
        assert all(u.text for u in transcript.utterances)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=2000))
def test_truncated_word_and_opendocument_files_give_one_transcript_error(cut):
    for name in ("bold_labels.docx", "focus_group.odt"):
        data = (DATA / name).read_bytes()
        data = data[: cut * len(data) // 2000]
        try:
            reader_for(name).read(data, name, RULES)
        except TranscriptError as exc:
            assert str(exc).startswith((f"{name}: ", f"{name}, line "))


def test_a_blank_line_inside_a_cue_loses_no_words():
    data = (
        b"1\n00:00:01,000 --> 00:00:02,000\nP01: First line.\n\nSecond line.\n\n"
        b"2\n00:00:03,000 --> 00:00:04,000\nI: Next.\n"
    )
    transcript = reader_for("x.srt").read(data, "x.srt", RULES)
    assert [(u.speaker, u.text) for u in transcript.utterances] == [
        ("P01", "First line. Second line."),
        ("I", "Next."),
    ]
