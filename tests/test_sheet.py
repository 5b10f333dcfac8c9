"""Spreadsheet coding: export, fill programmatically, import; every validation error by row."""

from __future__ import annotations

import csv
import json
import shutil

import pytest
from coding_fixtures import PARTICIPANT_SEGMENTS, make_project
from openpyxl import load_workbook

from slqual.cli.main import app
from slqual.coding.sheet_import import import_sheet, parse_codes
from slqual.coding.sheets import export_sheet
from slqual.codings import read_coding
from slqual.errors import CodingsError


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path)


def _fill_xlsx(path, values):
    """values: {segment_id: {column: value}}"""
    book = load_workbook(path)
    sheet = book["Coding"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        sid = row[0].value
        for column, value in values.get(sid, {}).items():
            row[header.index(column)].value = value
    book.save(path)


def _read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _write_csv(path, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_xlsx_export_layout(project, tmp_path):
    path = tmp_path / "r1.xlsx"
    result = export_sheet(project, "r1", "xlsx", path)
    assert (result.segments, result.coded) == (6, 0)
    book = load_workbook(path)
    assert book.sheetnames == ["Coding", "Codebook", "Help", "slqual"]
    sheet = book["Coding"]
    assert [c.value for c in sheet[1]] == [
        "segment_id",
        "document",
        "participant",
        "group",
        "question",
        "text",
        "codes",
        "memo",
        "exemplar",
        "quote",
        "speaker",
        "review",
    ]
    assert [r[0].value for r in sheet.iter_rows(min_row=2)] == PARTICIPANT_SEGMENTS
    assert sheet["D2"].value == "clinical"
    assert sheet["E2"].value == "How did you come to lead?"
    assert sheet.freeze_panes == "B2"
    assert sheet["F2"].alignment.wrap_text
    assert sheet.column_dimensions["F"].width == 70
    lists = [dv for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert any("Codebook!$A$2" in dv.formula1 and "G2:G7" in str(dv.sqref) for dv in lists)
    codebook = book["Codebook"]
    assert [c.value for c in codebook[1]] == ["id", "name", "definition"]
    assert codebook["A2"].value == "motivation"
    assert book["slqual"].sheet_state == "hidden"
    meta = {r[0].value: r[1].value for r in book["slqual"].iter_rows(min_row=2)}
    assert meta["coder"] == "r1"
    assert meta["project"].startswith("study:")


def test_formula_like_text_is_written_as_text(project, tmp_path):
    xlsx, csv_path = tmp_path / "r1.xlsx", tmp_path / "r1.csv"
    export_sheet(project, "r1", "xlsx", xlsx)
    export_sheet(project, "r1", "csv", csv_path)
    cell = load_workbook(xlsx)["Coding"]["F4"]
    assert cell.value == "=SUM(A1:A2) is what the finance people say."
    assert cell.data_type == "s"
    raw = xlsx.read_bytes()
    import io
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
    assert _read_csv(csv_path)[2]["text"] == "'=SUM(A1:A2) is what the finance people say."


def test_xlsx_round_trip(project, tmp_path):
    path = tmp_path / "r1.xlsx"
    export_sheet(project, "r1", "xlsx", path)
    _fill_xlsx(
        path,
        {
            "P01-0002": {"codes": "motivation.not_career_goal; Time pressure", "exemplar": 1},
            "P01-0004": {"codes": "barriers.bureaucracy\nbarriers.bureaucracy.meetings", "memo": "-- unsure"},
            "P01-0005": {"codes": "none"},
            "P02-0002": {"codes": "Bureaucracy, paperwork and process"},  # a name with a comma
        },
    )
    result = import_sheet(project, path, "r1")
    assert result.valid and result.written, result.problems
    frame = read_coding(project.coder_path("r1"))
    assert frame[["segment_id", "code", "memo", "exemplar"]].values.tolist() == [
        ["P01-0002", "motivation.not_career_goal", "", "1"],
        ["P01-0002", "barriers.time_pressure", "", "1"],
        ["P01-0004", "barriers.bureaucracy", "-- unsure", ""],
        ["P01-0004", "barriers.bureaucracy.meetings", "-- unsure", ""],
        ["P01-0005", "", "", ""],
        ["P02-0002", "barriers.bureaucracy", "", ""],
    ]
    assert len(result.added) == 6
    # Exported again, the sheet shows what was imported; importing it unchanged changes nothing.
    again = tmp_path / "again.xlsx"
    export_sheet(project, "r1", "xlsx", again)
    sheet = load_workbook(again)["Coding"]
    assert sheet["G2"].value == "motivation.not_career_goal; barriers.time_pressure"
    assert sheet["G4"].value == "none"
    assert sheet["H3"].data_type == "s"  # the memo starting with '-' is text
    same = import_sheet(project, again, "r1")
    assert (same.added, same.removed, same.unchanged, same.written) == ((), (), 6, False)


def test_csv_round_trip_with_semicolon_separator_and_dry_run(project, tmp_path):
    path = tmp_path / "r1.csv"
    export_sheet(project, "r1", "csv", path)
    rows = _read_csv(path)
    rows[0]["codes"] = "motivation.not_career_goal, barriers.time_pressure"
    rows[1]["codes"] = "0"
    rows[1]["memo"] = "'=not a formula"
    # Some spreadsheets save CSV with ';' between cells.
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    dry = import_sheet(project, path, "r1", dry_run=True)
    assert dry.valid and not dry.written
    assert dry.added == (
        ("P01-0002", "barriers.time_pressure"),
        ("P01-0002", "motivation.not_career_goal"),
        ("P01-0004", ""),
    )
    assert not project.coder_path("r1").exists()
    done = import_sheet(project, path, "r1")
    assert done.written
    frame = read_coding(project.coder_path("r1"))
    assert frame["memo"].tolist()[-1] == "=not a formula"
    # A second import that clears one segment and changes another keeps the old file in history.
    rows[0]["codes"] = "motivation.not_career_goal"
    rows[1]["codes"] = ""
    rows[1]["memo"] = ""
    _write_csv(path, rows)
    dry = import_sheet(project, path, "r1", dry_run=True)
    assert dry.removed == (("P01-0002", "barriers.time_pressure"), ("P01-0004", ""))
    assert dry.unchanged == 1
    result = import_sheet(project, path, "r1")
    assert result.history_path and ".slqual/history/r1." in result.history_path
    assert read_coding(project.coder_path("r1"))["code"].tolist() == ["motivation.not_career_goal"]


def test_every_problem_is_reported_with_its_row_and_nothing_is_written(project, tmp_path):
    project.codings_dir.mkdir(exist_ok=True)
    before = "segment_id,code\nP01-0002,motivation\n"
    project.coder_path("r1").write_text(before)
    path = tmp_path / "r1.xlsx"
    export_sheet(project, "r1", "xlsx", path)
    book = load_workbook(path)
    sheet = book["Coding"]
    sheet["G2"] = "motivation; nonsense"  # row 2: unknown code
    sheet["A3"] = "P09-0001"  # row 3: unknown segment
    sheet["G3"] = "barriers"
    sheet["A4"] = "P01-0002"  # row 4: duplicate of row 2
    sheet["A5"] = "P01-0001"  # row 5: an interviewer turn
    sheet["H6"] = "memo without codes"  # row 6
    sheet["G7"] = "barriers"
    sheet["I7"] = "maybe"  # row 7: bad exemplar
    sheet.append(["P01-0004", "", "", "", "", "", "none, barriers"])  # row 8: none with a code
    book["slqual"]["B2"] = "elsewhere:0123456789ab"  # another project
    book.save(path)
    result = import_sheet(project, path, "r1")
    assert not result.written
    found = {(p.row, p.column, p.message) for p in result.problems}
    assert found == {
        (2, "codes", "unknown code 'nonsense'; use an id or exact name from the Codebook sheet"),
        (
            3,
            "segment_id",
            "unknown segment id 'P09-0001'; segment ids come from segments.csv, do not edit them",
        ),
        (4, "segment_id", "segment 'P01-0002' is also in row 2; keep one of the two rows"),
        (5, "segment_id", "'P01-0001' is an interviewer turn, not a participant segment; delete the row"),
        (6, "codes", "a memo or exemplar mark but no codes; add the codes, or 'none' if no code applies"),
        (7, "exemplar", "'maybe' is not 1 or empty"),
        (8, "codes", "'none' (no code applies) cannot be combined with codes"),
        (
            None,
            "sheet 'slqual'",
            "this sheet was exported from another project ('elsewhere:0123456789ab', "
            f"this one is '{_identity(project)}'); import it into the project it came from",
        ),
    }
    assert project.coder_path("r1").read_text() == before
    assert not (project.internal_dir / "history").exists()


def _identity(project):
    from slqual.coding.sheets import project_identity

    return project_identity(project)


def test_csv_from_another_project_is_detected(project, tmp_path):
    other = make_project(tmp_path / "other")
    path = tmp_path / "other.csv"
    export_sheet(other, "r1", "csv", path)
    rows = _read_csv(path)
    rows[0]["codes"] = "motivation"
    _write_csv(path, rows)
    result = import_sheet(project, path, "r1")
    assert [(p.row, p.column) for p in result.problems] == [(2, "slqual_project")]
    assert not project.coder_path("r1").exists()


def test_a_copy_of_the_project_folder_is_the_same_project(project, tmp_path):
    path = tmp_path / "r1.csv"
    export_sheet(project, "r1", "csv", path)
    copy = tmp_path / "copy"
    shutil.copytree(project.root, copy)
    from slqual.project import open_project

    rows = _read_csv(path)
    rows[0]["codes"] = "motivation"
    _write_csv(path, rows)
    assert import_sheet(open_project(copy), path, "r1").written


def test_missing_columns_and_unreadable_files(project, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id,stuff\nP01-0002,x\n")
    result = import_sheet(project, path, "r1")
    assert [(p.row, p.column) for p in result.problems] == [(1, "segment_id, codes")]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(CodingsError, match="cannot be opened as an Excel workbook"):
        import_sheet(project, broken, "r1")
    other = tmp_path / "x.ods"
    other.write_text("")
    with pytest.raises(CodingsError, match="save it as .xlsx or .csv"):
        import_sheet(project, other, "r1")


def test_export_refuses_to_overwrite(project, tmp_path):
    path = tmp_path / "r1.csv"
    export_sheet(project, "r1", "csv", path)
    with pytest.raises(CodingsError, match="already exists"):
        export_sheet(project, "r1", "csv", path)
    export_sheet(project, "r1", "csv", path, force=True)


def test_a_sheet_that_cannot_be_written_is_named(project, tmp_path, monkeypatch):
    import slqual.coding.sheets as sheets

    def refuse(path, data):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(sheets, "atomic_write_bytes", refuse)
    with pytest.raises(
        CodingsError, match=r"r1.csv: could not be written \(Permission denied\); choose another"
    ):
        export_sheet(project, "r1", "csv", tmp_path / "r1.csv")


def test_parse_codes_accepts_ids_names_and_separators(project):
    from slqual.codebook import load_project_codebook

    codebook = load_project_codebook(project)
    assert parse_codes("", codebook) == (None, [])
    assert parse_codes("None", codebook) == ((), [])
    assert parse_codes("Time pressure;\nbarriers , barriers", codebook) == (
        ("barriers.time_pressure", "barriers"),
        [],
    )


def test_cli_import_shows_problems_and_exits_2(runner, project, tmp_path):
    path = tmp_path / "r1.csv"
    assert (
        runner.invoke(
            app, ["sheet", "export", "--coder", "r1", "-f", "csv", "-o", str(path), "-p", str(project.root)]
        ).exit_code
        == 0
    )
    rows = _read_csv(path)
    rows[0]["codes"] = "wrong"
    _write_csv(path, rows)
    result = runner.invoke(app, ["sheet", "import", str(path), "--coder", "r1", "-p", str(project.root)])
    assert result.exit_code == 2
    assert "1 problem(s)" in result.output
    assert "unknown code 'wrong'" in result.output
    rows[0]["codes"] = "motivation"
    _write_csv(path, rows)
    dry = runner.invoke(
        app, ["sheet", "import", str(path), "--coder", "r1", "--dry-run", "-p", str(project.root)]
    )
    assert dry.exit_code == 0
    assert "1 assignment(s) would be added, 0 removed, 0 unchanged" in dry.output
    assert "Dry run: nothing was written." in dry.output
    as_json = runner.invoke(
        app, ["sheet", "import", str(path), "--coder", "r1", "-f", "json", "-p", str(project.root)]
    )
    data = json.loads(as_json.stdout)
    assert data["written"] is True and data["added"] == [["P01-0002", "motivation"]]


def test_a_formula_in_a_cell_is_reported_not_dropped(project, tmp_path):
    path = tmp_path / "r1.xlsx"
    export_sheet(project, "r1", "xlsx", path)
    _fill_xlsx(path, {"P01-0002": {"codes": "=Codebook!A2"}, "P01-0004": {"memo": "=1+1", "codes": "none"}})
    result = import_sheet(project, path, "r1")
    assert not result.written
    assert [(p.row, p.column) for p in result.problems] == [(2, "codes"), (3, "memo")]
    assert "holds a formula (=Codebook!A2); type the code ids as plain text" in result.problems[0].message
    assert not project.coder_path("r1").exists()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(project, tmp_path):
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part,
    ):
        for _ in range(110):
            part.write(b" " * 1_000_000)
    assert path.stat().st_size < 1_000_000
    with pytest.raises(CodingsError, match=r"too large to be a coding sheet \(110 MB once unpacked"):
        import_sheet(project, path, "r1")


def test_columns_a_reviewer_added_are_named_and_ignored(project, tmp_path):
    path = tmp_path / "r1.csv"
    export_sheet(project, "r1", "csv", path)
    rows = _read_csv(path)
    for row in rows:
        row["my notes"] = "x"
    rows[0]["codes"] = "motivation"
    _write_csv(path, rows)
    result = import_sheet(project, path, "r1", dry_run=True)
    assert result.valid
    assert result.notes == ("column(s) 'my notes' are not slqual's and were ignored",)


def test_a_european_excel_csv_is_read(project, tmp_path):
    """Excel in many languages saves CSV with ';' between cells, a byte-order mark and CRLF."""
    path = tmp_path / "r1.csv"
    export_sheet(project, "r1", "csv", path)
    rows = _read_csv(path)
    rows[0]["codes"] = "motivation.not_career_goal, motivation"
    rows[0]["memo"] = "a memo; with a semicolon"
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=";", lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    result = import_sheet(project, path, "r1")
    assert result.written
    frame = read_coding(project.coder_path("r1"))
    assert frame["code"].tolist() == ["motivation.not_career_goal", "motivation"]
    assert frame["memo"].tolist() == ["a memo; with a semicolon"] * 2


def test_import_keeps_columns_a_researcher_added_to_the_coder_file(project, tmp_path):
    target = project.coder_path("r1")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("segment_id,code,notes\nP01-0002,motivation,ask Sam\n", encoding="utf-8")
    path = tmp_path / "r1.csv"
    export_sheet(project, "r1", "csv", path)
    rows = _read_csv(path)
    rows[1]["codes"] = "none"
    _write_csv(path, rows)
    assert import_sheet(project, path, "r1").written
    frame = read_coding(target)
    assert frame["segment_id"].tolist() == ["P01-0002", "P01-0004"]
    import pandas as pd

    raw = pd.read_csv(target, dtype=str, keep_default_na=False)
    assert raw["notes"].tolist() == ["ask Sam", ""]


def test_the_format_follows_the_file_name_and_a_folder_gets_the_default_name(project, tmp_path):
    assert export_sheet(project, "r1", output=tmp_path / "mine.csv").format == "csv"
    assert export_sheet(project, "r1", output=tmp_path).path == str(tmp_path / "r1-coding.xlsx")
    with pytest.raises(CodingsError, match=r"x.ods: a coding sheet is saved as .xlsx or .csv; name the file"):
        export_sheet(project, "r1", output=tmp_path / "x.ods")
    with pytest.raises(CodingsError, match=r"the name ends in .csv but --format is xlsx; make them agree"):
        export_sheet(project, "r1", "xlsx", tmp_path / "other.csv")
    with pytest.raises(CodingsError, match="is a folder; give the filled sheet's file"):
        import_sheet(project, tmp_path, "r1")
    assert not (tmp_path / "x.ods").exists() and not (tmp_path / "other.csv").exists()


def test_cli_failed_import_ends_with_one_line_on_stderr(runner, project, tmp_path):
    path = tmp_path / "r1.csv"
    export_sheet(project, "r1", "csv", path)
    rows = _read_csv(path)
    rows[0]["codes"] = "made.up"
    rows[1]["codes"] = "also.made.up"
    _write_csv(path, rows)
    result = runner.invoke(app, ["sheet", "import", str(path), "--coder", "r1", "-p", str(project.root)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.stderr.strip().splitlines() == [
        f"Error: {path}, row 2: unknown code 'made.up'; use an id or exact name from the Codebook sheet "
        "(and 1 more problem(s), listed above); nothing was imported: fix the sheet and import it again"
    ]
    assert not project.coder_path("r1").exists()


def test_a_sheet_whose_xml_is_cut_short_is_explained(project, tmp_path):
    import zipfile

    good = tmp_path / "r1.xlsx"
    export_sheet(project, "r1", "xlsx", good)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(info.filename, data)
    with pytest.raises(
        CodingsError, match=r"broken.xlsx: cannot be opened as an Excel workbook \(it is damaged"
    ):
        import_sheet(project, broken, "r1")


def test_a_segment_longer_than_an_excel_cell_is_cut_with_a_note_and_imports(project, tmp_path):
    from slqual.segments import read_project_segments, write_segments

    segments = read_project_segments(project)
    segments.loc[segments["segment_id"] == "P01-0002", "text"] = "word " * 10_000
    write_segments(project.segments_path, segments)
    path = tmp_path / "r1.xlsx"
    export_sheet(project, "r1", "xlsx", path)
    cell = load_workbook(path)["Coding"]["F2"].value
    assert len(cell) == 32_767
    assert cell.endswith("the full text is in segments.csv]")
    _fill_xlsx(path, {"P01-0002": {"codes": "motivation"}})
    assert import_sheet(project, path, "r1").written


def _segment_text(project, sid):
    from slqual.segments import read_project_segments

    segments = read_project_segments(project)
    return segments.loc[segments["segment_id"] == sid, "text"].iloc[0]


def test_a_marked_quote_in_the_sheet_is_checked_and_kept(project, tmp_path):
    path = tmp_path / "r1.csv"
    export_sheet(project, "r1", "csv", path)
    rows = _read_csv(path)
    words = _segment_text(project, rows[0]["segment_id"]).split()
    rows[0]["codes"] = "motivation.not_career_goal"
    rows[0]["quote"] = " ".join(words[:3]) + " ... " + " ".join(words[-2:])
    rows[3]["codes"] = "motivation.not_career_goal"
    rows[3]["quote"] = "words nobody said"
    _write_csv(path, rows)
    result = import_sheet(project, path, "r1")
    assert not result.valid
    assert [(p.row, p.column) for p in result.problems] == [(5, "quote")]
    assert "at 'words'" in result.problems[0].message
    rows[3]["quote"] = ""
    _write_csv(path, rows)
    assert import_sheet(project, path, "r1").written
    coding = read_coding(project.coder_path("r1"))
    assert coding.loc[coding["segment_id"] == rows[0]["segment_id"], "quote"].iloc[0] == rows[0]["quote"]
    again = tmp_path / "again.csv"
    export_sheet(project, "r1", "csv", again)
    assert _read_csv(again)[0]["quote"] == rows[0]["quote"]


def test_a_redacted_sheet_hides_names_and_keeps_the_coders_quote(project, tmp_path):
    sid = PARTICIPANT_SEGMENTS[0]
    words = _segment_text(project, sid).split()
    at, name = next((i, w) for i, w in enumerate(words) if w.isalpha() and len(w) > 3)
    (project.root / "redact.csv").write_text(f"text,replacement\n{name},[name]\n", encoding="utf-8")
    path = tmp_path / "r1.csv"
    export_sheet(project, "r1", "csv", path)
    rows = _read_csv(path)
    rows[0]["codes"] = "motivation.not_career_goal"
    rows[0]["quote"] = " ".join(words[: at + 2])
    _write_csv(path, rows)
    assert import_sheet(project, path, "r1").written
    assert name in rows[0]["quote"]
    redacted = tmp_path / "redacted.csv"
    export_sheet(project, "r1", "csv", redacted, redact=True)
    text = redacted.read_text(encoding="utf-8-sig")
    assert "[name]" in text
    assert not any(name in row["text"] or name in row["quote"] for row in _read_csv(redacted))
    # The redacted sheet comes back unchanged: the coder's own quote is kept, not the redacted one.
    back = import_sheet(project, redacted, "r1", dry_run=True)
    assert back.valid, back.problems
    assert back.notes_changed == 0


def test_a_quote_line_starting_with_a_code_gives_that_code_its_own_quote(project, tmp_path):
    path = tmp_path / "r1.csv"
    export_sheet(project, "r1", "csv", path)
    rows = _read_csv(path)
    words = _segment_text(project, rows[0]["segment_id"]).split()
    first, last = " ".join(words[:3]), " ".join(words[-3:])
    rows[0]["codes"] = "motivation.not_career_goal; barriers.time_pressure; motivation.duty_to_team"
    # A line starting with a code (id or exact name) and ':' is that code's; the words before it
    # are the quote of the codes without a line of their own.
    rows[0]["quote"] = f"{first}\nTime pressure: {last}"
    _write_csv(path, rows)
    result = import_sheet(project, path, "r1")
    assert result.written, result.problems
    coding = read_coding(project.coder_path("r1"))
    mine = coding[coding["segment_id"] == rows[0]["segment_id"]]
    assert dict(zip(mine["code"], mine["quote"], strict=True)) == {
        "motivation.not_career_goal": first,
        "barriers.time_pressure": last,
        "motivation.duty_to_team": first,
    }
    # Exported again, the cell says each code's quote; sent back unchanged, nothing changes.
    again = tmp_path / "again.csv"
    export_sheet(project, "r1", "csv", again)
    cell = _read_csv(again)[0]["quote"]
    assert cell.splitlines() == [
        f"motivation.not_career_goal: {first}",
        f"barriers.time_pressure: {last}",
        f"motivation.duty_to_team: {first}",
    ]
    back = import_sheet(project, again, "r1", dry_run=True)
    assert back.valid and back.notes_changed == 0 and not back.added and not back.removed


def test_a_quote_line_for_a_code_the_row_lacks_or_an_unknown_prefix_is_one_clear_error(project, tmp_path):
    path = tmp_path / "r1.csv"
    export_sheet(project, "r1", "csv", path)
    rows = _read_csv(path)
    words = _segment_text(project, rows[0]["segment_id"]).split()
    rows[0]["codes"] = "motivation.not_career_goal"
    rows[0]["quote"] = f"barriers.time_pressure: {' '.join(words[:3])}"
    rows[1]["codes"] = "motivation.not_career_goal"
    more = _segment_text(project, rows[1]["segment_id"]).split()
    rows[1]["quote"] = f"motivation.not_carer_goal: {' '.join(more[:3])}"  # a typo: no code, no match
    _write_csv(path, rows)
    result = import_sheet(project, path, "r1")
    assert not result.written
    assert [(p.row, p.column) for p in result.problems] == [(2, "quote"), (3, "quote")]
    lacking, unknown = (p.message for p in result.problems)
    assert "'barriers.time_pressure', which is not among this row's codes" in lacking
    assert "add that code to 'codes'" in lacking
    assert "'motivation.not_carer_goal' before ':' is no code of the codebook" in unknown
    assert "start the line with one of this row's codes: motivation.not_career_goal" in unknown
