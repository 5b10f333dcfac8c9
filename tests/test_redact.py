"""Participant safety: redact.csv, participant labels, small cells, and no name in anything written."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from slqual.cli.main import app
from slqual.errors import ProjectError
from slqual.project import init_project, load_settings, open_project
from slqual.pseudonyms import LabelError, participant_labels
from slqual.redact import RedactEntry, RedactError, Redactor, load_redact_file, load_redactor
from slqual.redact_check import candidates_in

EXAMPLE_STUDY = Path(__file__).resolve().parent.parent / "examples" / "shared-leadership-study"


# --- The redactor -------------------------------------------------------------------------------


def test_whole_words_longest_first_possessives_and_case():
    redactor = Redactor(
        [
            RedactEntry("Millbeck", "[place]"),
            RedactEntry("Millbeck Surgery", "[practice]"),
            RedactEntry("Jo", "[name]"),
            RedactEntry("ashby marsh", "[town]", ignore_case=True),
        ]
    )
    text = "Jo's team at Millbeck Surgery, near Millbeck and ASHBY\nMarsh; Joanne and jo stay."
    assert redactor.apply(text) == "[name]'s team at [practice], near [place] and [town]; Joanne and jo stay."
    assert redactor.apply("Jo\u2019s") == "[name]\u2019s"
    assert not redactor.empty and Redactor().empty and Redactor().apply("Jo") == "Jo"


def test_entries_ignoring_case_match_every_case_of_their_first_letter():
    # The redactor looks only where an entry's first letter is; ignoring case, that is any case of it.
    redactor = Redactor([RedactEntry("kim", "[name]", ignore_case=True), RedactEntry("Sam", "[name]")])
    assert redactor.apply("KIM, Kim, \u212aim and Sam; sam") == "[name], [name], [name] and [name]; sam"


def test_a_redact_file_with_problems_lists_every_one(tmp_path):
    path = tmp_path / "redact.csv"
    path.write_text(
        "text,replacement,case\nJo,[name],\n,[x],\nJo,[other],\nDev,[name],x\nAnil,Anil B,\n",
        encoding="utf-8",
    )
    with pytest.raises(RedactError) as caught:
        load_redact_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: 4 problem(s): row 3: empty text")
    for part in ("row 4: 'Jo' is also in row 2", "row 5: case 'x'", "row 6: the replacement"):
        assert part in message


def test_no_redact_file_gives_an_empty_redactor(tmp_path):
    project = init_project(tmp_path / "study")
    assert load_redactor(project).empty
    (project.root / "redact.csv").write_text("name,replacement\n", encoding="utf-8")
    with pytest.raises(RedactError, match="missing column"):
        load_redactor(project)


# --- Labels and settings -------------------------------------------------------------------------

PEOPLE = pd.DataFrame(
    {
        "participant_id": ["P01", "P02", "P03", "P04", "P05"],
        "group": ["clinical", "non-clinical", "clinical", "non-clinical", "clinical"],
        "role": ["GP", "Finance lead", "Nurse", "Director", "GP"],
    }
)
GROUP_LABELS = {"clinical": "Clinical managers", "non-clinical": "Non-clinical managers"}


def test_labels_are_numbered_within_group_in_participant_order():
    labels = participant_labels(PEOPLE, "{group_initials}{n}", "group", GROUP_LABELS)
    assert labels == {"P01": "CM1", "P02": "NCM1", "P03": "CM2", "P04": "NCM2", "P05": "CM3"}
    assert participant_labels(PEOPLE)["P03"] == "P03"
    assert participant_labels(PEOPLE, "{group}-{n:02d}")["P05"] == "clinical-03"


def test_a_label_pattern_that_cannot_name_everyone_apart_is_an_error():
    with pytest.raises(LabelError, match="gives P01 and P05 the same label 'GP'"):
        participant_labels(PEOPLE, "{role}")
    with pytest.raises(LabelError, match="unknown field '{grp}'"):
        participant_labels(PEOPLE, "{grp}{n}")
    with pytest.raises(LabelError, match="has no field"):
        participant_labels(PEOPLE, "X")


def test_the_quotes_settings_are_read_and_checked(tmp_path):
    path = tmp_path / "slqual.yaml"
    path.write_text(
        "quotes:\n  label: '{group_initials}{n}'\n  min_cell: 5\n  tidy: [um]\n", encoding="utf-8"
    )
    settings = load_settings(path)
    assert (settings.quotes.label, settings.quotes.min_cell, settings.quotes.tidy) == (
        "{group_initials}{n}",
        5,
        ("um",),
    )
    assert "quotes:" in settings.to_yaml()
    for bad, message in (("min_cell: 0", "min_cell"), ("tidy: um", "tidy"), ("colour: red", "quotes.colour")):
        path.write_text(f"quotes:\n  {bad}\n", encoding="utf-8")
        with pytest.raises(ProjectError, match=message):
            load_settings(path)


# --- Redact check --------------------------------------------------------------------------------


def test_redact_check_finds_capitalised_names_not_at_a_sentence_start():
    text = (
        "Yesterday I rang Claire at Fenwick Road Surgery. Jo said no. The NHS and CCGs, on Mondays, I'm told."
    )
    assert candidates_in(text, {"the", "yesterday", "monday"}) == ["Claire", "Fenwick Road Surgery"]


# --- The example study, end to end ---------------------------------------------------------------


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    project = init_project(tmp_path_factory.mktemp("safety") / "study")
    for name in ("slqual.yaml", "participants.csv", "redact.csv"):
        shutil.copy(EXAMPLE_STUDY / name, project.root / name)
    settings = (project.root / "slqual.yaml").read_text(encoding="utf-8")
    (project.root / "slqual.yaml").write_text(
        settings + "quotes:\n  label: '{group_initials}{n}'\n", encoding="utf-8"
    )
    for path in (EXAMPLE_STUDY / "transcripts").iterdir():
        shutil.copy(path, project.transcripts_dir / path.name)
    for name in ("reviewer1.csv", "reviewer2.csv"):
        shutil.copy(EXAMPLE_STUDY / "codings" / name, project.codings_dir / name)
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(project.transcripts_dir), "-p", str(project.root)])
    assert result.exit_code == 0, result.output
    return open_project(project.root)


def _redacted_words(project) -> list[str]:
    return pd.read_csv(project.root / "redact.csv", dtype=str)["text"].tolist()


def _texts(folder: Path) -> dict[str, str]:
    """Every written file's text; xlsx and docx are unzipped, SVG figures read as text."""
    out = {}
    for path in folder.rglob("*"):
        if path.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    if name.endswith(".xml"):
                        out[f"{path.name}/{name}"] = archive.read(name).decode("utf-8")
        elif path.suffix in (".md", ".csv", ".html", ".tex", ".svg"):
            out[str(path)] = path.read_text(encoding="utf-8")
    for name, text in out.items():  # an embedded PNG is pixels: its base64 spells words by chance ("/Dev/")
        out[name] = re.sub(r"(data:image/png;base64,)[A-Za-z0-9+/=\s]+", r"\1", text)
    return out


def _leaks(texts: dict[str, str], words: list[str]) -> list[tuple[str, str]]:
    return [
        (word, name)
        for word in words
        for name, text in texts.items()
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)
    ]


def test_no_redacted_name_or_job_title_is_in_any_file_the_report_writes(example, tmp_path):
    runner = CliRunner()
    out = tmp_path / "report"
    args = ["report", "--coder", "reviewer1", "--format", "md,csv,xlsx,docx,html,tex", "-o", str(out)]
    result = runner.invoke(app, [*args, "-p", str(example.root)])
    assert result.exit_code == 0, result.output
    texts = _texts(out)
    assert any(name.endswith(".svg") for name in texts)
    assert _leaks(texts, _redacted_words(example)) == []
    assert re.search(r"\[(?:practice|place|colleague|town|ICB|trust|PCN)\]", "\n".join(texts.values()))
    report = texts[str(out / "report.md")]
    assert re.search(r"\\?\((?:CM|NCM)\d+\\?\)", report)  # Markdown escapes the brackets
    for role in ("GP", "Finance lead", "Nurse", "Estates director"):
        assert f", {role})" not in report
    long = pd.read_csv(out / "csv" / "quotes_long.csv", dtype=str, keep_default_na=False)
    assert "participant_id" not in long.columns and "segment_id" not in long.columns
    assert set(long["quote_method"]) == {"marked", "selected"}
    assert "Possible names" not in result.output
    assert "capitalised word(s)" in result.output


def test_by_role_warns_about_small_cells_in_the_terminal_and_the_report(example, tmp_path):
    runner = CliRunner()
    out = tmp_path / "by-role"
    args = [
        "report",
        "--coder",
        "reviewer1",
        "--by",
        "role",
        "--format",
        "md",
        "--no-figures",
        "-o",
        str(out),
    ]
    result = runner.invoke(app, [*args, "-p", str(example.root)])
    assert result.exit_code == 0, result.output
    assert "--by role:" in result.output and "fewer than 3 participants" in result.output
    assert "Small cells: --by role:" in (out / "report.md").read_text(encoding="utf-8")


def test_redacted_disagreements_and_coding_sheets_hold_no_name(example, tmp_path):
    runner = CliRunner()
    words = _redacted_words(example)
    sheet, disagreements = tmp_path / "sheet.xlsx", tmp_path / "disagreements.xlsx"
    for args in (
        ["sheet", "export", "--coder", "reviewer1", "-o", str(sheet), "--redact"],
        ["agree", "reviewer1", "reviewer2", "--disagreements", str(disagreements), "--redact"],
    ):
        result = runner.invoke(app, [*args, "-p", str(example.root)])
        assert result.exit_code in (0, 1), result.output
    assert _leaks(_texts(tmp_path), words) == []
    plain = tmp_path / "plain" / "sheet.xlsx"
    plain.parent.mkdir()
    runner.invoke(app, ["sheet", "export", "--coder", "reviewer1", "-o", str(plain), "-p", str(example.root)])
    assert _leaks(_texts(plain.parent), words)  # without --redact the names are there: the test can fail


def test_redact_check_lists_candidates_and_exits_1(example):
    result = CliRunner().invoke(app, ["redact", "check", "--format", "json", "-p", str(example.root)])
    assert result.exit_code == 1
    assert '"candidates"' in result.output
