"""The core tables: participants.csv, segments.csv and a coder's file."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slqual.codings import CODING_COLUMNS, check_coder_name, read_coding, write_coding
from slqual.errors import CodingsError, ProjectError
from slqual.participants import read_participants
from slqual.segments import (
    SEGMENT_COLUMNS,
    participant_segments,
    read_segments,
    segments_text,
    with_questions,
)


def test_read_coding_fills_optional_columns_and_the_coder_from_the_file_name(tmp_path):
    path = tmp_path / "anna.csv"
    path.write_text("segment_id,code\nP01-0002,barriers.bureaucracy\nP01-0004,\n", encoding="utf-8")
    frame = read_coding(path)
    assert list(frame.columns) == CODING_COLUMNS
    assert list(frame["coder"]) == ["anna", "anna"]
    assert list(frame["code"]) == ["barriers.bureaucracy", ""]  # empty: read, no code applies


def test_read_coding_names_the_row_of_a_blank_segment_id(tmp_path):
    path = tmp_path / "anna.csv"
    path.write_text("segment_id,code\nP01-0002,a\n,b\n", encoding="utf-8")
    with pytest.raises(CodingsError, match="row 3: empty segment_id"):
        read_coding(path)


def test_write_coding_keeps_the_old_file_and_added_columns(project):
    first = pd.DataFrame([{"segment_id": "P01-0002", "code": "a", "my_note": "check"}])
    assert write_coding(project, "anna", first) is None
    before = project.coder_path("anna").read_bytes()
    kept = write_coding(project, "anna", first.assign(code="b"))
    assert kept.read_bytes() == before
    written = pd.read_csv(project.coder_path("anna"), dtype=str, keep_default_na=False)
    assert list(written.columns) == [*CODING_COLUMNS, "my_note"]
    assert written.loc[0, "code"] == "b" and written.loc[0, "my_note"] == "check"


def test_read_coding_with_extra_columns_keeps_a_coders_own_columns(tmp_path):
    path = tmp_path / "anna.csv"
    path.write_text("segment_id,code,my_note,\nP01-0002,a,check,\n", encoding="utf-8")
    assert list(read_coding(path).columns) == CODING_COLUMNS
    frame = read_coding(path, extra_columns=True)
    assert list(frame.columns) == [*CODING_COLUMNS, "my_note"]  # not the blank column a trailing ',' makes
    assert frame.loc[0, "my_note"] == "check"


SEGMENTS_HEADER = ",".join(SEGMENT_COLUMNS)


def test_read_segments_accepts_a_byte_order_mark(tmp_path):
    path = tmp_path / "segments.csv"
    path.write_text(
        f"\ufeff{SEGMENTS_HEADER}\nP01-0001,P01,P01,1,P01,participant,,,Hello\n", encoding="utf-8"
    )
    assert list(read_segments(path)["segment_id"]) == ["P01-0001"]


def test_read_segments_names_the_row_of_a_seq_that_is_not_a_number(tmp_path):
    path = tmp_path / "segments.csv"
    path.write_text(
        f"{SEGMENTS_HEADER}\nP01-0001,P01,P01,1,P01,participant,,,Hello\nP01-0002,P01,P01,two,P01,participant,,,Hi\n",
        encoding="utf-8",
    )
    with pytest.raises(ProjectError, match=r"segments\.csv, row 3: seq 'two' is not a number"):
        read_segments(path)


@pytest.mark.parametrize("name", ["", "two words", "../escape", "a/b"])
def test_coder_names_that_cannot_be_file_names_are_refused(name):
    with pytest.raises(CodingsError):
        check_coder_name(name)


def test_participants_ids_must_be_unique(tmp_path):
    path = tmp_path / "participants.csv"
    path.write_text("participant_id,group\nP01,clinical\nP02,clinical\nP01,non-clinical\n", encoding="utf-8")
    with pytest.raises(ProjectError, match="rows 2, 4: participant_id 'P01' appears more than once"):
        read_participants(path)


def test_participants_need_an_id_column(tmp_path):
    path = tmp_path / "participants.csv"
    path.write_text("id,group\nP01,clinical\n", encoding="utf-8")
    with pytest.raises(ProjectError, match="no 'participant_id' column"):
        read_participants(path)


def test_questions_are_the_interviewer_turn_before_each_segment():
    rows = [
        ("A-0001", "A", "interviewer", "Q1?"),
        ("A-0002", "A", "participant", "a1"),
        ("A-0003", "A", "participant", "a1 more"),
        ("A-0004", "A", "interviewer", "Q2?"),
        ("A-0005", "A", "participant", "a2"),
        ("B-0001", "B", "participant", "b0"),
    ]
    frame = pd.DataFrame(
        [
            {"segment_id": s, "document": d, "speaker_role": r, "text": t, "seq": i}
            for i, (s, d, r, t) in enumerate(rows)
        ]
    ).reindex(columns=SEGMENT_COLUMNS, fill_value="")
    asked = with_questions(frame).set_index("segment_id")["question"]
    assert asked.to_dict() == {
        "A-0001": "",
        "A-0002": "Q1?",
        "A-0003": "Q1?",
        "A-0004": "Q1?",
        "A-0005": "Q2?",
        "B-0001": "",  # a question never crosses into another document
    }
    assert list(participant_segments(frame)["segment_id"]) == ["A-0002", "A-0003", "A-0005", "B-0001"]


_FIELD = st.text(alphabet="ab ,\"\n\r\t;'é", max_size=6)
_ROW = st.tuples(
    _FIELD,
    _FIELD,
    _FIELD,
    st.one_of(st.integers(0, 99), st.none(), st.booleans(), st.floats(0, 2)),
    _FIELD,
    _FIELD,
    st.one_of(_FIELD, st.none()),
    _FIELD,
    _FIELD,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ROW, max_size=6))
def test_segments_text_is_what_the_csv_module_writes(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SEGMENT_COLUMNS)
    writer.writerows(rows)
    assert segments_text(rows) == buffer.getvalue()


_TEXT = st.text(alphabet='ab ,"\n\r;é', max_size=6)


def _rows_or_error(read, path):
    try:
        return read(path)
    except ProjectError as exc:
        return str(exc)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(_TEXT, _TEXT, _TEXT, st.integers(0, 99), _TEXT, _TEXT, _TEXT, _TEXT, _TEXT), max_size=6
    )
)
def test_segment_rows_read_by_line_as_the_csv_module_reads_them(rows):
    """The line-by-line reader gives what the csv module gives, or leaves the file to it."""
    import tempfile
    from pathlib import Path

    from slqual import segments

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "segments.csv"
        path.write_text(segments.segments_text(rows), encoding="utf-8", newline="")
        fast = _rows_or_error(segments.read_segment_rows, path)
        plain, segments._plain_rows = segments._plain_rows, lambda text: None
        try:
            expected = _rows_or_error(segments.read_segment_rows, path)
        finally:
            segments._plain_rows = plain
        assert fast == expected
