"""Cells safe for spreadsheets and XML: formulas stay text, XML-illegal characters go, long text is cut."""

from __future__ import annotations

import pytest

from slqual.cells import CUT_NOTE, EXCEL_CELL_LIMIT, csv_text, excel_text, from_csv_text, xml_safe


@pytest.mark.parametrize("text", ["=SUM(A1)", "+44 1234", "-1", "@cmd", "\tx", "\rx"])
def test_formula_like_text_gets_an_apostrophe_in_csv_and_comes_back(text):
    assert csv_text(text) == "'" + text
    assert from_csv_text(csv_text(text)) == text


def test_ordinary_text_is_left_alone():
    assert csv_text("It's fine") == "It's fine"
    assert from_csv_text("'quoted' words") == "'quoted' words"
    assert csv_text(None) == ""


def test_xml_safe_drops_control_characters_and_lone_surrogates_only():
    assert xml_safe("a\x0bb\x00c\ud800d\uffff\te\nf") == "a\nbcd\te\nf"
    assert xml_safe("curly “quotes” – dash") == "curly “quotes” – dash"


def test_excel_text_cuts_long_text_and_says_so():
    long = "x" * (EXCEL_CELL_LIMIT + 10)
    cut = excel_text(long)
    assert len(cut) == EXCEL_CELL_LIMIT and cut.endswith(CUT_NOTE)
    assert excel_text("short") == "short"
