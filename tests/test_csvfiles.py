"""One voice for every table a person edits: both CSV engines word each defect alike."""

from __future__ import annotations

import pytest

from slqual.codings import read_coding, read_coding_columns
from slqual.csvfiles import read_text_rows, read_text_table
from slqual.errors import CodingsError, ProjectError

BROKEN = {
    "long row": (b"segment_id,code\ns1,a\ns2,b,extra\n", r"row 3: more cells than the header has columns"),
    "semicolons": (
        b"segment_id;code\ns1;a;b\n",
        r"row 2: more cells than the header has columns; remove the extra ';'",
    ),
    "not utf-8": (b"segment_id,code\ns1,caf\xe9\n", r"not UTF-8 text \(byte \d+\); save it as 'CSV UTF-8'"),
    "open quote": (b'segment_id,code\ns1,"a\n', r"not a readable CSV file; check the quotes"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_both_engines_word_a_defect_alike(tmp_path, case):
    content, message = BROKEN[case]
    path = tmp_path / "r1.csv"
    path.write_bytes(content)
    said = []
    for read in (read_text_table, read_text_rows):
        with pytest.raises(ProjectError, match=message) as caught:
            read(path, ProjectError)
        said.append(str(caught.value))
    assert said[0] == said[1]
    assert said[0].startswith(str(path))


def test_quick_and_full_coder_readers_agree(tmp_path):
    path = tmp_path / "r1.csv"
    path.write_text(
        "segment_id;code;memo;source;decided_by;reason\n s1 ; a ;m;agreed;;\ns2;;;decided;ann;why\n"
    )
    full = read_coding(path, extra_columns=True)
    quick = read_coding_columns(path)
    for column, values in quick.items():
        assert full[column].tolist() == values, column
    assert quick["coder"] == ["r1", "r1"]
    assert quick["segment_id"] == ["s1", "s2"] and quick["code"] == ["a", ""]


def test_quick_coder_reader_refuses_what_the_full_one_refuses(tmp_path):
    path = tmp_path / "r1.csv"
    for content, message in (
        ("segment,code\ns1,a\n", "missing column\\(s\\) segment_id; a coder file needs segment_id and code"),
        ("segment_id,code\n,a\n", "row 2: empty segment_id; fill it in or delete the row"),
    ):
        path.write_text(content)
        for read in (read_coding, read_coding_columns):
            with pytest.raises(CodingsError, match=message):
                read(path)
    path.write_text("")
    assert read_coding_columns(path)["segment_id"] == [] and read_coding(path).empty
