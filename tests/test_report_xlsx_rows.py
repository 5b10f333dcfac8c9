"""The long data sheets' rows as sheet XML: each distinct value formatted once, and still exactly."""

from __future__ import annotations

import pandas as pd

from slqual.reports.writers.xlsx_rows import data_rows_xml


def _rows(frame: pd.DataFrame) -> str:
    return data_rows_xml(frame, first_row=3).decode("utf-8")


def test_values_equal_as_keys_keep_their_own_text():
    frame = pd.DataFrame(
        {
            "floats": [0.0, -0.0, 0.5],
            "mixed": pd.Series([1, 1.0, True], dtype=object),
        }
    )
    xml = _rows(frame)
    assert '<c r="A3"><v>0.0</v></c>' in xml and '<c r="A4"><v>-0.0</v></c>' in xml
    assert ">1</t>" in xml and ">1.0</t>" in xml and ">True</t>" in xml


def test_repeated_text_is_numbered_per_row_and_made_safe():
    frame = pd.DataFrame({"code": ["a&b", "a&b", None, "x\x0by\x00"], "n": [1, 1, 2, 2]})
    xml = _rows(frame)
    assert xml.count("a&amp;b") == 2
    assert '<c r="A3" t="inlineStr">' in xml and '<c r="A4" t="inlineStr">' in xml
    assert '<c r="A5"' not in xml  # a missing value gets no cell
    assert "x\ny</t>" in xml and "\x00" not in xml  # Word's line break kept as a new line, NUL gone
    assert '<c r="B6"><v>2</v></c>' in xml


def test_whitespace_is_marked_to_be_kept_where_text_starts_or_ends_with_it():
    frame = pd.DataFrame({"text": [" lead", "trail\n", "in  side\nlines", "x\x0b"]})
    xml = _rows(frame)
    assert '<t xml:space="preserve"> lead</t>' in xml and '<t xml:space="preserve">trail\n</t>' in xml
    assert "<t>in  side\nlines</t>" in xml  # as XlsxWriter writes the header and first row
    assert '<t xml:space="preserve">x\n</t>' in xml  # Word's line break at the end, made a new line
