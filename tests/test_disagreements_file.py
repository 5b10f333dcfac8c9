"""The disagreements file: what the team typed survives agree --force; the workbook suits a meeting."""

from __future__ import annotations

import pandas as pd
import pytest
from agreement_fixtures import REVIEWER1, REVIEWER2, make_project, write_coder
from typer.testing import CliRunner

from slqual.agreement import AgreeOptions, run_agree
from slqual.cli.main import app
from slqual.decisions import STALE_SHEET, read_decisions
from slqual.errors import SlqualError

TIME, CULTURE = "barriers.time", "barriers.culture"


@pytest.fixture
def study(tmp_path):
    return make_project(tmp_path)


def _agree(study, path, force=False):
    return run_agree(
        AgreeOptions(coders=("reviewer1", "reviewer2"), project=study.root, disagreements=path, force=force)
    )


def _fill_csv(path):
    """The team's meeting: decisions, reasons, who decided, a column of their own, and a row added by hand."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["decided_by"] = ""
    frame["notes"] = ""
    typed = {
        "P02-0002": ("keep", "=time is named", "AB, CD", "see memo 4"),
        "P02-0003": ("drop", "no barrier meant", "", ""),
    }
    for segment, (decision, reason, by, notes) in typed.items():
        row = frame["segment_id"] == segment
        frame.loc[row, ["decision", "reason", "decided_by", "notes"]] = [decision, reason, by, notes]
    extra = dict.fromkeys(frame.columns, "") | {"segment_id": "P09-0001", "code": TIME, "reason": "asked Jo"}
    frame = pd.concat([frame, pd.DataFrame([extra])], ignore_index=True)
    frame.to_csv(path, index=False)


def test_force_carries_what_the_team_typed_and_lists_what_no_longer_applies(study, tmp_path):
    path = tmp_path / "d.csv"
    _agree(study, path)
    _fill_csv(path)
    # reviewer2 now also applies barriers.time to P02-0003 (no longer a disagreement) and a new
    # disagreement appears on P01-0004.
    write_coder(
        study.coder_path("reviewer2"),
        [r for r in REVIEWER2 if r[0] != "P01-0004"] + [("P01-0004", ""), ("P02-0002", TIME)],
        "reviewer2",
    )
    write_coder(study.coder_path("reviewer1"), [*REVIEWER1, ("P02-0003", TIME)], "reviewer1")
    outcome = _agree(study, path, force=True)

    new = pd.read_csv(path, dtype=str, keep_default_na=False).set_index(["segment_id", "code"])
    assert list(new.columns)[-4:] == ["decision", "reason", "decided_by", "notes"]
    assert set(new.index) == {("P01-0004", "skills.listening")}
    assert (new["decision"] == "").all()

    stale_path = tmp_path / "d.stale.csv"
    stale = pd.read_csv(stale_path, dtype=str, keep_default_na=False)
    assert list(zip(stale["segment_id"], stale["code"], strict=True)) == [
        ("P02-0002", TIME),
        ("P02-0003", TIME),
        ("P09-0001", TIME),
    ]
    first = stale.iloc[0]
    assert (first["decision"], first["reason"], first["decided_by"], first["notes"]) == (
        "keep",
        "'=time is named",  # still never a formula in a spreadsheet
        "AB, CD",
        "see memo 4",
    )
    assert set(stale["why_set_aside"]) == {"no longer a disagreement between reviewer1, reviewer2"}
    assert list(stale["row"]) == ["2", "3", "4"]
    message = " ".join(outcome.notes)
    assert "3 row(s)" in message and "d.stale.csv" in message and f"P02-0003 {TIME}" in message


def test_force_carries_decisions_that_still_apply(study, tmp_path):
    path = tmp_path / "d.csv"
    _agree(study, path)
    _fill_csv(path)
    outcome = _agree(study, path, force=True)
    assert read_decisions(path)[("P02-0002", TIME)].decided_by == "AB, CD"
    new = pd.read_csv(path, dtype=str, keep_default_na=False).set_index("segment_id")
    assert new.loc["P02-0002", "reason"] == "'=time is named"
    assert new.loc["P02-0003", "decision"] == "drop"
    assert new.loc["P02-0002", "notes"] == "see memo 4"
    assert "carried 2 filled-in row(s)" in " ".join(outcome.notes)
    stale = pd.read_csv(tmp_path / "d.stale.csv", dtype=str, keep_default_na=False)
    assert list(stale["segment_id"]) == ["P09-0001"] and list(stale["reason"]) == ["asked Jo"]


def test_stale_rows_of_earlier_runs_are_kept(study, tmp_path):
    path = tmp_path / "d.csv"
    _agree(study, path)
    _fill_csv(path)
    _agree(study, path, force=True)
    _agree(study, path, force=True)  # the set-aside row of the first run stays set aside
    stale = pd.read_csv(tmp_path / "d.stale.csv", dtype=str, keep_default_na=False)
    assert list(stale["segment_id"]) == ["P09-0001"] and list(stale["reason"]) == ["asked Jo"]


def test_xlsx_force_keeps_the_rows_that_no_longer_apply_on_a_second_sheet(study, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "d.xlsx"
    _agree(study, path)
    book = load_workbook(path)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("segment_id")].value == "P02-0003":
            row[header.index("decision")].value = "drop"
            row[header.index("reason")].value = "no barrier meant"
    book.save(path)
    write_coder(study.coder_path("reviewer1"), [*REVIEWER1, ("P02-0003", TIME)], "reviewer1")
    outcome = _agree(study, path, force=True)
    assert STALE_SHEET in load_workbook(path).sheetnames
    stale = pd.read_excel(path, sheet_name=STALE_SHEET, dtype=str, keep_default_na=False)
    assert list(zip(stale["segment_id"], stale["decision"], stale["reason"], strict=True)) == [
        ("P02-0003", "drop", "no barrier meant")
    ]
    assert read_decisions(path) == {}  # reconcile reads the first sheet only
    assert STALE_SHEET in " ".join(outcome.notes)


def test_a_file_that_is_not_a_disagreements_file_is_not_replaced(study, tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("name,phone\nJo,123\n", encoding="utf-8")
    with pytest.raises(SlqualError, match=r"d\.csv: .*segment_id and code"):
        _agree(study, path, force=True)
    assert path.read_text(encoding="utf-8") == "name,phone\nJo,123\n"


def test_cli_says_what_was_carried_and_set_aside(study, tmp_path):
    path = tmp_path / "d.csv"
    _agree(study, path)
    _fill_csv(path)
    args = ["agree", "reviewer1", "reviewer2", "-p", str(study.root), "--disagreements", str(path), "--force"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "carried 2 filled-in row(s)" in result.stderr
    assert "P09-0001" in result.stderr and "d.stale.csv" in result.stderr


# --- the workbook for the meeting -------------------------------------------------------------


@pytest.fixture
def workbook(study, tmp_path):
    from openpyxl import load_workbook

    segments = study.segments_path.read_text(encoding="utf-8")
    long_text = " ".join(["Listening, and time to listen, and time to think it over."] * 12)
    study.segments_path.write_text(segments.replace("Listening, and time to listen.", long_text))
    path = tmp_path / "d.xlsx"
    _agree(study, path)
    return load_workbook(path).active


def _column(sheet, name):
    from openpyxl.utils import get_column_letter

    header = [c.value for c in sheet[1]]
    return get_column_letter(header.index(name) + 1)


def test_workbook_decision_column_has_a_keep_drop_drop_down(workbook):
    validations = workbook.data_validations.dataValidation
    assert len(validations) == 1
    rule = validations[0]
    assert rule.type == "list" and rule.formula1 == '"keep,drop"'
    column = _column(workbook, "decision")
    assert str(rule.sqref) == f"{column}2:{column}{workbook.max_row}"


def test_workbook_coders_are_numbers_and_text_is_wrapped_with_heights(workbook):
    header = [c.value for c in workbook[1]]
    rows = list(workbook.iter_rows(min_row=2))
    values = {row[header.index("reviewer1")].value for row in rows}
    assert values == {0, 1}
    for row in rows:
        assert row[header.index("text")].alignment.wrap_text
    heights = {
        row[header.index("segment_id")].value: workbook.row_dimensions[row[0].row].height for row in rows
    }
    assert heights["P02-0002"] >= 8 * 15  # about 700 characters in a 70-wide column
    assert heights["P02-0003"] == pytest.approx(15, abs=3)  # one line
    assert workbook.column_dimensions[_column(workbook, "reason")].width >= 40
    assert workbook.column_dimensions[_column(workbook, "decision")].width >= 10


def test_workbook_header_is_frozen_and_filtered(workbook):
    assert workbook.freeze_panes == "A2"
    last = _column(workbook, "reason")
    assert workbook.auto_filter.ref == f"A1:{last}{workbook.max_row}"


def test_an_earlier_coders_column_is_not_taken_for_typed_cells(study, tmp_path):
    path = tmp_path / "d.csv"
    _agree(study, path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).rename(columns={"reviewer2": "reviewer9"})
    frame.to_csv(path, index=False)  # as if the file had been made for reviewer1 and reviewer9
    outcome = _agree(study, path, force=True)
    assert "reviewer9" not in pd.read_csv(path, dtype=str).columns
    assert not (tmp_path / "d.stale.csv").exists() and not outcome.notes
