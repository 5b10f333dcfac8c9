"""Report tables: counts equal a direct computation, rows follow the codebook, options and errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from slqual.errors import CodingsError, ReportError
from slqual.project import open_project
from slqual.reports import Level, QuoteCell, ReportOptions, build_report, parse_formats, parse_where

FIXTURE = Path(__file__).parent / "data" / "report" / "project"


def fixture_project(tmp_path: Path):
    shutil.copytree(FIXTURE, tmp_path / "study")
    return open_project(tmp_path / "study")


@pytest.fixture
def project(tmp_path):
    return fixture_project(tmp_path)


def direct_prevalence(root: Path, code: str, group: str) -> tuple[int, int]:
    """Participants and segments of a group coded with ``code`` or below, straight from the files."""
    coding = pd.read_csv(root / "codings" / "consensus.csv", dtype=str, keep_default_na=False)
    segments = pd.read_csv(root / "segments.csv", dtype=str, keep_default_na=False)
    people = pd.read_csv(root / "participants.csv", dtype=str, keep_default_na=False)
    rows = coding.merge(segments, on="segment_id").merge(people, on="participant_id")
    rows = rows[(rows["speaker_role"] == "participant") & (rows["group"] == group)]
    rows = rows[(rows["code"] == code) | rows["code"].str.startswith(code + ".")]
    return rows["participant_id"].nunique(), rows["segment_id"].nunique()


def test_prevalence_counts_equal_a_direct_pandas_computation(project):
    from slqual.codebook import load_project_codebook

    report = build_report(project)
    counts = report.prevalence
    assert len(counts) == len(load_project_codebook(project))
    for row in counts.itertuples():
        for group in ("clinical", "non-clinical"):
            people, segments = direct_prevalence(project.root, row.code, group)
            assert counts.at[row.Index, f"{group}_participants"] == people, (row.code, group)
            assert counts.at[row.Index, f"{group}_segments"] == segments, (row.code, group)
            assert counts.at[row.Index, f"{group}_N"] == 3


def test_the_prevalence_table_shows_n_and_percent_per_group(project):
    table = build_report(project).table("prevalence").frame
    assert list(table.columns[:4]) == [
        "Theme",
        "Code",
        "Clinical managers (n=3): participants",
        "Clinical managers (n=3): segments",
    ]
    first = table.iloc[1]  # Not a career goal: all three clinicians, no non-clinical manager
    assert first["Code"] == "Not a career goal"
    assert first["Clinical managers (n=3): participants"] == "3 (100%)"
    assert first["Non-clinical managers (n=3): participants"] == "0 (0%)"


def test_theme_tables_have_a_row_per_code_and_a_column_per_group(project):
    report = build_report(project)
    theme_tables = [t for t in report.tables if t.key.startswith("theme_")]
    assert [t.title for t in theme_tables] == ["Motivation", "Skills", "Barriers"]
    skills = report.table("theme_skills")
    assert skills.caption == "Table 3. Quotes addressing the theme \u2018Skills\u2019"
    assert (skills.number, skills.label) == (3, "Table 3")
    assert skills.caption_text == "Quotes addressing the theme \u2018Skills\u2019"
    assert list(skills.frame.columns) == ["Code", "Clinical managers (n=3)", "Non-clinical managers (n=3)"]
    # a parent code coded directly gets its own row; the codes below it are named by their path
    assert list(skills.frame["Code"]) == [
        "Understanding (in general)",
        "Understanding > Shared vision",
        "Understanding > Inductions",
        "Empathy",
    ]
    cell = skills.frame.iloc[1, 1]
    assert isinstance(cell, QuoteCell)
    assert [q.attribution for q in cell.quotes] == ["(P03)", "(P02)"]  # exemplar first; no job titles
    with_roles = build_report(project, ReportOptions(attributes=("role",))).table("theme_skills").frame
    assert [q.attribution for q in with_roles.iloc[1, 1].quotes] == ["(P03, GP)", "(P02, Nurse)"]


def test_an_empty_cell_says_no_quotes_coded(project):
    frame = build_report(project).table("theme_motivation").frame
    assert frame.iloc[0]["Non-clinical managers (n=3)"].plain() == "no quotes coded"


def test_quotes_per_cell_follow_the_option(project):
    frame = build_report(project, ReportOptions(quotes=3)).table("theme_motivation").frame
    quotes = frame.iloc[0]["Clinical managers (n=3)"].quotes
    assert [q.participant_id for q in quotes] == ["P02", "P01", "P03"]
    assert all(len(q.text.split()) <= 80 for q in quotes)


def test_the_interviewer_turn_coded_by_mistake_is_left_out_and_said_so(project):
    report = build_report(project)
    assert any("interviewer" in note for note in report.notes)
    long = report.table("quotes_long").frame
    assert "P01-0001" not in set(long["segment_id"])


def test_the_overview_has_one_quote_per_theme_and_group(project):
    frame = build_report(project).table("overview").frame
    assert list(frame["Theme"]) == ["Motivation", "Skills", "Barriers"]
    for column in frame.columns[1:]:
        assert all(len(cell.quotes) == 1 for cell in frame[column])


def test_the_long_table_has_one_row_per_coded_quote_with_every_attribute(project):
    long = build_report(project).table("quotes_long").frame
    assert list(long.columns) == [
        "segment_id",
        "document",
        "participant_id",
        "participant",
        "group",
        "role",
        "order",
        "theme",
        "code",
        "code_path",
        "coder",
        "exemplar",
        "text",
        "quote_method",
        "quote_start",
        "quote_end",
        "quote_offsets",
    ]
    assert len(long) == 19  # 20 rows in the coder file, less the interviewer turn
    row = long[long["code"] == "skills.understanding.vision"].iloc[0]
    assert row["code_path"] == "Skills > Understanding > Shared vision"
    assert row["theme"] == "skills"


def test_the_participant_by_code_matrix_agrees_with_the_prevalence_counts(project):
    report = build_report(project)
    matrix = report.table("participant_codes").frame
    assert list(matrix["participant_id"]) == ["P01", "P02", "P03", "P04", "P05", "P06"]
    sums = matrix.groupby("group")[list(report.prevalence["code"])].sum()
    for row in report.prevalence.itertuples():
        assert sums.at["clinical", row.code] == report.prevalence.at[row.Index, "clinical_participants"]


def test_level_theme_rolls_codes_up(project):
    report = build_report(project, ReportOptions(level=Level.theme))
    assert list(report.prevalence["code"]) == ["motivation", "skills", "barriers"]
    themes = report.table("themes").frame
    assert list(themes["Theme"]) == ["Motivation", "Skills", "Barriers"]
    assert list(report.cooccurrence.index) == ["motivation", "skills", "barriers"]


def test_by_any_attribute_makes_a_column_per_value(project):
    report = build_report(project, ReportOptions(by="role"))
    assert [g.header for g in report.groups] == ["Director (n=1)", "GP (n=2)", "Manager (n=2)", "Nurse (n=1)"]


def test_where_filters_participants(project):
    report = build_report(project, ReportOptions(by="role", where=(("group", "clinical"),)))
    assert [g.value for g in report.groups] == ["GP", "Nurse"]
    assert set(report.table("quotes_long").frame["group"]) == {"clinical"}


def test_fisher_test_is_added_and_labelled_descriptive(project):
    report = build_report(project, ReportOptions(test="fisher"))
    table = report.table("prevalence")
    assert "Fisher's exact p (descriptive)" in table.frame.columns
    assert "Descriptive only" in table.note
    from scipy.stats import fisher_exact

    expected = fisher_exact([[3, 0], [0, 3]]).pvalue
    assert report.prevalence.loc[1, "fisher_p"] == pytest.approx(expected)


def test_fisher_needs_two_groups(project):
    with pytest.raises(ReportError, match="compares two groups"):
        build_report(project, ReportOptions(by="role", test="fisher"))


def test_saturation_follows_the_order_column(project):
    saturation = build_report(project).saturation
    assert list(saturation["participant_id"]) == ["P02", "P03", "P01", "P04", "P06", "P05"]
    assert list(saturation["distinct_codes"]) == [3, 4, 6, 7, 8, 8]
    assert saturation["new_codes"].sum() == saturation["distinct_codes"].iloc[-1]


def test_saturation_without_an_order_column_uses_file_order(project):
    people = project.participants_path
    frame = pd.read_csv(people, dtype=str).drop(columns=["order"])
    frame.to_csv(people, index=False)
    assert list(build_report(project).saturation["participant_id"]) == [
        "P01",
        "P02",
        "P03",
        "P04",
        "P05",
        "P06",
    ]


def test_cooccurrence_counts_segments_with_both_codes(project):
    matrix = build_report(project).cooccurrence
    assert matrix.at["skills.understanding", "skills.understanding.inductions"] == 1
    assert matrix.at["motivation.duty", "motivation.duty"] == 3
    assert (matrix.to_numpy() == matrix.to_numpy().T).all()


def test_another_coder_can_be_reported(project):
    report = build_report(project, ReportOptions(coder="reviewer1"))
    assert report.coder == "reviewer1"
    assert set(report.table("quotes_long").frame["coder"]) == {"reviewer1"}


# --- errors ---------------------------------------------------------------------------------------


def test_an_attribute_with_a_single_value_is_an_error(project):
    with pytest.raises(ReportError, match="attribute 'group' has a single value \\(clinical\\)"):
        build_report(project, ReportOptions(where=(("group", "clinical"),)))


def test_an_unknown_attribute_is_an_error_listing_the_attributes(project):
    with pytest.raises(
        ReportError, match="no participant attribute 'site'; attributes are group, role, order"
    ):
        build_report(project, ReportOptions(by="site"))
    with pytest.raises(ReportError, match="no participant attribute 'site'"):
        build_report(project, ReportOptions(where=(("site", "north"),)))


def test_a_filter_value_nobody_has_is_an_error(project):
    with pytest.raises(ReportError, match="no participant has role=Surgeon; values of 'role': Director, GP"):
        build_report(project, ReportOptions(where=(("role", "Surgeon"),)))


def test_a_code_absent_from_the_codebook_is_an_error_naming_the_row(project):
    path = project.coder_path("consensus")
    path.write_text(path.read_text().replace("P02-0006,barriers.bureaucracy", "P02-0006,barriers.money"))
    with pytest.raises(
        ReportError, match=r"consensus.csv, row 9: code 'barriers.money' is not in the codebook"
    ):
        build_report(project)


def test_a_coded_segment_missing_from_segments_is_an_error(project):
    path = project.coder_path("consensus")
    path.write_text(path.read_text() + "P09-0002,skills.empathy,consensus,,,\n")
    with pytest.raises(ReportError, match="segment 'P09-0002' is not in segments.csv"):
        build_report(project)


def test_no_consensus_and_no_coder_names_the_coders_that_exist(project):
    project.coder_path("consensus").unlink()
    with pytest.raises(ReportError, match=r"no consensus coding yet.*--coder NAME \(coders: reviewer1\)"):
        build_report(project)


def test_an_unknown_coder_is_an_error(project):
    with pytest.raises(CodingsError, match="no coder 'reviewer9'"):
        build_report(project, ReportOptions(coder="reviewer9"))


def test_bad_options_are_errors():
    with pytest.raises(ReportError, match="--max-words"):
        ReportOptions(min_words=20, max_words=10)
    with pytest.raises(ReportError, match="only test available is 'fisher'"):
        ReportOptions(test="chi2")
    with pytest.raises(
        ReportError, match="unknown report format; choose from md, csv, xlsx, docx, tex, html"
    ):
        parse_formats("md,pdf")
    with pytest.raises(ReportError, match="attribute=value"):
        parse_where(["roleGP"])


def test_participants_without_a_group_are_left_out_and_said_so(project):
    people = project.participants_path
    people.write_text(people.read_text() + "P07,,GP,7\n")
    report = build_report(project)
    assert any("no value for 'group' (P07)" in note for note in report.notes)
    assert sum(g.n for g in report.groups) == 6


def test_coded_segments_of_unlisted_participants_are_left_out_and_said_so(project):
    segments = project.segments_path
    segments.write_text(segments.read_text() + "P09-0002,P09,P09,2,P09,participant,,,A fresh voice.\n")
    coding = project.coder_path("consensus")
    coding.write_text(coding.read_text() + "P09-0002,barriers.time,consensus,2026-11-20T10:00:00Z,,\n")
    report = build_report(project)
    assert any(
        "left out 1 coded segment(s) of participants not listed there (P09)" in note for note in report.notes
    )
    assert any("left out 1 coded interviewer or other-speaker segment(s)" in note for note in report.notes)
    assert "P09-0002" not in set(report.table("quotes_long").frame["segment_id"])


def test_participants_without_segments_are_not_counted_and_said_so(project):
    people = project.participants_path
    people.write_text(people.read_text() + "P08,clinical,GP,8\n")
    report = build_report(project)
    assert any("have no transcript segments yet (P08)" in note for note in report.notes)
    assert [g.n for g in report.groups] == [3, 3]


def test_the_overview_prefers_a_quote_that_fits_whole(project):
    path = project.coder_path("consensus")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).assign(exemplar="")
    frame.to_csv(path, index=False)
    overview = build_report(project, ReportOptions(max_words=20)).table("overview").frame
    barriers = overview.iloc[2]["Clinical managers (n=3)"].quotes[0]
    # P01-0004 comes first by segment id but has 23 words; P02-0006 fits in 20 words whole
    assert barriers.segment_id == "P02-0006" and not barriers.trimmed


def _quoted(report, key: str, row: int, column: str) -> list[str]:
    return [q.segment_id for q in report.table(key).frame.at[row, column].quotes]


def test_a_table_never_repeats_a_quote(project):
    path = project.coder_path("consensus")
    path.write_text(
        path.read_text(encoding="utf-8")
        + "P01-0008,skills.understanding,consensus,2026-11-20T10:00:00Z,,\n"
        + "P02-0004,skills.understanding.inductions,consensus,2026-11-20T10:00:00Z,,\n",
        encoding="utf-8",
    )
    report = build_report(project, ReportOptions(quotes=1, figures=False))
    labels = list(report.table("theme_skills").frame["Code"])
    general = labels.index("Understanding (in general)")
    inductions = labels.index("Understanding > Inductions")
    assert general < inductions
    clinical = "Clinical managers (n=3)"
    assert _quoted(report, "theme_skills", general, clinical) == ["P01-0008"]
    # P01-0008 comes first by segment id, but the table already shows it: P02-0004 instead.
    assert _quoted(report, "theme_skills", inductions, clinical) == ["P02-0004"]
    # With room for two, both are shown in earlier rows: no quote repeats within a table.
    report = build_report(project, ReportOptions(quotes=2, figures=False))
    assert _quoted(report, "theme_skills", inductions, clinical) == []
    cell = report.table("theme_skills").frame.at[inductions, clinical]
    assert cell.plain() == "no quote left that is not shown above"


def _mark(project, segment_id: str, quote: str) -> None:
    path = project.coder_path("consensus")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["quote"] = ""
    frame.loc[frame["segment_id"] == segment_id, "quote"] = quote
    frame.to_csv(path, index=False)


def test_a_marked_quote_wins_and_the_long_table_says_how_each_quote_was_chosen(project):
    _mark(project, "P03-0002", "never part of my plan ... teach registrars")
    report = build_report(project, ReportOptions(quotes=3))
    quotes = [
        q for q in report.table("theme_motivation").frame.iloc[0, 1].quotes if q.segment_id == "P03-0002"
    ]
    assert quotes[0].text == "never part of my plan [...] teach registrars" and quotes[0].method == "marked"
    long = report.table("quotes_long").frame.set_index("segment_id")
    assert long.at["P03-0002", "quote_method"] == "marked"
    text = pd.read_csv(project.segments_path, dtype=str).set_index("segment_id").at["P03-0002", "text"]
    offsets = long.at["P03-0002", "quote_offsets"].split(";")
    assert [text[int(a) : int(b)] for a, b in (o.split("-") for o in offsets)] == [
        "never part of my plan",
        "teach registrars",
    ]
    assert set(long["quote_method"]) == {"marked", "selected"}


def test_a_marked_quote_that_does_not_match_stops_the_report_naming_file_row_and_word(project):
    _mark(project, "P03-0002", "never part of my grand plan")
    with pytest.raises(ReportError) as caught:
        build_report(project)
    message = str(caught.value)
    assert "consensus.csv, row " in message and "segment P03-0002" in message and "at 'grand'" in message


def test_labels_replace_ids_and_keep_ids_brings_them_back(project):
    settings = project.settings_path.read_text(encoding="utf-8")
    project.settings_path.write_text(settings + "quotes:\n  label: '{group_initials}{n}'\n", encoding="utf-8")
    project = open_project(project.root)
    report = build_report(project)
    attributions = {q.attribution for cell in report.table("overview").frame.iloc[:, 1] for q in cell.quotes}
    assert all(a.startswith("(CM") for a in attributions)
    long = report.table("quotes_long").frame
    assert "participant_id" not in long.columns and long["participant"].str.match(r"N?CM\d$").all()
    kept = build_report(project, ReportOptions(keep_ids=True)).table("quotes_long").frame
    assert {"segment_id", "participant_id", "participant", "role"} <= set(kept.columns)


def test_an_unknown_attribute_is_named(project):
    with pytest.raises(ReportError, match="--attribute job: no such participant attribute"):
        build_report(project, ReportOptions(attributes=("job",)))
