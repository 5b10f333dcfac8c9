"""Report fast paths give what the plain way gives: CSV as pandas writes it; numpy settings restored."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from slqual.cells import csv_frame
from slqual.reports.writers.csv import frame_csv

TRICKY = [
    "",
    " ",
    "a,b",
    'say "no"',
    "two\nlines",
    "cr\rhere",
    "tab\there",
    "=1+2",
    " -3",
    "@x",
    "\u00e9t\u00e9",
    "\u00a0=x",
]


def _pandas(frame: pd.DataFrame, guard: bool) -> str:
    return (csv_frame(frame) if guard else frame).to_csv(index=False, lineterminator="\n")


def test_text_and_integer_columns_are_written_as_pandas_writes_them():
    frame = pd.DataFrame(
        {
            "text": TRICKY,
            "=head,er": list(range(-5, len(TRICKY) - 5)),
            "object": pd.Series(TRICKY[::-1], dtype=object),
        }
    )
    for guard in (True, False):
        assert frame_csv(frame, guard) == _pandas(frame, guard)


def test_other_frames_are_left_to_pandas():
    frames = [
        pd.DataFrame({"one": ["", "a"]}),  # an empty field alone on a line is quoted
        pd.DataFrame({"a": ["x", None], "b": [1, 2]}),
        pd.DataFrame({"a": ["x", "y"], "b": [0.5, 1e-7]}),
        pd.DataFrame({"a": ["x", "y"], "b": [True, False]}),
        pd.DataFrame({"a": ["x", 3], "b": [1, 2]}),
        pd.DataFrame({"a": [], "b": []}),
        pd.DataFrame({1: ["x"], 2: ["y"]}),
    ]
    for frame in frames:
        for guard in (True, False):
            assert frame_csv(frame, guard) == _pandas(frame, guard)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.text(), st.integers(-(2**62), 2**62)), min_size=1, max_size=8))
def test_any_text_is_written_as_pandas_writes_it(rows):
    frame = pd.DataFrame(rows, columns=["text", "number"])
    frame["text"] = frame["text"].astype(str)
    for guard in (True, False):
        assert frame_csv(frame, guard) == _pandas(frame, guard)
